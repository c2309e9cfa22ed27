//! The messages and the service of `grpc.health.v1`
//! (proto/grpc/health/v1/health.proto), declared in Rust: the [`Health`]
//! trait, [`HealthServer`] and [`HealthClient`] come from this declaration.

crate::enumeration! {
    package "grpc.health.v1";
    file "grpc/health/v1/health.proto";

    /// How a service is doing.
    pub enum ServingStatus in HealthCheckResponse {
        /// Not set (the proto3 default); never reported by this server.
        UNKNOWN = 0,
        /// The service takes calls.
        SERVING = 1,
        /// The service does not take calls (e.g. the server is shutting down).
        NOT_SERVING = 2,
        /// Used only by the Watch method: the service is not known (yet).
        SERVICE_UNKNOWN = 3,
    }
}

crate::message! {
    package "grpc.health.v1";
    file "grpc/health/v1/health.proto";

    /// Which service to check or watch.
    pub struct HealthCheckRequest {
        /// The service's full name (`helloworld.Greeter`); `""` is the
        /// whole server.
        service: string = 1,
    }

    /// The status of one service.
    pub struct HealthCheckResponse {
        /// How it is doing.
        status: enum ServingStatus = 1,
    }

    /// List's request: it has no fields.
    pub struct HealthListRequest {}

    /// List's answer.
    pub struct HealthListResponse {
        /// statuses contains all the services and their respective status.
        statuses: map<string, message HealthCheckResponse> = 1,
    }
}

crate::service! {
    package "grpc.health.v1";
    file "grpc/health/v1/health.proto";

    /// Health is gRPC's mechanism for checking whether a server is able to
    /// handle RPCs. Its semantics are documented in
    /// <https://github.com/grpc/grpc/blob/master/doc/health-checking.md>.
    pub service Health {
        /// Check gets the health of the specified service. If the requested
        /// service is unknown, the call will fail with status NOT_FOUND. If
        /// the caller does not specify a service name, the server should
        /// respond with its overall health status.
        rpc Check(HealthCheckRequest) returns (HealthCheckResponse);
        /// List provides a non-atomic snapshot of the health of all the
        /// available services. The server may respond with a
        /// RESOURCE_EXHAUSTED error if too many services exist.
        rpc List(HealthListRequest) returns (HealthListResponse);
        /// Performs a watch for the serving status of the requested service:
        /// the current status at once, then a new message whenever it
        /// changes. An unknown service is reported SERVICE_UNKNOWN and the
        /// call stays open until the service becomes known.
        rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse);
    }
}

impl HealthCheckResponse {
    /// A response carrying `status`.
    pub fn new(status: ServingStatus) -> HealthCheckResponse {
        HealthCheckResponse { status }
    }
}
