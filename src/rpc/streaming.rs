//! [`Streaming`]: the incoming messages of a call, decoded one at a time.
//! On the server it is the request stream; on the client the response
//! stream, which ends with the call's status from the trailers.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_core::Stream;
use tokio::time::Sleep;

use super::cancel::{CancelToken, CancelWatch};
use super::client::deadline_or;
use crate::codec::Message;
use crate::metadata::MetadataMap;
use crate::status::{Code, Status};
use crate::transport::{CallInFlight, ReceivedResponse, RecvBody};

/// Which end of the call reads the stream.
#[derive(Debug)]
enum Side {
    /// Request messages on the server: the stream just ends.
    Server,
    /// Response messages on the client: the trailers carry the status.
    Client,
}

#[derive(Debug)]
enum State {
    /// Client side, a call returned before its response head: waiting for
    /// it (see [`Streaming::initial_metadata`]).
    Head,
    /// Reading messages.
    Messages,
    /// Messages done (client side): reading trailers.
    Trailers,
    /// The stream is over.
    Done,
}

/// Aborts the task sending a client's request messages when the response
/// stream is dropped.
#[derive(Debug)]
pub(crate) struct AbortOnDrop(pub(crate) tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A stream of incoming messages of type `T`.
#[derive(Debug)]
pub struct Streaming<T> {
    body: Option<RecvBody>,
    /// Whether the message last returned arrived flagged compressed.
    last_compressed: bool,
    side: Side,
    state: State,
    trailers: Option<MetadataMap>,
    request_pump: Option<AbortOnDrop>,
    /// Client side: the call's deadline, when it has one (boxed: a `Sleep`
    /// is big, and only calls with a timeout pay for it).
    deadline: Option<Pin<Box<Sleep>>>,
    /// Client side: the call's cancel token, when it has one.
    cancel: Option<CancelWatch>,
    /// Client side, a call returned before its response head: the head on
    /// its way, then its metadata (boxed: most calls never have one).
    late_head: Option<Box<LateHead>>,
    /// Client side: the call counted as in flight for keepalive.
    in_flight: Option<CallInFlight>,
    _message: PhantomData<fn() -> T>,
}

/// A client call's response head on its way, after the call returned.
pub(crate) type LateHeadFuture =
    Pin<Box<dyn Future<Output = Result<ReceivedResponse, Status>> + Send>>;

/// A response head that came after its call returned.
struct LateHead {
    /// Resolves when the head comes; `None` once it has.
    pending: Option<LateHeadFuture>,
    /// The head's metadata, once it came.
    metadata: MetadataMap,
}

impl std::fmt::Debug for LateHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LateHead")
            .field("arrived", &self.pending.is_none())
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl<T: Message> Streaming<T> {
    /// The request messages of a server call.
    pub(crate) fn server(body: RecvBody) -> Streaming<T> {
        Streaming {
            body: Some(body),
            last_compressed: false,
            side: Side::Server,
            state: State::Messages,
            trailers: None,
            request_pump: None,
            deadline: None,
            cancel: None,
            late_head: None,
            in_flight: None,
            _message: PhantomData,
        }
    }

    /// The response messages of a client call, which fail with
    /// DEADLINE_EXCEEDED when the call's deadline `timer` fires and
    /// CANCELLED once `cancel` is cancelled.
    pub(crate) fn client(
        body: RecvBody,
        in_flight: Option<CallInFlight>,
        request_pump: Option<AbortOnDrop>,
        timer: Option<Pin<Box<Sleep>>>,
        cancel: Option<CancelToken>,
    ) -> Streaming<T> {
        Streaming::client_reading(Some(body), in_flight, request_pump, timer, cancel)
    }

    /// The response stream of a client call that returned before the
    /// server's response head: `head` resolves to it.
    pub(crate) fn client_before_head(
        head: LateHeadFuture,
        request_pump: Option<AbortOnDrop>,
        timer: Option<Pin<Box<Sleep>>>,
        cancel: Option<CancelToken>,
    ) -> Streaming<T> {
        Streaming {
            state: State::Head,
            late_head: Some(Box::new(LateHead {
                pending: Some(head),
                metadata: MetadataMap::new(),
            })),
            ..Streaming::client_reading(None, None, request_pump, timer, cancel)
        }
    }

    /// A client's response stream reading `body` (none yet: the head is
    /// still to come).
    fn client_reading(
        body: Option<RecvBody>,
        in_flight: Option<CallInFlight>,
        request_pump: Option<AbortOnDrop>,
        timer: Option<Pin<Box<Sleep>>>,
        cancel: Option<CancelToken>,
    ) -> Streaming<T> {
        Streaming {
            body,
            last_compressed: false,
            side: Side::Client,
            state: State::Messages,
            trailers: None,
            request_pump,
            deadline: timer,
            cancel: cancel.map(CancelWatch::new),
            late_head: None,
            in_flight,
            _message: PhantomData,
        }
    }

    /// Client side, a bidi call that returned before the server's response
    /// head (its request stream had nothing to send yet; see
    /// [`Client::bidi_streaming`](crate::Client::bidi_streaming)): waits
    /// for the head and gives its metadata, or the call's error. `Ok(None)`
    /// when the head came before the call returned: its metadata is the
    /// [`Response`](crate::Response)'s.
    pub async fn initial_metadata(&mut self) -> Result<Option<&MetadataMap>, Status> {
        if self.late_head.is_none() {
            return Ok(None);
        }
        if matches!(self.state, State::Head) {
            if let Some(Err(status)) = std::future::poll_fn(|cx| self.poll_head(cx)).await {
                return Err(status);
            }
        }
        Ok(self.late_head.as_deref().map(|late| &late.metadata))
    }

    /// Polls for a late response head. `Ready(None)`: it came and messages
    /// follow; `Ready(Some(outcome))`: the call ended with it (`Ok(())`
    /// for a trailers-only OK).
    fn poll_head(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<(), Status>>> {
        let Some(late) = self.late_head.as_deref_mut() else {
            return Poll::Ready(None);
        };
        let Some(pending) = late.pending.as_mut() else {
            return Poll::Ready(None);
        };
        let received = ready!(pending.as_mut().poll(cx));
        late.pending = None;
        let mut received = match received {
            Ok(received) => received,
            Err(status) => {
                self.state = State::Done;
                return Poll::Ready(Some(Err(status)));
            }
        };
        self.in_flight = received.in_flight.take();
        match received.trailers_only {
            Some(status) => {
                self.state = State::Done;
                if status.code() == Code::Ok {
                    self.trailers = Some(status.metadata().clone());
                    Poll::Ready(Some(Ok(())))
                } else {
                    Poll::Ready(Some(Err(status)))
                }
            }
            None => {
                late.metadata = MetadataMap::from_headers(received.headers);
                self.body = Some(received.body);
                self.state = State::Messages;
                Poll::Ready(None)
            }
        }
    }

    /// A client stream that is already over (a trailers-only OK answer).
    pub(crate) fn finished(trailers: MetadataMap) -> Streaming<T> {
        Streaming {
            body: None,
            last_compressed: false,
            side: Side::Client,
            state: State::Done,
            trailers: Some(trailers),
            request_pump: None,
            deadline: None,
            cancel: None,
            late_head: None,
            in_flight: None,
            _message: PhantomData,
        }
    }

    /// The next message: `Ok(None)` at the end of the stream; on the
    /// client, a non-OK status from the server is the final `Err`.
    pub async fn message(&mut self) -> Result<Option<T>, Status> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// Whether the message last returned arrived compressed (its frame's
    /// compressed flag), as opposed to the call's `grpc-encoding`, which
    /// only says how compressed messages are.
    pub fn last_message_compressed(&self) -> bool {
        self.last_compressed
    }

    /// Client side: the trailing metadata, once the stream has ended OK.
    pub fn trailers(&self) -> Option<&MetadataMap> {
        self.trailers.as_ref()
    }

    /// Ends the call locally at its deadline or on its cancel token: the
    /// stream's last handles are dropped, so h2 resets it with
    /// RST_STREAM(CANCEL) and the server stops.
    fn poll_local_end(&mut self, cx: &mut Context<'_>) -> Poll<Status> {
        let cancelled = self
            .cancel
            .as_mut()
            .is_some_and(|cancel| cancel.poll(cx).is_ready());
        let status = if cancelled {
            CancelToken::status()
        } else {
            let Some(deadline) = self.deadline.as_mut() else {
                return Poll::Pending;
            };
            ready!(deadline.as_mut().poll(cx));
            Status::deadline_passed()
        };
        self.deadline = None;
        self.cancel = None;
        self.state = State::Done;
        self.body = None;
        if let Some(late) = self.late_head.as_deref_mut() {
            late.pending = None;
        }
        self.request_pump = None;
        Poll::Ready(status)
    }

    fn poll_next_message(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Status>>> {
        if !matches!(self.state, State::Done) {
            if let Poll::Ready(status) = self.poll_local_end(cx) {
                return Poll::Ready(Some(Err(status)));
            }
        }
        if matches!(self.state, State::Head) {
            match ready!(self.poll_head(cx)) {
                None => {}
                Some(Ok(())) => return Poll::Ready(None),
                Some(Err(status)) => return Poll::Ready(Some(Err(status))),
            }
        }
        loop {
            let Some(body) = self.body.as_mut() else {
                return Poll::Ready(None);
            };
            match self.state {
                State::Done | State::Head => return Poll::Ready(None),
                State::Messages => match ready!(body.poll_frame(cx)) {
                    Some(Ok(frame)) => {
                        self.last_compressed = frame.compressed;
                        let message = body.messages().decode(frame).map_err(Status::from);
                        if message.is_err() {
                            self.state = State::Done;
                        }
                        return Poll::Ready(Some(message));
                    }
                    Some(Err(status)) => {
                        self.state = State::Done;
                        return Poll::Ready(Some(Err(status)));
                    }
                    None => match self.side {
                        Side::Server => {
                            self.state = State::Done;
                            return Poll::Ready(None);
                        }
                        Side::Client => self.state = State::Trailers,
                    },
                },
                State::Trailers => {
                    let trailers = ready!(body.poll_trailers(cx));
                    self.state = State::Done;
                    let status = match trailers {
                        Ok(Some(trailers)) => Status::from_header_map(&trailers)
                            .unwrap_or_else(Status::missing_grpc_status),
                        Ok(None) => Status::missing_grpc_status(),
                        Err(status) => status,
                    };
                    if status.code() == Code::Ok {
                        self.trailers = Some(status.metadata().clone());
                        return Poll::Ready(None);
                    }
                    return Poll::Ready(Some(Err(status)));
                }
            }
        }
    }
}

impl<T: Message> Stream for Streaming<T> {
    type Item = Result<T, Status>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match ready!(this.poll_next_message(cx)) {
            // A reset at the deadline is the deadline's (see `deadline_or`).
            Some(Err(status)) => Poll::Ready(Some(Err(match this.deadline.as_ref() {
                Some(timer) => deadline_or(status, timer),
                None => status,
            }))),
            other => Poll::Ready(other),
        }
    }
}
