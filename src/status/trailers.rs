//! A status in a header map: reading it from trailers (or a trailers-only
//! head) and writing it into them, with `grpc-status`, `grpc-message`,
//! `grpc-status-details-bin` and the metadata it carries.

use base64::Engine;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;

use super::message::{decode_message, encode_message};
use super::{extra, Code, Status};
use crate::metadata::{self, MetadataMap};

/// The trailer holding the status code.
pub const GRPC_STATUS: HeaderName = HeaderName::from_static("grpc-status");
/// The trailer holding the percent-encoded status message.
pub const GRPC_MESSAGE: HeaderName = HeaderName::from_static("grpc-message");
/// The trailer holding the binary status details (a serialized
/// `google.rpc.Status`, base64-encoded).
pub const GRPC_STATUS_DETAILS_BIN: HeaderName = HeaderName::from_static("grpc-status-details-bin");

impl Status {
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
}
