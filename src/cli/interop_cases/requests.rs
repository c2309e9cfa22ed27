//! The requests of interop-test-descriptions.md, with its sizes, and the
//! deadline every call of a case gets; [`Feeder`], a request stream fed one
//! message at a time (ping_pong sends each request only after the reply to
//! the one before).

use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use tokio::sync::mpsc;

use super::error::{CaseError, Site};
use h2grpc::rpc::Request;
use h2grpc::services::interop::{
    BoolValue, Payload, PayloadType, ResponseParameters, SimpleRequest, StreamingInputCallRequest,
    StreamingOutputCallRequest,
};

/// The deadline of every call (but timeout_on_sleeping_server's own 1 ms):
/// a server that never answers fails the case instead of hanging the run.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// large_unary's `response_size`.
pub const LARGE_RESPONSE_SIZE: usize = 314_159;

/// large_unary's request payload.
pub const LARGE_REQUEST_SIZE: usize = 271_828;

/// client_streaming's request payloads, in order ("74922" in all).
pub const CLIENT_STREAM_SIZES: [usize; 4] = [27_182, 8, 1_828, 45_904];

/// server_streaming's response sizes, in order; ping_pong's too.
pub const SERVER_STREAM_SIZES: [usize; 4] = [31_415, 9, 2_653, 58_979];

/// A request for `message` with the [`CALL_TIMEOUT`] deadline.
pub fn request<T>(message: T) -> Request<T> {
    let mut request = Request::new(message);
    request.set_timeout(CALL_TIMEOUT);
    request
}

/// `size` as a protobuf `int32` (every size of the spec fits).
fn int32(size: usize) -> i32 {
    i32::try_from(size).unwrap_or(i32::MAX)
}

/// A COMPRESSABLE payload of `size` zero bytes.
pub fn zeros(size: usize) -> Payload {
    Payload {
        r#type: PayloadType::COMPRESSABLE,
        body: Bytes::from(vec![0; size]),
    }
}

/// A set `BoolValue`.
pub fn flag(value: bool) -> Option<BoolValue> {
    Some(BoolValue { value })
}

/// large_unary's request: `response_size: 314159`, a payload of 271828
/// zeros.
pub fn large_unary() -> SimpleRequest {
    SimpleRequest {
        response_size: int32(LARGE_RESPONSE_SIZE),
        payload: Some(zeros(LARGE_REQUEST_SIZE)),
        ..SimpleRequest::default()
    }
}

/// A StreamingInputCall request with a payload of `size` zeros.
pub fn input(size: usize) -> StreamingInputCallRequest {
    StreamingInputCallRequest {
        payload: Some(zeros(size)),
        ..StreamingInputCallRequest::default()
    }
}

/// One response's parameters: `size` bytes, compressed as `compressed`
/// asks (unset: as the call would anyway).
pub fn parameters(size: usize, compressed: Option<bool>) -> ResponseParameters {
    ResponseParameters {
        size: int32(size),
        compressed: compressed.map(|value| BoolValue { value }),
        ..ResponseParameters::default()
    }
}

/// ping_pong's request: one response of `response_size` bytes, a payload
/// of `payload_size` zeros.
pub fn ping(response_size: usize, payload_size: usize) -> StreamingOutputCallRequest {
    StreamingOutputCallRequest {
        response_parameters: vec![parameters(response_size, None)],
        payload: Some(zeros(payload_size)),
        ..StreamingOutputCallRequest::default()
    }
}

/// The sending half of a request stream fed one message at a time; the
/// stream ends (the call half-closes) when the feeder is dropped.
#[derive(Debug)]
pub struct Feeder<T> {
    sender: mpsc::UnboundedSender<T>,
    site: Site,
}

impl<T: Send + 'static> Feeder<T> {
    /// A feeder for `call`'s requests, and the stream to give the call.
    pub fn new(call: &'static str) -> (Feeder<T>, impl Stream<Item = T> + Send + 'static) {
        let (sender, mut receiver) = mpsc::unbounded_channel();
        let stream = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
        (
            Feeder {
                sender,
                site: Site::call(call),
            },
            stream,
        )
    }

    /// Sends `message` on the stream.
    pub fn send(&self, message: T) -> Result<(), CaseError> {
        self.sender
            .send(message)
            .map_err(|_| CaseError::RequestNotSent { site: self.site })
    }
}
