//! The [`Message`] trait: what every protobuf message type implements, by
//! hand or through the `message!` macro.

use bytes::{BufMut, Bytes};

/// A protobuf message: exact size, encoding into any buffer, decoding from
/// shared bytes.
pub trait Message: Sized + Send + 'static {
    /// The exact number of bytes [`Message::encode`] writes.
    fn encoded_len(&self) -> usize;
    /// Writes the message's fields (no length prefix) into `buf`.
    fn encode<B: BufMut>(&self, buf: &mut B);
    /// Reads a whole message from `buf`.
    fn decode(buf: Bytes) -> Result<Self, DecodeError>;
}

/// Why bytes could not be read as a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The input ended in the middle of a field.
    Truncated,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Truncated => f.write_str("truncated message"),
        }
    }
}

impl std::error::Error for DecodeError {}
