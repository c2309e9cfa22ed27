//! Named defaults for the HTTP/2 connection and gRPC message limits, and the
//! [`TransportConfig`] that carries them to both sides.

use std::time::Duration;

use crate::codec::MessageLimits;

/// Largest message a peer may send us: 4 MiB, the default of every gRPC
/// implementation (grpc-go, C-core, tonic). It bounds a message both on the
/// wire and once decompressed.
pub const DEFAULT_MAX_RECEIVE_MESSAGE_SIZE: usize = 4 * 1024 * 1024;

/// Largest message we send: unlimited by default, as in grpc-go and C-core.
pub const DEFAULT_MAX_SEND_MESSAGE_SIZE: usize = usize::MAX;

/// Initial HTTP/2 stream window: 1 MiB, so one stream can fill a fast link
/// instead of stalling on the RFC's 65,535-byte default (hyper and tonic use
/// the same).
pub const DEFAULT_STREAM_WINDOW: u32 = 1024 * 1024;

/// Initial HTTP/2 connection window: 1 MiB (see [`DEFAULT_STREAM_WINDOW`]).
pub const DEFAULT_CONNECTION_WINDOW: u32 = 1024 * 1024;

/// Largest DATA frame payload we accept: the RFC 9113 minimum, 16 KiB.
pub const DEFAULT_MAX_FRAME_SIZE: u32 = 16 * 1024;

/// Largest header list (metadata) we accept: 16 KiB, twice the 8 KiB that
/// PROTOCOL-HTTP2.md suggests peers keep under.
pub const DEFAULT_MAX_HEADER_LIST_SIZE: u32 = 16 * 1024;

/// Bytes h2 may buffer per stream beyond what the peer's window allows.
pub const DEFAULT_MAX_SEND_BUFFER: usize = 400 * 1024;

/// How long in-flight calls get to finish after a graceful shutdown starts.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Connection and message settings shared by the server and the client.
#[derive(Debug, Clone)]
pub struct TransportConfig {
    /// Largest message accepted from the peer (RESOURCE_EXHAUSTED past it).
    pub max_receive_message_size: usize,
    /// Largest message we send (RESOURCE_EXHAUSTED past it).
    pub max_send_message_size: usize,
    /// Initial HTTP/2 window of each stream.
    pub stream_window: u32,
    /// Initial HTTP/2 window of the connection.
    pub connection_window: u32,
    /// Largest DATA frame we accept.
    pub max_frame_size: u32,
    /// Largest header list we accept.
    pub max_header_list_size: u32,
    /// Most bytes buffered per stream ahead of the peer's window.
    pub max_send_buffer: usize,
    /// Limit on streams the peer may open at once (server side); `None` is
    /// no limit, as in tonic.
    pub max_concurrent_streams: Option<u32>,
    /// Grace period for in-flight calls on graceful shutdown.
    pub shutdown_grace: Duration,
}

impl TransportConfig {
    /// The message size limits, as the code that frames and reads messages
    /// on either side takes them.
    pub fn message_limits(&self) -> MessageLimits {
        MessageLimits {
            max_receive: self.max_receive_message_size,
            max_send: self.max_send_message_size,
        }
    }
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            max_receive_message_size: DEFAULT_MAX_RECEIVE_MESSAGE_SIZE,
            max_send_message_size: DEFAULT_MAX_SEND_MESSAGE_SIZE,
            stream_window: DEFAULT_STREAM_WINDOW,
            connection_window: DEFAULT_CONNECTION_WINDOW,
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
            max_header_list_size: DEFAULT_MAX_HEADER_LIST_SIZE,
            max_send_buffer: DEFAULT_MAX_SEND_BUFFER,
            max_concurrent_streams: None,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }
}
