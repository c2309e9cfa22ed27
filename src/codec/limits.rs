//! [`MessageLimits`]: the largest message a call may receive and send, the
//! one value both sides read their limits from (the server's per-call
//! settings, the client's channel).

use crate::defaults::{DEFAULT_MAX_RECEIVE_MESSAGE_SIZE, DEFAULT_MAX_SEND_MESSAGE_SIZE};

/// The size limits on one call's messages, in bytes.
///
/// The receive limit bounds a message on the wire (checked from its 5-byte
/// prefix, before any of it is buffered) and again once decompressed; the
/// send limit bounds the bytes a message takes on the wire, after
/// compression (as grpc-go does). statuscodes.md: RESOURCE_EXHAUSTED past
/// either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageLimits {
    /// Largest message accepted from the peer.
    pub max_receive: usize,
    /// Largest message we send.
    pub max_send: usize,
}

impl Default for MessageLimits {
    /// [`DEFAULT_MAX_RECEIVE_MESSAGE_SIZE`] (4 MiB) received,
    /// [`DEFAULT_MAX_SEND_MESSAGE_SIZE`] (no limit) sent: the defaults of
    /// grpc-go, C-core and tonic.
    fn default() -> Self {
        MessageLimits {
            max_receive: DEFAULT_MAX_RECEIVE_MESSAGE_SIZE,
            max_send: DEFAULT_MAX_SEND_MESSAGE_SIZE,
        }
    }
}
