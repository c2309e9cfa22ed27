//! [`TransportConfig`]: the HTTP/2 connection settings and the gRPC message
//! limits, for both sides. Its defaults are the named constants of
//! [`crate::defaults`] (re-exported here).

use std::time::Duration;

use crate::codec::MessageLimits;
pub use crate::defaults::{
    DEFAULT_ADAPTIVE_WINDOW, DEFAULT_CONNECTION_WINDOW, DEFAULT_KEEPALIVE_MIN_TIME,
    DEFAULT_KEEPALIVE_TIME, DEFAULT_KEEPALIVE_TIMEOUT, DEFAULT_MAX_CONCURRENT_STREAMS,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTION_AGE, DEFAULT_MAX_CONNECTION_AGE_GRACE,
    DEFAULT_MAX_CONNECTION_IDLE, DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_HEADER_LIST_SIZE,
    DEFAULT_MAX_RECEIVE_MESSAGE_SIZE, DEFAULT_MAX_SEND_BUFFER, DEFAULT_MAX_SEND_MESSAGE_SIZE,
    DEFAULT_PERMIT_KEEPALIVE_WITHOUT_CALLS, DEFAULT_SHUTDOWN_GRACE, DEFAULT_STREAM_WINDOW,
    MAX_PING_STRIKES,
};

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
    /// Grow both windows to the measured bandwidth-delay product (a PING
    /// per round trip while bulk DATA arrives), up to 16 MiB. On a
    /// channel, only while keepalive is off: keepalive takes HTTP/2's one
    /// ping of ours.
    pub adaptive_window: bool,
    /// Largest DATA frame we accept.
    pub max_frame_size: u32,
    /// Largest header list we accept.
    pub max_header_list_size: u32,
    /// Most bytes buffered per stream ahead of the peer's window.
    pub max_send_buffer: usize,
    /// Limit on streams the peer may open at once (server side), advertised
    /// in SETTINGS; streams past it are refused with REFUSED_STREAM. `None`
    /// is no limit.
    pub max_concurrent_streams: Option<u32>,
    /// Limit on connections served at once (server side); `None` is no
    /// limit.
    pub max_connections: Option<usize>,
    /// Server keepalive: ping a client after this long without a frame
    /// from it.
    pub keepalive_time: Duration,
    /// Server keepalive: close the connection when the ping's ACK has not
    /// come within this.
    pub keepalive_timeout: Duration,
    /// Ping enforcement: the shortest interval between a client's pings
    /// that is not a strike.
    pub keepalive_min_time: Duration,
    /// Ping enforcement: a client may ping with no call in flight.
    pub permit_keepalive_without_calls: bool,
    /// GOAWAY a connection with no call in flight for this long (gRFC A9);
    /// `None` is never.
    pub max_connection_idle: Option<Duration>,
    /// GOAWAY a connection this old, ±10% (gRFC A9); `None` is never.
    pub max_connection_age: Option<Duration>,
    /// After the max-age GOAWAY, close the connection once this has passed
    /// even with calls in flight; `None` waits for them.
    pub max_connection_age_grace: Option<Duration>,
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
            adaptive_window: DEFAULT_ADAPTIVE_WINDOW,
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
            max_header_list_size: DEFAULT_MAX_HEADER_LIST_SIZE,
            max_send_buffer: DEFAULT_MAX_SEND_BUFFER,
            max_concurrent_streams: DEFAULT_MAX_CONCURRENT_STREAMS,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            keepalive_time: DEFAULT_KEEPALIVE_TIME,
            keepalive_timeout: DEFAULT_KEEPALIVE_TIMEOUT,
            keepalive_min_time: DEFAULT_KEEPALIVE_MIN_TIME,
            permit_keepalive_without_calls: DEFAULT_PERMIT_KEEPALIVE_WITHOUT_CALLS,
            max_connection_idle: DEFAULT_MAX_CONNECTION_IDLE,
            max_connection_age: DEFAULT_MAX_CONNECTION_AGE,
            max_connection_age_grace: DEFAULT_MAX_CONNECTION_AGE_GRACE,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }
}
