//! How a handler's output becomes the response body:
//! [`IntoResponseBody`], for exactly one reply ([`OneReply`]) or a stream of
//! them ([`StreamedReplies`], packed several to a DATA frame when they are
//! ready together).

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use futures_core::Stream;
use futures_util::{FutureExt, StreamExt};

use crate::codec::frame_buf::FrameBuf;
use crate::codec::message_codec::MessageEncoder;
use crate::codec::Message;
use crate::status::Status;
use crate::transport::ResponseSink;

/// Streamed replies are encoded into buffers of this size, each carved into
/// the DATA frames it holds, so small replies do not cost an allocation each.
const REPLY_CHUNK: usize = 1024;

/// Ready replies are packed into one DATA frame up to this many bytes, so a
/// burst of small streamed messages costs one frame, not one each.
const COALESCE_LIMIT: usize = 16 * 1024;

/// The one reply of a unary or client-streaming call.
#[derive(Debug)]
pub struct OneReply<M>(pub M);

/// The replies of a server-streaming or bidi call.
#[derive(Debug)]
pub struct StreamedReplies<S>(pub S);

/// How a handler's output becomes the response body.
pub trait IntoResponseBody: Send + 'static {
    /// Writes the output to the sink, framed by `encoder`; the caller sends
    /// the final status.
    fn write(
        self,
        sink: &mut ResponseSink,
        encoder: &mut MessageEncoder,
    ) -> impl Future<Output = Result<(), Status>> + Send;
}

impl<M: Message + Sync> IntoResponseBody for OneReply<M> {
    async fn write(
        self,
        sink: &mut ResponseSink,
        encoder: &mut MessageEncoder,
    ) -> Result<(), Status> {
        let mut buf = FrameBuf::new();
        encoder.encode(&self.0, &mut buf)?;
        sink.send_last(buf.into_chunks())
    }
}

impl<M, S> IntoResponseBody for StreamedReplies<S>
where
    M: Message,
    S: Stream<Item = Result<M, Status>> + Send + 'static,
{
    async fn write(
        self,
        sink: &mut ResponseSink,
        encoder: &mut MessageEncoder,
    ) -> Result<(), Status> {
        let mut replies = pin!(self.0);
        let mut buf = FrameBuf::new();
        loop {
            // The next reply, polled with this task's waker; while none is
            // ready, a client going away ends the wait: a producer idling
            // between replies must learn of it. The response head waits
            // for the first reply: a stream that fails before it is
            // answered Trailers-Only (see `ResponseSink::finish`).
            let next = poll_fn(|cx| match replies.as_mut().poll_next(cx) {
                Poll::Ready(next) => Poll::Ready(Ok(next)),
                Poll::Pending => sink.poll_reset(cx).map(Err),
            })
            .await?;
            if buf.open_mut().capacity() < REPLY_CHUNK / 4 {
                buf.open_mut().reserve(REPLY_CHUNK);
            }
            let Some(reply) = next else { return Ok(()) };
            encoder.encode(&reply?, &mut buf)?;
            // Take every reply that is ready now into the same DATA frame.
            while buf.len() < COALESCE_LIMIT {
                match replies.next().now_or_never() {
                    Some(Some(Ok(reply))) => encoder.encode(&reply, &mut buf)?,
                    // The replies taken before the error still go out, as
                    // they would have had the error come a moment later.
                    Some(Some(Err(status))) => {
                        sink.send(buf.take()).await?;
                        return Err(status);
                    }
                    Some(None) => return sink.send_last(buf.take()),
                    None => break,
                }
            }
            sink.send(buf.take()).await?;
        }
    }
}
