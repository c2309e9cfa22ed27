//! [`Outgoing`]: a message with its own compression choice, for a server or
//! a client that compresses some of a call's messages and not others
//! (gRPC's per-message write options; the interop suite's
//! `response_compressed` and client_compressed_streaming).

use bytes::{BufMut, Bytes};

use crate::codec::{DecodeError, Message, MessageDescriptor};

/// A message that says whether it may be compressed. On the wire it is
/// exactly its message; the choice only matters when the call compresses
/// its messages (see [`Response::set_compression`](crate::rpc::Response::set_compression)
/// and [`Request::set_compression`](crate::rpc::Request::set_compression)):
/// an uncompressed `Outgoing` then goes with its compressed flag clear, which
/// the protocol allows for any message of any call.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outgoing<M> {
    message: M,
    compress: bool,
}

impl<M> Outgoing<M> {
    /// `message`, compressed when the call compresses (`compress`) or never.
    pub fn new(message: M, compress: bool) -> Outgoing<M> {
        Outgoing { message, compress }
    }

    /// `message`, compressed when the call compresses.
    pub fn compressed(message: M) -> Outgoing<M> {
        Outgoing::new(message, true)
    }

    /// `message`, never compressed.
    pub fn uncompressed(message: M) -> Outgoing<M> {
        Outgoing::new(message, false)
    }

    /// Whether the message may be compressed.
    pub fn is_compressed(&self) -> bool {
        self.compress
    }

    /// The message.
    pub fn get_ref(&self) -> &M {
        &self.message
    }

    /// The message, consuming the wrapper.
    pub fn into_inner(self) -> M {
        self.message
    }
}

/// A plain message is compressed when its call compresses: what a typed
/// client taking `impl Into<Outgoing<M>>` sends for an `M`.
impl<M> From<M> for Outgoing<M> {
    fn from(message: M) -> Outgoing<M> {
        Outgoing::compressed(message)
    }
}

impl<M: Message> Message for Outgoing<M> {
    fn encoded_len(&self) -> usize {
        self.message.encoded_len()
    }

    fn encode<B: BufMut>(&self, buf: &mut B) {
        self.message.encode(buf)
    }

    /// A received message (the flag is the sender's business): compressible.
    fn decode(buf: Bytes) -> Result<Self, DecodeError> {
        M::decode(buf).map(Outgoing::compressed)
    }

    fn descriptor() -> Option<&'static MessageDescriptor> {
        M::descriptor()
    }

    fn allows_compression(&self) -> bool {
        self.compress
    }
}
