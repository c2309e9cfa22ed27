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

use crate::support::h2grpc_server;
use crate::support::peers::{assert_python_checks_pass_on, python_greeter_server};

#[test]
fn greeter_client_passes_against_the_grpcio_reference_server() {
    assert_python_checks_pass_on("greeter_client.py", &mut python_greeter_server());
}

#[test]
fn grpcio_client_calls_every_greeter_method_on_h2grpc() {
    assert_python_checks_pass_on("greeter_client.py", &mut h2grpc_server());
}
