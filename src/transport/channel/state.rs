//! The connectivity state of a channel, as
//! doc/connectivity-semantics-and-api.md names them, and what each holds.

use std::fmt;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use bytes::Bytes;
use h2::client::SendRequest;

use crate::status::Status;

/// Where a channel stands with its server
/// (doc/connectivity-semantics-and-api.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectivityState {
    /// No connection and none being made: the next call starts one.
    Idle,
    /// A connection is being made; calls wait for it.
    Connecting,
    /// Connected: calls go out at once.
    Ready,
    /// A connection attempt failed; the next start when their backoff
    /// ends, and the channel stays here until one succeeds (gRFC A62's
    /// "sticky" TRANSIENT_FAILURE). Calls fail at once with the last
    /// attempt's UNAVAILABLE, unless they wait for ready.
    TransientFailure,
    /// The channel was shut down: every call fails.
    Shutdown,
}

impl fmt::Display for ConnectivityState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConnectivityState::Idle => "IDLE",
            ConnectivityState::Connecting => "CONNECTING",
            ConnectivityState::Ready => "READY",
            ConnectivityState::TransientFailure => "TRANSIENT_FAILURE",
            ConnectivityState::Shutdown => "SHUTDOWN",
        })
    }
}

/// One HTTP/2 connection of a channel. Its number tells it apart from the
/// connections before and after it, so that news of a lost connection
/// does not touch its successor.
#[derive(Debug, Clone)]
pub(super) struct Connection {
    pub(super) send_request: SendRequest<Bytes>,
    pub(super) number: u64,
    /// Calls in flight, counted only when keepalive needs to know.
    pub(super) calls: Option<Arc<AtomicUsize>>,
}

/// A channel's state with what it holds: the connection when READY, the
/// failure when in TRANSIENT_FAILURE.
#[derive(Debug, Clone)]
pub(super) enum Slot {
    Idle,
    Connecting,
    Ready(Connection),
    TransientFailure(Status),
    Shutdown,
}

impl Slot {
    /// The state, without what it holds.
    pub(super) fn state(&self) -> ConnectivityState {
        match self {
            Slot::Idle => ConnectivityState::Idle,
            Slot::Connecting => ConnectivityState::Connecting,
            Slot::Ready(_) => ConnectivityState::Ready,
            Slot::TransientFailure(_) => ConnectivityState::TransientFailure,
            Slot::Shutdown => ConnectivityState::Shutdown,
        }
    }
}
