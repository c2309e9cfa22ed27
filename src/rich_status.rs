//! The richer error model: `google.rpc.Status` carried, serialized, in the
//! `grpc-status-details-bin` trailer, with the common detail messages of
//! googleapis' `google/rpc/error_details.proto` ([`BadRequest`],
//! [`ErrorInfo`], [`RetryInfo`]). grpc-go's `status.WithDetails` /
//! `Details`, grpcio's `rpc_status`, tonic-types' `ErrorDetails` read and
//! write the same bytes.
//!
//! Field numbers are googleapis' (`google/rpc/status.proto`,
//! `google/rpc/error_details.proto`, `google/protobuf/any.proto`,
//! `google/protobuf/duration.proto`).
//!
//! ```
//! use h2grpc::rich_status::{BadRequest, ErrorDetail, FieldViolation};
//! use h2grpc::{Code, Status};
//!
//! let status = Status::with_error_details(
//!     Code::InvalidArgument,
//!     "bad name",
//!     [ErrorDetail::from(BadRequest {
//!         field_violations: vec![FieldViolation {
//!             field: "name".into(),
//!             description: "must not be empty".into(),
//!         }],
//!     })],
//! );
//! let details = status.error_details().unwrap();
//! assert!(matches!(&details[0], ErrorDetail::BadRequest(b) if b.field_violations[0].field == "name"));
//! ```

use bytes::Bytes;

use crate::codec::{DecodeError, Message, MessageSchema};
use crate::status::{Code, Status};

crate::message! {
    package "google.protobuf";

    /// `google.protobuf.Any`: a message of any type, serialized, with the
    /// URL naming its type.
    pub struct Any {
        /// `type.googleapis.com/` followed by the message's full name.
        type_url: string = 1,
        /// The serialized message.
        value: bytes = 2,
    }

    /// `google.protobuf.Duration`: a signed span of time.
    pub struct Duration {
        /// Whole seconds.
        seconds: int64 = 1,
        /// Nanoseconds past `seconds`, with the sign of `seconds`
        /// (-999,999,999 to 999,999,999).
        nanos: int32 = 2,
    }
}

crate::message! {
    package "google.rpc";

    /// `google.rpc.Status`: the whole status, as `grpc-status-details-bin`
    /// carries it.
    pub struct RpcStatus {
        /// The status code (a `google.rpc.Code`, the same numbers as gRPC's).
        code: int32 = 1,
        /// The developer-facing message.
        message: string = 2,
        /// Detail messages, each packed in an `Any`.
        details: repeated message Any = 3,
    }

    /// `google.rpc.BadRequest`: what is wrong with the request's fields.
    pub struct BadRequest {
        /// One entry per bad field.
        field_violations: repeated message FieldViolation = 1,
    }

    /// `google.rpc.BadRequest.FieldViolation`: one bad field. (Its schema
    /// names it `google.rpc.FieldViolation`: the macro has no nested
    /// messages. It never travels in an `Any` on its own, so its wire form
    /// is all that matters.)
    pub struct FieldViolation {
        /// A path to the field, e.g. `contact.email` or `items[2].name`.
        field: string = 1,
        /// Why it is bad.
        description: string = 2,
    }

    /// `google.rpc.ErrorInfo`: the cause of an error, machine-readable.
    pub struct ErrorInfo {
        /// The reason, UPPER_SNAKE_CASE, unique within `domain`.
        reason: string = 1,
        /// The error's domain, typically the service's name.
        domain: string = 2,
        /// Further structured details.
        metadata: map<string, string> = 3,
    }

    /// `google.rpc.RetryInfo`: when the client may retry.
    pub struct RetryInfo {
        /// How long to wait before retrying.
        retry_delay: message Duration = 1,
    }
}

/// The prefix of the type URLs we write; any prefix is accepted on reading
/// (any.proto: the type is the part after the last `/`).
pub const TYPE_URL_PREFIX: &str = "type.googleapis.com/";

impl Any {
    /// `message`, packed with its type URL.
    pub fn pack<M: Message + MessageSchema>(message: &M) -> Any {
        Any {
            type_url: format!("{TYPE_URL_PREFIX}{}", M::FULL_NAME),
            value: message.encode_to_bytes(),
        }
    }

    /// The full name of the packed message's type.
    pub fn type_name(&self) -> &str {
        self.type_url
            .rsplit_once('/')
            .map_or(self.type_url.as_str(), |(_, name)| name)
    }

    /// The packed message, when it is an `M`: `None` for another type.
    pub fn unpack<M: Message + MessageSchema>(&self) -> Option<Result<M, DecodeError>> {
        (self.type_name() == M::FULL_NAME).then(|| M::decode(self.value.clone()))
    }
}

impl From<std::time::Duration> for Duration {
    fn from(duration: std::time::Duration) -> Duration {
        Duration {
            seconds: i64::try_from(duration.as_secs()).unwrap_or(i64::MAX),
            // Below 10^9: fits.
            nanos: duration.subsec_nanos() as i32,
        }
    }
}

impl Duration {
    /// The span as a `std::time::Duration`; `None` when negative or out of
    /// range.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        let seconds = u64::try_from(self.seconds).ok()?;
        let nanos = u32::try_from(self.nanos)
            .ok()
            .filter(|n| *n < 1_000_000_000)?;
        Some(std::time::Duration::new(seconds, nanos))
    }
}

/// One detail of a rich status: a known detail message, or any other.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorDetail {
    /// `google.rpc.BadRequest`.
    BadRequest(BadRequest),
    /// `google.rpc.ErrorInfo`.
    ErrorInfo(ErrorInfo),
    /// `google.rpc.RetryInfo`.
    RetryInfo(RetryInfo),
    /// A detail of another type, still packed.
    Other(Any),
}

impl ErrorDetail {
    /// The detail packed in an `Any`.
    pub fn to_any(&self) -> Any {
        match self {
            ErrorDetail::BadRequest(detail) => Any::pack(detail),
            ErrorDetail::ErrorInfo(detail) => Any::pack(detail),
            ErrorDetail::RetryInfo(detail) => Any::pack(detail),
            ErrorDetail::Other(any) => any.clone(),
        }
    }

    /// The detail in `any`: a known type decoded (an error if its bytes are
    /// malformed), any other type kept packed.
    pub fn from_any(any: Any) -> Result<ErrorDetail, DecodeError> {
        if let Some(detail) = any.unpack::<BadRequest>() {
            return detail.map(ErrorDetail::BadRequest);
        }
        if let Some(detail) = any.unpack::<ErrorInfo>() {
            return detail.map(ErrorDetail::ErrorInfo);
        }
        if let Some(detail) = any.unpack::<RetryInfo>() {
            return detail.map(ErrorDetail::RetryInfo);
        }
        Ok(ErrorDetail::Other(any))
    }
}

impl From<BadRequest> for ErrorDetail {
    fn from(detail: BadRequest) -> ErrorDetail {
        ErrorDetail::BadRequest(detail)
    }
}

impl From<ErrorInfo> for ErrorDetail {
    fn from(detail: ErrorInfo) -> ErrorDetail {
        ErrorDetail::ErrorInfo(detail)
    }
}

impl From<RetryInfo> for ErrorDetail {
    fn from(detail: RetryInfo) -> ErrorDetail {
        ErrorDetail::RetryInfo(detail)
    }
}

impl From<Any> for ErrorDetail {
    fn from(any: Any) -> ErrorDetail {
        ErrorDetail::Other(any)
    }
}

impl Status {
    /// A status whose `grpc-status-details-bin` is a `google.rpc.Status`
    /// with the same code and message and `details`.
    pub fn with_error_details(
        code: Code,
        message: impl Into<String>,
        details: impl IntoIterator<Item = ErrorDetail>,
    ) -> Status {
        let message = message.into();
        let rpc_status = RpcStatus {
            code: code.as_i32(),
            message: message.clone(),
            details: details.into_iter().map(|detail| detail.to_any()).collect(),
        };
        Status::with_details(code, message, rpc_status.encode_to_bytes())
    }

    /// The `google.rpc.Status` in `grpc-status-details-bin`; `None` when
    /// the status has no details.
    pub fn rpc_status(&self) -> Option<Result<RpcStatus, DecodeError>> {
        let details: &Bytes = self.details();
        (!details.is_empty()).then(|| RpcStatus::decode(details.clone()))
    }

    /// The detail messages of the `google.rpc.Status` in
    /// `grpc-status-details-bin` (empty when there is none), known types
    /// decoded; an error when the details are not a valid `google.rpc.Status`
    /// or a known detail is malformed.
    pub fn error_details(&self) -> Result<Vec<ErrorDetail>, DecodeError> {
        match self.rpc_status() {
            None => Ok(Vec::new()),
            Some(rpc_status) => rpc_status?
                .details
                .into_iter()
                .map(ErrorDetail::from_any)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Status(code=3, message="m", details=[Any(type_url="t", value=b"\x08\x01")])`
    /// encoded by hand from status.proto and any.proto: tag 1 varint, tag 2
    /// string, tag 3 message (Any: tag 1 string, tag 2 bytes).
    #[test]
    fn rpc_status_field_numbers_match_status_proto() {
        let status = RpcStatus {
            code: 3,
            message: "m".into(),
            details: vec![Any {
                type_url: "t".into(),
                value: Bytes::from_static(b"\x08\x01"),
            }],
        };
        assert_eq!(
            &status.encode_to_bytes()[..],
            b"\x08\x03\x12\x01m\x1a\x07\x0a\x01t\x12\x02\x08\x01"
        );
    }

    #[test]
    fn detail_field_numbers_match_error_details_proto() {
        let retry = RetryInfo {
            retry_delay: Some(Duration {
                seconds: 1,
                nanos: 2,
            }),
        };
        assert_eq!(&retry.encode_to_bytes()[..], b"\x0a\x04\x08\x01\x10\x02");
        let info = ErrorInfo {
            reason: "R".into(),
            domain: "d".into(),
            metadata: [("k".to_owned(), "v".to_owned())].into(),
        };
        assert_eq!(
            &info.encode_to_bytes()[..],
            b"\x0a\x01R\x12\x01d\x1a\x06\x0a\x01k\x12\x01v"
        );
        let bad = BadRequest {
            field_violations: vec![FieldViolation {
                field: "f".into(),
                description: "x".into(),
            }],
        };
        assert_eq!(&bad.encode_to_bytes()[..], b"\x0a\x06\x0a\x01f\x12\x01x");
        assert_eq!(
            Any::pack(&bad).type_url,
            "type.googleapis.com/google.rpc.BadRequest"
        );
    }

    #[test]
    fn unknown_detail_types_stay_packed() {
        let any = Any {
            type_url: "example.com/my.Detail".into(),
            value: Bytes::from_static(b"\x08\x01"),
        };
        let status = Status::with_error_details(Code::Internal, "x", [any.clone().into()]);
        assert_eq!(
            status.error_details().unwrap(),
            vec![ErrorDetail::Other(any)]
        );
        assert!(Status::new(Code::Internal, "x")
            .error_details()
            .unwrap()
            .is_empty());
    }
}
