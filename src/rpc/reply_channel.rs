//! A bounded channel whose receiving end is a response stream: the easy
//! way for a handler to produce streamed replies from another task.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use tokio::sync::mpsc;

use crate::status::Status;

/// Sends replies into a [`ReplyReceiver`]; `send` waits while the stream is
/// full, so a slow client slows the producer instead of growing memory.
#[derive(Debug)]
pub struct ReplySender<T> {
    tx: mpsc::Sender<Result<T, Status>>,
}

impl<T> Clone for ReplySender<T> {
    fn clone(&self) -> Self {
        ReplySender {
            tx: self.tx.clone(),
        }
    }
}

/// The call has ended (the client went away): no more replies are wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallEnded;

impl std::fmt::Display for CallEnded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the call has ended")
    }
}

impl std::error::Error for CallEnded {}

impl<T> ReplySender<T> {
    /// Queues one reply, waiting for room.
    pub async fn send(&self, reply: T) -> Result<(), CallEnded> {
        self.tx.send(Ok(reply)).await.map_err(|_| CallEnded)
    }

    /// Ends the call with an error status after the replies queued so far.
    pub async fn fail(&self, status: Status) -> Result<(), CallEnded> {
        self.tx.send(Err(status)).await.map_err(|_| CallEnded)
    }

    /// True once the call has ended and replies would be dropped.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }

    /// Resolves when the call ends.
    pub async fn closed(&self) {
        self.tx.closed().await
    }
}

/// A stream of replies fed by [`ReplySender`]s; ends when all senders are
/// dropped.
#[derive(Debug)]
pub struct ReplyReceiver<T> {
    rx: mpsc::Receiver<Result<T, Status>>,
}

impl<T> Stream for ReplyReceiver<T> {
    type Item = Result<T, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

/// A reply channel holding at most `capacity` queued replies.
pub fn reply_channel<T>(capacity: usize) -> (ReplySender<T>, ReplyReceiver<T>) {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    (ReplySender { tx }, ReplyReceiver { rx })
}
