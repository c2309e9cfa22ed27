//! [`CancelToken`]: cancels client calls from outside them, as grpc-go's
//! context cancellation or C++'s `ClientContext::TryCancel` do.
//!
//! Dropping a call's future (or its response stream) already resets the
//! call's HTTP/2 stream; a token also lets the code still waiting on the
//! call learn why it ended: the call fails with CANCELLED (statuscodes.md:
//! "The operation was cancelled, typically by the caller").

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::Notify;

use crate::status::Status;

/// A one-way cancellation flag that wakes its waiters: what every clone of
/// a [`CancelToken`] shares, and a server call's
/// [`CallContext`](super::CallContext) holds.
#[derive(Debug, Default)]
pub(crate) struct CancelSignal {
    /// Set once, by [`CancelSignal::cancel`].
    cancelled: AtomicBool,
    /// Wakes every [`CancelSignal::cancelled`] future on cancellation.
    notify: Notify,
}

impl CancelSignal {
    /// Sets the flag and wakes whoever waits for it.
    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
        self.notify.notify_waiters();
    }

    /// Whether [`CancelSignal::cancel`] was called.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    /// Resolves once the flag is set.
    pub(crate) async fn cancelled(&self) {
        loop {
            // Register before checking the flag, so a cancellation between
            // the two cannot be missed.
            let notified = self.notify.notified();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

/// Cancels the client calls it is given to
/// ([`Request::set_cancel_token`](super::Request::set_cancel_token)).
/// Cheap to clone; every clone cancels the same calls.
///
/// A cancelled call fails with CANCELLED wherever it is: before its
/// response arrives, the call itself; after, the next read of its response
/// stream. Its HTTP/2 stream is reset with RST_STREAM(CANCEL), so the
/// server stops (PROTOCOL-HTTP2.md: "CANCEL(8) Mapped to call cancellation
/// when sent by a client").
#[derive(Debug, Clone, Default)]
pub struct CancelToken {
    shared: Arc<CancelSignal>,
}

impl CancelToken {
    /// A token that has not been cancelled.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Cancels every call given this token, now and later.
    pub fn cancel(&self) {
        self.shared.cancel();
    }

    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.shared.is_cancelled()
    }

    /// Resolves once the token is cancelled.
    pub async fn cancelled(&self) {
        self.shared.cancelled().await;
    }

    /// The status a call cancelled by its token ends with.
    pub(crate) fn status() -> Status {
        Status::cancelled_by_client()
    }
}

/// A token's cancellation as something a hand-written `poll` method (the
/// response stream's) can wait on. Boxed: only calls given a token pay.
pub(crate) struct CancelWatch(Pin<Box<dyn Future<Output = ()> + Send + Sync>>);

impl CancelWatch {
    /// Watches `token`.
    pub(crate) fn new(token: CancelToken) -> CancelWatch {
        CancelWatch(Box::pin(async move { token.cancelled().await }))
    }

    /// Ready once the token is cancelled.
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.0.as_mut().poll(cx)
    }
}

impl fmt::Debug for CancelWatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CancelWatch")
    }
}
