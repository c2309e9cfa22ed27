//! gRPC status: the 17 codes, [`Status`], and every mapping into a status
//! (trailers, HTTP status, h2 reset reasons).
//! SKELETON: owned by the status/metadata helper, API fixed.

use bytes::Bytes;
use http::HeaderMap;

use crate::metadata::MetadataMap;

/// The gRPC status codes (statuscodes.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// Not an error.
    Ok = 0,
    /// The operation was cancelled, typically by the caller.
    Cancelled = 1,
    /// Unknown error.
    Unknown = 2,
    /// The client specified an invalid argument.
    InvalidArgument = 3,
    /// The deadline expired before the operation could complete.
    DeadlineExceeded = 4,
    /// Some requested entity was not found.
    NotFound = 5,
    /// The entity a client attempted to create already exists.
    AlreadyExists = 6,
    /// The caller does not have permission.
    PermissionDenied = 7,
    /// Some resource has been exhausted.
    ResourceExhausted = 8,
    /// The system is not in a state required for the operation.
    FailedPrecondition = 9,
    /// The operation was aborted.
    Aborted = 10,
    /// The operation was attempted past the valid range.
    OutOfRange = 11,
    /// The operation is not implemented or supported.
    Unimplemented = 12,
    /// Internal error.
    Internal = 13,
    /// The service is currently unavailable.
    Unavailable = 14,
    /// Unrecoverable data loss or corruption.
    DataLoss = 15,
    /// The request lacks valid authentication credentials.
    Unauthenticated = 16,
}

impl Code {
    /// The code for a numeric value; values outside 0..=16 are `Unknown`.
    pub fn from_i32(value: i32) -> Code {
        let _ = value;
        todo!()
    }
    /// The `grpc-status` header value for this code (precomputed).
    pub fn header_value(self) -> http::HeaderValue {
        todo!()
    }
}

/// A gRPC status: code, message, binary details and metadata carried with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    code: Code,
    message: String,
    details: Bytes,
    metadata: MetadataMap,
}

impl Status {
    /// A status with a code and a message.
    pub fn new(code: Code, message: impl Into<String>) -> Status {
        Status { code, message: message.into(), details: Bytes::new(), metadata: MetadataMap::new() }
    }
    /// The code.
    pub fn code(&self) -> Code {
        self.code
    }
    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The `grpc-status-details-bin` bytes (empty when none).
    pub fn details(&self) -> &Bytes {
        &self.details
    }
    /// Metadata carried with the status (sent as trailers).
    pub fn metadata(&self) -> &MetadataMap {
        &self.metadata
    }
    /// Reads a status from trailers (or a trailers-only response head);
    /// `None` when there is no `grpc-status`.
    pub fn from_header_map(headers: &HeaderMap) -> Option<Status> {
        let _ = headers;
        todo!()
    }
    /// Writes `grpc-status`, `grpc-message`, details and metadata into
    /// `headers`.
    pub fn write_to(&self, headers: &mut HeaderMap) {
        let _ = headers;
        todo!()
    }
    /// The status a client reports for a non-200 HTTP response.
    pub fn from_http_status(status: http::StatusCode) -> Status {
        let _ = status;
        todo!()
    }
    /// The status a client reports for an h2 error (stream reset, GOAWAY, I/O).
    pub fn from_h2_error(err: &h2::Error) -> Status {
        let _ = err;
        todo!()
    }
}
