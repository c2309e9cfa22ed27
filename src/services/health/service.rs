//! The Health service over a [`HealthReporter`]: Check, List and Watch as
//! health-checking.md and health.proto describe them.

use std::collections::BTreeMap;

use super::messages::{
    Health, HealthCheckRequest, HealthCheckResponse, HealthListRequest, HealthListResponse,
    HealthServer,
};
use super::reporter::HealthReporter;
use super::watch::watch_stream;
use crate::rpc::{ReplyStream, Request, Response, Service};
use crate::status::Status;

/// The most services List answers with; past it, List fails with
/// RESOURCE_EXHAUSTED. health.proto: "The server may respond with a
/// RESOURCE_EXHAUSTED error if too many services exist." 100 is grpc-go's
/// bound (`maxAllowedServices` in its health/server.go), which fails List
/// only when there are more than that many.
pub const MAX_LISTED_SERVICES: usize = 100;

/// `grpc.health.v1.Health` reporting what a [`HealthReporter`] holds.
#[derive(Debug, Clone)]
pub struct HealthService {
    reporter: HealthReporter,
}

impl HealthService {
    /// The service reporting `reporter`'s statuses.
    pub fn new(reporter: HealthReporter) -> HealthService {
        HealthService { reporter }
    }
}

impl Health for HealthService {
    /// health-checking.md: "For each request received, if the service name
    /// can be found in the registry, a response must be sent back with an
    /// `OK` status and the status field should be set to `SERVING` or
    /// `NOT_SERVING` accordingly. If the service name is not registered, the
    /// server returns a `NOT_FOUND` GRPC status." (health.proto: "If the
    /// requested service is unknown, the call will fail with status
    /// NOT_FOUND.")
    async fn check(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        let service = &request.get_ref().service;
        match self.reporter.status(service) {
            Some(status) => Ok(Response::new(HealthCheckResponse::new(status))),
            None => Err(Status::not_found(format!("unknown service {service:?}"))),
        }
    }

    /// Every known service (not the names only watched), or
    /// RESOURCE_EXHAUSTED past [`MAX_LISTED_SERVICES`].
    async fn list(
        &self,
        _request: Request<HealthListRequest>,
    ) -> Result<Response<HealthListResponse>, Status> {
        let statuses = self.reporter.statuses();
        if statuses.len() > MAX_LISTED_SERVICES {
            return Err(Status::resource_exhausted(format!(
                "{} services exceed the health list's maximum of {MAX_LISTED_SERVICES}",
                statuses.len()
            )));
        }
        let statuses: BTreeMap<String, HealthCheckResponse> = statuses
            .into_iter()
            .map(|(name, status)| (name, HealthCheckResponse::new(status)))
            .collect();
        Ok(Response::new(HealthListResponse { statuses }))
    }

    /// health.proto: "If the requested service is unknown when the call is
    /// received, the server will send a message setting the serving status
    /// to SERVICE_UNKNOWN but will *not* terminate the call. If at some
    /// future point, the serving status of the service becomes known, the
    /// server will send a new message with the service's serving status."
    async fn watch(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<impl ReplyStream<HealthCheckResponse> + use<>>, Status> {
        let receiver = self.reporter.subscribe(&request.get_ref().service);
        Ok(Response::new(watch_stream(receiver)))
    }
}

/// The Health service backed by `reporter`, ready to add to a server
/// ([`Server::health`](crate::Server::health) does this and more).
pub fn service(reporter: HealthReporter) -> Service {
    HealthServer::new(HealthService::new(reporter)).into()
}
