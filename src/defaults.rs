//! Every default setting in one place: named, with the reason for its
//! value, and each pinned by `tests/defaults.rs`.
//!
//! [`TransportConfig::default`](crate::transport::TransportConfig) and
//! [`MessageLimits::default`](crate::codec::MessageLimits) are made of
//! these; the server builder and [`Channel::connect`](crate::transport::Channel::connect)
//! start from them.

use std::time::Duration;

/// Largest message a peer may send us: 4 MiB, the default of every gRPC
/// implementation (grpc-go, C-core, tonic). It bounds a message both on the
/// wire and once decompressed.
pub const DEFAULT_MAX_RECEIVE_MESSAGE_SIZE: usize = 4 * 1024 * 1024;

/// Largest message we send: unlimited, as in grpc-go, C-core and tonic. A
/// send limit of its own would refuse a large reply that the receiver, with
/// its own larger receive limit, asked for; the receiver's limit is the one
/// that protects it.
pub const DEFAULT_MAX_SEND_MESSAGE_SIZE: usize = usize::MAX;

/// Initial HTTP/2 stream window: 1 MiB, so one stream can fill a fast link
/// instead of stalling on the RFC's 65,535-byte default (hyper and tonic use
/// the same).
pub const DEFAULT_STREAM_WINDOW: u32 = 1024 * 1024;

/// Initial HTTP/2 connection window: 1 MiB (see [`DEFAULT_STREAM_WINDOW`]).
pub const DEFAULT_CONNECTION_WINDOW: u32 = 1024 * 1024;

/// Largest DATA frame payload we accept: the RFC 9113 minimum, 16 KiB,
/// which every peer can send without negotiating.
pub const DEFAULT_MAX_FRAME_SIZE: u32 = 16 * 1024;

/// Largest header list (metadata) we accept: 16 KiB, twice the 8 KiB that
/// PROTOCOL-HTTP2.md suggests peers keep under.
pub const DEFAULT_MAX_HEADER_LIST_SIZE: u32 = 16 * 1024;

/// Bytes h2 may buffer per stream beyond what the peer's window allows:
/// 400 KiB, hyper's (and so tonic's) default.
pub const DEFAULT_MAX_SEND_BUFFER: usize = 400 * 1024;

/// Streams a client may open at once on one connection: no limit (`None`),
/// as in tonic; a server under load can set one.
pub const DEFAULT_MAX_CONCURRENT_STREAMS: Option<u32> = None;

/// How long in-flight calls get to finish after a graceful shutdown starts
/// (GOAWAY sent) before their connection is closed: 10 seconds.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
