//! grpc-go's interop client and server (interop-test-descriptions.md), at
//! the version tests/run-all.sh pins and builds into .cache/go-peers/:
//! - grpc-go's client against `h2grpc interop-server`, one process per case,
//!   every case it offers that needs no TLS, cloud credentials, xDS, ORCA
//!   or second server ([`GO_CLIENT_CASES`]; the rest, with the reason, in
//!   [`GO_CLIENT_SKIPPED`]);
//! - `h2grpc interop-client` against grpc-go's server, every case that
//!   server implements ([`GO_SERVER_LACKS`] says which it does not, and a
//!   test holds that it still does not).
//!
//! Where the machine has no Go, these tests print why and pass; where it
//! has Go but the variables are unset (the tests were not started by
//! run-all.sh), they fail.
#![cfg(feature = "cli")] // `h2grpc interop-server` and `interop-client` are built with `cli`.

use std::path::PathBuf;
use std::process::Command;

use crate::support::peers::{go_peer, h2grpc_interop_server, run};
use crate::support::{h2grpc_command, Output, Peer};

/// grpc-go's interop client, built by tests/run-all.sh where Go is installed.
const GO_CLIENT: &str = "H2GRPC_GRPC_GO_INTEROP_CLIENT";

/// grpc-go's interop server, built by tests/run-all.sh where Go is installed.
const GO_SERVER: &str = "H2GRPC_GRPC_GO_INTEROP_SERVER";

/// What the two variables name, for [`go_peer`]'s messages.
const GO_PEERS: &str = "grpc-go's interop client and server";

/// The `--test_case` names of grpc-go's client that run here, in its
/// `--help` order, then the soak cases (with [`SOAK_FLAGS`]).
/// grpc-go's client has no compression cases (client_compressed_unary and
/// the like): grpc's run_interop_tests.py lists them as unimplemented by Go.
const GO_CLIENT_CASES: [&str; 16] = [
    "empty_unary",
    "large_unary",
    "client_streaming",
    "server_streaming",
    "ping_pong",
    "empty_stream",
    "timeout_on_sleeping_server",
    "cancel_after_begin",
    "cancel_after_first_response",
    "status_code_and_message",
    "special_status_message",
    "custom_metadata",
    "unimplemented_method",
    "unimplemented_service",
    "rpc_soak",
    "channel_soak",
];

/// grpc-go's client cases that do not run here, and why.
const GO_CLIENT_SKIPPED: [(&str, &str); 10] = [
    (
        "compute_engine_creds",
        "needs TLS and a GCE service account (cloud credentials)",
    ),
    (
        "service_account_creds",
        "needs TLS and a service account key (cloud credentials)",
    ),
    ("jwt_token_creds", "needs TLS and a service account key"),
    ("per_rpc_creds", "needs TLS and an OAuth2 token source"),
    ("oauth2_auth_token", "needs TLS and an OAuth2 token source"),
    (
        "google_default_credentials",
        "needs Google default credentials (cloud)",
    ),
    (
        "compute_engine_channel_credentials",
        "needs GCE channel credentials (cloud)",
    ),
    (
        "pick_first_unary",
        "needs several server addresses behind one name (a second server and a resolver)",
    ),
    (
        "orca_per_rpc",
        "needs ORCA load reports and the test_backend_metrics_load_balancer",
    ),
    (
        "orca_oob",
        "needs the ORCA out-of-band service and the test_backend_metrics_load_balancer",
    ),
];

/// Small soak runs: a few iterations of grpc-go's defaults (large_unary
/// sizes), with room for a debug build on a loaded 2-core machine.
const SOAK_FLAGS: [&str; 3] = [
    "--soak_iterations=5",
    "--soak_per_iteration_max_acceptable_latency_ms=5000",
    "--soak_overall_timeout_seconds=40",
];

/// Our client's cases that grpc-go's server does not implement, and why: it
/// ignores `expect_compressed` and `response_compressed` (grpc's
/// run_interop_tests.py: Go's `unimplemented_test_cases_server` is
/// `_SKIP_COMPRESSION`).
const GO_SERVER_LACKS: [(&str, &str); 4] = [
    (
        "client_compressed_unary",
        "grpc-go's server does not check expect_compressed",
    ),
    (
        "server_compressed_unary",
        "grpc-go's server ignores response_compressed",
    ),
    (
        "client_compressed_streaming",
        "grpc-go's server does not check expect_compressed",
    ),
    (
        "server_compressed_streaming",
        "grpc-go's server ignores response_compressed",
    ),
];

/// Our client's cases that run against grpc-go's server: all but
/// [`GO_SERVER_LACKS`].
fn cases_for_go_server() -> Vec<&'static str> {
    super::testing_client::all_cases()
        .into_iter()
        .filter(|case| GO_SERVER_LACKS.iter().all(|(lacking, _)| case != lacking))
        .collect()
}

/// grpc-go's server on a free port. It logs its address at INFO level on
/// stderr (`interop server listening on [::]:PORT`), which `Peer` reads on
/// stdout: the shell joins the two.
fn go_server(path: &PathBuf) -> Peer {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "exec \"$0\" --port=0 --use_tls=false 2>&1"])
        .arg(path)
        .env("GRPC_GO_LOG_SEVERITY_LEVEL", "info");
    Peer::spawn("grpc-go interop server", cmd)
}

/// grpc-go's client running `case` against `server`.
fn go_client(path: &PathBuf, server: &Peer, case: &str) -> Output {
    let mut cmd = Command::new(path);
    cmd.arg("--server_host=127.0.0.1")
        .arg(format!("--server_port={}", server.addr().port()))
        .arg(format!("--test_case={case}"))
        .arg("--use_tls=false")
        .args(SOAK_FLAGS)
        // Its "<Case> done" lines are INFO.
        .env("GRPC_GO_LOG_SEVERITY_LEVEL", "info");
    run(cmd, None)
}

#[test]
fn skipped_go_client_cases_are_not_run() {
    for (case, reason) in GO_CLIENT_SKIPPED {
        assert!(
            !GO_CLIENT_CASES.contains(&case),
            "{case} is run and skipped"
        );
        assert!(!reason.is_empty());
    }
}

#[test]
fn grpc_go_client_passes_every_applicable_case_against_h2grpc_interop_server() {
    let Some(client) = go_peer(GO_CLIENT, GO_PEERS) else {
        return;
    };
    let mut server = h2grpc_interop_server();
    let mut failed = Vec::new();
    for case in GO_CLIENT_CASES {
        let out = go_client(&client, &server, case);
        // grpc-go's client ends every case with "... done" at INFO, and
        // fails one with logger.Fatal (exit status 1).
        if out.status.success() && out.stderr.contains(" done") {
            eprintln!("PASS {case}");
        } else {
            eprintln!("FAIL {case}\n{}", out.describe());
            failed.push(case);
        }
        server.assert_running();
    }
    for (case, reason) in GO_CLIENT_SKIPPED {
        eprintln!("SKIP {case}: {reason}");
    }
    assert!(
        failed.is_empty(),
        "grpc-go's client failed {failed:?} of {} cases against h2grpc interop-server \
         (each failure's output is above)\n--- server output ---\n{}",
        GO_CLIENT_CASES.len(),
        server.output()
    );
}

#[test]
fn h2grpc_interop_client_passes_every_case_grpc_go_server_implements() {
    let Some(path) = go_peer(GO_SERVER, GO_PEERS) else {
        return;
    };
    let mut server = go_server(&path);
    let cases = cases_for_go_server();
    let port = server.addr().port().to_string();
    let list = cases.join(",");
    let mut args = vec![
        "interop-client",
        "--server_host",
        "127.0.0.1",
        "--server_port",
        &port,
        "--use_tls=false",
        "--test_case",
        &list,
    ];
    args.extend(super::testing_client::SOAK_FLAGS);
    let out = h2grpc_command(&args);
    server.assert_running();
    let passed: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("PASS "))
        .collect();
    let summary = format!("{} passed, 0 failed", cases.len());
    assert!(
        out.status.success() && passed == cases && out.stdout.lines().last() == Some(&summary),
        "interop-client against grpc-go's server: passed {passed:?}\n{}\n--- server output ---\n{}",
        out.describe(),
        server.output()
    );
    for (case, reason) in GO_SERVER_LACKS {
        eprintln!("SKIP {case}: {reason}");
    }
}

#[test]
fn grpc_go_server_still_lacks_the_compression_cases() {
    // If a grpc-go release starts honouring the compression flags, these
    // cases pass and belong in the run above: this test says so.
    let Some(path) = go_peer(GO_SERVER, GO_PEERS) else {
        return;
    };
    let server = go_server(&path);
    let port = server.addr().port().to_string();
    for (case, reason) in GO_SERVER_LACKS {
        let out = h2grpc_command(&[
            "interop-client",
            "--server_host",
            "127.0.0.1",
            "--server_port",
            &port,
            "--test_case",
            case,
        ]);
        assert!(
            !out.status.success() && out.stdout.contains(&format!("FAIL {case}:")),
            "{case} passes against grpc-go's server now (skipped because {reason:?}): \
             move it out of GO_SERVER_LACKS\n{}",
            out.describe()
        );
    }
}
