//! What the [`message!`](crate::message) and [`service!`](crate::service)
//! macros name in the code they write, in one place, so that the rest of
//! the crate can move without breaking them. Not part of the public API.

use futures_core::Stream;
use futures_util::StreamExt;

pub use bytes::{BufMut, Bytes};
pub use pastey::paste;

/// The field codecs `message!` writes its impls with.
pub mod field {
    pub use crate::codec::field::*;
}

/// The value kinds `message!` maps proto types to.
pub mod kinds {
    pub use crate::codec::kinds::*;
}

/// The protobuf wire primitives.
pub mod wire {
    pub use crate::codec::wire::*;
}

/// The 5-byte length-prefixed framing (the tests and benches reach it here).
pub mod framing {
    pub use crate::codec::framing::*;
}

/// A call's messages to frames and back (the tests and benches reach it here).
pub mod message_codec {
    pub use crate::codec::frame_buf::{Chunks, FrameBuf};
    pub use crate::codec::message_codec::*;
}

pub use crate::codec::MessageSchema;
pub use crate::rpc::{
    Client, IntoStreamingRequest, MethodDescriptor, MethodKind, Outgoing, ReplyStream, Request,
    Response, ServerInterceptor, Service, ServiceDescriptor, Streaming,
};
pub use crate::status::Status;
pub use crate::transport::Channel;

/// The reply stream of a streaming method left unimplemented.
pub type NoReplies<M> = futures_util::stream::Empty<Result<M, Status>>;

/// What a method the implementation leaves out answers.
pub fn unimplemented_method(rpc: &str) -> Status {
    Status::method_not_implemented(rpc)
}

/// A service adapter's [`Service`], named and described by its declaration.
pub fn declared_service(descriptor: &'static ServiceDescriptor) -> Service {
    Service::declared(descriptor)
}

/// A handler's replies as the runner sends them: each an [`Outgoing`], so
/// that a handler may choose compression per message.
pub fn outgoing_replies<S, M>(
    replies: S,
) -> impl Stream<Item = Result<Outgoing<M>, Status>> + Send + 'static
where
    S: ReplyStream<M>,
    M: 'static,
{
    replies.map(|reply| reply.map(Into::into))
}
