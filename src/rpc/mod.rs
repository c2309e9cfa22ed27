//! The four call types over the transport: the handler registry
//! ([`Service`], the router behind [`Server`]), [`Request`], [`Response`],
//! [`Streaming`], [`Outgoing`] (per-message compression), the typed
//! [`Client`] (calls it can cancel: [`CancelToken`]; streamed requests as a
//! bare stream or one in a `Request`: [`IntoStreamingRequest`]), the
//! [`CallContext`] a handler runs in, and interceptors on both sides
//! ([`ServerInterceptor`], [`ClientInterceptor`], [`BearerAuth`]).

mod auth;
mod cancel;
mod client;
mod context;
mod descriptor;
mod guard;
mod interceptor;
mod into_streaming_request;
mod outgoing;
mod reply_channel;
mod reply_stream;
mod request;
mod request_metadata;
mod router;
mod runner;
mod server;
mod service;
mod service_macro;
mod streaming;

pub use auth::{BearerAuth, AUTHORIZATION};
pub use cancel::CancelToken;
pub use client::Client;
pub use context::CallContext;
pub use descriptor::{MethodDescriptor, ServiceDescriptor};
pub use interceptor::{ClientInterceptor, ServerInterceptor};
pub use into_streaming_request::IntoStreamingRequest;
pub use outgoing::Outgoing;
pub use reply_channel::{reply_channel, CallEnded, ReplyReceiver, ReplySender};
pub use reply_stream::ReplyStream;
pub use request::{Request, Response};
pub use server::Server;
pub use service::{BoxFuture, MethodInfo, MethodKind, Service};
pub use streaming::Streaming;
