//! The `h2grpc` command: its options and start-up errors, and `bench-client`.

#[path = "../support/mod.rs"]
mod support;

mod bench_client;
mod options;
mod serve_limits;
mod soak;
