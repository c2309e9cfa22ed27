//! The [`Message`] trait: what every protobuf message type implements, by
//! hand or through the [`message!`](crate::message) macro; and
//! [`DecodeError`], every way bytes can fail to be a message.

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use super::wire::WireType;

/// How deep messages may nest while decoding: protobuf's own default, so
/// hostile input cannot overflow the stack.
pub const RECURSION_LIMIT: u32 = 100;

/// A protobuf message: exact size, encoding into any buffer, decoding from
/// shared bytes (`bytes` fields are slices of the input, not copies).
pub trait Message: Sized + Send + 'static {
    /// The exact number of bytes [`Message::encode`] writes.
    fn encoded_len(&self) -> usize;

    /// Writes the message's fields (no length prefix) into `buf`.
    fn encode<B: BufMut>(&self, buf: &mut B);

    /// Reads a whole message from `buf`.
    fn decode(buf: Bytes) -> Result<Self, DecodeError>;

    /// The encoding as one `Bytes`, allocated once at the exact size.
    fn encode_to_bytes(&self) -> Bytes {
        let mut buf = BytesMut::with_capacity(self.encoded_len());
        self.encode(&mut buf);
        buf.freeze()
    }
}

/// Why bytes could not be read as a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The input ended in the middle of a field.
    Truncated,
    /// A varint ran past ten bytes.
    VarintOverflow,
    /// A length-delimited field announced more bytes than remain.
    LengthPastEnd {
        /// The field's number.
        field: u32,
        /// The announced length.
        len: u64,
        /// The bytes that remained.
        remaining: usize,
    },
    /// A field key with field number 0 (reserved by the encoding).
    FieldNumberZero,
    /// A key with wire type 6 or 7, which do not exist.
    InvalidWireType(u8),
    /// A group (wire types 3 and 4): proto2 only, not supported.
    GroupNotSupported {
        /// The field's number.
        field: u32,
    },
    /// A known field arrived with a wire type its type cannot have.
    WrongWireType {
        /// The field's number.
        field: u32,
        /// The wire type its declaration implies.
        expected: WireType,
        /// The wire type on the wire.
        found: WireType,
    },
    /// A `string` field held bytes that are not UTF-8.
    InvalidUtf8 {
        /// The field's number.
        field: u32,
    },
    /// Messages nested deeper than [`RECURSION_LIMIT`].
    RecursionLimit,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated => f.write_str("message truncated in the middle of a field"),
            DecodeError::VarintOverflow => f.write_str("varint longer than 10 bytes"),
            DecodeError::LengthPastEnd {
                field,
                len,
                remaining,
            } => write!(
                f,
                "field {field} announces {len} bytes but only {remaining} remain"
            ),
            DecodeError::FieldNumberZero => f.write_str("field number 0 is not allowed"),
            DecodeError::InvalidWireType(t) => write!(f, "invalid wire type {t}"),
            DecodeError::GroupNotSupported { field } => {
                write!(f, "field {field} is a group (not supported)")
            }
            DecodeError::WrongWireType {
                field,
                expected,
                found,
            } => write!(
                f,
                "field {field} has wire type {found:?}, expected {expected:?}"
            ),
            DecodeError::InvalidUtf8 { field } => {
                write!(f, "string field {field} is not valid UTF-8")
            }
            DecodeError::RecursionLimit => {
                write!(f, "messages nested deeper than {RECURSION_LIMIT}")
            }
        }
    }
}

impl std::error::Error for DecodeError {}
