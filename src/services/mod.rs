//! The services `h2grpc serve` offers, written only against the public API:
//! each file holds one service, its messages and its typed client.

pub mod greeter;

use crate::rpc::Server;

/// A server with every demo service added.
pub fn demo_server() -> Server {
    Server::builder().add_service(greeter::service())
}
