//! [`CallSettings`]: the server-wide settings every call reads, and how a
//! call's response encoding is chosen from them, the client's
//! `grpc-accept-encoding` and the handler's own choice.

use crate::codec::compression::{negotiate, Encoding};
use crate::codec::MessageLimits;
use crate::transport::RequestHead;

/// Server-wide settings each call needs.
#[derive(Debug, Clone)]
pub struct CallSettings {
    /// The size limits on every call's messages: the send limit is applied
    /// here, when replies are encoded; the receive limit came with the
    /// call's request body.
    pub limits: MessageLimits,
    /// The encoding the server prefers for responses (`None`: answer in
    /// the request's encoding, grpc-go's default).
    pub send_compression: Option<Encoding>,
}

impl CallSettings {
    /// The encoding of a call's response messages: the server's preferred
    /// one if the client accepts it, else the request's own if the client
    /// accepts it, else identity (see [`negotiate`]).
    ///
    /// The hook for per-method (or per-handler) compression settings: they
    /// would be passed in here, ahead of the server-wide preference.
    pub fn response_encoding(&self, head: &RequestHead) -> Encoding {
        negotiate(self.send_compression, head.encoding, head.accept_encoding())
    }
}

/// The handler's choice ([`Response::set_compression`](crate::rpc::Response::set_compression)) when the client
/// accepts it, else the call's negotiated `default`.
pub(super) fn handler_encoding(
    chosen: Option<Encoding>,
    default: Encoding,
    accept: Option<&[u8]>,
) -> Encoding {
    match chosen {
        Some(encoding) if encoding.is_identity() || encoding.accepted_by(accept) => encoding,
        _ => default,
    }
}
