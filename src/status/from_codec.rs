//! Codec errors to gRPC status: compression, framing and protobuf decoding
//! failures, and encodings we do not speak, on either side of a call.

use crate::codec::compression::{CompressionError, ACCEPT_ENCODING};
use crate::codec::framing::FrameError;
use crate::codec::message_codec::{ReceiveError, SendError};
use crate::codec::DecodeError;

use super::{Code, Status};

impl Status {
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

    /// The status for incoming bytes that are not a valid sequence of
    /// length-prefixed messages.
    ///
    /// | error | code |
    /// | --- | --- |
    /// | `TooLarge` (the prefix announces more than the receive limit) | RESOURCE_EXHAUSTED |
    /// | `InvalidCompressedFlag` | INTERNAL |
    pub fn from_frame_error(err: &FrameError) -> Status {
        match err {
            FrameError::TooLarge { len, limit } => Status::too_large_to_receive(*len, *limit),
            other => Status::new(
                Code::Internal,
                format!("malformed message framing: {other}"),
            ),
        }
    }

    /// The status for a message whose bytes are not a valid encoding of its
    /// type: INTERNAL, as in grpc-go and C-core.
    pub fn from_decode_error(err: &DecodeError) -> Status {
        Status::new(Code::Internal, format!("failed to decode message: {err}"))
    }
}

/// A message we could not send: over the send limit (RESOURCE_EXHAUSTED,
/// statuscodes.md: "Sent message larger than configured limit") or not
/// compressible (see [`Status::from_compression_error`]).
impl From<SendError> for Status {
    fn from(err: SendError) -> Status {
        match err {
            SendError::TooLarge { len, limit } => Status::too_large_to_send(len, limit),
            SendError::Compression(err) => Status::from_compression_error(&err),
        }
    }
}

/// A message we could not read: flagged compressed without an encoding,
/// not decompressible, or not decodable (see
/// [`Status::compressed_without_encoding`],
/// [`Status::from_compression_error`], [`Status::from_decode_error`]).
impl From<ReceiveError> for Status {
    fn from(err: ReceiveError) -> Status {
        match err {
            ReceiveError::CompressedWithoutEncoding => Status::compressed_without_encoding(),
            ReceiveError::Compression(err) => Status::from_compression_error(&err),
            ReceiveError::Decode(err) => Status::from_decode_error(&err),
        }
    }
}
