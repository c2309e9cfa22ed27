//! The head of an incoming request: what HTTP/2 must carry for a gRPC call
//! (PROTOCOL-HTTP2.md, "Requests"), checked before any handler runs.

use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};

use super::deadline::Deadline;
use super::peer::Peer;
use crate::codec::compression::Encoding;
use crate::metadata::{binary_parts, decode_part, BINARY_SUFFIX};
use crate::status::Status;

/// The header naming the encoding of the sender's messages.
pub const GRPC_ENCODING: HeaderName = HeaderName::from_static("grpc-encoding");

/// The header listing the encodings the sender can decompress.
pub const GRPC_ACCEPT_ENCODING: HeaderName = HeaderName::from_static("grpc-accept-encoding");

/// The header carrying the call's timeout.
pub const GRPC_TIMEOUT: HeaderName = HeaderName::from_static("grpc-timeout");

/// The parts of a request head that the layers above need.
#[derive(Debug)]
pub struct RequestHead {
    /// The request URI; its path is `/package.Service/Method`.
    pub uri: Uri,
    /// Every request header (metadata and reserved ones alike).
    pub headers: HeaderMap,
    /// The call's deadline: the client's `grpc-timeout` from the moment the
    /// head arrived, when it sent one.
    pub deadline: Option<Deadline>,
    /// The client's `grpc-encoding` (identity when absent): how its
    /// messages flagged compressed are compressed.
    pub encoding: Encoding,
    /// The client's address and TLS certificates, when known.
    pub peer: Peer,
    /// The client's `grpc-accept-encoding`, as received.
    pub accept_encoding: Option<HeaderValue>,
}

impl RequestHead {
    /// The `:path`, e.g. `/helloworld.Greeter/SayHello`.
    pub fn path(&self) -> &str {
        self.uri.path()
    }

    /// The client's `grpc-accept-encoding`, as received.
    pub fn accept_encoding(&self) -> Option<&[u8]> {
        self.accept_encoding.as_ref().map(HeaderValue::as_bytes)
    }
}

/// Why a request is not a gRPC call at all: answered with an HTTP error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// Not a POST: 405.
    MethodNotAllowed(Method),
    /// A content-type other than `application/grpc*`: 415.
    UnsupportedMediaType(Option<String>),
}

impl Rejection {
    /// The HTTP status to answer with.
    pub fn http_status(&self) -> StatusCode {
        match self {
            Rejection::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Rejection::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        }
    }

    /// The gRPC status sent alongside, for gRPC clients that read it.
    pub fn status(&self) -> Status {
        match self {
            Rejection::MethodNotAllowed(method) => Status::method_not_post(method),
            Rejection::UnsupportedMediaType(content_type) => {
                Status::request_content_type(content_type.as_deref())
            }
        }
    }
}

/// The request headers the transport reads itself, found in one pass over
/// the head rather than one hash lookup each (the first value of each, as
/// [`HeaderMap::get`] gives).
#[derive(Debug, Default, Clone, Copy)]
pub struct GrpcHeaders<'a> {
    /// `content-type`.
    pub content_type: Option<&'a HeaderValue>,
    /// `grpc-timeout`.
    pub timeout: Option<&'a HeaderValue>,
    /// `grpc-encoding`.
    pub encoding: Option<&'a HeaderValue>,
    /// `grpc-accept-encoding`.
    pub accept_encoding: Option<&'a HeaderValue>,
    /// The first `-bin` header whose value is not base64, if any.
    pub malformed_binary: Option<&'a HeaderName>,
}

impl<'a> GrpcHeaders<'a> {
    /// Picks the headers out of a request head.
    pub fn scan(headers: &'a HeaderMap) -> GrpcHeaders<'a> {
        let mut found = GrpcHeaders::default();
        for (name, value) in headers {
            let slot = if name == CONTENT_TYPE {
                &mut found.content_type
            } else if name == GRPC_TIMEOUT {
                &mut found.timeout
            } else if name == GRPC_ENCODING {
                &mut found.encoding
            } else if name == GRPC_ACCEPT_ENCODING {
                &mut found.accept_encoding
            } else {
                if found.malformed_binary.is_none() && !is_base64_if_binary(name, value) {
                    found.malformed_binary = Some(name);
                }
                continue;
            };
            slot.get_or_insert(value);
        }
        found
    }
}

/// Checks that a request is a gRPC call, given its `content-type`.
pub fn check_grpc_request(
    method: &Method,
    content_type: Option<&HeaderValue>,
) -> Result<(), Rejection> {
    if method != Method::POST {
        return Err(Rejection::MethodNotAllowed(method.clone()));
    }
    // PROTOCOL-HTTP2.md: "If Content-Type does not begin with
    // "application/grpc", gRPC servers SHOULD respond with HTTP status of 415
    // (Unsupported Media Type)."
    let content_type = content_type.map(HeaderValue::as_bytes);
    match content_type {
        Some(value) if is_grpc_content_type(value) => Ok(()),
        other => Err(Rejection::UnsupportedMediaType(
            other.map(|v| String::from_utf8_lossy(v).into_owned()),
        )),
    }
}

/// Whether a `content-type` is gRPC's, on a request (the server's check) or
/// on a response (the client's): `application/grpc`, or it followed by
/// `+suffix` or `;params`, in any case.
///
/// PROTOCOL-HTTP2.md: "Content-Type → "content-type" "application/grpc"
/// [("+proto" / "+json" / {custom})]"; RFC 9110 §8.3.1: "The type and
/// subtype tokens are case-insensitive."
pub(crate) fn is_grpc_content_type(value: &[u8]) -> bool {
    const GRPC: &[u8] = b"application/grpc";
    value.len() >= GRPC.len()
        && value[..GRPC.len()].eq_ignore_ascii_case(GRPC)
        && matches!(value.get(GRPC.len()), None | Some(b'+') | Some(b';'))
}

/// False for a `-bin` header whose value (each of its `,`-joined parts) is
/// not base64, padded or not. grpc-go fails such a call with INTERNAL
/// "malformed binary metadata" rather than hand the handler a value it
/// cannot read.
fn is_base64_if_binary(name: &HeaderName, value: &HeaderValue) -> bool {
    !name.as_str().ends_with(BINARY_SUFFIX)
        || binary_parts(value.as_bytes()).all(|part| decode_part(part).is_some())
}

/// Fails a call whose request carries a `-bin` header that is not base64.
pub fn check_binary_metadata(malformed: Option<&HeaderName>) -> Result<(), Status> {
    match malformed {
        Some(name) => Err(Status::malformed_binary_metadata(name.as_str())),
        None => Ok(()),
    }
}

/// The codec a gRPC `content-type` names after `+` (`proto` in
/// `application/grpc+proto;charset=utf-8`); `None` for plain
/// `application/grpc`, which means protobuf.
pub(crate) fn content_subtype(value: &[u8]) -> Option<&[u8]> {
    let rest = value.get(b"application/grpc".len()..)?.strip_prefix(b"+")?;
    let end = rest.iter().position(|&b| b == b';').unwrap_or(rest.len());
    Some(rest[..end].trim_ascii())
}

/// Checks that a gRPC request's messages are protobuf, the only codec we
/// speak: `application/grpc` or `application/grpc+proto`. PROTOCOL-HTTP2.md
/// allows other subtypes ("+proto" / "+json" / {custom}); a server that
/// reads them as protobuf would misread them, so, as grpc-go does, the call
/// fails with INTERNAL.
pub fn check_codec(content_type: Option<&HeaderValue>) -> Result<(), Status> {
    match content_type.and_then(|value| content_subtype(value.as_bytes())) {
        Some(subtype) if !subtype.eq_ignore_ascii_case(b"proto") => {
            Err(Status::unsupported_codec(subtype))
        }
        _ => Ok(()),
    }
}

/// The deadline a `grpc-timeout` sets, counted from now; a malformed value
/// is INTERNAL (grpc-go and C-core fail the call rather than run it without
/// the caller's deadline).
pub fn read_deadline(value: Option<&HeaderValue>) -> Result<Option<Deadline>, Status> {
    match value {
        None => Ok(None),
        Some(value) => Deadline::from_grpc_timeout(value.as_bytes())
            .map(Some)
            .map_err(|err| Status::malformed_timeout(value, err)),
    }
}

/// Reads the peer's `grpc-encoding` (identity when absent). One we do not
/// support is UNIMPLEMENTED from a client (`on_server`), INTERNAL from a
/// server; see [`Status::unsupported_encoding`].
pub fn read_encoding(headers: &HeaderMap, on_server: bool) -> Result<Encoding, Status> {
    parse_encoding_header(headers.get(GRPC_ENCODING), on_server)
}

/// [`read_encoding`] on a `grpc-encoding` already found.
pub fn parse_encoding_header(
    value: Option<&HeaderValue>,
    on_server: bool,
) -> Result<Encoding, Status> {
    match value {
        None => Ok(Encoding::Identity),
        Some(value) => Encoding::from_header(value.as_bytes())
            .ok_or_else(|| Status::unsupported_encoding(value.as_bytes(), on_server)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_must_begin_with_application_grpc() {
        for ok in [
            "application/grpc",
            "application/grpc+proto",
            "application/grpc;charset=utf-8",
            "Application/GRPC",
        ] {
            assert!(is_grpc_content_type(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "",
            "application/json",
            "application/grpcx",
            "application/grp",
            "text/plain",
        ] {
            assert!(!is_grpc_content_type(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn only_protobuf_is_an_accepted_codec() {
        for ok in [
            "application/grpc",
            "application/grpc+proto",
            "application/grpc+PROTO;charset=utf-8",
            "application/grpc;charset=utf-8",
        ] {
            let value = HeaderValue::from_static(ok);
            assert_eq!(check_codec(Some(&value)), Ok(()), "{ok}");
        }
        for (bad, subtype) in [
            ("application/grpc+json", "json"),
            ("application/grpc+foo;x=y", "foo"),
        ] {
            let value = HeaderValue::from_static(bad);
            let status = check_codec(Some(&value)).expect_err(bad);
            assert_eq!(status.code(), crate::status::Code::Internal);
            assert!(status.message().ends_with(subtype), "{status:?}");
        }
    }
}
