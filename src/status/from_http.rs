//! HTTP status to gRPC status: what a client reports for a response that
//! carries no `grpc-status` (http-grpc-status-mapping.md). The table is
//! pinned by `tests/status/http_mapping.rs`.

use super::{Code, Status};

impl Status {
    /// The status a client reports for a response without `grpc-status`,
    /// from its HTTP status (http-grpc-status-mapping.md).
    pub fn from_http_status(status: http::StatusCode) -> Status {
        // http-grpc-status-mapping.md: "This table is to be used _only_ for
        // clients that received a response that did not include
        // grpc-status."
        let code = match status.as_u16() {
            // "400 Bad Request | INTERNAL"
            400 => Code::Internal,
            // "401 Unauthorized | UNAUTHENTICATED"
            401 => Code::Unauthenticated,
            // "403 Forbidden | PERMISSION_DENIED"
            403 => Code::PermissionDenied,
            // "404 Not Found | UNIMPLEMENTED"
            404 => Code::Unimplemented,
            // "429 Too Many Requests | UNAVAILABLE"
            429 => Code::Unavailable,
            // "502 Bad Gateway | UNAVAILABLE", "503 Service Unavailable |
            // UNAVAILABLE", "504 Gateway Timeout | UNAVAILABLE"
            502..=504 => Code::Unavailable,
            // "All other codes | UNKNOWN" ("200 is UNKNOWN because there
            // should be a grpc-status in case of truly OK response.")
            _ => Code::Unknown,
        };
        Status::new(
            code,
            format!("received HTTP status {status} without grpc-status (not a gRPC response)"),
        )
    }
}
