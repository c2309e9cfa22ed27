//! The stream a Watch call answers with: a plain `Stream` over one
//! service's watch receiver, so a client that cancels drops it and nothing
//! is left running.

use futures_core::Stream;
use futures_util::stream;
use tokio::sync::watch;

use super::messages::{HealthCheckResponse, ServingStatus};
use super::reporter::Seen;
use crate::status::Status;

/// Where a Watch stream is.
enum Step {
    /// Nothing sent yet.
    First(watch::Receiver<Seen>),
    /// `last` sent; waiting for a different status.
    Waiting {
        receiver: watch::Receiver<Seen>,
        last: ServingStatus,
    },
    /// The last status sent after shutdown; the UNAVAILABLE end is next.
    Ending,
    /// Over.
    Done,
}

/// The status a Watch ends with once the server shuts down: the watcher
/// has seen NOT_SERVING, and ending the call now lets the graceful
/// shutdown finish without waiting out its grace period for it. The
/// health.proto Watch comment: "If the call terminates with any other
/// status (including OK), clients should retry the call with appropriate
/// exponential backoff", which a client reaching another server wants.
fn shutting_down() -> Status {
    Status::unavailable("server is shutting down")
}

/// health.proto, Watch: "The server will immediately send back a message
/// indicating the current serving status. It will then subsequently send a
/// new message whenever the service's serving status changes." A value set
/// again unchanged is not sent again.
pub(crate) fn watch_stream(
    receiver: watch::Receiver<Seen>,
) -> impl Stream<Item = Result<HealthCheckResponse, Status>> + Send + 'static {
    stream::unfold(Step::First(receiver), |step| async move {
        match step {
            Step::First(mut receiver) => {
                let seen = *receiver.borrow_and_update();
                Some((
                    Ok(HealthCheckResponse::new(seen.status)),
                    after(receiver, seen),
                ))
            }
            Step::Waiting { mut receiver, last } => loop {
                if receiver.changed().await.is_err() {
                    // The reporter dropped this name's sender: only a
                    // placeholder nobody watched is dropped, so this is
                    // the registry going away with the server.
                    return Some((Err(shutting_down()), Step::Done));
                }
                let seen = *receiver.borrow_and_update();
                if seen.status != last {
                    return Some((
                        Ok(HealthCheckResponse::new(seen.status)),
                        after(receiver, seen),
                    ));
                }
                if seen.shut_down {
                    return Some((Err(shutting_down()), Step::Done));
                }
            },
            Step::Ending => Some((Err(shutting_down()), Step::Done)),
            Step::Done => None,
        }
    })
}

/// The step after sending `seen`.
fn after(receiver: watch::Receiver<Seen>, seen: Seen) -> Step {
    if seen.shut_down {
        Step::Ending
    } else {
        Step::Waiting {
            receiver,
            last: seen.status,
        }
    }
}
