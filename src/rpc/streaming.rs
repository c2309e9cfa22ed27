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
use crate::transport::RecvBody;

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
    _message: PhantomData<fn() -> T>,
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
            _message: PhantomData,
        }
    }

    /// The response messages of a client call, which fail with
    /// DEADLINE_EXCEEDED when the call's deadline `timer` fires and
    /// CANCELLED once `cancel` is cancelled.
    pub(crate) fn client(
        body: RecvBody,
        request_pump: Option<AbortOnDrop>,
        timer: Option<Pin<Box<Sleep>>>,
        cancel: Option<CancelToken>,
    ) -> Streaming<T> {
        Streaming {
            body: Some(body),
            last_compressed: false,
            side: Side::Client,
            state: State::Messages,
            trailers: None,
            request_pump,
            deadline: timer,
            cancel: cancel.map(CancelWatch::new),
            _message: PhantomData,
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
        self.request_pump = None;
        Poll::Ready(status)
    }

    fn poll_next_message(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Status>>> {
        if !matches!(self.state, State::Done) {
            if let Poll::Ready(status) = self.poll_local_end(cx) {
                return Poll::Ready(Some(Err(status)));
            }
        }
        loop {
            let Some(body) = self.body.as_mut() else {
                return Poll::Ready(None);
            };
            match self.state {
                State::Done => return Poll::Ready(None),
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
