//! [`Client`]: the four call types, typed, over a [`Channel`]. Typed
//! service clients (such as `GreeterClient`) are thin wrappers naming the
//! paths and message types.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::time::Sleep;

use futures_core::Stream;
use http::uri::PathAndQuery;

use std::sync::Arc;

use super::cancel::CancelToken;
use super::interceptor::{ClientInterceptor, ClientInterceptors};
use super::request::{CallParts, Request, Response};
use super::streaming::{AbortOnDrop, LateHeadFuture, Streaming};
use crate::codec::compression::Encoding;
use crate::codec::frame_buf::{Chunks, FrameBuf};
use crate::codec::message_codec::MessageEncoder;
use crate::codec::Message;
use crate::metadata::MetadataMap;
use crate::status::{Code, Direction, Got, Status};
use crate::transport::{
    CallOptions, Channel, Deadline, NotAnswered, PendingResponse, ReceivedResponse, RequestSink,
};

/// Makes typed calls on a channel. Cheap to clone.
///
/// Every call tells the server it accepts gzip, deflate (feature `gzip`)
/// and identity responses (`grpc-accept-encoding`) and decompresses what
/// comes back;
/// request messages are compressed when [`Client::send_compressed`] or
/// [`Request::set_compression`] says so.
#[derive(Debug, Clone)]
pub struct Client {
    channel: Channel,
    send_compression: Encoding,
    /// `None` without interceptors: nothing to run, nothing to clone.
    interceptors: Option<Arc<ClientInterceptors>>,
    wait_for_ready: bool,
}

impl Client {
    /// A client on `channel`, sending uncompressed requests.
    pub fn new(channel: Channel) -> Client {
        Client {
            channel,
            send_compression: Encoding::Identity,
            interceptors: None,
            wait_for_ready: false,
        }
    }

    /// Makes every call wait for a connection while the channel cannot
    /// connect, until the call's deadline, instead of failing at once with
    /// UNAVAILABLE (doc/wait-for-ready.md); a call's own
    /// [`Request::set_wait_for_ready`] overrides it. Off by default.
    pub fn wait_for_ready(mut self, wait: bool) -> Client {
        self.wait_for_ready = wait;
        self
    }

    /// Runs `interceptor` before every call this client makes (after those
    /// added before it): it may add metadata, such as credentials
    /// ([`BearerAuth`](super::BearerAuth)), or refuse the call.
    pub fn with_interceptor(mut self, interceptor: impl ClientInterceptor) -> Client {
        Arc::make_mut(self.interceptors.get_or_insert_with(Default::default)).push(interceptor);
        self
    }

    /// Compresses the request messages of every call with `encoding` (a
    /// call's own [`Request::set_compression`] overrides it). As in grpc-go,
    /// the server must support it: one that does not answers UNIMPLEMENTED.
    pub fn send_compressed(mut self, encoding: Encoding) -> Client {
        self.send_compression = encoding;
        self
    }

    /// The channel this client calls on.
    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    /// A unary call: one request, one response.
    pub async fn unary<Req: Message, Resp: Message>(
        &self,
        path: &'static str,
        request: Request<Req>,
    ) -> Result<Response<Resp>, Status> {
        let (
            CallParts {
                metadata,
                message,
                timeout,
                cancel,
                wait_for_ready,
            },
            encoding,
        ) = self.prepare(path, request)?;
        let frame = self.encode(&message, encoding)?;
        let deadline = timeout.map(Deadline::after);
        let options = self.options(deadline.as_ref(), encoding, wait_for_ready);
        let mut timer = deadline.map(|deadline| Box::pin(deadline.sleep()));
        until_deadline_or_cancel(&mut timer, cancel.as_ref(), async {
            let received = self.send_one(path, &metadata, options, frame).await?;
            single_reply(received, None).await
        })
        .await
    }

    /// A server-streaming call: one request, a stream of responses.
    pub async fn server_streaming<Req: Message, Resp: Message>(
        &self,
        path: &'static str,
        request: Request<Req>,
    ) -> Result<Response<Streaming<Resp>>, Status> {
        let (
            CallParts {
                metadata,
                message,
                timeout,
                cancel,
                wait_for_ready,
            },
            encoding,
        ) = self.prepare(path, request)?;
        let frame = self.encode(&message, encoding)?;
        // One timer and the cancel token cover the call's start, then the
        // response stream.
        let deadline = timeout.map(Deadline::after);
        let options = self.options(deadline.as_ref(), encoding, wait_for_ready);
        let mut timer = deadline.map(|deadline| Box::pin(deadline.sleep()));
        let received = until_deadline_or_cancel(&mut timer, cancel.as_ref(), async {
            self.send_one(path, &metadata, options, frame).await
        })
        .await?;
        stream_reply(received, None, timer, cancel)
    }

    /// A client-streaming call: the messages of `request`'s stream are
    /// sent as they come; one response comes back.
    pub async fn client_streaming<Req, Resp, S>(
        &self,
        path: &'static str,
        request: Request<S>,
    ) -> Result<Response<Resp>, Status>
    where
        Req: Message,
        Resp: Message,
        S: Stream<Item = Req> + Send + 'static,
    {
        let (
            CallParts {
                metadata,
                message: messages,
                timeout,
                cancel,
                wait_for_ready,
            },
            encoding,
        ) = self.prepare(path, request)?;
        let deadline = timeout.map(Deadline::after);
        let options = self.options(deadline.as_ref(), encoding, wait_for_ready);
        let mut timer = deadline.map(|deadline| Box::pin(deadline.sleep()));
        until_deadline_or_cancel(&mut timer, cancel.as_ref(), async {
            let (sink, pending) = self.start(path, &metadata, options).await?;
            let pump = self.spawn_request_pump(sink, messages, encoding, None);
            let received = pending.received().await?;
            single_reply(received, Some(pump)).await
        })
        .await
    }

    /// A bidirectional-streaming call: the messages of `request`'s stream
    /// are sent as they come, while responses are read as they arrive.
    ///
    /// It returns once the server's response head has come, with its
    /// metadata in the [`Response`], or at once when the request stream
    /// has nothing to send when the call starts: a server may send its head
    /// only with its first reply (grpc-go's and ours do), which a caller
    /// feeding the stream once the call returns would otherwise wait for
    /// forever. The head's metadata is then read with
    /// [`Streaming::initial_metadata`], and an error the server answers at
    /// once comes from the first [`Streaming::message`], as in grpc-go,
    /// whose streams always start so.
    pub async fn bidi_streaming<Req, Resp, S>(
        &self,
        path: &'static str,
        request: Request<S>,
    ) -> Result<Response<Streaming<Resp>>, Status>
    where
        Req: Message,
        Resp: Message,
        S: Stream<Item = Req> + Send + 'static,
    {
        let (
            CallParts {
                metadata,
                message: messages,
                timeout,
                cancel,
                wait_for_ready,
            },
            encoding,
        ) = self.prepare(path, request)?;
        let deadline = timeout.map(Deadline::after);
        let options = self.options(deadline.as_ref(), encoding, wait_for_ready);
        let mut timer = deadline.map(|deadline| Box::pin(deadline.sleep()));
        let started = until_deadline_or_cancel(&mut timer, cancel.as_ref(), async {
            let (sink, pending) = self.start(path, &metadata, options).await?;
            let (starved_tx, starved) = tokio::sync::oneshot::channel();
            let pump = self.spawn_request_pump(sink, messages, encoding, Some(starved_tx));
            let mut head: LateHeadFuture = Box::pin(pending.received());
            tokio::select! {
                biased;
                received = &mut head => Ok((Ok(received?), pump)),
                // The request stream has nothing to send: return now, or a
                // caller feeding it once the call returns would wait for a
                // head that the server sends with its first reply.
                Ok(()) = starved => Ok((Err(head), pump)),
            }
        })
        .await?;
        match started {
            (Ok(received), pump) => stream_reply(received, Some(pump), timer, cancel),
            (Err(head), pump) => Ok(Response::new(Streaming::client_before_head(
                head,
                Some(pump),
                timer,
                cancel,
            ))),
        }
    }

    /// Takes a request apart for its call: its encoding (the call's own,
    /// else the client's) and its parts, with the client's interceptors run
    /// on its metadata (their refusal fails the call before anything is
    /// sent).
    fn prepare<T>(
        &self,
        path: &str,
        request: Request<T>,
    ) -> Result<(CallParts<T>, Encoding), Status> {
        let encoding = request.compression().unwrap_or(self.send_compression);
        let mut parts = request.into_call_parts();
        if let Some(interceptors) = &self.interceptors {
            interceptors.run(path, &mut parts.metadata)?;
        }
        Ok((parts, encoding))
    }

    /// How a call starts: its deadline, encoding and wait-for-ready (the
    /// request's, else the client's).
    fn options<'a>(
        &self,
        deadline: Option<&'a Deadline>,
        encoding: Encoding,
        wait_for_ready: Option<bool>,
    ) -> CallOptions<'a> {
        CallOptions {
            deadline,
            encoding,
            wait_for_ready: wait_for_ready.unwrap_or(self.wait_for_ready),
        }
    }

    async fn start(
        &self,
        path: &'static str,
        metadata: &MetadataMap,
        options: CallOptions<'_>,
    ) -> Result<(RequestSink, PendingResponse), Status> {
        self.channel
            .start_call_encoded(
                PathAndQuery::from_static(path),
                metadata.as_headers().clone(),
                options,
                false,
            )
            .await
    }

    /// Sends a call whose request is the one framed message `frame` and
    /// waits for the response head. A call the server refused unprocessed
    /// (REFUSED_STREAM, or above a GOAWAY's last stream id) is sent once
    /// more, on the channel's current connection: gRFC A6's transparent
    /// retry, safe for any method as the server never saw the call.
    async fn send_one(
        &self,
        path: &'static str,
        metadata: &MetadataMap,
        options: CallOptions<'_>,
        frame: Chunks,
    ) -> Result<ReceivedResponse, Status> {
        let mut retried = false;
        loop {
            let (mut sink, pending) = self.start(path, metadata, options).await?;
            let sent = sink.send_last(frame.clone()).await;
            match pending.answered().await {
                Ok(received) => return Ok(received),
                Err(NotAnswered {
                    unprocessed: true, ..
                }) if !retried => {
                    tracing::debug!(path, "call refused unprocessed; retrying it transparently");
                    retried = true;
                }
                // A server may answer early (a message over its limit, an
                // unknown method) and stop the request with
                // RST_STREAM(NO_ERROR); what it said is the call's outcome,
                // not our failed send. Without an answer, the send's error.
                Err(not_answered) => return Err(sent.err().unwrap_or(not_answered.status)),
            }
        }
    }

    fn encoder(&self, encoding: Encoding) -> MessageEncoder {
        MessageEncoder::new(encoding, self.channel.config().max_send_message_size)
    }

    fn encode<M: Message>(&self, message: &M, encoding: Encoding) -> Result<Chunks, Status> {
        let mut buf = FrameBuf::new();
        self.encoder(encoding).encode(message, &mut buf)?;
        Ok(buf.into_chunks())
    }

    /// Sends the request stream's messages from a task of its own, so that
    /// responses can be read while requests are still being produced.
    /// `starved` is told if the stream has nothing to send when first
    /// polled, and dropped untold once a first batch (or the end) came.
    fn spawn_request_pump<Req, S>(
        &self,
        mut sink: RequestSink,
        messages: S,
        encoding: Encoding,
        mut starved: Option<tokio::sync::oneshot::Sender<()>>,
    ) -> AbortOnDrop
    where
        Req: Message,
        S: Stream<Item = Req> + Send + 'static,
    {
        let mut encoder = self.encoder(encoding);
        AbortOnDrop(tokio::spawn(async move {
            let mut messages = std::pin::pin!(messages);
            let mut buf = FrameBuf::new();
            loop {
                let batch = poll_fn(|cx| {
                    let polled = poll_batch(messages.as_mut(), cx, &mut encoder, &mut buf);
                    if polled.is_pending() {
                        if let Some(starved) = starved.take() {
                            let _ = starved.send(());
                        }
                    }
                    polled
                })
                .await;
                starved = None;
                // A send fails only when the server ended the call; its
                // status comes with the response.
                match batch {
                    Batch::More => {
                        if sink.send(buf.take()).await.is_err() {
                            return;
                        }
                    }
                    Batch::Last => {
                        let _ = sink.send_last(buf.take()).await;
                        return;
                    }
                    Batch::Failed(status) => {
                        tracing::debug!(?status, "request message not sent; cancelling the call");
                        sink.cancel();
                        return;
                    }
                }
            }
        }))
    }
}

/// Most bytes of request messages gathered into one send: one DATA frame
/// of the size every peer accepts (RFC 9113's minimum SETTINGS_MAX_FRAME_SIZE).
const REQUEST_BATCH_BYTES: usize = 16 * 1024;

/// What [`poll_batch`] gathered into the buffer.
enum Batch {
    /// Messages to send; the stream goes on.
    More,
    /// The last messages (maybe none): send them and half-close.
    Last,
    /// A message could not be encoded.
    Failed(Status),
}

/// Encodes into `buf` every request message the stream has ready, up to
/// [`REQUEST_BATCH_BYTES`], so that they go out in one DATA frame rather
/// than one frame each, as tonic's encoder does. Pending only when nothing
/// is ready. Small frames are not just slower: h2 servers budget the
/// overhead of buffered small DATA frames and end a connection that
/// exceeds it with GOAWAY(ENHANCE_YOUR_CALM, "too_many_data_frames"),
/// which one 12-byte frame per message does on a fast stream.
fn poll_batch<Req: Message, S: Stream<Item = Req>>(
    mut messages: Pin<&mut S>,
    cx: &mut Context<'_>,
    encoder: &mut MessageEncoder,
    buf: &mut FrameBuf,
) -> Poll<Batch> {
    loop {
        match messages.as_mut().poll_next(cx) {
            Poll::Ready(Some(message)) => {
                if let Err(err) = encoder.encode(&message, buf) {
                    return Poll::Ready(Batch::Failed(err.into()));
                }
                if buf.len() >= REQUEST_BATCH_BYTES {
                    return Poll::Ready(Batch::More);
                }
            }
            Poll::Ready(None) => return Poll::Ready(Batch::Last),
            Poll::Pending if buf.is_empty() => return Poll::Pending,
            Poll::Pending => return Poll::Ready(Batch::More),
        }
    }
}

/// Runs a call's setup under its deadline `timer` and its cancel token:
/// DEADLINE_EXCEEDED when the timer fires, CANCELLED when the token is
/// cancelled (dropping the call resets its stream with CANCEL). The timer
/// is lent, not consumed: a streamed response takes it over afterwards, so
/// a call has one timer from its start to its end.
async fn until_deadline_or_cancel<T>(
    timer: &mut Option<Pin<Box<Sleep>>>,
    cancel: Option<&CancelToken>,
    call: impl Future<Output = Result<T, Status>>,
) -> Result<T, Status> {
    let timed = async {
        match timer {
            None => call.await,
            Some(timer) => {
                tokio::select! {
                    // The call first: one that is ready wins over the deadline.
                    biased;
                    outcome = call => outcome.map_err(|status| deadline_or(status, timer)),
                    () = timer.as_mut() => Err(Status::deadline_passed()),
                }
            }
        }
    };
    match cancel {
        None => timed.await,
        Some(token) => {
            tokio::select! {
                // A token cancelled before the call starts wins: nothing is sent.
                biased;
                () = token.cancelled() => Err(CancelToken::status()),
                outcome = timed => outcome,
            }
        }
    }
}

/// A call's failure as the caller sees it: a CANCELLED that comes once the
/// call's deadline has passed is the server giving up at the deadline
/// (grpc-go's server resets the stream with CANCEL then), reported as
/// DEADLINE_EXCEEDED, as grpc-go's client does ("Our deadline was already
/// exceeded, and that was likely the cause of this cancellation").
pub(crate) fn deadline_or(status: Status, timer: &Sleep) -> Status {
    if status.code() == Code::Cancelled && tokio::time::Instant::now() >= timer.deadline() {
        Status::deadline_passed()
    } else {
        status
    }
}

/// Reads exactly one response message and the OK status after it (the
/// caller's [`until_deadline_or_cancel`] bounds it in time).
async fn single_reply<Resp: Message>(
    received: ReceivedResponse,
    pump: Option<AbortOnDrop>,
) -> Result<Response<Resp>, Status> {
    let initial = MetadataMap::from_headers(received.headers.clone());
    let mut replies = match stream_reply::<Resp>(received, pump, None, None) {
        Ok(response) => response.into_inner(),
        Err(status) => return Err(status),
    };
    // statuscodes.md: "Response cardinality violation (method requires
    // exactly one response but server sent some other number of
    // responses)": UNIMPLEMENTED.
    let Some(reply) = replies
        .message()
        .await
        .map_err(|status| with_headers(&initial, status))?
    else {
        return Err(Status::cardinality_violation(
            Direction::Response,
            Got::None,
        ));
    };
    let compressed = replies.last_message_compressed();
    if replies
        .message()
        .await
        .map_err(|status| with_headers(&initial, status))?
        .is_some()
    {
        return Err(Status::cardinality_violation(
            Direction::Response,
            Got::MoreThanOne,
        ));
    }
    let trailers = replies.trailers().cloned().unwrap_or_default();
    Ok(Response::received(initial, reply, trailers, compressed))
}

/// A unary or client-streaming call's failure after its response headers
/// came: the status carries their metadata, then its trailers' (the caller
/// gets no `Response` to read the headers from). The ConnectRPC
/// conformance suite reads them so ("If the error has a "metadata"
/// attribute, treat them as trailers"), as do connect-go's and tonic's
/// users from their error's metadata.
fn with_headers(initial: &MetadataMap, mut status: Status) -> Status {
    if !initial.is_empty() {
        let mut all = initial.clone();
        all.extend(status.metadata());
        *status.metadata_mut() = all;
    }
    status
}

/// The response stream of a call, ending at the call's deadline `timer`;
/// a trailers-only error is the call's error.
fn stream_reply<Resp: Message>(
    received: ReceivedResponse,
    pump: Option<AbortOnDrop>,
    timer: Option<Pin<Box<Sleep>>>,
    cancel: Option<CancelToken>,
) -> Result<Response<Streaming<Resp>>, Status> {
    match received.trailers_only {
        Some(status) if status.code() != Code::Ok => Err(status),
        Some(status) => Ok(Response::new(Streaming::finished(
            status.metadata().clone(),
        ))),
        None => {
            let initial = MetadataMap::from_headers(received.headers);
            Ok(Response::from_parts(
                initial,
                Streaming::client(received.body, received.in_flight, pump, timer, cancel),
            ))
        }
    }
}
