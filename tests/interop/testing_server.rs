//! `h2grpc interop-server` (grpc.testing.TestService) against real peers:
//! - grpcio (tests/interop/python/interop_client.py) runs every case of
//!   interop-test-descriptions.md a plaintext server can answer, with the
//!   spec's sizes and checks;
//! - grpcurl calls EmptyCall and UnaryCall from proto/grpc/testing/test.proto;
//! - `--use_tls=true` is refused (h2c only).
//!
//! Needs `.venv/` (`bash tests/run-all.sh` creates it); fails, never skips,
//! without it.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use crate::support::peers::{h2grpc_interop_server, python_script, Grpcurl};
use crate::support::{h2grpc_command, Output};

#[test]
fn grpcio_interop_client_passes_every_case() {
    // It listens on 0.0.0.0; the harness calls it on 127.0.0.1.
    let mut server = h2grpc_interop_server();
    let port = server.addr().port().to_string();
    let out = python_script(
        "interop_client.py",
        &["--server_host", "127.0.0.1", "--server_port", &port],
    );
    server.assert_running();
    let passed: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("PASS "))
        .collect();
    assert!(
        out.status.success() && passed == super::TESTING_CASES,
        "interop_client.py against {}: passed {passed:?}\n{}\n--- server output ---\n{}",
        server.target(),
        out.describe(),
        server.output()
    );
}

/// `grpcurl -import-path proto -proto grpc/testing/test.proto -d DATA TARGET grpc.testing.TestService/METHOD`.
fn grpcurl_call(target: &str, method: &str, data: &str) -> Output {
    Grpcurl::new("grpc/testing/test.proto")
        .data(data)
        .call(target, &format!("grpc.testing.TestService/{method}"))
}

#[test]
fn grpcurl_calls_empty_call_and_unary_call() {
    let mut server = h2grpc_interop_server();
    let target = server.target();

    let empty = grpcurl_call(&target, "EmptyCall", "{}");
    assert!(empty.status.success(), "{}", empty.describe());
    let json: serde_json::Value = serde_json::from_str(&empty.stdout).expect("JSON");
    assert_eq!(json, serde_json::json!({}));

    let unary = grpcurl_call(&target, "UnaryCall", r#"{"response_size": 3}"#);
    server.assert_running();
    assert!(unary.status.success(), "{}", unary.describe());
    let json: serde_json::Value = serde_json::from_str(&unary.stdout).expect("JSON");
    // Three zero bytes, base64.
    assert_eq!(json, serde_json::json!({"payload": {"body": "AAAA"}}));
}

#[test]
fn use_tls_true_is_refused() {
    let out = h2grpc_command(&["interop-server", "--port", "0", "--use_tls=true"]);
    assert!(!out.status.success(), "{}", out.describe());
    assert!(
        out.stderr.contains("--use_tls=true is not supported"),
        "{}",
        out.describe()
    );
}
