//! gRPC status: the 17 codes, [`Status`], every status the library itself
//! makes, and every mapping into a status.
//!
//! This is the one module where errors become statuses, split by job:
//! - `code`: the [`Code`]s, their numbers, names and header values;
//! - `constructors`: one public constructor per code;
//! - `library`: the statuses h2grpc itself makes (cardinality, deadline,
//!   limits, content-type, routing, ...), each named, so the texts a user
//!   reads live in one file;
//! - `from_h2`, `from_http`, `from_io`, `from_codec`: the mappings (h2
//!   reason, HTTP status, I/O error, compression / framing / decoding
//!   errors); the two tables of the spec are pinned by table-driven tests
//!   (`tests/status/h2_mapping.rs`, `tests/status/http_mapping.rs`), the
//!   compression errors' by `tests/compression.rs`;
//! - `trailers`: a status read from and written into trailers;
//! - `message`: the `grpc-message` percent codec ([`encode_message`],
//!   [`decode_message`]).

use std::fmt;

use bytes::Bytes;

use crate::metadata::MetadataMap;

mod code;
mod constructors;
mod from_codec;
mod from_h2;
mod from_http;
mod from_io;
mod library;
mod message;
mod trailers;

pub use code::Code;
pub(crate) use library::{Direction, Got};
pub use message::{decode_message, encode_message};
pub use trailers::{GRPC_MESSAGE, GRPC_STATUS, GRPC_STATUS_DETAILS_BIN};

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
