//! The two halves of a client call on the wire: [`RequestSink`], where the
//! framed request messages go out, and [`PendingResponse`], which becomes a
//! [`ReceivedResponse`] (head checked, body to read) when the server
//! answers, or says whether the server refused the call unprocessed.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::HeaderMap;

use super::connection::CallInFlight;
use crate::codec::compression::Encoding;
use crate::codec::frame_buf::Chunks;
use crate::status::Status;
use crate::transport::body::RecvBody;
use crate::transport::head::{is_grpc_content_type, read_encoding};
use crate::transport::send::send_chunks_within_window;

/// The request half of a client call: framed messages go out through it.
#[derive(Debug)]
pub struct RequestSink {
    pub(super) stream: h2::SendStream<Bytes>,
}

impl RequestSink {
    /// Sends framed messages within the server's flow-control window.
    pub async fn send(&mut self, frames: Chunks) -> Result<(), Status> {
        send_chunks_within_window(&mut self.stream, frames, false)
            .await
            .map_err(|err| Status::from_h2_error(&err))
    }

    /// Sends the last framed messages and half-closes the request with them
    /// (one DATA frame with END_STREAM for a small unary request; an empty
    /// one when there are none).
    pub async fn send_last(&mut self, frames: Chunks) -> Result<(), Status> {
        send_chunks_within_window(&mut self.stream, frames, true)
            .await
            .map_err(|err| Status::from_h2_error(&err))
    }

    /// Half-closes the request: no more messages.
    pub fn finish(&mut self) -> Result<(), Status> {
        self.stream
            .send_data(Bytes::new(), true)
            .map_err(|err| Status::from_h2_error(&err))
    }

    /// Cancels the call: RST_STREAM(CANCEL).
    pub fn cancel(&mut self) {
        self.stream.send_reset(h2::Reason::CANCEL);
    }
}

/// A server's answer as it starts: its head, and the body its messages and
/// trailers will come on (or, for a trailers-only answer, the final status).
#[derive(Debug)]
pub struct ReceivedResponse {
    /// Response headers (initial metadata, with reserved ones still in).
    pub headers: HeaderMap,
    /// The response's frames; its trailers carry the status.
    pub body: RecvBody,
    /// Set when the answer was trailers-only: the call's final status.
    pub trailers_only: Option<Status>,
    /// Counts the call as in flight for client keepalive until dropped
    /// (kept by the response stream; a server's request bodies never carry
    /// it, so their call futures stay small).
    pub(crate) in_flight: Option<CallInFlight>,
}

/// A call that ended before its response head came.
#[derive(Debug)]
pub(crate) struct NotAnswered {
    /// What the caller sees.
    pub(crate) status: Status,
    /// The server did not process the call, so it may be sent again
    /// (gRFC A6's transparent retry): it reset the stream with
    /// REFUSED_STREAM, or its GOAWAY's last stream id is below the call's.
    pub(crate) unprocessed: bool,
}

/// Whether `err` says the server never processed the stream. RFC 9113
/// §8.7: REFUSED_STREAM "indicates that the stream was closed prior to any
/// processing having occurred", and streams above a GOAWAY's last stream id
/// "were not or will not be processed" (h2 fails exactly those with the
/// GOAWAY's error; streams it cut off later fail with an I/O error).
pub(crate) fn is_unprocessed(err: &h2::Error) -> bool {
    err.is_remote()
        && (err.is_go_away()
            || (err.is_reset() && err.reason() == Some(h2::Reason::REFUSED_STREAM)))
}

/// A response on its way: resolves to a [`ReceivedResponse`] once its head
/// arrives.
#[derive(Debug)]
pub struct PendingResponse {
    pub(super) response: h2::client::ResponseFuture,
    pub(super) max_message_size: usize,
    /// Counts the call as in flight for keepalive, until its body is dropped.
    pub(super) in_flight: Option<CallInFlight>,
}

impl PendingResponse {
    /// Waits for the response head and checks it is a gRPC answer.
    pub async fn received(self) -> Result<ReceivedResponse, Status> {
        self.answered().await.map_err(|not| not.status)
    }

    /// [`PendingResponse::received`], saying also whether a call that got
    /// no answer was left unprocessed by the server.
    pub(crate) async fn answered(self) -> Result<ReceivedResponse, NotAnswered> {
        let response = self.response.await.map_err(|err| NotAnswered {
            status: Status::from_h2_error(&err),
            unprocessed: is_unprocessed(&err),
        })?;
        let answered = |status| NotAnswered {
            status,
            unprocessed: false,
        };
        let (parts, body) = response.into_parts();
        // PROTOCOL-HTTP2.md: "Trailers-Only is permitted for calls that
        // produce an immediate error", and a Trailers-Only response is one
        // HEADERS frame that ends the stream. A `grpc-status` among headers
        // that do not end the stream is not the call's status: the
        // trailers will carry it (grpc-go and connect-go ignore it too).
        // http-grpc-status-mapping.md: "If grpc-status was provided, it
        // _must_ be used."
        let status = if body.is_end_stream() {
            Status::from_header_map(&parts.headers)
        } else {
            None
        };
        if let Some(status) = status {
            return Ok(ReceivedResponse {
                headers: parts.headers,
                body: RecvBody::new(body, self.max_message_size, Encoding::Identity),
                trailers_only: Some(status),
                in_flight: self.in_flight,
            });
        }
        // "This table is to be used _only_ for clients that received a
        // response that did not include grpc-status."
        if parts.status != http::StatusCode::OK {
            return Err(answered(Status::from_http_status(parts.status)));
        }
        let content_type = parts.headers.get(CONTENT_TYPE);
        if !content_type.is_some_and(|value| is_grpc_content_type(value.as_bytes())) {
            return Err(answered(Status::response_content_type(content_type)));
        }
        // A response encoding we cannot decompress: INTERNAL (grpc-go).
        let encoding = read_encoding(&parts.headers, false).map_err(answered)?;
        Ok(ReceivedResponse {
            headers: parts.headers,
            body: RecvBody::new(body, self.max_message_size, encoding),
            trailers_only: None,
            in_flight: self.in_flight,
        })
    }
}
