//! [`CallContext`]: what a server handler may know and do about its call
//! beyond the message (grpcio's `ServicerContext`): the method, the peer,
//! the deadline, cancellation by the client, and trailing metadata.
//!
//! A context is cheap to clone (one `Arc`), so a task spawned to produce a
//! stream of replies can carry it and stop when the call is cancelled.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::Uri;

use super::cancel::CancelSignal;
use crate::metadata::MetadataMap;
use crate::transport::{Deadline, Peer};

/// The call's facts and the state its handler shares with the engine
/// running it, behind one `Arc` so that a context costs one pointer in
/// every request and future that carries it.
#[derive(Debug)]
struct Shared {
    uri: Uri,
    peer: Peer,
    /// The call's one deadline, fixed when its head arrived.
    deadline: Option<Deadline>,
    /// Set once the client cancelled (or the deadline passed).
    cancel: CancelSignal,
    /// Sent as trailers after the last reply, with an OK status or not.
    /// Locked only by calls that set some: see `has_trailers`.
    trailers: Mutex<MetadataMap>,
    /// Set (after the lock is released) once `trailers` holds something, so
    /// that the engine, which looks at the end of every call, takes the
    /// lock only for calls that set trailing metadata.
    has_trailers: AtomicBool,
}

/// The call a server handler runs in. On a client-side [`Request`] it is
/// empty: no method, no deadline, never cancelled.
///
/// [`Request`]: super::Request
#[derive(Debug, Clone, Default)]
pub struct CallContext {
    /// `None` on the client side, where nothing runs the call for us.
    shared: Option<Arc<Shared>>,
}

impl CallContext {
    /// The context of a server call starting now.
    pub(crate) fn server(uri: Uri, peer: Peer, deadline: Option<Deadline>) -> Self {
        CallContext {
            shared: Some(Arc::new(Shared {
                uri,
                peer,
                deadline,
                cancel: CancelSignal::default(),
                trailers: Mutex::new(MetadataMap::new()),
                has_trailers: AtomicBool::new(false),
            })),
        }
    }

    /// The method's path, `/package.Service/Method` (empty on the client).
    pub fn method(&self) -> &str {
        self.shared.as_ref().map_or("", |shared| shared.uri.path())
    }

    /// The client's address, when the transport knows it.
    pub fn peer(&self) -> Option<SocketAddr> {
        self.shared.as_ref().and_then(|shared| shared.peer.addr)
    }

    /// The client's certificate chain, DER-encoded, end entity first, as
    /// the TLS handshake verified it against the server's client CA
    /// (mTLS); empty without TLS, without a client certificate, and on the
    /// client side. Parse it with an X.509 crate for subject names.
    pub fn peer_certificates(&self) -> &[Bytes] {
        self.shared
            .as_ref()
            .map_or(&[], |shared| &shared.peer.certificates[..])
    }

    /// The DNS names and URIs (a SPIFFE ID, say) among the subject
    /// alternative names of the client's verified certificate (see
    /// [`CallContext::peer_certificates`]), DNS names first, in the
    /// certificate's order; empty without one.
    pub fn peer_alt_names(&self) -> &[String] {
        self.shared
            .as_ref()
            .map_or(&[], |shared| &shared.peer.alt_names[..])
    }

    /// When the call must be over: the client's `grpc-timeout` counted from
    /// the moment the call arrived. `None`: the client set no deadline.
    pub fn deadline(&self) -> Option<Instant> {
        self.call_deadline().map(|deadline| deadline.instant())
    }

    /// The time left before the deadline (zero once it has passed); `None`
    /// without a deadline (grpcio's `time_remaining`).
    pub fn time_remaining(&self) -> Option<Duration> {
        self.call_deadline().map(|deadline| deadline.remaining())
    }

    /// The call's deadline itself.
    pub(crate) fn call_deadline(&self) -> Option<&Deadline> {
        self.shared
            .as_ref()
            .and_then(|shared| shared.deadline.as_ref())
    }

    /// True once the client cancelled the call (RST_STREAM) or its deadline
    /// passed: nobody will read further replies.
    pub fn is_cancelled(&self) -> bool {
        self.shared
            .as_ref()
            .is_some_and(|shared| shared.cancel.is_cancelled())
    }

    /// Resolves when the call is cancelled (see
    /// [`CallContext::is_cancelled`]); never, on a client-side context.
    ///
    /// The engine stops polling a handler's future when its call is
    /// cancelled, so this is for work the handler spawned: a producer task
    /// can `select!` on it and stop.
    pub async fn cancelled(&self) {
        match &self.shared {
            Some(shared) => shared.cancel.cancelled().await,
            None => std::future::pending().await,
        }
    }

    /// Adds trailing metadata: sent in the trailers that end the call,
    /// whatever its status (grpcio's `set_trailing_metadata`). Metadata a
    /// failing handler puts on its [`Status`](crate::Status) is sent too.
    /// Ignored on a client-side context.
    pub fn set_trailing_metadata(&self, metadata: MetadataMap) {
        if metadata.is_empty() {
            return;
        }
        if let Some(shared) = &self.shared {
            shared
                .trailers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend(&metadata);
            // Release: whoever sees the flag sees the metadata too.
            shared.has_trailers.store(true, Ordering::Release);
        }
    }

    /// Marks the call cancelled and wakes whoever waits for it.
    pub(crate) fn cancel(&self) {
        if let Some(shared) = &self.shared {
            shared.cancel.cancel();
        }
    }

    /// The trailing metadata the handler set, leaving none behind. A call
    /// that set none (most) costs one atomic load, no lock.
    pub(crate) fn take_trailers(&self) -> MetadataMap {
        match &self.shared {
            Some(shared) if shared.has_trailers.load(Ordering::Acquire) => std::mem::take(
                &mut *shared
                    .trailers
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner),
            ),
            _ => MetadataMap::new(),
        }
    }
}
