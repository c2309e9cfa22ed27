//! Incoming gRPC frames on one HTTP/2 stream: [`RecvBody`] turns DATA chunks
//! into length-prefixed frames, releasing flow-control capacity as it
//! consumes them, decompresses compressed messages (the sender's
//! `grpc-encoding`, with the receive limit applied to the decompressed size
//! too), and reads the trailers at the end.

use std::future::poll_fn;
use std::task::{ready, Context, Poll};

use h2::RecvStream;
use http::HeaderMap;

use crate::codec::compression::Encoding;
use crate::codec::framing::{Frame, FrameDecoder};
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
    /// The sender's `grpc-encoding`: how messages flagged compressed are.
    encoding: Encoding,
    data_done: bool,
    /// Whether the last frame returned arrived flagged compressed.
    last_compressed: bool,
}

impl RecvBody {
    /// Wraps an h2 stream whose messages were sent with `encoding`;
    /// messages longer than `max_message_size`, on the wire or once
    /// decompressed, are refused with RESOURCE_EXHAUSTED.
    pub fn new(stream: RecvStream, max_message_size: usize, encoding: Encoding) -> RecvBody {
        RecvBody {
            stream,
            decoder: FrameDecoder::new(max_message_size),
            encoding,
            data_done: false,
            last_compressed: false,
        }
    }

    /// True when the peer has ended its side and every frame has been read.
    pub fn is_end_stream(&self) -> bool {
        (self.data_done || self.stream.is_end_stream()) && !self.decoder.has_partial()
    }

    /// The next frame, decompressed (its `compressed` flag is then false);
    /// `None` at the end of the stream.
    pub fn poll_frame(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Frame, Status>>> {
        loop {
            match self.decoder.next_frame() {
                Ok(Some(frame)) => {
                    self.last_compressed = frame.compressed;
                    if !frame.compressed {
                        return Poll::Ready(Some(Ok(frame)));
                    }
                    return Poll::Ready(Some(self.decompress(frame)));
                }
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

    /// Whether the last frame [`RecvBody::poll_frame`] returned arrived
    /// flagged compressed (it is returned inflated, its flag cleared): the
    /// per-message compression a server may check (the interop suite's
    /// `expect_compressed`).
    pub fn last_frame_compressed(&self) -> bool {
        self.last_compressed
    }

    /// Inflates a frame flagged compressed, within the receive limit.
    fn decompress(&self, frame: Frame) -> Result<Frame, Status> {
        if self.encoding.is_identity() {
            return Err(Status::compressed_without_encoding());
        }
        let limit = self.decoder.max_message_len();
        let payload = self
            .encoding
            .decompress(&frame.payload, limit)
            .map_err(|err| Status::from_compression_error(&err))?;
        Ok(Frame {
            compressed: false,
            payload: payload.into(),
        })
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
