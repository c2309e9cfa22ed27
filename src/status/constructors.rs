//! One public constructor per code, as `Status::not_found("no such user")`.

use super::{Code, Status};

/// Expands to one `pub fn name(message) -> Status` per code.
macro_rules! constructors {
    ($($(#[$doc:meta])* $name:ident => $code:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(message: impl Into<String>) -> Status {
                Status::new(Code::$code, message)
            }
        )*
    };
}

impl Status {
    constructors! {
        /// `OK`: not an error (the status trailers of a successful call).
        ok => Ok;
        /// `CANCELLED`: the operation was cancelled, typically by the caller.
        cancelled => Cancelled;
        /// `UNKNOWN`: an error with no better code.
        unknown => Unknown;
        /// `INVALID_ARGUMENT`: the client specified an invalid argument.
        invalid_argument => InvalidArgument;
        /// `DEADLINE_EXCEEDED`: the deadline expired first.
        deadline_exceeded => DeadlineExceeded;
        /// `NOT_FOUND`: some requested entity was not found.
        not_found => NotFound;
        /// `ALREADY_EXISTS`: the entity to create already exists.
        already_exists => AlreadyExists;
        /// `PERMISSION_DENIED`: the caller may not do this.
        permission_denied => PermissionDenied;
        /// `RESOURCE_EXHAUSTED`: a quota, limit or resource ran out.
        resource_exhausted => ResourceExhausted;
        /// `FAILED_PRECONDITION`: the system is not in the required state.
        failed_precondition => FailedPrecondition;
        /// `ABORTED`: the operation was aborted (e.g. a concurrency conflict).
        aborted => Aborted;
        /// `OUT_OF_RANGE`: attempted past the valid range.
        out_of_range => OutOfRange;
        /// `UNIMPLEMENTED`: not implemented or not supported.
        unimplemented => Unimplemented;
        /// `INTERNAL`: an invariant of the system is broken.
        internal => Internal;
        /// `UNAVAILABLE`: the service is unavailable; retrying may help.
        unavailable => Unavailable;
        /// `DATA_LOSS`: unrecoverable data loss or corruption.
        data_loss => DataLoss;
        /// `UNAUTHENTICATED`: no valid authentication credentials.
        unauthenticated => Unauthenticated;
    }
}
