//! [`CaseError`]: every way an interop case can fail, each naming the call
//! (and, in a stream, the response) where the check failed, so the one
//! `FAIL name: reason` line says what went wrong where.

use std::fmt;
use std::time::Duration;

use h2grpc::metadata::MetadataError;
use h2grpc::status::{Code, Status};

/// Where in a case a check failed: a call, and which one of several, or
/// which response of its stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Site {
    /// The call, as the case names it ("UnaryCall", "probe StreamingInputCall").
    pub call: &'static str,
    /// Which one, when it is one of several.
    pub nth: Option<Nth>,
}

/// One of several, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nth {
    /// One of several calls made alike.
    Call(usize),
    /// One of the responses of a stream.
    Response(usize),
}

impl Site {
    /// The call as a whole.
    pub const fn call(call: &'static str) -> Site {
        Site { call, nth: None }
    }

    /// The `index`th (from 0) of several calls made alike.
    pub const fn nth_call(call: &'static str, index: usize) -> Site {
        Site {
            call,
            nth: Some(Nth::Call(index + 1)),
        }
    }

    /// The `index`th response (from 0) of `call`.
    pub const fn response(call: &'static str, index: usize) -> Site {
        Site {
            call,
            nth: Some(Nth::Response(index + 1)),
        }
    }
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.nth {
            None => f.write_str(self.call),
            Some(Nth::Call(n)) => write!(f, "{} #{n}", self.call),
            Some(Nth::Response(n)) => write!(f, "{} response #{n}", self.call),
        }
    }
}

/// Why an interop case failed.
#[derive(Debug)]
pub enum CaseError {
    /// A call that should succeed failed.
    Failed {
        /// Where.
        site: Site,
        /// How it ended.
        status: Status,
    },
    /// A call that should fail with `want` succeeded.
    Succeeded {
        /// Where.
        site: Site,
        /// The code it should have failed with.
        want: Code,
    },
    /// A call failed, but not with the code expected.
    WrongCode {
        /// Where.
        site: Site,
        /// The code expected.
        want: Code,
        /// How it ended.
        status: Status,
    },
    /// A call failed with the code expected and another message.
    WrongMessage {
        /// Where.
        site: Site,
        /// The message expected.
        want: String,
        /// The message received.
        got: String,
    },
    /// A response without a payload.
    NoPayload {
        /// Where.
        site: Site,
    },
    /// A payload of the wrong size.
    PayloadSize {
        /// Where.
        site: Site,
        /// The size asked for.
        want: usize,
        /// The size received.
        got: usize,
    },
    /// A payload with a byte that is not zero.
    PayloadNotZeros {
        /// Where.
        site: Site,
    },
    /// A response stream with the wrong number of messages.
    ResponseCount {
        /// Where.
        site: Site,
        /// The number asked for.
        want: usize,
        /// The number received (at least).
        got: usize,
    },
    /// StreamingInputCall summed the payloads to another size.
    AggregatedSize {
        /// Where.
        site: Site,
        /// The sum of the payloads sent.
        want: i32,
        /// `aggregated_payload_size`.
        got: i32,
    },
    /// A response whose compressed flag is not what the request asked.
    CompressedFlag {
        /// Where.
        site: Site,
        /// Whether it should have been compressed.
        want: bool,
    },
    /// Echoed metadata missing or different.
    Metadata {
        /// Where.
        site: Site,
        /// Initial or trailing.
        part: &'static str,
        /// The key.
        key: String,
        /// The value sent.
        want: String,
        /// The value received, if any.
        got: Option<String>,
    },
    /// The request metadata could not be built.
    RequestMetadata(MetadataError),
    /// A request could not be sent: the call's request stream was already
    /// closed (the call ended early).
    RequestNotSent {
        /// Where.
        site: Site,
    },
    /// The case ran past its time limit (every call has a deadline; this
    /// catches anything else that waits).
    TimedOut(Duration),
    /// A soak case's overall time ran out before every iteration ran.
    SoakTimedOut {
        /// The iterations that ran.
        ran: usize,
        /// The iterations asked for.
        iterations: usize,
        /// The overall time.
        limit: Duration,
    },
    /// More soak iterations failed than allowed.
    SoakFailures {
        /// How many failed.
        failed: usize,
        /// How many ran.
        iterations: usize,
        /// How many may fail.
        max_failures: usize,
        /// Why the first one failed.
        first: String,
    },
    /// A new channel could not be connected.
    Connect {
        /// The call it was for.
        site: Site,
        /// Why.
        error: String,
    },
    /// The case needs new channels, and the clients were made without the
    /// server's address.
    NoServerAddress,
}

/// A status for a one-line report: code name and the message quoted, so
/// that a message with line breaks (special_status_message) stays on one line.
struct OneLine<'a>(&'a Status);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.0.code().name(), self.0.message())
    }
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseError::Failed { site, status } => {
                write!(f, "{site} failed: {}", OneLine(status))
            }
            CaseError::Succeeded { site, want } => {
                write!(f, "{site} succeeded, want {}", want.name())
            }
            CaseError::WrongCode { site, want, status } => {
                write!(f, "{site} ended {}, want {}", OneLine(status), want.name())
            }
            CaseError::WrongMessage { site, want, got } => {
                write!(f, "{site} status message {got:?}, want {want:?}")
            }
            CaseError::NoPayload { site } => write!(f, "{site} has no payload"),
            CaseError::PayloadSize { site, want, got } => {
                write!(f, "{site} payload of {got} bytes, want {want}")
            }
            CaseError::PayloadNotZeros { site } => {
                write!(f, "{site} payload is not all zeros")
            }
            CaseError::ResponseCount { site, want, got } => {
                write!(f, "{site} sent {got} responses, want {want}")
            }
            CaseError::AggregatedSize { site, want, got } => {
                write!(f, "{site} aggregated_payload_size {got}, want {want}")
            }
            CaseError::CompressedFlag { site, want: true } => {
                write!(
                    f,
                    "{site} arrived uncompressed, want its compressed flag set"
                )
            }
            CaseError::CompressedFlag { site, want: false } => {
                write!(
                    f,
                    "{site} arrived compressed, want its compressed flag clear"
                )
            }
            CaseError::Metadata {
                site,
                part,
                key,
                want,
                got: Some(got),
            } => write!(f, "{site} {part} metadata {key} is {got}, want {want}"),
            CaseError::Metadata {
                site,
                part,
                key,
                want,
                got: None,
            } => write!(f, "{site} {part} metadata has no {key}, want {want}"),
            CaseError::RequestMetadata(error) => {
                write!(f, "cannot build the request metadata: {error}")
            }
            CaseError::RequestNotSent { site } => {
                write!(f, "{site}: the call ended before its next request was sent")
            }
            CaseError::TimedOut(limit) => {
                write!(f, "did not finish within {} s", limit.as_secs())
            }
            CaseError::SoakTimedOut {
                ran,
                iterations,
                limit,
            } => write!(
                f,
                "ran {ran} of {iterations} iterations within the overall {} s",
                limit.as_secs()
            ),
            CaseError::SoakFailures {
                failed,
                iterations,
                max_failures,
                first,
            } => write!(
                f,
                "{failed} of {iterations} iterations failed, more than {max_failures}; \
                 the first: {first}"
            ),
            CaseError::Connect { site, error } => {
                write!(f, "{site}: cannot connect a new channel: {error}")
            }
            CaseError::NoServerAddress => {
                f.write_str("no server address to connect new channels to")
            }
        }
    }
}

impl std::error::Error for CaseError {}

impl From<MetadataError> for CaseError {
    fn from(error: MetadataError) -> CaseError {
        CaseError::RequestMetadata(error)
    }
}
