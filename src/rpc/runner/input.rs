//! How a call's request body becomes the handler's input:
//! [`FromRequestBody`], for exactly one message ([`OneRequest`]: the
//! request cardinality rule is enforced here) or a [`Streaming`] of them.

use std::future::Future;

use crate::codec::Message;
use crate::rpc::streaming::Streaming;
use crate::status::{Direction, Got, Status};
use crate::transport::RecvBody;

/// The one request message of a unary or server-streaming call, and
/// whether it arrived compressed.
#[derive(Debug)]
pub struct OneRequest<M> {
    /// The message.
    pub message: M,
    /// Its frame's compressed flag.
    pub compressed: bool,
}

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

impl<M: Message> FromRequestBody for OneRequest<M> {
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

impl<M: Message> OneRequest<M> {
    /// Reads exactly one message.
    async fn read_one(body: &mut RecvBody) -> Result<Self, Status> {
        // statuscodes.md: "Request cardinality violation (method requires
        // exactly one request but client sent some other number of
        // requests)": UNIMPLEMENTED.
        let first = match body.frame().await {
            Some(frame) => {
                let frame = frame?;
                OneRequest {
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
