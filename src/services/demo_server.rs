//! The server `h2grpc serve` runs: every demo service on one [`Server`].

use super::{digestor, greeter, multi_greeter};
use crate::rpc::Server;

use super::contact::{self, TaskQueue};
use super::route_guide::{self, FeatureDb};

/// A server with every demo service added, RouteGuide on the tutorial's
/// feature database and Contact on a fresh task queue.
pub fn demo_server() -> Server {
    demo_server_with(FeatureDb::tutorial(), TaskQueue::new())
}

/// A server with every demo service added: RouteGuide answers from
/// `features`, Contact's `getTask` subscribers receive what is pushed on `tasks`.
pub fn demo_server_with(features: FeatureDb, tasks: TaskQueue) -> Server {
    Server::builder()
        .add_service(greeter::service())
        .add_service(multi_greeter::service())
        .add_service(route_guide::service(features))
        .add_service(digestor::service())
        .add_service(contact::service(tasks))
}
