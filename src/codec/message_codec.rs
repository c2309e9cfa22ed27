//! A call's messages to frames and back, both directions in one place:
//! compression with the call's encoding and the size limits
//! ([`MessageLimits`](super::MessageLimits)), for the server and the client
//! alike.
//!
//! - Sending: [`MessageEncoder`] serializes a message, compresses it with
//!   the call's encoding (unless the message opts out:
//!   [`Message::allows_compression`]) and frames it, refusing one over the
//!   send limit; [`encode_uncompressed`] is its identity path.
//! - Receiving: [`MessageDecoder`] inflates a frame flagged compressed
//!   (bounded by the receive limit while it inflates) and decodes the
//!   message. The limit on the wire is the [`FrameDecoder`]'s, checked from
//!   the prefix before the body is buffered.
//!
//! Failures are typed ([`SendError`], [`ReceiveError`]); `status` maps them
//! to the statuses the peer or the caller sees.
//!
//! [`FrameDecoder`]: super::framing::FrameDecoder

use std::fmt;

use bytes::{Bytes, BytesMut};

use super::compression::{CompressionError, Encoding};
use super::frame_buf::FrameBuf;
use super::framing::{finish_prefix, put_prefix, reserve_prefix, Frame, PREFIX_LEN};
use super::{DecodeError, Message};

/// Why a message could not be framed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// The message takes more bytes on the wire than the send limit.
    TooLarge {
        /// Its length on the wire (compressed, when it is).
        len: usize,
        /// The send limit.
        limit: usize,
    },
    /// Compressing it failed.
    Compression(CompressionError),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::TooLarge { len, limit } => write!(
                f,
                "message of {len} bytes is larger than the send limit of {limit} bytes"
            ),
            SendError::Compression(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for SendError {}

/// Why a received frame is not a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiveError {
    /// The frame is flagged compressed but the sender declared no
    /// `grpc-encoding` (or `identity`).
    CompressedWithoutEncoding,
    /// Inflating it failed, or it inflates past the receive limit.
    Compression(CompressionError),
    /// Its bytes are not a valid encoding of the message type.
    Decode(DecodeError),
}

impl fmt::Display for ReceiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiveError::CompressedWithoutEncoding => {
                f.write_str("compressed message received, but no grpc-encoding was declared")
            }
            ReceiveError::Compression(err) => err.fmt(f),
            ReceiveError::Decode(err) => write!(f, "failed to decode message: {err}"),
        }
    }
}

impl std::error::Error for ReceiveError {}

/// Appends `message`, framed and uncompressed, to `buf`; a message over
/// `max_len` bytes is [`SendError::TooLarge`] (statuscodes.md: "Sent
/// message larger than configured limit").
pub fn encode_uncompressed<M: Message>(
    message: &M,
    buf: &mut FrameBuf,
    max_len: usize,
) -> Result<(), SendError> {
    let len = message.encoded_len();
    if len > max_len || len > u32::MAX as usize {
        return Err(SendError::TooLarge {
            len,
            limit: max_len,
        });
    }
    // The whole length, though a large `bytes` field will not be copied
    // here: what its share leaves unused stays for the next message.
    let open = buf.open_mut();
    open.reserve(PREFIX_LEN + len);
    put_prefix(open, false, len as u32);
    message.encode(buf);
    Ok(())
}

/// Frames the outgoing messages of one call with the call's encoding.
///
/// Identity takes exactly the [`encode_uncompressed`] path (no extra
/// buffer, no copy). Otherwise every message is compressed, whatever its
/// size, and flagged so (grpc-go does the same; C-core sends a message
/// uncompressed when compressing does not shrink it, which the flag allows
/// too): the message is serialized into a scratch buffer reused across the
/// call's messages, then compressed straight into the output after a
/// reserved prefix. The send limit applies to the compressed size, the
/// bytes that go on the wire, as in grpc-go.
#[derive(Debug)]
pub struct MessageEncoder {
    encoding: Encoding,
    max_len: usize,
    scratch: BytesMut,
}

impl MessageEncoder {
    /// An encoder compressing with `encoding`, refusing messages over
    /// `max_len` bytes on the wire.
    pub fn new(encoding: Encoding, max_len: usize) -> MessageEncoder {
        MessageEncoder {
            encoding,
            max_len,
            // Allocates nothing until a compressed message needs it.
            scratch: BytesMut::new(),
        }
    }

    /// The encoding messages are compressed with.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Appends `message`, framed (and compressed unless identity or the
    /// message opts out, [`Message::allows_compression`]), to `buf`.
    /// On error `buf` is left as it was.
    pub fn encode<M: Message>(&mut self, message: &M, buf: &mut FrameBuf) -> Result<(), SendError> {
        if self.encoding.is_identity() || !message.allows_compression() {
            return encode_uncompressed(message, buf, self.max_len);
        }
        self.scratch.clear();
        self.scratch.reserve(message.encoded_len());
        message.encode(&mut self.scratch);
        // Compressed output is contiguous: it all goes in the open buffer.
        let buf = buf.open_mut();
        let start = reserve_prefix(buf);
        if let Err(err) = self.encoding.compress(&self.scratch, buf) {
            buf.truncate(start);
            return Err(SendError::Compression(err));
        }
        let len = buf.len() - start - PREFIX_LEN;
        if len > self.max_len || finish_prefix(buf, start, true).is_err() {
            buf.truncate(start);
            return Err(SendError::TooLarge {
                len,
                limit: self.max_len,
            });
        }
        Ok(())
    }
}

/// Reads the incoming messages of one call: inflates the frames flagged
/// compressed with the sender's `grpc-encoding`, within the receive limit,
/// and decodes them.
#[derive(Debug, Clone, Copy)]
pub struct MessageDecoder {
    encoding: Encoding,
    max_len: usize,
}

impl MessageDecoder {
    /// A decoder for messages the sender compressed with `encoding` (its
    /// `grpc-encoding`; identity when it sent none), refusing any that
    /// inflates past `max_len` bytes.
    pub fn new(encoding: Encoding, max_len: usize) -> MessageDecoder {
        MessageDecoder { encoding, max_len }
    }

    /// The sender's encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Decodes the message in `frame`, inflating it first when it is
    /// flagged compressed. Undecodable bytes are [`ReceiveError::Decode`].
    pub fn decode<M: Message>(&self, frame: Frame) -> Result<M, ReceiveError> {
        let payload = if frame.compressed {
            self.inflate(&frame.payload)?
        } else {
            frame.payload
        };
        M::decode(payload).map_err(ReceiveError::Decode)
    }

    /// Inflates the payload of a frame flagged compressed.
    ///
    /// PROTOCOL-HTTP2.md: "A Compressed-Flag value of 1 indicates that the
    /// binary octet sequence of Message is compressed using the mechanism
    /// declared by the Message-Encoding header": with none declared it
    /// cannot be read. The receive limit applies to the inflated size too
    /// (grpc-go and C-core do the same), enforced while inflating.
    pub fn inflate(&self, payload: &[u8]) -> Result<Bytes, ReceiveError> {
        if self.encoding.is_identity() {
            return Err(ReceiveError::CompressedWithoutEncoding);
        }
        self.encoding
            .decompress(payload, self.max_len)
            .map(Bytes::from)
            .map_err(ReceiveError::Compression)
    }
}

// Each case compresses: without gzip there is nothing for them to run on.
#[cfg(all(test, feature = "gzip"))]
mod tests {
    use super::*;
    use crate::codec::framing::FrameDecoder;

    /// A message that is its bytes as they are (zeros compress to almost
    /// nothing).
    #[derive(Debug, PartialEq)]
    struct Blob(Bytes);

    impl Message for Blob {
        fn encoded_len(&self) -> usize {
            self.0.len()
        }
        fn encode<B: bytes::BufMut>(&self, buf: &mut B) {
            buf.put_slice(&self.0);
        }
        fn decode(buf: Bytes) -> Result<Self, DecodeError> {
            Ok(Blob(buf))
        }
    }

    fn frame_of(encoder: &mut MessageEncoder, message: &Blob) -> Frame {
        let mut buf = FrameBuf::new();
        encoder.encode(message, &mut buf).expect("encode");
        let mut frames = FrameDecoder::new(usize::MAX);
        for chunk in buf.take() {
            frames.push(chunk);
        }
        frames.next_frame().expect("frame").expect("one frame")
    }

    #[test]
    fn the_send_limit_applies_to_the_bytes_on_the_wire() {
        let blob = Blob(Bytes::from(vec![0u8; 4096]));
        // Uncompressed it is over 1 KiB; gzipped it is far under.
        let mut identity = MessageEncoder::new(Encoding::Identity, 1024);
        let mut buf = FrameBuf::new();
        assert!(matches!(
            identity.encode(&blob, &mut buf),
            Err(SendError::TooLarge { limit: 1024, .. })
        ));
        assert!(buf.is_empty(), "nothing is left behind on error");
        let mut gzip = MessageEncoder::new(Encoding::Gzip, 1024);
        let frame = frame_of(&mut gzip, &blob);
        assert!(frame.compressed);
        assert!(frame.payload.len() < 1024);
    }

    #[test]
    fn the_receive_limit_applies_to_the_inflated_size() {
        let blob = Blob(Bytes::from(vec![0u8; 4096]));
        let frame = frame_of(&mut MessageEncoder::new(Encoding::Gzip, usize::MAX), &blob);
        let within = MessageDecoder::new(Encoding::Gzip, 8192);
        assert!(within.decode::<Blob>(frame.clone()).is_ok());
        let under = MessageDecoder::new(Encoding::Gzip, 1024);
        assert_eq!(
            under.decode::<Blob>(frame),
            Err(ReceiveError::Compression(CompressionError::TooLarge {
                limit: 1024
            }))
        );
    }

    #[test]
    fn a_compressed_frame_without_an_encoding_cannot_be_read() {
        let blob = Blob(Bytes::from_static(b"abc"));
        let frame = frame_of(
            &mut MessageEncoder::new(Encoding::Deflate, usize::MAX),
            &blob,
        );
        let decoder = MessageDecoder::new(Encoding::Identity, usize::MAX);
        assert_eq!(
            decoder.decode::<Blob>(frame),
            Err(ReceiveError::CompressedWithoutEncoding)
        );
    }
}
