//! `grpc.health.v1.Health` (proto/grpc/health/v1/health.proto), the gRPC
//! health checking protocol (grpc/grpc doc/health-checking.md) that
//! Kubernetes `grpc:` probes, grpc-health-probe, Envoy and load balancers
//! call: Check, List and Watch, reporting what a [`HealthReporter`] holds.
//!
//! [`Server::health`](crate::Server::health) (or [`Server::health_with`](crate::Server::health_with),
//! with a reporter to keep) serves it for every service
//! the server has, and reports the server NOT_SERVING on graceful shutdown
//! before GOAWAY, so watchers hear of it:
//!
//! ```
//! use h2grpc::services::health::{HealthReporter, ServingStatus};
//! use h2grpc::Server;
//!
//! let reporter = HealthReporter::new();
//! let server = Server::builder().health_with(reporter.clone());
//! // Later, e.g. when a database connection is lost:
//! reporter.set_not_serving("");
//! assert_eq!(reporter.status(""), Some(ServingStatus::NOT_SERVING));
//! # drop(server);
//! ```

mod messages;
mod reporter;
mod service;
mod watch;

pub use messages::{
    Health, HealthCheckRequest, HealthCheckResponse, HealthClient, HealthListRequest,
    HealthListResponse, HealthServer, ServingStatus,
};
pub use reporter::{HealthReporter, SERVER};
pub use service::{service, HealthService, MAX_LISTED_SERVICES};

use std::future::Future;

/// `signal`, then (when the server offers health) `reporter.shutdown()`:
/// the server's shutdown signal, wrapped so that every service is reported
/// NOT_SERVING, and every Watch told so and ended, before the transport
/// sends GOAWAY.
pub(crate) async fn then_shut_down(
    reporter: Option<HealthReporter>,
    signal: impl Future<Output = ()>,
) {
    signal.await;
    if let Some(reporter) = reporter {
        reporter.shutdown();
    }
}
