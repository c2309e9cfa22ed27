//! HTTP/2 streams to gRPC calls and back: the server's accept loop and
//! connection tasks, the client [`Channel`], request and response heads,
//! trailers and trailers-only answers, flow-control release and the
//! receive windows' growth to the measured bandwidth-delay product, GOAWAY
//! on shutdown. Knows nothing of message types or handlers: it hands each call
//! to a `Dispatch` (the trait the router implements).

mod bdp;
mod body;
mod channel;
mod config;
mod connection_age;
mod deadline;
mod frame_scan;
mod head;
mod keepalive;
mod peer;
mod ping_policy;
mod random;
mod response;
mod send;
mod server;
#[cfg(feature = "tls")]
pub(crate) mod tls;
mod watched_io;

pub(crate) use body::RecvBody;
pub use channel::{BackoffConfig, CallOptions, Channel, ConnectError, ConnectivityState, Endpoint};
pub(crate) use channel::{
    CallInFlight, NotAnswered, PendingResponse, ReceivedResponse, RequestSink,
};
pub use config::*;
pub use deadline::Deadline;
pub(crate) use head::RequestHead;
pub(crate) use peer::Peer;
pub(crate) use response::ResponseSink;
pub(crate) use server::{serve_incoming, tcp_incoming, Dispatch, ServerCall};
#[cfg(feature = "tls")]
pub use tls::{ClientTlsConfig, ServerTlsConfig, TlsError, DEFAULT_HANDSHAKE_TIMEOUT};

/// What `crate::fuzzing` re-exports from here (feature `fuzzing`).
#[cfg(feature = "fuzzing")]
pub(crate) mod fuzzing {
    pub use super::deadline::{parse_timeout, TimeoutError};
    pub use super::head::GrpcHeaders;
}
