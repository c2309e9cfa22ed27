//! The services `h2grpc serve` offers, written only against the public API:
//! each module holds one service, its messages and its typed client.

pub mod contact;
pub mod digestor;
pub mod greeter;
pub mod interop;
pub mod multi_greeter;
pub mod route_guide;

use crate::rpc::Server;

use contact::TaskQueue;
use route_guide::FeatureDb;

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
