//! The [`Message`] trait: what every protobuf message type implements, by
//! hand or through the [`message!`](crate::message) macro; and
//! [`DecodeError`], every way bytes can fail to be a message.

use std::fmt;

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::wire::{put_varint, Input, WireType};

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

    /// The schema of this message type, when it records one: every
    /// `message!` type does (see [`MessageSchema`](super::MessageSchema)); a
    /// hand-written impl may leave the default, `None`. Server reflection and
    /// [`Service::methods`](crate::rpc::Service::methods) read it.
    fn descriptor() -> Option<&'static super::MessageDescriptor>
    where
        Self: Sized,
    {
        None
    }

    /// Whether a sender that compresses its messages may compress this one:
    /// `true`, the default, for every message type. The per-message opt-out
    /// (as grpc-java's `setMessageCompression(false)`) that the
    /// [`MessageEncoder`](super::message_codec::MessageEncoder) of either
    /// side reads; [`Outgoing`](crate::rpc::Outgoing) sets it per value.
    fn allows_compression(&self) -> bool {
        true
    }

    /// The encoding as one `Bytes`, allocated once at the exact size.
    fn encode_to_bytes(&self) -> Bytes {
        let mut buf = BytesMut::with_capacity(self.encoded_len());
        self.encode(&mut buf);
        buf.freeze()
    }

    /// Writes the message preceded by its length as a varint (the framing
    /// of an embedded message, and of protobuf's "delimited" streams).
    fn encode_length_delimited<B: BufMut>(&self, buf: &mut B) {
        put_varint(buf, self.encoded_len() as u64);
        self.encode(buf);
    }

    /// Reads one message written by [`Message::encode_length_delimited`]
    /// from the front of `buf`, and advances `buf` past it.
    fn decode_length_delimited(buf: &mut Bytes) -> Result<Self, DecodeError> {
        let (header, len) = {
            let mut input = Input::new(buf);
            let len = input.read_len_slice()?.len();
            (buf.len() - input.remaining() - len, len)
        };
        buf.advance(header);
        Self::decode(buf.split_to(len))
    }
}

/// Why bytes could not be read as a message. Every variant says which
/// field was being read where one was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The input ended in the middle of a field.
    Truncated {
        /// The field being read; `None` when the input ended inside a key.
        field: Option<u32>,
    },
    /// A varint ran past ten bytes.
    VarintOverflow {
        /// The field being read; `None` when the varint was a key.
        field: Option<u32>,
    },
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
    /// A field key whose number does not fit in 29 bits.
    FieldNumberTooLarge {
        /// The number the key carried.
        number: u64,
    },
    /// A key with wire type 6 or 7, which do not exist.
    InvalidWireType {
        /// The field's number.
        field: u32,
        /// The wire type on the wire.
        wire_type: u8,
    },
    /// An end-of-group key that closes no open group (unknown groups are
    /// skipped whole).
    UnmatchedEndGroup {
        /// The field number of the end-of-group key.
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
    /// Messages (or unknown groups) nested deeper than [`RECURSION_LIMIT`].
    RecursionLimit,
}

impl DecodeError {
    /// The same error, attributed to `field` when it names none yet.
    #[inline]
    pub(crate) fn in_field(self, field: Option<u32>) -> DecodeError {
        match self {
            DecodeError::Truncated { field: None } => DecodeError::Truncated { field },
            DecodeError::VarintOverflow { field: None } => DecodeError::VarintOverflow { field },
            other => other,
        }
    }
}

/// " in field N" or "" for error messages.
struct InField(Option<u32>);

impl fmt::Display for InField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(field) => write!(f, " in field {field}"),
            None => f.write_str(" in a field key"),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated { field } => {
                write!(f, "message truncated{}", InField(*field))
            }
            DecodeError::VarintOverflow { field } => {
                write!(f, "varint longer than 10 bytes{}", InField(*field))
            }
            DecodeError::LengthPastEnd {
                field,
                len,
                remaining,
            } => write!(
                f,
                "field {field} announces {len} bytes but only {remaining} remain"
            ),
            DecodeError::FieldNumberZero => f.write_str("field number 0 is not allowed"),
            DecodeError::FieldNumberTooLarge { number } => {
                write!(f, "field number {number} is above 2^29 - 1")
            }
            DecodeError::InvalidWireType { field, wire_type } => {
                write!(f, "field {field} has invalid wire type {wire_type}")
            }
            DecodeError::UnmatchedEndGroup { field } => {
                write!(f, "end of group {field} without its start")
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
