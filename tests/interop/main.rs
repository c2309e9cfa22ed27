//! Interop with real peers over real sockets, one module per service or peer:
//! grpcio (C-core through its Python binding) and grpcurl (the Go stack)
//! against `h2grpc serve`, and our client and commands against the grpcio
//! reference servers; grpc-go's interop client and server both ways; every
//! check script also runs against the reference, which proves its checks;
//! `grpc.testing.TestService` both ways, and its compression flags on the
//! wire.
//!
//! Needs `.venv/` (`bash tests/run-all.sh` creates it); fails, never skips,
//! without it.

#[path = "../support/mod.rs"]
mod support;

mod compression;
mod contact;
mod grpc_go;
mod grpcio_client;
mod grpcio_greeter;
mod grpcurl;
mod reflection;
mod route_guide;
mod testing_client;
mod testing_server;
mod testing_wire;
mod tls;
mod tutorials;

/// The cases of interop-test-descriptions.md that a plaintext client runs
/// against a plaintext server, in the order both clients (ours and
/// `interop_client.py`) run them.
#[cfg(feature = "cli")] // Both users run the `h2grpc` command.
const TESTING_CASES: [&str; 18] = [
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
