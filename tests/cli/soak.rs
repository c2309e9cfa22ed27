//! `h2grpc soak` with small counts, over real sockets: against the `serve`
//! it starts itself, every kind of operation runs and ends as expected and
//! the server's RSS is read at start, middle and end; against a given
//! server with `--server-pid`, the same, and that server is left running;
//! against a server without the demo services, every operation is an
//! unexpected error and the command fails; an RSS limit that is exceeded
//! fails it too.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use serde_json::Value;

use crate::support::peers::h2grpc_interop_server;
use crate::support::{h2grpc_command, h2grpc_server};

/// Every kind, with the count the small soak gives it and its expected outcome.
const KINDS: [(&str, &str, u64); 8] = [
    ("unary", "OK", 400),
    ("server-stream", "OK", 30),
    ("client-stream", "OK", 30),
    ("bidi", "OK", 30),
    ("cancel", "CANCELLED", 30),
    ("deadline", "DEADLINE_EXCEEDED", 30),
    ("large", "OK", 4),
    ("reconnect", "OK", 5),
];

/// `soak --json` with the counts of [`KINDS`] and `extra` options.
fn small_soak(extra: &[&str]) -> (crate::support::peers::Output, Option<Value>) {
    let counts: Vec<String> = KINDS
        .iter()
        .map(|(_, _, count)| count.to_string())
        .collect();
    let mut args = vec![
        "soak",
        "--json",
        "--unary",
        &counts[0],
        "--server-streams",
        &counts[1],
        "--client-streams",
        &counts[2],
        "--bidi-streams",
        &counts[3],
        "--cancels",
        &counts[4],
        "--deadlines",
        &counts[5],
        "--large",
        &counts[6],
        "--reconnects",
        &counts[7],
        "--reconnect-every-ms",
        "5",
        "--warmup-percent",
        "10",
    ];
    args.extend_from_slice(extra);
    let out = h2grpc_command(&args);
    let report = serde_json::from_str(out.stdout.trim()).ok();
    (out, report)
}

/// Every kind ran its count, each ended as expected, nothing unexpected.
fn assert_every_kind_ended_as_expected(report: &Value, describe: &str) {
    assert_eq!(report["unexpected"], 0, "{describe}");
    for (index, (name, expected, count)) in KINDS.iter().enumerate() {
        let kind = &report["kinds"][index];
        assert_eq!(kind["kind"], *name, "{describe}");
        assert_eq!(kind["expected"], *expected, "{name}: {describe}");
        assert_eq!(kind["ops"], *count, "{name}: {describe}");
        assert_eq!(kind["outcomes"][expected], *count, "{name}: {describe}");
        assert_eq!(kind["unexpected"], 0, "{name}: {describe}");
        assert!(
            kind["ops_per_sec"].as_f64() > Some(0.0),
            "{name}: {describe}"
        );
    }
}

/// Every RSS sample was read and is plausible.
fn assert_rss_read(report: &Value, describe: &str) {
    for moment in ["start", "mid", "end", "peak"] {
        let kib = report["rss_kib"][moment].as_u64();
        assert!(kib > Some(1024), "RSS {moment}: {describe}");
    }
}

#[test]
fn a_small_soak_runs_every_kind_against_its_own_server_with_nothing_unexpected() {
    // The RSS limit is lifted: a run this short is all warm-up, its growth
    // is noise; the limit's own test is below.
    let (out, report) = small_soak(&["--max-rss-growth", "1000"]);
    let describe = out.describe();
    assert!(out.status.success(), "{describe}");
    let report = report.unwrap_or_else(|| panic!("no JSON report: {describe}"));
    assert!(
        report["server"]
            .as_str()
            .is_some_and(|server| server.contains("started by soak")),
        "{describe}"
    );
    assert_eq!(report["passed"], true, "{describe}");
    assert_every_kind_ended_as_expected(&report, &describe);
    assert_rss_read(&report, &describe);
}

#[test]
fn a_given_server_is_soaked_by_pid_and_left_running() {
    let mut server = h2grpc_server();
    let addr = server.target();
    let pid = server.pid().to_string();
    let (out, report) = small_soak(&[
        "--addr",
        &addr,
        "--server-pid",
        &pid,
        "--max-rss-growth",
        "1000",
    ]);
    let describe = out.describe();
    assert!(out.status.success(), "{describe}");
    let report = report.unwrap_or_else(|| panic!("no JSON report: {describe}"));
    assert_eq!(
        report["pid"].as_u64(),
        Some(u64::from(server.pid())),
        "{describe}"
    );
    assert_every_kind_ended_as_expected(&report, &describe);
    assert_rss_read(&report, &describe);
    server.assert_running();
}

#[test]
fn a_server_without_the_demo_services_fails_the_soak() {
    // grpc.testing.TestService only: every Greeter, RouteGuide and Contact
    // call is UNIMPLEMENTED, which no kind expects.
    let server = h2grpc_interop_server();
    let addr = server.target();
    let (out, report) = small_soak(&["--addr", &addr]);
    let describe = out.describe();
    assert_eq!(out.status.code(), Some(1), "{describe}");
    assert!(
        out.stderr.contains("soak failed:") && out.stderr.contains("unexpected outcomes"),
        "{describe}"
    );
    let report = report.unwrap_or_else(|| panic!("no JSON report: {describe}"));
    assert_eq!(report["passed"], false, "{describe}");
    for (index, (name, expected, count)) in KINDS.iter().enumerate() {
        let kind = &report["kinds"][index];
        // A deadline of 20 ms may pass before a loaded machine answers
        // UNIMPLEMENTED: such a call did end as expected.
        let in_time = kind["outcomes"][expected].as_u64().unwrap_or(0);
        assert!(*name == "deadline" || in_time == 0, "{name}: {describe}");
        assert_eq!(kind["unexpected"], *count - in_time, "{name}: {describe}");
        assert_eq!(
            kind["outcomes"]["UNIMPLEMENTED"],
            *count - in_time,
            "{name}: {describe}"
        );
        let first = kind["messages"][0].as_str().unwrap_or("");
        assert!(first.contains("UNIMPLEMENTED"), "{name}: {describe}");
    }
    // Without --server-pid nothing is known of the server's memory, and
    // that alone is no failure.
    assert_eq!(report["rss_kib"]["start"], Value::Null, "{describe}");
}

#[test]
fn rss_growth_past_the_limit_fails_the_soak() {
    // A limit of -100% is exceeded by any server that has memory at all:
    // the verdict's RSS path, on real readings, with every call fine.
    let (out, report) = small_soak(&["--max-rss-growth=-100"]);
    let describe = out.describe();
    assert_eq!(out.status.code(), Some(1), "{describe}");
    assert!(out.stderr.contains("server RSS grew"), "{describe}");
    let report = report.unwrap_or_else(|| panic!("no JSON report: {describe}"));
    assert_eq!(report["unexpected"], 0, "{describe}");
    assert_eq!(report["passed"], false, "{describe}");
}

#[test]
fn a_server_pid_needs_an_address() {
    let out = h2grpc_command(&["soak", "--server-pid", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", out.describe());
    assert!(out.stderr.contains("--addr"), "{}", out.describe());
}
