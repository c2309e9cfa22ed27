//! Messages to frames and frames to messages, with the size limits and the
//! statuses their failures become. [`MessageEncoder`] frames the outgoing
//! messages of one call, compressed with the call's encoding; incoming
//! frames arrive already decompressed (the transport's `RecvBody` inflates
//! them within the receive limit).

use bytes::BytesMut;

use crate::codec::compression::Encoding;
use crate::codec::framing::{finish_prefix, put_prefix, reserve_prefix, Frame, PREFIX_LEN};
use crate::codec::Message;
use crate::status::Status;

/// Appends `message`, framed and uncompressed, to `buf`; a message over
/// `max_len` bytes is RESOURCE_EXHAUSTED (statuscodes.md: "Sent message
/// larger than configured limit").
pub fn encode_frame<M: Message>(
    message: &M,
    buf: &mut BytesMut,
    max_len: usize,
) -> Result<(), Status> {
    let len = message.encoded_len();
    if len > max_len || len > u32::MAX as usize {
        return Err(Status::too_large_to_send(len, max_len));
    }
    buf.reserve(PREFIX_LEN + len);
    put_prefix(buf, false, len as u32);
    message.encode(buf);
    Ok(())
}

/// Reads a message from a frame. A frame still flagged compressed is
/// INTERNAL (PROTOCOL-HTTP2.md: a compressed flag with no `grpc-encoding`
/// cannot be read); undecodable bytes are INTERNAL, as in grpc-go and
/// C-core.
pub fn decode_frame<M: Message>(frame: Frame) -> Result<M, Status> {
    if frame.compressed {
        return Err(Status::compressed_without_encoding());
    }
    M::decode(frame.payload).map_err(|err| Status::from_decode_error(&err))
}

/// Frames the outgoing messages of one call with the call's encoding.
///
/// Identity takes exactly the [`encode_frame`] path (no extra buffer, no
/// copy). Otherwise every message is compressed, whatever its size, and
/// flagged so (grpc-go does the same; C-core sends a message uncompressed
/// when compressing does not shrink it, which the flag allows too): the
/// message is serialized into a scratch buffer reused across the call's
/// messages, then compressed straight into the output after a reserved
/// prefix. The send limit applies to the compressed size, the bytes that
/// go on the wire, as in grpc-go.
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
    pub fn encode<M: Message>(&mut self, message: &M, buf: &mut BytesMut) -> Result<(), Status> {
        if self.encoding.is_identity() || !message.allows_compression() {
            return encode_frame(message, buf, self.max_len);
        }
        self.scratch.clear();
        self.scratch.reserve(message.encoded_len());
        message.encode(&mut self.scratch);
        let start = reserve_prefix(buf);
        if let Err(err) = self.encoding.compress(&self.scratch, buf) {
            buf.truncate(start);
            return Err(Status::from_compression_error(&err));
        }
        let len = buf.len() - start - PREFIX_LEN;
        if len > self.max_len || finish_prefix(buf, start, true).is_err() {
            buf.truncate(start);
            return Err(Status::too_large_to_send(len, self.max_len));
        }
        Ok(())
    }
}
