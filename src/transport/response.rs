//! The server's side of a response: headers, messages, then trailers, or a
//! trailers-only response when the call ends before its first message
//! (PROTOCOL-HTTP2.md, "Responses"). The head is lazy: it goes out with the
//! first message, or when the call's layer asks for it
//! ([`ResponseSink::send_headers`]), never on its own.

use std::future::poll_fn;
use std::sync::LazyLock;
use std::task::{Context, Poll};

use bytes::Bytes;
use h2::server::SendResponse;
use h2::SendStream;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderValue, Response, StatusCode};

use super::head::{GRPC_ACCEPT_ENCODING, GRPC_ENCODING};
use super::send::send_chunks_within_window;
use crate::codec::compression::{Encoding, ACCEPT_ENCODING};
use crate::codec::frame_buf::Chunks;
use crate::status::{Code, Status};

/// The content-type of every response we send.
const GRPC_CONTENT_TYPE: HeaderValue = HeaderValue::from_static("application/grpc");

/// The encodings we accept, sent in every response head.
const ACCEPT_ENCODING_VALUE: HeaderValue = HeaderValue::from_static(ACCEPT_ENCODING);

enum State {
    /// Nothing sent yet: an error now becomes a trailers-only response.
    Unanswered(SendResponse<Bytes>),
    /// Headers sent; messages may follow.
    Open(SendStream<Bytes>),
    /// Trailers sent (or the stream is gone).
    Finished,
}

/// Where a call writes its response.
pub struct ResponseSink {
    state: State,
    /// Boxed, and only once there is some: most calls send none, and the
    /// sink lives in every call's future.
    initial_metadata: Option<Box<HeaderMap>>,
    /// Set once the client reset the stream.
    reset: bool,
}

impl std::fmt::Debug for ResponseSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseSink")
            .field("headers_sent", &self.headers_sent())
            .finish_non_exhaustive()
    }
}

impl ResponseSink {
    /// A sink for the response to one h2 request.
    pub fn new(respond: SendResponse<Bytes>) -> ResponseSink {
        ResponseSink {
            state: State::Unanswered(respond),
            initial_metadata: None,
            reset: false,
        }
    }

    /// Headers to send with the response head (initial metadata); changes
    /// after the first message are not sent.
    pub fn initial_metadata_mut(&mut self) -> &mut HeaderMap {
        self.initial_metadata.get_or_insert_with(Box::default)
    }

    /// Declares the encoding of the response messages (`grpc-encoding` in
    /// the response head; identity sends no header). Call it before the
    /// first message; messages flagged compressed must use it.
    pub fn set_encoding(&mut self, encoding: Encoding) {
        if encoding.is_identity() {
            if let Some(metadata) = &mut self.initial_metadata {
                metadata.remove(GRPC_ENCODING);
            }
        } else {
            self.initial_metadata_mut()
                .insert(GRPC_ENCODING, HeaderValue::from_static(encoding.as_str()));
        }
    }

    /// True once the response head has gone out.
    pub fn headers_sent(&self) -> bool {
        !matches!(self.state, State::Unanswered(_))
    }

    /// Sends one or more framed messages, sending the response head first if
    /// needed, and waiting for the client's flow-control window.
    pub async fn send(&mut self, frames: Chunks) -> Result<(), Status> {
        let stream = self.open()?;
        send_chunks_within_window(stream, frames, false)
            .await
            .map_err(|err| Status::from_h2_error(&err))
    }

    /// Sends the call's last message(s) without waiting for the client's
    /// window: they are in memory already, so h2 holding them until the
    /// window opens costs no more memory than waiting would, and a call with
    /// one reply skips the capacity round trip. Nothing follows but the
    /// trailers, so no producer runs ahead of a slow reader.
    pub fn send_last(&mut self, frames: Chunks) -> Result<(), Status> {
        let stream = self.open()?;
        let sent = match frames {
            Chunks::One(frames) => stream.send_data(frames, false),
            Chunks::Many(chunks) => chunks
                .into_iter()
                .try_for_each(|chunk| stream.send_data(chunk, false)),
        };
        sent.map_err(|err| Status::from_h2_error(&err))
    }

    /// Sends the response head now, if it has not gone out yet, so that the
    /// client sees the call as started before the first message exists.
    pub fn send_headers(&mut self) -> Result<(), Status> {
        self.open().map(|_| ())
    }

    fn open(&mut self) -> Result<&mut SendStream<Bytes>, Status> {
        if let State::Unanswered(respond) = &mut self.state {
            let head = response_head(self.initial_metadata.take());
            let stream = respond
                .send_response(head, false)
                .map_err(|err| Status::from_h2_error(&err))?;
            self.state = State::Open(stream);
        }
        match &mut self.state {
            State::Open(stream) => Ok(stream),
            _ => Err(Status::response_finished()),
        }
    }

    /// Ends the call with `status` (and the metadata it carries as
    /// trailers): trailers after the messages, or a trailers-only response
    /// when nothing was sent yet.
    pub fn finish(&mut self, status: &Status) {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::Unanswered(mut respond) => {
                // PROTOCOL-HTTP2.md: "Most responses are expected to have
                // both headers and trailers but Trailers-Only is permitted
                // for calls that produce an immediate error", and
                // "Trailers-Only → HTTP-Status Content-Type Trailers",
                // "Trailers → Status [Status-Message] *Custom-Metadata":
                // the initial metadata the call set goes along as custom
                // metadata, the encoding of messages that never came does
                // not.
                let mut metadata = self.initial_metadata.take();
                if let Some(metadata) = &mut metadata {
                    metadata.remove(GRPC_ENCODING);
                }
                let mut head = response_head(metadata);
                status.write_to(head.headers_mut());
                let _ = respond.send_response(head, true);
            }
            State::Open(mut stream) => {
                let _ = stream.send_trailers(trailers(status));
            }
            State::Finished => {}
        }
    }

    /// Resolves when the client resets the stream (for example, it
    /// cancelled the call), with the status the handler should see.
    pub fn poll_reset(&mut self, cx: &mut Context<'_>) -> Poll<Status> {
        let reset = match &mut self.state {
            State::Unanswered(respond) => respond.poll_reset(cx),
            State::Open(stream) => stream.poll_reset(cx),
            State::Finished => return Poll::Pending,
        };
        if reset.is_ready() {
            self.reset = true;
        }
        reset.map(|result| match result {
            Ok(reason) => Status::from_h2_error(&h2::Error::from(reason)),
            Err(err) => Status::from_h2_error(&err),
        })
    }

    /// True once [`ResponseSink::poll_reset`] has seen the client reset the
    /// stream.
    pub fn was_reset(&self) -> bool {
        self.reset
    }

    /// Waits until the client resets the stream.
    pub async fn reset(&mut self) -> Status {
        poll_fn(|cx| self.poll_reset(cx)).await
    }
}

/// `:status 200`, `content-type: application/grpc`,
/// `grpc-accept-encoding`, and the initial metadata (with `grpc-encoding`
/// when the call's layer chose one), as the sink keeps it: `None` when
/// none was set.
fn response_head(metadata: Option<Box<HeaderMap>>) -> Response<()> {
    let headers = match metadata {
        Some(metadata) if !metadata.is_empty() => with_grpc_head(*metadata),
        // Most responses: a copy of the map built once, which costs two
        // small array copies where building it hashes every name.
        _ => {
            static PLAIN: LazyLock<HeaderMap> = LazyLock::new(|| with_grpc_head(HeaderMap::new()));
            PLAIN.clone()
        }
    };
    let mut head = Response::new(());
    *head.status_mut() = StatusCode::OK;
    *head.headers_mut() = headers;
    head
}

/// Adds the headers every response head carries.
fn with_grpc_head(mut headers: HeaderMap) -> HeaderMap {
    headers.insert(CONTENT_TYPE, GRPC_CONTENT_TYPE);
    headers.insert(GRPC_ACCEPT_ENCODING, ACCEPT_ENCODING_VALUE);
    headers
}

/// The trailers that end a call with `status`.
fn trailers(status: &Status) -> HeaderMap {
    let plain_ok = status.code() == Code::Ok
        && status.message().is_empty()
        && status.details().is_empty()
        && status.metadata().is_empty();
    if plain_ok {
        // Most calls end so: a copy of the map built once.
        static OK: LazyLock<HeaderMap> = LazyLock::new(|| {
            let mut trailers = HeaderMap::with_capacity(1);
            Status::ok("").write_to(&mut trailers);
            trailers
        });
        return OK.clone();
    }
    let mut trailers = HeaderMap::with_capacity(1 + status.metadata().len());
    status.write_to(&mut trailers);
    trailers
}

/// Answers a request that is not a gRPC call with an HTTP error status; the
/// gRPC status goes along for gRPC clients.
pub fn reject(mut respond: SendResponse<Bytes>, http_status: StatusCode, status: &Status) {
    let mut head = response_head(None);
    *head.status_mut() = http_status;
    status.write_to(head.headers_mut());
    let _ = respond.send_response(head, true);
}
