//! The integration tests' one harness, a module per job. Every test crate
//! says `mod support;` and takes what it needs:
//!
//! - [`server`]: our server in-process on a port of its own (port 0), a
//!   channel to it, graceful shutdown on drop;
//! - [`raw_client`]: one raw HTTP/2 client (the `h2` crate, no gRPC library
//!   in between) that sends any head and body and hands back the raw answer,
//!   and the frames the server sent;
//! - [`raw_frames`]: HTTP/2 frames written and read by hand, for clients
//!   that misbehave on purpose (past the stream limit, pings unanswered);
//! - [`scripted_server`]: one raw HTTP/2 server that answers our client by a
//!   script of heads, DATA, trailers and resets, and reports what it saw;
//! - [`peers`]: other processes (our binary, the grpcio servers and check
//!   scripts, grpcurl) started, read and killed under the one time limit;
//! - [`wire`]: gRPC messages as bytes (the 5-byte prefix, HelloRequest);
//! - [`certs`]: a CA, server and client certificates made at test time;
//! - [`greeter`]: what `helloworld.Greeter` answers, and a test-local
//!   Greeter (declared with `service!`) that answers so.
//!
//! Every wait in a test is bounded by [`TEST_TIMEOUT`], the suite's only time
//! limit, so no test can hang CI.
#![allow(dead_code)] // Each test crate uses a different part of this module.
#![allow(unused_imports)] // Likewise for the re-exports below.

pub mod certs;
pub mod greeter;
pub mod peers;
pub mod raw_client;
pub mod raw_frames;
pub mod scripted_server;
pub mod server;
pub mod wire;

use std::time::Duration;

#[cfg(feature = "cli")]
pub use peers::{h2grpc_command, h2grpc_server, h2grpc_server_with};
pub use peers::{Output, Peer};
pub use raw_client::{Answer, RawClient, RawRequest};
pub use scripted_server::{Script, ScriptedServer, Seen, Step};
pub use server::TestServer;

/// The one time limit of the test suite: for a whole async test (through
/// [`within_limit`]), and for what a blocking test waits on (a peer printing
/// its port, a peer command). 60 s is generous on purpose: on a
/// loaded 2-core CI machine a cold Python start with stub generation takes
/// seconds, and a limit that fires on a slow machine is a flaky test. What
/// it guards against is a hang, which no amount of time fixes.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `body` under [`TEST_TIMEOUT`]; past it, the test fails.
pub async fn within_limit<T>(body: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(TEST_TIMEOUT, body)
        .await
        .unwrap_or_else(|_| panic!("the test ran past its time limit, {TEST_TIMEOUT:?}"))
}
