//! `h2grpc interop-client` (the client cases of interop-test-descriptions.md,
//! plus concurrent_large_unary, rpc_soak and channel_soak) over real sockets:
//! - against `h2grpc interop-server`, every case passes;
//! - against grpcio (tests/interop/python/interop_server.py), every case
//!   passes, the compression cases included: that server reads each request
//!   message's compressed flag itself (C-core's per-message decompression off)
//!   and sets each response's;
//! - an unknown `--test_case` is refused before anything runs;
//! - against a server that is not TestService (`h2grpc serve`), the cases
//!   that need it are reported FAIL, and the run fails;
//! - the soak cases fail on slow or failed iterations past
//!   `--soak_max_failures`, and when their overall time runs out.
//!
//! Needs `.venv/` (`bash tests/run-all.sh` creates it); fails, never skips,
//! without it.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use crate::support::peers::{h2grpc_interop_server, python_server};
use crate::support::{h2grpc_command, h2grpc_server, Output, Peer};

/// Every case, in the order `--test_case all` runs them: the spec's, then
/// one of ours, then the soak cases.
pub fn all_cases() -> Vec<&'static str> {
    let mut cases = super::TESTING_CASES.to_vec();
    cases.extend(["concurrent_large_unary", "rpc_soak", "channel_soak"]);
    cases
}

/// Soak settings for a debug build on a loaded 2-core machine: grpc-go's
/// 10 iterations, each allowed 5 s rather than 1 s.
pub const SOAK_FLAGS: [&str; 2] = [
    "--soak_per_iteration_max_acceptable_latency_ms=5000",
    "--soak_overall_timeout_seconds=30",
];

/// The grpcio TestService, `tests/interop/python/interop_server.py`.
fn grpcio_interop_server() -> Peer {
    python_server("interop_server.py", &[])
}

/// `h2grpc interop-client --server_host 127.0.0.1 --server_port PORT EXTRA...`.
fn interop_client(port: u16, extra: &[&str]) -> Output {
    let port = port.to_string();
    let mut args = vec![
        "interop-client",
        "--server_host",
        "127.0.0.1",
        "--server_port",
        &port,
    ];
    args.extend_from_slice(extra);
    h2grpc_command(&args)
}

/// The case names after `PREFIX ` on stdout, in order.
fn reported<'a>(out: &'a Output, prefix: &str) -> Vec<&'a str> {
    out.stdout
        .lines()
        .filter_map(|line| line.strip_prefix(prefix))
        .map(|rest| rest.split(':').next().unwrap_or(rest))
        .collect()
}

/// Runs every case against `server` and asserts each passed, in order,
/// with the summary line and exit status 0.
fn assert_all_pass(mut server: Peer) {
    let mut args = vec!["--test_case", "all", "--use_tls=false"];
    args.extend(SOAK_FLAGS);
    let out = interop_client(server.addr().port(), &args);
    server.assert_running();
    let passed = reported(&out, "PASS ");
    let summary = format!("{} passed, 0 failed", all_cases().len());
    assert!(
        out.status.success()
            && passed == all_cases()
            && reported(&out, "FAIL ").is_empty()
            && out.stdout.lines().last() == Some(summary.as_str()),
        "interop-client against {}: passed {passed:?}\n{}\n--- server output ---\n{}",
        server.target(),
        out.describe(),
        server.output()
    );
}

#[test]
fn every_case_passes_against_h2grpc_interop_server() {
    assert_all_pass(h2grpc_interop_server());
}

#[test]
fn every_case_passes_against_grpcio() {
    assert_all_pass(grpcio_interop_server());
}

#[test]
fn cases_are_chosen_by_a_comma_separated_list() {
    let mut server = h2grpc_interop_server();
    let out = interop_client(
        server.addr().port(),
        &["--test_case", "ping_pong,empty_unary"],
    );
    server.assert_running();
    assert!(out.status.success(), "{}", out.describe());
    assert_eq!(reported(&out, "PASS "), ["ping_pong", "empty_unary"]);
    assert_eq!(out.stdout.lines().last(), Some("2 passed, 0 failed"));
}

#[test]
fn soak_iterations_over_the_latency_limit_fail_unless_allowed() {
    let mut server = h2grpc_interop_server();
    let port = server.addr().port();
    // Every call takes more than 0 ms: each of the 3 iterations fails.
    let strict = [
        "--test_case",
        "rpc_soak,channel_soak",
        "--soak_iterations=3",
        "--soak_request_size=10",
        "--soak_response_size=20",
        "--soak_per_iteration_max_acceptable_latency_ms=0",
    ];
    let out = interop_client(port, &strict);
    server.assert_running();
    assert!(!out.status.success(), "{}", out.describe());
    for case in ["rpc_soak", "channel_soak"] {
        let want = format!(
            "FAIL {case}: 3 of 3 iterations failed, more than 0; the first: UnaryCall #1 took"
        );
        assert!(out.stdout.contains(&want), "{}", out.describe());
    }
    // Allowed 3 failures, the same runs pass.
    let mut allowed = strict.to_vec();
    allowed.push("--soak_max_failures=3");
    let out = interop_client(port, &allowed);
    assert!(out.status.success(), "{}", out.describe());
    assert_eq!(reported(&out, "PASS "), ["rpc_soak", "channel_soak"]);
}

#[test]
fn a_soak_out_of_time_fails_with_the_iterations_it_ran() {
    let mut server = h2grpc_interop_server();
    let out = interop_client(
        server.addr().port(),
        &[
            "--test_case",
            "rpc_soak",
            "--soak_iterations=3",
            "--soak_overall_timeout_seconds=0",
        ],
    );
    server.assert_running();
    assert!(!out.status.success(), "{}", out.describe());
    assert!(
        out.stdout
            .contains("FAIL rpc_soak: ran 0 of 3 iterations within the overall 0 s"),
        "{}",
        out.describe()
    );
}

#[test]
fn an_unknown_test_case_is_refused_before_anything_runs() {
    // Port 1: nothing listens there. The name is refused before connecting,
    // so the error is about the name, not the connection.
    let out = interop_client(1, &["--test_case", "empty_unary,no_such_case"]);
    assert!(!out.status.success(), "{}", out.describe());
    assert!(
        out.stderr.contains("unknown test case \"no_such_case\"")
            && out.stderr.contains("known: all, empty_unary"),
        "{}",
        out.describe()
    );
    assert!(out.stdout.is_empty(), "{}", out.describe());
}

#[test]
fn failing_cases_are_reported_and_fail_the_run() {
    // The demo server has no TestService: every call to it is UNIMPLEMENTED.
    let mut server = h2grpc_server();
    let out = interop_client(server.addr().port(), &["--test_case", "all"]);
    server.assert_running();
    assert!(!out.status.success(), "{}", out.describe());
    // One line per case, whatever its outcome.
    let mut seen = reported(&out, "PASS ");
    seen.extend(reported(&out, "FAIL "));
    seen.sort_unstable();
    let mut all = all_cases();
    all.sort_unstable();
    assert_eq!(seen, all, "{}", out.describe());
    // The cases that need TestService fail, saying why.
    for case in ["empty_unary", "large_unary", "ping_pong", "custom_metadata"] {
        let line = format!("FAIL {case}: ");
        let reason = out
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix(&line))
            .unwrap_or_else(|| panic!("no FAIL line for {case}:\n{}", out.describe()));
        assert!(reason.contains("UNIMPLEMENTED"), "{}", out.describe());
    }
    let probe = "FAIL client_compressed_unary: probe UnaryCall ended UNIMPLEMENTED";
    assert!(out.stdout.contains(probe), "{}", out.describe());
    // An UNIMPLEMENTED answer is exactly what these two expect.
    let passed = reported(&out, "PASS ");
    assert!(
        passed.contains(&"unimplemented_method") && passed.contains(&"unimplemented_service"),
        "{}",
        out.describe()
    );
    let failed = reported(&out, "FAIL ").len();
    let summary = format!("{} passed, {failed} failed", all_cases().len() - failed);
    assert_eq!(out.stdout.lines().last(), Some(summary.as_str()));
    assert!(
        out.stderr.contains(&format!(
            "{failed} of {} interop cases failed",
            all_cases().len()
        )),
        "{}",
        out.describe()
    );
}

#[test]
fn use_tls_true_is_refused() {
    let out = interop_client(1, &["--use_tls=true"]);
    assert!(!out.status.success(), "{}", out.describe());
    assert!(
        out.stderr.contains("--use_tls=true is not supported"),
        "{}",
        out.describe()
    );
}

#[test]
fn help_names_the_flags_the_suite_passes_to_every_client() {
    let help = h2grpc_command(&["interop-client", "--help"]);
    assert!(help.status.success(), "{}", help.describe());
    for flag in [
        "--server_host",
        "--server_port",
        "--test_case",
        "--use_tls",
        "--server_host_override",
        // grpc-go's client's names for the soak settings.
        "--soak_iterations",
        "--soak_max_failures",
        "--soak_per_iteration_max_acceptable_latency_ms",
        "--soak_overall_timeout_seconds",
        "--soak_min_time_ms_between_rpcs",
        "--soak_request_size",
        "--soak_response_size",
    ] {
        assert!(help.stdout.contains(flag), "no {flag}:\n{}", help.stdout);
    }
    let top = h2grpc_command(&["--help"]);
    assert!(top.stdout.contains("interop-client"), "{}", top.stdout);
}
