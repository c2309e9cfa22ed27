//! grpcio (the C-core gRPC stack, through its Python binding) against
//! `h2grpc serve`: `tests/interop/python/greeter_client.py` calls every
//! `helloworld.Greeter` method, checks each answer exactly (a bidi reply must
//! arrive before the next request is sent) and the error cases.
//!
//! The same script also runs against the grpcio reference server, which proves
//! the script's own checks.
//!
//! Needs `.venv/` (`bash tests/run-all.sh` creates it); fails, never skips,
//! without it.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

mod support;

use std::process::Command;

use support::{h2grpc_server, python, python_dir, python_greeter_server, run, Peer};

/// Runs greeter_client.py against `server` and asserts every case passed.
fn assert_greeter_client_passes(server: &mut Peer) {
    let mut cmd = Command::new(python());
    cmd.arg(python_dir().join("greeter_client.py"))
        .args(["--target", &server.target()])
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let out = run(cmd, None, support::TEST_TIMEOUT);
    server.assert_running();
    let summary = out
        .stdout
        .lines()
        .rfind(|l| l.ends_with(" failed"))
        .unwrap_or("");
    assert!(
        out.status.success() && summary.ends_with(", 0 failed"),
        "greeter_client.py against {} failed ({summary}):\n{}\n--- server output ---\n{}",
        server.target(),
        out.describe(),
        server.output()
    );
}

#[test]
fn greeter_client_passes_against_the_grpcio_reference_server() {
    assert_greeter_client_passes(&mut python_greeter_server());
}

#[test]
fn grpcio_client_calls_every_greeter_method_on_h2grpc() {
    assert_greeter_client_passes(&mut h2grpc_server());
}
