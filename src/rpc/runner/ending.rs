//! How a call ends: the status its outcome becomes (OK, the failing step's
//! status, DEADLINE_EXCEEDED, the reset's status, or UNKNOWN for a panic).

use crate::rpc::context::CallContext;
use crate::rpc::guard::Interruption;
use crate::status::Status;

/// How a call ended early.
pub(super) enum Ended {
    /// A step failed with this status.
    Failed(Status),
    /// A step was interrupted.
    Interrupted(Interruption),
}

/// The status a call ends with: OK when every step finished, the failing
/// step's status, the reset's, DEADLINE_EXCEEDED (telling whatever the
/// handler spawned that the call is over) or UNKNOWN for a panic (logged
/// with its text, which is not sent).
pub(super) fn final_status(outcome: Result<(), Ended>, context: &CallContext) -> Status {
    match outcome {
        Ok(()) => Status::ok(""),
        Err(Ended::Failed(status)) | Err(Ended::Interrupted(Interruption::Reset(status))) => status,
        Err(Ended::Interrupted(Interruption::DeadlineExceeded)) => {
            context.cancel();
            Status::deadline_passed()
        }
        Err(Ended::Interrupted(Interruption::Panicked(panic))) => {
            let what = panic_message(&*panic);
            tracing::error!(path = context.method(), panic = what, "handler panicked");
            Status::handler_panicked()
        }
    }
}

/// The text of a panic payload, when it has one.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
