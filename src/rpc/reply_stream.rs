//! [`ReplyStream`]: what a streaming handler of a [`service!`](crate::service)
//! trait returns: any `Send + 'static` stream of `Result<M, Status>`, or of
//! `Result<Outgoing<M>, Status>` to choose compression per message.

use futures_core::Stream;

use super::outgoing::Outgoing;
use crate::status::Status;

/// A stream of replies of message type `M`: its items are `Ok(reply)` or a
/// final `Err(status)`, the reply being an `M` or an [`Outgoing<M>`].
///
/// Implemented for every stream that fits; a handler names it as
/// `impl ReplyStream<M> + use<>` (a stream that borrows nothing from the
/// handler's `&self`) or returns any concrete stream type.
pub trait ReplyStream<M>: Stream<Item = Result<Self::Reply, Status>> + Send + 'static {
    /// The stream's reply type: `M` or `Outgoing<M>`.
    type Reply: Into<Outgoing<M>> + Send;
}

impl<S, R, M> ReplyStream<M> for S
where
    S: Stream<Item = Result<R, Status>> + Send + 'static,
    R: Into<Outgoing<M>> + Send,
{
    type Reply = R;
}
