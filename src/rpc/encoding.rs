//! Messages to frames and frames to messages, with the size limits and the
//! statuses their failures become.

use bytes::BytesMut;

use crate::codec::framing::{put_prefix, Frame};
use crate::codec::Message;
use crate::status::{Code, Status};

/// Appends `message`, framed, to `buf`; a message over `max_len` bytes is
/// RESOURCE_EXHAUSTED (statuscodes.md: "Sent message larger than configured
/// limit").
pub fn encode_frame<M: Message>(
    message: &M,
    buf: &mut BytesMut,
    max_len: usize,
) -> Result<(), Status> {
    let len = message.encoded_len();
    if len > max_len || len > u32::MAX as usize {
        return Err(Status::new(
            Code::ResourceExhausted,
            format!("message of {len} bytes is larger than the send limit of {max_len} bytes"),
        ));
    }
    buf.reserve(crate::codec::framing::PREFIX_LEN + len);
    put_prefix(buf, false, len as u32);
    message.encode(buf);
    Ok(())
}

/// Reads a message from a frame. Compression is not negotiated (yet), so a
/// compressed frame is INTERNAL (PROTOCOL-HTTP2.md: a compressed flag with
/// no `grpc-encoding` is a protocol error); undecodable bytes are INTERNAL,
/// as in grpc-go and C-core.
pub fn decode_frame<M: Message>(frame: Frame) -> Result<M, Status> {
    if frame.compressed {
        return Err(Status::new(
            Code::Internal,
            "compressed message received, but no grpc-encoding was negotiated",
        ));
    }
    M::decode(frame.payload)
        .map_err(|err| Status::new(Code::Internal, format!("failed to decode message: {err}")))
}
