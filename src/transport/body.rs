//! Incoming gRPC frames on one HTTP/2 stream: [`RecvBody`] turns DATA chunks
//! into length-prefixed frames within the receive limit, releasing
//! flow-control capacity as it consumes them, and reads the trailers at the
//! end. Frames come out as they arrived, flagged compressed or not, with
//! the [`MessageDecoder`] that inflates and decodes them (the sender's
//! `grpc-encoding`, the same receive limit).

use std::future::poll_fn;
use std::task::{ready, Context, Poll};

use h2::RecvStream;
use http::HeaderMap;

use crate::codec::compression::Encoding;
use crate::codec::framing::{Frame, FrameDecoder};
use crate::codec::message_codec::MessageDecoder;
use crate::status::Status;

/// The frames of one direction of a call, read from an h2 stream.
///
/// The peer can send only as much as the HTTP/2 window allows; capacity is
/// given back as soon as a chunk moves into the frame decoder, and the next
/// chunk is read only when the consumer asks for the next frame, so a slow
/// consumer holds the sender back and memory stays bounded by the window
/// plus one message.
#[derive(Debug)]
pub struct RecvBody {
    stream: RecvStream,
    decoder: FrameDecoder,
    /// The sender's `grpc-encoding`. Kept rather than a whole
    /// [`MessageDecoder`], whose limit is the frame decoder's: the body
    /// lives in every call's future, whose size matters (BENCHMARKS.md,
    /// "What the code's shape owes to measurement").
    encoding: Encoding,
    data_done: bool,
}

impl RecvBody {
    /// Wraps an h2 stream whose messages were sent with `encoding`; a
    /// message announcing more than `max_message_size` bytes is refused
    /// with RESOURCE_EXHAUSTED from its prefix alone, and one inflating
    /// past it by its [`RecvBody::messages`] decoder.
    pub fn new(stream: RecvStream, max_message_size: usize, encoding: Encoding) -> RecvBody {
        RecvBody {
            stream,
            decoder: FrameDecoder::new(max_message_size),
            encoding,
            data_done: false,
        }
    }

    /// What reads the messages in this body's frames: the sender's
    /// encoding and the receive limit.
    pub fn messages(&self) -> MessageDecoder {
        MessageDecoder::new(self.encoding, self.decoder.max_message_len())
    }

    /// True when the peer has ended its side and every frame has been read.
    pub fn is_end_stream(&self) -> bool {
        (self.data_done || self.stream.is_end_stream()) && !self.decoder.has_partial()
    }

    /// The next frame, as it arrived; `None` at the end of the stream.
    pub fn poll_frame(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Frame, Status>>> {
        loop {
            match self.decoder.next_frame() {
                Ok(Some(frame)) => return Poll::Ready(Some(Ok(frame))),
                Ok(None) => {}
                Err(err) => return Poll::Ready(Some(Err(Status::from_frame_error(&err)))),
            }
            if self.data_done {
                if self.decoder.has_partial() {
                    return Poll::Ready(Some(Err(Status::truncated_message())));
                }
                return Poll::Ready(None);
            }
            match ready!(self.stream.poll_data(cx)) {
                Some(Ok(chunk)) => {
                    // Give the window back right away: the bytes now count
                    // against the decoder's own limit, not h2's.
                    let _ = self.stream.flow_control().release_capacity(chunk.len());
                    self.decoder.push(chunk);
                }
                Some(Err(err)) => return Poll::Ready(Some(Err(Status::from_h2_error(&err)))),
                None => self.data_done = true,
            }
        }
    }

    /// The next frame; `None` at the end of the stream.
    pub async fn frame(&mut self) -> Option<Result<Frame, Status>> {
        poll_fn(|cx| self.poll_frame(cx)).await
    }

    /// Polls for the trailers; call once every frame has been read.
    pub fn poll_trailers(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Option<HeaderMap>, Status>> {
        self.stream
            .poll_trailers(cx)
            .map_err(|err| Status::from_h2_error(&err))
    }

    /// Reads the trailers after the last frame (frames not yet read are
    /// skipped). `None` when the stream ended without trailers.
    pub async fn trailers(&mut self) -> Result<Option<HeaderMap>, Status> {
        while let Some(frame) = self.frame().await {
            frame?;
        }
        poll_fn(|cx| self.stream.poll_trailers(cx))
            .await
            .map_err(|err| Status::from_h2_error(&err))
    }

    /// Drops any buffered data (used once the call has its answer).
    pub fn into_inner(self) -> RecvStream {
        self.stream
    }
}
