//! grpcio-health-checking's client (the `grpc_health.v1` stubs grpcio ships)
//! against `h2grpc serve`: `tests/interop/python/health_client.py` runs
//! Check of `""` and of a demo service, Check of an unknown one (NOT_FOUND),
//! List, and a Watch that sees the first status.
//!
//! Needs `.venv/` (`bash tests/run-all.sh` creates it); fails, never skips,
//! without it.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use crate::support::h2grpc_server;
use crate::support::peers::python_script;

#[test]
fn grpcio_health_checking_client_checks_lists_and_watches_h2grpc_serve() {
    let mut server = h2grpc_server();
    let out = python_script(
        "health_client.py",
        &[
            "--target",
            &server.target(),
            "--service",
            "helloworld.Greeter",
        ],
    );
    let want = [
        "PASS check_server: SERVING",
        "PASS check_service: SERVING",
        "PASS check_unknown: NOT_FOUND",
        "PASS list: helloworld.Greeter=SERVING",
        "PASS watch_first: SERVING",
        "5 passed, 0 failed",
    ];
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        out.status.success() && lines == want,
        "health_client.py:\n{}\n--- server output ---\n{}",
        out.describe(),
        server.output()
    );
    server.assert_running();
}
