//! [`guarded`]: one step of a server call (interceptors, reading the input,
//! the handler, writing the output) polled under the call's deadline, with
//! a panic caught and, for the handler, the client's reset watched.
//!
//! The runner awaits its steps one after another in a single future, each
//! pinned where it is created, instead of nesting the whole call inside a
//! timeout and a panic catcher: a nested future keeps its own copies of
//! everything moved into it, and the call's future is copied into the box
//! it is spawned in, so every byte counts.

use std::any::Any;
use std::future::{poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::Poll;

use tokio::time::Sleep;

use crate::status::Status;
use crate::transport::ResponseSink;

/// Why a step did not finish.
pub(crate) enum Interruption {
    /// The call's deadline passed.
    DeadlineExceeded,
    /// The client reset the stream; the status that means.
    Reset(Status),
    /// Polling the step panicked, with this payload.
    Panicked(Box<dyn Any + Send>),
}

/// Polls `step` to its end, unless the call's deadline `timer` fires first
/// or (with `reset_watch`) the client resets the stream first. The step is
/// polled before the deadline and the reset: a step that is ready wins. A
/// panic while polling it ends the step with [`Interruption::Panicked`].
pub(crate) fn guarded<'a, F: Future>(
    mut step: Pin<&'a mut F>,
    timer: &'a mut Option<Pin<Box<Sleep>>>,
    mut reset_watch: Option<&'a mut ResponseSink>,
) -> impl Future<Output = Result<F::Output, Interruption>> + 'a {
    poll_fn(move |cx| {
        match catch_unwind(AssertUnwindSafe(|| step.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => return Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => {}
            Err(payload) => return Poll::Ready(Err(Interruption::Panicked(payload))),
        }
        if let Some(sleep) = timer {
            if sleep.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Err(Interruption::DeadlineExceeded));
            }
        }
        if let Some(sink) = reset_watch.as_deref_mut() {
            if let Poll::Ready(status) = sink.poll_reset(cx) {
                return Poll::Ready(Err(Interruption::Reset(status)));
            }
        }
        Poll::Pending
    })
}
