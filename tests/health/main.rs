//! `grpc.health.v1.Health` as clients see it, over real sockets: Check,
//! List and Watch against `Server::health`, graceful shutdown as a
//! watcher sees it, the `h2grpc health` command's output and exit codes,
//! and grpcio-health-checking's client against `h2grpc serve`.

#[path = "../support/mod.rs"]
mod support;

mod check_and_list;
mod cli;
mod grpcio;
mod shutdown;
mod watch;

use h2grpc::services::health::{HealthClient, HealthReporter};
use support::TestServer;

/// The test Greeter's full name, which the server reports SERVING at start.
pub const GREETER: &str = "helloworld.Greeter";

/// The Health service's own full name, also reported at start.
pub const HEALTH: &str = "grpc.health.v1.Health";

/// The test Greeter and Health, backed by `reporter`, on a port of its own.
pub async fn serve(reporter: &HealthReporter) -> TestServer {
    TestServer::start(support::greeter::server().health_with(reporter.clone())).await
}

/// A Health client on a connection of its own to `server`.
pub async fn client(server: &TestServer) -> HealthClient {
    HealthClient::new(server.channel().await)
}
