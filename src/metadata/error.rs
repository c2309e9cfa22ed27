//! [`MetadataError`]: why a string cannot be a metadata key or value.
//!
//! Only strings checked at run time can fail: a key or value built with
//! `from_static` is checked when it is built (at compile time in a `const`),
//! and a binary value is any bytes.

use std::convert::Infallible;
use std::fmt;

/// Why a key or a value cannot be user metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataError {
    /// The key is not a gRPC header name: empty, or a character outside
    /// `0-9 a-z _ - .` (upper case included).
    InvalidKey {
        /// The key as given.
        key: String,
    },
    /// The key is reserved for gRPC or HTTP/2 (`grpc-*`, `te`,
    /// `content-type`, connection-specific headers, ...).
    ReservedKey {
        /// The key as given.
        key: String,
    },
    /// An ASCII key ends in `-bin`, the suffix of binary keys: build a
    /// `MetadataKey<Binary>` and give it a binary value.
    BinaryKey {
        /// The key as given.
        key: String,
    },
    /// A binary key does not end in `-bin`.
    NotBinaryKey {
        /// The key as given.
        key: String,
    },
    /// An ASCII value holds a byte outside printable ASCII (0x20..=0x7E).
    InvalidValue {
        /// Where the first such byte is.
        index: usize,
        /// That byte.
        byte: u8,
    },
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetadataError::InvalidKey { key } => write!(
                f,
                "invalid metadata key {key:?}: keys are 1 or more of 0-9 a-z _ - ."
            ),
            MetadataError::ReservedKey { key } => {
                write!(f, "metadata key {key:?} is reserved for gRPC or HTTP/2")
            }
            MetadataError::BinaryKey { key } => write!(
                f,
                "metadata key {key:?} ends in -bin: it is a binary key, \
                 for binary values (insert_bin/append_bin)"
            ),
            MetadataError::NotBinaryKey { key } => {
                write!(f, "binary metadata key {key:?} must end in -bin")
            }
            MetadataError::InvalidValue { index, byte } => write!(
                f,
                "metadata value byte {index} is {byte:#04x}: ASCII values must be \
                 printable ASCII (0x20..=0x7E); use a -bin key for other bytes"
            ),
        }
    }
}

impl std::error::Error for MetadataError {}

/// A typed key or value given where a string could have been: the
/// conversion cannot fail.
impl From<Infallible> for MetadataError {
    fn from(never: Infallible) -> MetadataError {
        match never {}
    }
}
