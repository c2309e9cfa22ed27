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

/// The server and the channel grow their receive windows from these to the
/// connection's measured bandwidth-delay product, up to 16 MiB, as grpc-go
/// does; setting the windows by hand (`Server::initial_windows`,
/// `Endpoint::initial_windows`) turns it off, as in grpc-go.
pub const DEFAULT_ADAPTIVE_WINDOW: bool = true;

/// Largest DATA frame payload we accept: the RFC 9113 minimum, 16 KiB,
/// which every peer can send without negotiating.
pub const DEFAULT_MAX_FRAME_SIZE: u32 = 16 * 1024;

/// Largest header list (metadata) we accept: 16 KiB, twice the 8 KiB that
/// PROTOCOL-HTTP2.md suggests peers keep under.
pub const DEFAULT_MAX_HEADER_LIST_SIZE: u32 = 16 * 1024;

/// Bytes h2 may buffer per stream beyond what the peer's window allows:
/// 400 KiB, hyper's (and so tonic's) default.
pub const DEFAULT_MAX_SEND_BUFFER: usize = 400 * 1024;

/// Streams a client may open at once on one connection: 1000, advertised in
/// SETTINGS_MAX_CONCURRENT_STREAMS. grpc-go advertises `math.MaxUint32`,
/// which bounds nothing: each open stream holds a task, buffers and a window,
/// so one peer could hold the server's memory. RFC 9113 (6.5.2) recommends
/// "this value be no smaller than 100"; 1000 is ten times that, well above
/// what a client multiplexes in practice (h2load's `-m 100`, our benches),
/// and still a bound. `None` advertises nothing (no limit).
pub const DEFAULT_MAX_CONCURRENT_STREAMS: Option<u32> = Some(1000);

/// Connections served at once: no limit (`None`), as in grpc-go (which
/// leaves it to a limiting listener). When a limit is set, a connection past
/// it is closed as soon as it is accepted; the others are not touched.
pub const DEFAULT_MAX_CONNECTIONS: Option<usize> = None;

/// Time without any frame from the client after which the server pings it
/// (gRFC A8's `KEEPALIVE_TIME`): 2 hours, grpc-go's `ServerParameters.Time`.
pub const DEFAULT_KEEPALIVE_TIME: Duration = Duration::from_secs(2 * 60 * 60);

/// How long the server waits for the ACK of its keepalive ping before it
/// closes the connection: 20 seconds, grpc-go's `ServerParameters.Timeout`.
pub const DEFAULT_KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(20);

/// Shortest interval between a client's pings that the server tolerates
/// (grpc-go's `EnforcementPolicy.MinTime`): 5 minutes.
pub const DEFAULT_KEEPALIVE_MIN_TIME: Duration = Duration::from_secs(5 * 60);

/// Whether a client may ping while it has no call in flight (grpc-go's
/// `EnforcementPolicy.PermitWithoutStream`): no.
pub const DEFAULT_PERMIT_KEEPALIVE_WITHOUT_CALLS: bool = false;

/// Pings that break the enforcement policy which the server forgives: 2,
/// grpc-go's `maxPingStrikes`; the next one gets GOAWAY ENHANCE_YOUR_CALM.
pub const MAX_PING_STRIKES: u32 = 2;

/// How long in-flight calls get to finish after a graceful shutdown starts
/// (GOAWAY sent) before their connection is closed: 10 seconds.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// gRFC A9's `MAX_CONNECTION_IDLE`: how long a connection may have no call
/// in flight before the server sends GOAWAY. `None` is never, the
/// proposal's (and grpc-go's) "infinite".
pub const DEFAULT_MAX_CONNECTION_IDLE: Option<Duration> = None;

/// gRFC A9's `MAX_CONNECTION_AGE`: how long a connection lives (±10%
/// jitter) before the server sends GOAWAY. `None`: infinite, as in A9.
pub const DEFAULT_MAX_CONNECTION_AGE: Option<Duration> = None;

/// gRFC A9's `MAX_CONNECTION_AGE_GRACE`: how long calls in flight get after
/// the max-age GOAWAY before the connection is closed. `None`: infinite.
pub const DEFAULT_MAX_CONNECTION_AGE_GRACE: Option<Duration> = None;

/// The client's wait after its first failed connection attempt
/// (doc/connection-backoff.md's `INITIAL_BACKOFF`): 1 second.
pub const DEFAULT_BACKOFF_INITIAL: Duration = Duration::from_secs(1);

/// What each further failed attempt multiplies the client's wait by
/// (connection-backoff.md's `MULTIPLIER`): 1.6.
pub const DEFAULT_BACKOFF_MULTIPLIER: f64 = 1.6;

/// The randomisation of each reconnect wait (connection-backoff.md's
/// `JITTER`): ±20%.
pub const DEFAULT_BACKOFF_JITTER: f64 = 0.2;

/// The client's longest wait between connection attempts
/// (connection-backoff.md's `MAX_BACKOFF`): 120 seconds.
pub const DEFAULT_BACKOFF_MAX: Duration = Duration::from_secs(120);

/// The least time a client's connection attempt gets, TCP, TLS and the
/// HTTP/2 handshake together (connection-backoff.md's
/// `MIN_CONNECT_TIMEOUT`): 20 seconds.
pub const DEFAULT_MIN_CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// Client keepalive: none by default, as in grpc-go (`keepalive.ClientParameters`
/// is opt-in; gRFC A8 leaves `KEEPALIVE_TIME` infinite on the client).
pub const DEFAULT_CLIENT_KEEPALIVE_TIME: Option<Duration> = None;
