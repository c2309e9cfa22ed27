//! Every status h2grpc itself makes, by name: a call that breaks a rule of
//! the protocol, runs out of time or goes over a limit ends with one of
//! these, and the text a user reads is written here once.
//!
//! Mappings of errors from elsewhere (h2, HTTP, I/O, the codec) are in the
//! `from_*` files beside this one.

use std::fmt;

use http::{HeaderValue, Method};

use super::{Code, Status};

/// Which messages a cardinality rule is about: the requests (read by the
/// server) or the responses (read by the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Request messages.
    Request,
    /// Response messages.
    Response,
}

/// How many messages arrived where exactly one was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Got {
    /// None at all.
    None,
    /// A second one.
    MoreThanOne,
}

impl Status {
    /// A unary (or server-streaming) request, or a unary (or
    /// client-streaming) response, with no message or more than one.
    ///
    /// statuscodes.md: "Request cardinality violation (method requires
    /// exactly one request but client sent some other number of requests)"
    /// and "Response cardinality violation (method requires exactly one
    /// response but server sent some other number of responses)" are both
    /// UNIMPLEMENTED.
    pub(crate) fn cardinality_violation(direction: Direction, got: Got) -> Status {
        let message = match (direction, got) {
            (Direction::Request, Got::None) => "expected one request message, got none",
            (Direction::Request, Got::MoreThanOne) => {
                "expected one request message, got more than one"
            }
            (Direction::Response, Got::None) => "expected one response message, got none",
            (Direction::Response, Got::MoreThanOne) => {
                "expected one response message, got more than one"
            }
        };
        Status::new(Code::Unimplemented, message)
    }

    /// The call's deadline passed, on either side (statuscodes.md:
    /// DEADLINE_EXCEEDED, "The deadline expired before the operation could
    /// complete").
    pub(crate) fn deadline_passed() -> Status {
        Status::new(Code::DeadlineExceeded, "deadline exceeded")
    }

    /// A client call cancelled through its cancel token (statuscodes.md:
    /// CANCELLED, "The operation was cancelled, typically by the caller").
    pub(crate) fn cancelled_by_client() -> Status {
        Status::new(Code::Cancelled, "call cancelled by the client")
    }

    /// A handler panicked: UNKNOWN, as an error with no better code (the
    /// panic's text is logged, not sent).
    pub(crate) fn handler_panicked() -> Status {
        Status::new(Code::Unknown, "handler panicked")
    }

    /// A message of `len` bytes over the receive limit of `limit` bytes.
    ///
    /// statuscodes.md: RESOURCE_EXHAUSTED when a message is larger than the
    /// configured maximum size, on either side.
    pub(crate) fn too_large_to_receive(len: u64, limit: usize) -> Status {
        Status::new(
            Code::ResourceExhausted,
            format!("message of {len} bytes is larger than the limit of {limit} bytes"),
        )
    }

    /// A message of `len` bytes (on the wire, compressed or not) over the
    /// send limit of `limit` bytes (statuscodes.md: RESOURCE_EXHAUSTED, "Sent
    /// message larger than configured limit").
    pub(crate) fn too_large_to_send(len: usize, limit: usize) -> Status {
        Status::new(
            Code::ResourceExhausted,
            format!("message of {len} bytes is larger than the send limit of {limit} bytes"),
        )
    }

    /// The peer ended its side in the middle of a length-prefixed message.
    pub(crate) fn truncated_message() -> Status {
        Status::new(Code::Internal, "stream ended in the middle of a message")
    }

    /// A request that is not a POST; sent with HTTP 405.
    pub(crate) fn method_not_post(method: &Method) -> Status {
        Status::new(Code::Internal, format!("gRPC requires POST, got {method}"))
    }

    /// A request whose content-type is not gRPC's (`None`: it had none);
    /// sent with HTTP 415.
    pub(crate) fn request_content_type(content_type: Option<&str>) -> Status {
        Status::new(
            Code::Internal,
            format!(
                "gRPC requires content-type application/grpc, got {}",
                content_type.unwrap_or("none")
            ),
        )
    }

    /// A request whose `-bin` metadata `name` is not base64, as grpc-go
    /// answers it.
    pub(crate) fn malformed_binary_metadata(name: &str) -> Status {
        Status::new(
            Code::Internal,
            format!("malformed binary metadata in header {name:?}: not base64"),
        )
    }

    /// A gRPC request in a codec other than protobuf
    /// (`application/grpc+json`, `+foo`): its messages cannot be read. As
    /// grpc-go answers.
    pub(crate) fn unsupported_codec(subtype: &[u8]) -> Status {
        Status::new(
            Code::Internal,
            format!(
                "grpc: no codec registered for content-subtype {}",
                String::from_utf8_lossy(subtype)
            ),
        )
    }

    /// A 200 response whose content-type is not gRPC's: not a gRPC answer,
    /// so nothing says what happened (UNKNOWN).
    pub(crate) fn response_content_type(content_type: Option<&HeaderValue>) -> Status {
        Status::new(
            Code::Unknown,
            format!("response content-type is {content_type:?}, not application/grpc"),
        )
    }

    /// A `grpc-timeout` we cannot read: INTERNAL (grpc-go and C-core fail
    /// the call rather than run it without the caller's deadline).
    pub(crate) fn malformed_timeout(value: &HeaderValue, why: impl fmt::Display) -> Status {
        Status::new(
            Code::Internal,
            format!("malformed grpc-timeout {value:?}: {why}"),
        )
    }

    /// A response that ended without `grpc-status` (http-grpc-status-mapping.md
    /// covers only responses that are not 200; a 200 that never says how the
    /// call went is UNKNOWN).
    pub(crate) fn missing_grpc_status() -> Status {
        Status::new(
            Code::Unknown,
            "server closed the stream without sending grpc-status",
        )
    }

    /// A `:path` naming a service we serve but a method it does not have.
    ///
    /// statuscodes.md: UNIMPLEMENTED, "The operation is not implemented or
    /// is not supported/enabled in this service".
    pub(crate) fn unknown_method(path: &str) -> Status {
        Status::new(Code::Unimplemented, format!("unknown method {path}"))
    }

    /// An rpc a `service!` implementation leaves out: UNIMPLEMENTED, in
    /// grpc-go's words for the same case.
    pub(crate) fn method_not_implemented(rpc: &str) -> Status {
        Status::new(Code::Unimplemented, format!("method {rpc} not implemented"))
    }

    /// A `:path` naming a service we do not serve (UNIMPLEMENTED).
    pub(crate) fn unknown_service(service: &str) -> Status {
        Status::new(Code::Unimplemented, format!("unknown service {service}"))
    }

    /// A `:path` that is not `/package.Service/Method` (UNIMPLEMENTED).
    pub(crate) fn malformed_path(path: &str) -> Status {
        Status::new(
            Code::Unimplemented,
            format!("malformed method path {path:?}"),
        )
    }

    /// The request body was asked for twice: a bug of the engine, INTERNAL.
    pub(crate) fn request_body_taken() -> Status {
        Status::new(Code::Internal, "request body already taken")
    }

    /// A message or header sent after the response ended: a bug of the
    /// engine, INTERNAL.
    pub(crate) fn response_finished() -> Status {
        Status::new(Code::Internal, "response already finished")
    }

    /// A request URI the client could not build from the channel's address
    /// and the method's path (INTERNAL).
    pub(crate) fn invalid_request_uri(why: impl fmt::Display) -> Status {
        Status::new(Code::Internal, format!("bad request URI: {why}"))
    }

    /// A call on a channel that was shut down (UNAVAILABLE).
    pub(crate) fn channel_shut_down() -> Status {
        Status::new(Code::Unavailable, "the channel was shut down")
    }

    /// A call whose every connection turned out unusable before it could
    /// be sent (UNAVAILABLE).
    pub(crate) fn no_usable_connection() -> Status {
        Status::new(Code::Unavailable, "no usable connection")
    }

    /// A call on a channel over a given I/O stream whose connection ended:
    /// such a channel has no address to connect to again (UNAVAILABLE).
    pub(crate) fn connection_closed_for_good() -> Status {
        Status::new(
            Code::Unavailable,
            "connection closed (a channel over a given I/O stream cannot reconnect)",
        )
    }
}
