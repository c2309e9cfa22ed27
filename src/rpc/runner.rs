//! The one engine behind the four call types. Every call is "messages in,
//! messages out"; the call types differ only in how many of each, which
//! [`FromRequestBody`] and [`IntoResponseBody`] decide, so the cardinality
//! rules, deadlines, cancellation, panics and the final status are handled
//! once, here.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Instant;

use bytes::BytesMut;
use futures_core::Stream;
use futures_util::{FutureExt, StreamExt};
use http::HeaderValue;

use super::context::CallContext;
use super::guard::{guarded, Interruption};
use super::interceptor::InterceptorChain;
use super::request::{Request, Response};
use super::streaming::Streaming;
use crate::codec::compression::{negotiate, Encoding};
use crate::codec::message_codec::MessageEncoder;
use crate::codec::{Message, MessageLimits};
use crate::status::{Direction, Got, Status};
use crate::transport::{RecvBody, RequestHead, ResponseSink, ServerCall};

/// Server-wide settings each call needs.
#[derive(Debug, Clone)]
pub struct CallSettings {
    /// The size limits on every call's messages: the send limit is applied
    /// here, when replies are encoded; the receive limit came with the
    /// call's request body.
    pub limits: MessageLimits,
    /// The encoding the server prefers for responses (`None`: answer in
    /// the request's encoding, grpc-go's default).
    pub send_compression: Option<Encoding>,
}

impl CallSettings {
    /// The encoding of a call's response messages: the server's preferred
    /// one if the client accepts it, else the request's own if the client
    /// accepts it, else identity (see [`negotiate`]).
    ///
    /// The hook for per-method (or per-handler) compression settings: they
    /// would be passed in here, ahead of the server-wide preference.
    pub fn response_encoding(&self, head: &RequestHead) -> Encoding {
        negotiate(self.send_compression, head.encoding, head.accept_encoding())
    }
}

/// The handler's choice ([`Response::set_compression`]) when the client
/// accepts it, else the call's negotiated `default`.
fn handler_encoding(
    chosen: Option<Encoding>,
    default: Encoding,
    accept: Option<&[u8]>,
) -> Encoding {
    match chosen {
        Some(encoding) if encoding.is_identity() || encoding.accepted_by(accept) => encoding,
        _ => default,
    }
}

/// Streamed replies are encoded into buffers of this size, each carved into
/// the DATA frames it holds, so small replies do not cost an allocation each.
const REPLY_CHUNK: usize = 1024;

/// Ready replies are packed into one DATA frame up to this many bytes, so a
/// burst of small streamed messages costs one frame, not one each.
const COALESCE_LIMIT: usize = 16 * 1024;

/// Exactly one message (unary and server-streaming requests, unary and
/// client-streaming responses).
#[derive(Debug)]
pub struct One<M>(pub M);

/// Exactly one request message, and whether it arrived compressed (unary
/// and server-streaming requests).
#[derive(Debug)]
pub struct Single<M> {
    /// The message.
    pub message: M,
    /// Its frame's compressed flag.
    pub compressed: bool,
}

/// A stream of outgoing messages (server-streaming and bidi responses).
#[derive(Debug)]
pub struct Many<S>(pub S);

/// How a call's request body becomes the handler's input.
pub trait FromRequestBody: Sized + Send + 'static {
    /// Reads the input from the request's frames, taking the request stream
    /// out of `body` when the input keeps it (a stream of messages). The
    /// stream is lent rather than moved so that the call's future holds it
    /// once.
    fn from_body(body: &mut Option<RecvBody>) -> impl Future<Output = Result<Self, Status>> + Send;

    /// Whether the input was one message that arrived compressed.
    fn message_compressed(&self) -> bool {
        false
    }
}

impl<M: Message> FromRequestBody for Single<M> {
    async fn from_body(body: &mut Option<RecvBody>) -> Result<Self, Status> {
        let Some(stream) = body.as_mut() else {
            return Err(Status::request_body_taken());
        };
        let input = Self::read_one(stream).await;
        // Done with the request stream: let it go now, not with the call.
        *body = None;
        input
    }

    fn message_compressed(&self) -> bool {
        self.compressed
    }
}

impl<M: Message> Single<M> {
    /// Reads exactly one message.
    async fn read_one(body: &mut RecvBody) -> Result<Self, Status> {
        // statuscodes.md: "Request cardinality violation (method requires
        // exactly one request but client sent some other number of
        // requests)": UNIMPLEMENTED.
        let first = match body.frame().await {
            Some(frame) => {
                let frame = frame?;
                Single {
                    compressed: frame.compressed,
                    message: body.messages().decode::<M>(frame)?,
                }
            }
            None => return Err(Status::cardinality_violation(Direction::Request, Got::None)),
        };
        match body.frame().await {
            None => Ok(first),
            Some(Err(status)) => Err(status),
            Some(Ok(_)) => Err(Status::cardinality_violation(
                Direction::Request,
                Got::MoreThanOne,
            )),
        }
    }
}

impl<M: Message> FromRequestBody for Streaming<M> {
    async fn from_body(body: &mut Option<RecvBody>) -> Result<Self, Status> {
        body.take()
            .map(Streaming::server)
            .ok_or_else(Status::request_body_taken)
    }
}

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

impl<M: Message + Sync> IntoResponseBody for One<M> {
    async fn write(
        self,
        sink: &mut ResponseSink,
        encoder: &mut MessageEncoder,
    ) -> Result<(), Status> {
        let mut buf = BytesMut::new();
        encoder.encode(&self.0, &mut buf)?;
        sink.send_last(buf.freeze())
    }
}

impl<M, S> IntoResponseBody for Many<S>
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
        let mut buf = BytesMut::new();
        loop {
            // The next reply, polled with this task's waker; while none is
            // ready, the response head goes out (so the client sees the call
            // started even when the replies wait on its own later requests,
            // bidi, or on events, a subscription) and a client going away
            // ends the wait: a producer idling between replies must learn
            // of it.
            let next = poll_fn(|cx| match replies.as_mut().poll_next(cx) {
                Poll::Ready(next) => Poll::Ready(Ok(next)),
                Poll::Pending => {
                    if !sink.headers_sent() {
                        sink.send_headers()?;
                    }
                    sink.poll_reset(cx).map(Err)
                }
            })
            .await?;
            if buf.capacity() < REPLY_CHUNK / 4 {
                buf.reserve(REPLY_CHUNK);
            }
            let Some(reply) = next else { return Ok(()) };
            encoder.encode(&reply?, &mut buf)?;
            // Take every reply that is ready now into the same DATA frame.
            while buf.len() < COALESCE_LIMIT {
                match replies.next().now_or_never() {
                    Some(Some(reply)) => encoder.encode(&reply?, &mut buf)?,
                    Some(None) => return sink.send_last(buf.split().freeze()),
                    None => break,
                }
            }
            sink.send(buf.split().freeze()).await?;
        }
    }
}

/// Runs one call: runs the interceptors, reads the input, runs the handler
/// under the call's deadline, writes the output, and ends the call with its
/// status. A panicking handler ends its own call with UNKNOWN and nothing
/// else.
///
/// The call's future is kept small, because every byte of it is copied into
/// the box a spawned call lives in, and a box past glibc's thread-cache
/// limit (1,032 bytes) never gets the allocator's fast path. (A unary
/// Greeter call's future is about 1 KiB; it was 3.6 KiB.) So the head is taken
/// apart here, before the future exists; the steps are awaited one after
/// another in this one future, each pinned where it is created and
/// [`guarded`] (deadline, panic, reset), rather than nested inside a
/// timeout and a panic catcher that would hold second copies of what moves
/// into them; and the request body is lent to the step that reads it.
pub fn run<In, Out, F, Fut>(
    call: ServerCall,
    settings: &CallSettings,
    interceptors: Option<Arc<InterceptorChain>>,
    handler: Arc<F>,
) -> impl Future<Output = ()> + use<In, Out, F, Fut>
where
    In: FromRequestBody,
    Out: IntoResponseBody,
    F: Fn(Request<In>) -> Fut,
    Fut: Future<Output = Result<Response<Out>, Status>> + Send,
{
    // Reading the clock is a measurable part of a small call: only when
    // the debug line below will be written.
    let started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
    let default_encoding = settings.response_encoding(&call.head);
    let limits = settings.limits;
    let ServerCall {
        head,
        body,
        mut sink,
    } = call;
    let RequestHead {
        uri,
        headers,
        deadline,
        encoding: request_encoding,
        peer,
        accept_encoding,
    } = head;
    // The call's one timer, at the deadline fixed when its head arrived;
    // only when the client set one.
    let mut timer = deadline.map(|deadline| Box::pin(deadline.sleep()));
    let context = CallContext::server(uri, peer, deadline);
    let mut request = Request::from_call((), headers, request_encoding, context.clone());
    let mut body = Some(body);

    async move {
        // One step of the call, pinned where it is created and guarded; a
        // step's error or interruption ends the call.
        macro_rules! step {
            ($call:lifetime, $step:expr, $reset_watch:expr) => {
                match guarded(pin!($step), &mut timer, $reset_watch).await {
                    Ok(Ok(value)) => value,
                    Ok(Err(status)) => break $call Err(Ended::Failed(status)),
                    Err(interruption) => break $call Err(Ended::Interrupted(interruption)),
                }
            };
        }
        let outcome: Result<(), Ended> = 'call: {
            // Interceptors see the head only: a rejected call's body is never read.
            if let Some(interceptors) = &interceptors {
                step!('call, interceptors.run(&mut request), None);
            }
            let input = step!('call, In::from_body(&mut body), None);
            let compressed = input.message_compressed();
            // The client may cancel while the handler works: stop waiting
            // then, dropping the handler's future.
            let mut response = step!(
                'call,
                handler(request.map(|()| input).with_message_compressed(compressed)),
                Some(&mut sink)
            );
            // The handler's trailing metadata from its response goes out
            // with the final status, ahead of any set through the context.
            let trailers = response.take_trailers();
            if !trailers.is_empty() {
                let mut all = trailers;
                all.extend(&context.take_trailers());
                context.set_trailing_metadata(all);
            }
            let encoding = handler_encoding(
                response.compression(),
                default_encoding,
                accept_encoding.as_ref().map(HeaderValue::as_bytes),
            );
            let (initial_metadata, output) = response.into_parts();
            if !initial_metadata.is_empty() {
                sink.initial_metadata_mut()
                    .extend(initial_metadata.into_headers());
            }
            sink.set_encoding(encoding);
            let mut encoder = MessageEncoder::new(encoding, limits.max_send);
            step!('call, output.write(&mut sink, &mut encoder), None);
            Ok(())
        };
        // Tell whatever the handler spawned that nobody is listening. A call
        // that failed may have seen the client's reset through its request
        // stream rather than through the sink: look at the sink once more then
        // (never on the success path, which stays free of the extra lock).
        let failed = outcome.is_err();
        if sink.was_reset() || (failed && sink.reset().now_or_never().is_some()) {
            context.cancel();
        }
        let mut status = match outcome {
            Ok(()) => Status::ok(""),
            Err(Ended::Failed(status)) | Err(Ended::Interrupted(Interruption::Reset(status))) => {
                status
            }
            Err(Ended::Interrupted(Interruption::DeadlineExceeded)) => {
                context.cancel();
                Status::deadline_passed()
            }
            Err(Ended::Interrupted(Interruption::Panicked(panic))) => {
                let what = panic_message(&*panic);
                tracing::error!(path = context.method(), panic = what, "handler panicked");
                Status::handler_panicked()
            }
        };
        let trailers = context.take_trailers();
        if !trailers.is_empty() {
            status.metadata_mut().extend(&trailers);
        }
        if let Some(started) = started {
            tracing::debug!(
                path = context.method(),
                code = ?status.code(),
                elapsed_us = started.elapsed().as_micros() as u64,
                "call finished"
            );
        }
        sink.finish(&status);
    }
}

/// How a call ended early.
enum Ended {
    /// A step failed with this status.
    Failed(Status),
    /// A step was interrupted.
    Interrupted(Interruption),
}

/// The text of a panic payload, when it has one.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
