//! gRPC status: the 17 codes, [`Status`], and every mapping into a status
//! (trailers, HTTP status, h2 reset reasons, I/O errors, compression).
//!
//! This is the one module where errors become statuses; each mapping is a
//! table here and has a table-driven test in `tests/status/`.

use std::borrow::Cow;
use std::fmt;

use base64::Engine;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;
use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, CONTROLS};

use crate::codec::compression::{CompressionError, ACCEPT_ENCODING};
use crate::metadata::{self, MetadataMap};

/// The trailer holding the status code.
pub const GRPC_STATUS: HeaderName = HeaderName::from_static("grpc-status");
/// The trailer holding the percent-encoded status message.
pub const GRPC_MESSAGE: HeaderName = HeaderName::from_static("grpc-message");
/// The trailer holding the binary status details (a serialized
/// `google.rpc.Status`, base64-encoded).
pub const GRPC_STATUS_DETAILS_BIN: HeaderName = HeaderName::from_static("grpc-status-details-bin");

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

/// The `grpc-status` values, built once: `Code::header_value` is a clone of a
/// static (no allocation, no formatting).
const STATUS_VALUES: [HeaderValue; 17] = [
    HeaderValue::from_static("0"),
    HeaderValue::from_static("1"),
    HeaderValue::from_static("2"),
    HeaderValue::from_static("3"),
    HeaderValue::from_static("4"),
    HeaderValue::from_static("5"),
    HeaderValue::from_static("6"),
    HeaderValue::from_static("7"),
    HeaderValue::from_static("8"),
    HeaderValue::from_static("9"),
    HeaderValue::from_static("10"),
    HeaderValue::from_static("11"),
    HeaderValue::from_static("12"),
    HeaderValue::from_static("13"),
    HeaderValue::from_static("14"),
    HeaderValue::from_static("15"),
    HeaderValue::from_static("16"),
];

impl Code {
    /// All 17 codes, in numeric order.
    pub const ALL: [Code; 17] = [
        Code::Ok,
        Code::Cancelled,
        Code::Unknown,
        Code::InvalidArgument,
        Code::DeadlineExceeded,
        Code::NotFound,
        Code::AlreadyExists,
        Code::PermissionDenied,
        Code::ResourceExhausted,
        Code::FailedPrecondition,
        Code::Aborted,
        Code::OutOfRange,
        Code::Unimplemented,
        Code::Internal,
        Code::Unavailable,
        Code::DataLoss,
        Code::Unauthenticated,
    ];

    /// The code for a numeric value; values outside 0..=16 are `Unknown`.
    pub fn from_i32(value: i32) -> Code {
        usize::try_from(value)
            .ok()
            .and_then(|i| Code::ALL.get(i).copied())
            .unwrap_or(Code::Unknown)
    }

    /// The numeric value.
    pub fn as_i32(self) -> i32 {
        self as i32
    }

    /// The code a `grpc-status` value names; anything but a decimal number in
    /// 0..=16 is `Unknown`.
    ///
    /// PROTOCOL-HTTP2.md: "Status → "grpc-status" 1*DIGIT ; 0-9". Leading
    /// zeros are tolerated although the spec says senders omit them.
    pub fn from_bytes(value: &[u8]) -> Code {
        if value.is_empty() || value.len() > 9 || !value.iter().all(u8::is_ascii_digit) {
            return Code::Unknown;
        }
        let n = value.iter().fold(0i32, |n, d| n * 10 + i32::from(d - b'0'));
        Code::from_i32(n)
    }

    /// The `grpc-status` header value for this code (precomputed).
    pub fn header_value(self) -> HeaderValue {
        STATUS_VALUES[self as usize].clone()
    }

    /// The canonical name, as in statuscodes.md (`NOT_FOUND`).
    pub fn name(self) -> &'static str {
        match self {
            Code::Ok => "OK",
            Code::Cancelled => "CANCELLED",
            Code::Unknown => "UNKNOWN",
            Code::InvalidArgument => "INVALID_ARGUMENT",
            Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
            Code::NotFound => "NOT_FOUND",
            Code::AlreadyExists => "ALREADY_EXISTS",
            Code::PermissionDenied => "PERMISSION_DENIED",
            Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
            Code::FailedPrecondition => "FAILED_PRECONDITION",
            Code::Aborted => "ABORTED",
            Code::OutOfRange => "OUT_OF_RANGE",
            Code::Unimplemented => "UNIMPLEMENTED",
            Code::Internal => "INTERNAL",
            Code::Unavailable => "UNAVAILABLE",
            Code::DataLoss => "DATA_LOSS",
            Code::Unauthenticated => "UNAUTHENTICATED",
        }
    }

    /// What the code means, in a sentence.
    pub fn description(self) -> &'static str {
        match self {
            Code::Ok => "The operation completed successfully",
            Code::Cancelled => "The operation was cancelled, typically by the caller",
            Code::Unknown => "Unknown error",
            Code::InvalidArgument => "The client specified an invalid argument",
            Code::DeadlineExceeded => "The deadline expired before the operation could complete",
            Code::NotFound => "Some requested entity was not found",
            Code::AlreadyExists => "The entity that a client attempted to create already exists",
            Code::PermissionDenied => {
                "The caller does not have permission to execute the operation"
            }
            Code::ResourceExhausted => "Some resource has been exhausted",
            Code::FailedPrecondition => {
                "The system is not in a state required for the operation's execution"
            }
            Code::Aborted => "The operation was aborted",
            Code::OutOfRange => "The operation was attempted past the valid range",
            Code::Unimplemented => "The operation is not implemented or not supported",
            Code::Internal => "Internal error",
            Code::Unavailable => "The service is currently unavailable",
            Code::DataLoss => "Unrecoverable data loss or corruption",
            Code::Unauthenticated => "The request does not have valid authentication credentials",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<i32> for Code {
    fn from(value: i32) -> Code {
        Code::from_i32(value)
    }
}

/// The bytes `grpc-message` must percent-encode.
///
/// PROTOCOL-HTTP2.md: "Percent-Byte-Unencoded → 1*( %x20-%x24 / %x26-%x7E ) ;
/// space and VCHAR, except %". `CONTROLS` is 0x00..=0x1F and 0x7F; the crate
/// always encodes bytes >= 0x80; '%' is added here. Nothing else is escaped.
const GRPC_MESSAGE_ESCAPES: &AsciiSet = &CONTROLS.add(b'%');

/// Percent-encodes a status message for `grpc-message`.
///
/// PROTOCOL-HTTP2.md: "The value portion of **Status-Message** is
/// conceptually a Unicode string description of the error, physically
/// encoded as UTF-8 followed by percent-encoding."
///
/// One addition to the spec's minimum: a leading or trailing space is written
/// `%20`, because RFC 9113 §8.2.1 says "A field value MUST NOT start or end
/// with an ASCII whitespace character" and strict peers strip or refuse such
/// values. `%20` is a valid Percent-Byte-Encoded, so every gRPC peer decodes
/// it back to the same message.
pub fn encode_message(message: &str) -> Cow<'_, str> {
    let encoded: Cow<'_, str> = utf8_percent_encode(message, GRPC_MESSAGE_ESCAPES).into();
    let lead = encoded.len() - encoded.trim_start_matches(' ').len();
    let trail = encoded.len() - encoded.trim_end_matches(' ').len();
    if lead == 0 && trail == 0 {
        return encoded;
    }
    if lead == encoded.len() {
        return Cow::Owned("%20".repeat(lead));
    }
    let middle = &encoded[lead..encoded.len() - trail];
    Cow::Owned(format!(
        "{}{middle}{}",
        "%20".repeat(lead),
        "%20".repeat(trail)
    ))
}

/// Decodes a received `grpc-message`; never fails.
///
/// Every `%XX` (either case of hex digit) is decoded, including those other
/// stacks escape beyond the spec's minimum; a `%` not followed by two hex
/// digits is kept as it is; bytes that are not UTF-8 after decoding become
/// U+FFFD. PROTOCOL-HTTP2.md: "When decoding invalid values, implementations
/// MUST NOT error or throw away the message. [...] Alternatively, the
/// implementation can decode valid portions while leaving broken
/// %-encodings as-is or replacing them with a replacement character".
pub fn decode_message(raw: &[u8]) -> Cow<'_, str> {
    percent_decode(raw).decode_utf8_lossy()
}

/// A gRPC status: code, message, binary details and metadata carried with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    code: Code,
    message: String,
    /// Details and metadata, boxed: most statuses have neither, and a small
    /// `Status` keeps every `Result<T, Status>` small.
    extra: Option<Box<StatusExtra>>,
}

/// The rarely set parts of a [`Status`].
#[derive(Debug, Clone, PartialEq, Default)]
struct StatusExtra {
    details: Bytes,
    metadata: MetadataMap,
}

/// Empty details, for statuses without any.
static NO_DETAILS: Bytes = Bytes::new();

/// Empty metadata, for statuses without any.
static NO_METADATA: std::sync::LazyLock<MetadataMap> = std::sync::LazyLock::new(MetadataMap::new);

/// The boxed parts, or `None` when both are empty.
fn extra(details: Bytes, metadata: MetadataMap) -> Option<Box<StatusExtra>> {
    if details.is_empty() && metadata.is_empty() {
        None
    } else {
        Some(Box::new(StatusExtra { details, metadata }))
    }
}

/// One constructor per code, as `Status::not_found("no such user")`.
macro_rules! constructors {
    ($($(#[$doc:meta])* $name:ident => $code:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(message: impl Into<String>) -> Status {
                Status::new(Code::$code, message)
            }
        )*
    };
}

impl Status {
    /// A status with a code and a message.
    pub fn new(code: Code, message: impl Into<String>) -> Status {
        Status {
            code,
            message: message.into(),
            extra: None,
        }
    }

    /// A status with binary details (sent as `grpc-status-details-bin`,
    /// usually a serialized `google.rpc.Status`).
    pub fn with_details(
        code: Code,
        message: impl Into<String>,
        details: impl Into<Bytes>,
    ) -> Status {
        Status {
            extra: extra(details.into(), MetadataMap::new()),
            ..Status::new(code, message)
        }
    }

    /// A status with metadata, sent as trailers with it.
    pub fn with_metadata(code: Code, message: impl Into<String>, metadata: MetadataMap) -> Status {
        Status {
            extra: extra(Bytes::new(), metadata),
            ..Status::new(code, message)
        }
    }

    /// A status with binary details and metadata.
    pub fn with_details_and_metadata(
        code: Code,
        message: impl Into<String>,
        details: impl Into<Bytes>,
        metadata: MetadataMap,
    ) -> Status {
        Status {
            code,
            message: message.into(),
            extra: extra(details.into(), metadata),
        }
    }

    constructors! {
        /// `OK`: not an error (the status trailers of a successful call).
        ok => Ok;
        /// `CANCELLED`: the operation was cancelled, typically by the caller.
        cancelled => Cancelled;
        /// `UNKNOWN`: an error with no better code.
        unknown => Unknown;
        /// `INVALID_ARGUMENT`: the client specified an invalid argument.
        invalid_argument => InvalidArgument;
        /// `DEADLINE_EXCEEDED`: the deadline expired first.
        deadline_exceeded => DeadlineExceeded;
        /// `NOT_FOUND`: some requested entity was not found.
        not_found => NotFound;
        /// `ALREADY_EXISTS`: the entity to create already exists.
        already_exists => AlreadyExists;
        /// `PERMISSION_DENIED`: the caller may not do this.
        permission_denied => PermissionDenied;
        /// `RESOURCE_EXHAUSTED`: a quota, limit or resource ran out.
        resource_exhausted => ResourceExhausted;
        /// `FAILED_PRECONDITION`: the system is not in the required state.
        failed_precondition => FailedPrecondition;
        /// `ABORTED`: the operation was aborted (e.g. a concurrency conflict).
        aborted => Aborted;
        /// `OUT_OF_RANGE`: attempted past the valid range.
        out_of_range => OutOfRange;
        /// `UNIMPLEMENTED`: not implemented or not supported.
        unimplemented => Unimplemented;
        /// `INTERNAL`: an invariant of the system is broken.
        internal => Internal;
        /// `UNAVAILABLE`: the service is unavailable; retrying may help.
        unavailable => Unavailable;
        /// `DATA_LOSS`: unrecoverable data loss or corruption.
        data_loss => DataLoss;
        /// `UNAUTHENTICATED`: no valid authentication credentials.
        unauthenticated => Unauthenticated;
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
        self.extra
            .as_ref()
            .map_or(&NO_DETAILS, |extra| &extra.details)
    }

    /// Metadata carried with the status (sent as trailers).
    pub fn metadata(&self) -> &MetadataMap {
        self.extra
            .as_ref()
            .map_or(&NO_METADATA, |extra| &extra.metadata)
    }

    /// Metadata carried with the status, to add to it.
    pub fn metadata_mut(&mut self) -> &mut MetadataMap {
        &mut self.extra.get_or_insert_with(Default::default).metadata
    }

    /// Reads a status from trailers (or a trailers-only response head);
    /// `None` when there is no `grpc-status`.
    ///
    /// A `grpc-status` that is not a number in 0..=16 is `UNKNOWN`; a
    /// `grpc-status-details-bin` that is not base64 (padded or not) is
    /// ignored; the other user metadata is kept.
    pub fn from_header_map(headers: &HeaderMap) -> Option<Status> {
        let code = Code::from_bytes(headers.get(GRPC_STATUS)?.as_bytes());
        let message = headers
            .get(GRPC_MESSAGE)
            .map(|raw| decode_message(raw.as_bytes()).into_owned())
            .unwrap_or_default();
        let details = headers
            .get(GRPC_STATUS_DETAILS_BIN)
            .and_then(|raw| metadata::decode_binary_value(raw.as_bytes()))
            .map(Bytes::from)
            .unwrap_or_default();
        let metadata = MetadataMap::from_headers_ref(headers);
        Some(Status {
            code,
            message,
            extra: extra(details, metadata),
        })
    }

    /// Writes `grpc-status`, `grpc-message` (when the message is not empty),
    /// `grpc-status-details-bin` (unpadded base64, when there are details)
    /// and the metadata into `headers`.
    pub fn write_to(&self, headers: &mut HeaderMap) {
        headers.insert(GRPC_STATUS, self.code.header_value());
        if !self.message.is_empty() {
            // Percent-encoded text is printable ASCII, always a valid value.
            if let Ok(value) = HeaderValue::from_str(&encode_message(&self.message)) {
                headers.insert(GRPC_MESSAGE, value);
            }
        }
        if !self.details().is_empty() {
            let encoded = metadata::BASE64_ENCODE.encode(self.details());
            if let Ok(value) = HeaderValue::from_maybe_shared(Bytes::from(encoded)) {
                headers.insert(GRPC_STATUS_DETAILS_BIN, value);
            }
        }
        self.metadata().merge_into(headers);
    }

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
            // "431 Request Header Fields Too Large | INTERNAL"
            431 => Code::Internal,
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

    /// The status a client reports for an h2 error (stream reset, GOAWAY,
    /// I/O).
    ///
    /// - RST_STREAM (received, sent or detected by h2): PROTOCOL-HTTP2.md's
    ///   table, see [`Status::from_h2_reason`].
    /// - GOAWAY with `NO_ERROR`: `UNAVAILABLE`, the server is going away and
    ///   did not process the call, so it can be retried elsewhere.
    /// - GOAWAY with an error code: the same table as RST_STREAM.
    /// - An I/O error: `UNAVAILABLE` (the connection is lost).
    /// - A misuse of h2 by this library: `INTERNAL`.
    pub fn from_h2_error(err: &h2::Error) -> Status {
        if let Some(io) = err.get_io() {
            return Status::from_io_error(io);
        }
        let Some(reason) = err.reason() else {
            // No reason and no I/O error: h2 refused an action of ours.
            return Status::internal(format!("HTTP/2 usage error in h2grpc: {err}"));
        };
        // Who sent the frame. An `h2::Error` built from a bare `Reason`
        // (e.g. a reset reported by `poll_reset`) does not say.
        let who = if err.is_remote() {
            " by the peer"
        } else if err.is_library() {
            " by h2 after a protocol violation of the peer"
        } else if err.is_reset() || err.is_go_away() {
            " locally"
        } else {
            ""
        };
        if err.is_go_away() {
            // PROTOCOL-HTTP2.md, GOAWAY Frame: "Clients should consider any
            // stream initiated after the last successfully accepted stream as
            // UNAVAILABLE and retry the call elsewhere."
            if reason == h2::Reason::NO_ERROR {
                return Status::unavailable(format!(
                    "connection closed{who} with GOAWAY (NO_ERROR) before the call completed"
                ));
            }
            let mapped = Status::from_h2_reason(reason);
            return Status::new(
                mapped.code,
                format!("connection closed{who} with GOAWAY: {}", mapped.message),
            );
        }
        let mapped = Status::from_h2_reason(reason);
        let what = if err.is_reset() {
            "stream reset"
        } else {
            "stream error"
        };
        Status::new(mapped.code, format!("{what}{who}: {}", mapped.message))
    }

    /// The status for an HTTP/2 error code in RST_STREAM or GOAWAY
    /// (PROTOCOL-HTTP2.md, "Errors").
    pub fn from_h2_reason(reason: h2::Reason) -> Status {
        // PROTOCOL-HTTP2.md: "The following mapping from RST_STREAM error
        // codes to GRPC error codes is applied."
        let (code, why) = match reason {
            // "NO_ERROR(0) | INTERNAL - An explicit GRPC status of OK should
            // have been sent but this might be used to aggressively lameduck
            // in some scenarios."
            h2::Reason::NO_ERROR => (Code::Internal, "the stream ended without a gRPC status"),
            // "PROTOCOL_ERROR(1) | INTERNAL"
            h2::Reason::PROTOCOL_ERROR => (Code::Internal, "HTTP/2 protocol error"),
            // "INTERNAL_ERROR(2) | INTERNAL"
            h2::Reason::INTERNAL_ERROR => (Code::Internal, "internal error of the HTTP/2 peer"),
            // "FLOW_CONTROL_ERROR(3) | INTERNAL"
            h2::Reason::FLOW_CONTROL_ERROR => (Code::Internal, "HTTP/2 flow-control violation"),
            // "SETTINGS_TIMEOUT(4) | INTERNAL"
            h2::Reason::SETTINGS_TIMEOUT => (Code::Internal, "HTTP/2 SETTINGS not acknowledged in time"),
            // "STREAM_CLOSED | No mapping as there is no open stream to
            // propagate to. Implementations should log." If a call still sees
            // it, it failed for a reason of the transport: INTERNAL.
            h2::Reason::STREAM_CLOSED => (Code::Internal, "frame received on a closed HTTP/2 stream"),
            // "FRAME_SIZE_ERROR | INTERNAL"
            h2::Reason::FRAME_SIZE_ERROR => (Code::Internal, "HTTP/2 frame of invalid size"),
            // "REFUSED_STREAM | UNAVAILABLE - Indicates that no processing
            // occurred and the request can be retried, possibly elsewhere."
            h2::Reason::REFUSED_STREAM => {
                (Code::Unavailable, "the peer refused the stream before processing it; safe to retry")
            }
            // "CANCEL(8) | Mapped to call cancellation when sent by a client.
            // Mapped to CANCELLED when sent by a server."
            h2::Reason::CANCEL => (Code::Cancelled, "the call was cancelled"),
            // "COMPRESSION_ERROR | INTERNAL"
            h2::Reason::COMPRESSION_ERROR => (Code::Internal, "HPACK header compression error"),
            // "CONNECT_ERROR | INTERNAL"
            h2::Reason::CONNECT_ERROR => (Code::Internal, "HTTP/2 CONNECT error"),
            // "ENHANCE_YOUR_CALM | RESOURCE_EXHAUSTED ...with additional error
            // detail provided by runtime to indicate that the exhausted
            // resource is bandwidth."
            h2::Reason::ENHANCE_YOUR_CALM => (
                Code::ResourceExhausted,
                "the peer sent ENHANCE_YOUR_CALM: bandwidth exhausted (too many requests or frames)",
            ),
            // "INADEQUATE_SECURITY | PERMISSION_DENIED … with additional
            // detail indicating that permission was denied as protocol is not
            // secure enough for call."
            h2::Reason::INADEQUATE_SECURITY => (
                Code::PermissionDenied,
                "permission denied: the transport is not secure enough for this call",
            ),
            // Not in the table: HTTP_1_1_REQUIRED means the peer will not
            // speak HTTP/2 at all, a transport failure like the others.
            h2::Reason::HTTP_1_1_REQUIRED => (Code::Internal, "the peer requires HTTP/1.1"),
            // An error code no RFC defines: nothing to go by.
            _ => (Code::Unknown, "unknown HTTP/2 error code"),
        };
        Status::new(
            code,
            format!(
                "{why} ({reason:?}, HTTP/2 error code {})",
                u32::from(reason)
            ),
        )
    }

    /// The status a client reports when the connection fails with an I/O
    /// error.
    ///
    /// PROTOCOL-HTTP2.md: "If a detectable connection failure occurs on the
    /// client all calls will be closed with an UNAVAILABLE status."
    pub fn from_io_error(err: &std::io::Error) -> Status {
        Status::unavailable(format!("connection lost: {err} ({:?})", err.kind()))
    }

    /// The status for a message that could not be compressed or
    /// decompressed, on either side.
    ///
    /// | error | code |
    /// | --- | --- |
    /// | `TooLarge` (inflates past the receive limit) | RESOURCE_EXHAUSTED |
    /// | `Corrupt` (not valid gzip / zlib data) | INTERNAL |
    /// | `Failed` (our compressor failed) | INTERNAL |
    ///
    /// statuscodes.md: RESOURCE_EXHAUSTED for a message larger than the
    /// configured limit; grpc-go and C-core apply that limit to the
    /// decompressed size as well, and report undecompressable data as
    /// INTERNAL.
    pub fn from_compression_error(err: &CompressionError) -> Status {
        let code = match err {
            CompressionError::TooLarge { .. } => Code::ResourceExhausted,
            CompressionError::Corrupt { .. } | CompressionError::Failed { .. } => Code::Internal,
        };
        Status::new(code, err.to_string())
    }

    /// The status for a `grpc-encoding` we do not support (`name` as
    /// received).
    ///
    /// Server side, on a request: UNIMPLEMENTED (grpc.io compression guide:
    /// "If a client message is compressed by an algorithm that is not
    /// supported by a server, the message will result in an UNIMPLEMENTED
    /// error status on the server."); the response head carries our
    /// `grpc-accept-encoding`. Client side, on a response: INTERNAL, as
    /// grpc-go reports it.
    pub fn unsupported_encoding(name: &[u8], on_server: bool) -> Status {
        let name = String::from_utf8_lossy(name);
        let (code, whose) = if on_server {
            (Code::Unimplemented, "request")
        } else {
            (Code::Internal, "response")
        };
        Status::new(
            code,
            format!(
                "{whose} grpc-encoding {name:?} is not supported (supported: {ACCEPT_ENCODING})"
            ),
        )
    }

    /// The status for a message with the compressed flag set when the
    /// sender declared no `grpc-encoding` (or `identity`).
    ///
    /// PROTOCOL-HTTP2.md: "Compressed-Flag → 0 / 1 ... A Compressed-Flag
    /// value of 1 indicates that the binary octet sequence of Message is
    /// compressed using the mechanism declared by the Message-Encoding
    /// header." With none declared the message cannot be read: INTERNAL, as
    /// in grpc-go and C-core.
    pub fn compressed_without_encoding() -> Status {
        Status::new(
            Code::Internal,
            "compressed message received, but no grpc-encoding was declared",
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.code)
        } else {
            write!(f, "{}: {}", self.code, self.message)
        }
    }
}

impl std::error::Error for Status {}
