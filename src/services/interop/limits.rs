//! What a TestService request may ask for, and [`InteropError`], every way
//! a request can ask for too much or for something this server does not do,
//! with the status each becomes.

use std::fmt;

use crate::codec::framing::DEFAULT_MAX_MESSAGE_LEN;
use crate::status::{Code, Status};

/// The largest payload a response may carry: the default send limit (4 MiB).
/// A response this big still exceeds the limit by its few bytes of framing
/// and is refused by the transport with RESOURCE_EXHAUSTED; asking for more
/// is refused here, before anything is allocated.
pub const MAX_PAYLOAD_SIZE: usize = DEFAULT_MAX_MESSAGE_LEN;

/// The most responses one request may ask for (ResponseParameters in one
/// StreamingOutputCallRequest), and the most HalfDuplexCall buffers over a
/// whole call: each costs a few bytes of memory until answered.
pub const MAX_RESPONSES: usize = 1024;

/// The longest `interval_us` a response may wait: ten seconds. The call's
/// deadline still applies.
pub const MAX_INTERVAL_US: i32 = 10_000_000;

/// Why a TestService request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InteropError {
    /// A negative `response_size` or `ResponseParameters.size`.
    NegativeSize(i32),
    /// A payload over [`MAX_PAYLOAD_SIZE`].
    PayloadTooLarge(i32),
    /// More than [`MAX_RESPONSES`] responses asked for.
    TooManyResponses(usize),
    /// An `interval_us` below zero or over [`MAX_INTERVAL_US`].
    BadInterval(i32),
    /// A `response_type` other than COMPRESSABLE.
    UnsupportedPayloadType(i32),
    /// `expect_compressed` is true but the message arrived uncompressed.
    NotCompressed,
    /// The request payloads of a StreamingInputCall add up past `i32::MAX`.
    AggregateOverflow,
    /// Metadata to echo could not be set.
    Echo(String),
}

impl fmt::Display for InteropError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InteropError::NegativeSize(size) => write!(f, "negative payload size {size}"),
            InteropError::PayloadTooLarge(size) => write!(
                f,
                "payload size {size} is over the limit of {MAX_PAYLOAD_SIZE} bytes"
            ),
            InteropError::TooManyResponses(count) => write!(
                f,
                "{count} responses asked for, over the limit of {MAX_RESPONSES}"
            ),
            InteropError::BadInterval(us) => {
                write!(f, "interval_us {us} is not in 0..={MAX_INTERVAL_US}")
            }
            InteropError::UnsupportedPayloadType(ty) => {
                write!(f, "unsupported response_type {ty}: only COMPRESSABLE (0)")
            }
            InteropError::NotCompressed => {
                f.write_str("expect_compressed is set but the request message was not compressed")
            }
            InteropError::AggregateOverflow => {
                f.write_str("the aggregated payload size does not fit an int32")
            }
            InteropError::Echo(why) => write!(f, "cannot echo metadata: {why}"),
        }
    }
}

impl std::error::Error for InteropError {}

impl InteropError {
    /// The status code the call ends with.
    pub fn code(&self) -> Code {
        match self {
            InteropError::NegativeSize(_)
            | InteropError::BadInterval(_)
            | InteropError::UnsupportedPayloadType(_)
            // interop-test-descriptions.md, CompressedRequest: "If it's not,
            // it fails the RPC with `INVALID_ARGUMENT`."
            | InteropError::NotCompressed => Code::InvalidArgument,
            InteropError::PayloadTooLarge(_) | InteropError::TooManyResponses(_) => {
                Code::ResourceExhausted
            }
            InteropError::AggregateOverflow => Code::OutOfRange,
            InteropError::Echo(_) => Code::Internal,
        }
    }
}

impl From<InteropError> for Status {
    fn from(error: InteropError) -> Status {
        Status::new(error.code(), error.to_string())
    }
}

/// `size` as a payload length, if it is allowed.
pub fn payload_len(size: i32) -> Result<usize, InteropError> {
    let len = usize::try_from(size).map_err(|_| InteropError::NegativeSize(size))?;
    if len > MAX_PAYLOAD_SIZE {
        return Err(InteropError::PayloadTooLarge(size));
    }
    Ok(len)
}

/// `interval_us` as a wait, if it is allowed.
pub fn interval(interval_us: i32) -> Result<std::time::Duration, InteropError> {
    if !(0..=MAX_INTERVAL_US).contains(&interval_us) {
        return Err(InteropError::BadInterval(interval_us));
    }
    Ok(std::time::Duration::from_micros(
        interval_us.unsigned_abs().into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_up_to_the_send_limit_are_allowed() {
        assert_eq!(payload_len(0), Ok(0));
        assert_eq!(payload_len(314_159), Ok(314_159));
        assert_eq!(payload_len(4 * 1024 * 1024), Ok(MAX_PAYLOAD_SIZE));
        assert_eq!(
            payload_len(4 * 1024 * 1024 + 1),
            Err(InteropError::PayloadTooLarge(4 * 1024 * 1024 + 1))
        );
        assert_eq!(payload_len(-1), Err(InteropError::NegativeSize(-1)));
    }

    #[test]
    fn intervals_are_bounded() {
        assert_eq!(interval(0), Ok(std::time::Duration::ZERO));
        assert!(interval(-1).is_err());
        assert!(interval(MAX_INTERVAL_US + 1).is_err());
    }

    #[test]
    fn refusals_map_to_their_codes() {
        assert_eq!(InteropError::NotCompressed.code(), Code::InvalidArgument);
        assert_eq!(
            InteropError::PayloadTooLarge(1).code(),
            Code::ResourceExhausted
        );
        assert_eq!(
            InteropError::TooManyResponses(2000).code(),
            Code::ResourceExhausted
        );
    }
}
