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

mod support;

use std::process::Command;

use support::{grpcurl, proto_dir, python, python_dir, run, Peer};

/// The cases interop_client.py runs, in its order.
const CASES: [&str; 18] = [
    "empty_unary",
    "large_unary",
    "client_compressed_unary",
    "server_compressed_unary",
    "client_streaming",
    "client_compressed_streaming",
    "server_streaming",
    "server_compressed_streaming",
    "ping_pong",
    "empty_stream",
    "custom_metadata",
    "status_code_and_message",
    "special_status_message",
    "unimplemented_method",
    "unimplemented_service",
    "cancel_after_begin",
    "cancel_after_first_response",
    "timeout_on_sleeping_server",
];

/// `h2grpc interop-server --port 0`; it listens on 0.0.0.0, we call 127.0.0.1.
fn interop_server() -> (Peer, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_h2grpc"));
    cmd.args(["interop-server", "--port", "0", "--use_tls=false"]);
    let server = Peer::spawn("h2grpc interop-server", cmd);
    let target = format!("127.0.0.1:{}", server.addr().port());
    (server, target)
}

#[test]
fn grpcio_interop_client_passes_every_case() {
    let (mut server, target) = interop_server();
    let port = target.rsplit(':').next().unwrap_or_default().to_string();
    let mut cmd = Command::new(python());
    cmd.arg(python_dir().join("interop_client.py"))
        .args(["--server_host", "127.0.0.1", "--server_port", &port])
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let out = run(cmd, None, support::TEST_TIMEOUT);
    server.assert_running();
    let passed: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("PASS "))
        .collect();
    assert!(
        out.status.success() && passed == CASES,
        "interop_client.py against {target}: passed {passed:?}\n{}\n--- server output ---\n{}",
        out.describe(),
        server.output()
    );
}

/// `grpcurl -import-path proto -proto grpc/testing/test.proto -d DATA TARGET grpc.testing.TestService/METHOD`.
fn grpcurl_call(target: &str, method: &str, data: &str) -> support::Output {
    let mut cmd = Command::new(grpcurl());
    cmd.args(["-plaintext", "-max-time", "20", "-import-path"])
        .arg(proto_dir())
        .args(["-proto", "grpc/testing/test.proto", "-d", data, target])
        .arg(format!("grpc.testing.TestService/{method}"));
    run(cmd, None, support::TEST_TIMEOUT)
}

#[test]
fn grpcurl_calls_empty_call_and_unary_call() {
    let (mut server, target) = interop_server();

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
    let out = support::h2grpc_command(&["interop-server", "--port", "0", "--use_tls=true"]);
    assert!(!out.status.success(), "{}", out.describe());
    assert!(
        out.stderr.contains("--use_tls=true is not supported"),
        "{}",
        out.describe()
    );
}
