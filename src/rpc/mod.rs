//! The four call types over the transport: the handler registry
//! ([`Service`], the router behind [`Server`]), [`Request`], [`Response`],
//! [`Streaming`], [`Outgoing`] (per-message compression), and the typed
//! [`Client`].

mod client;
mod encoding;
mod outgoing;
mod reply_channel;
mod request;
mod router;
mod runner;
mod server;
mod service;
mod streaming;

pub use client::Client;
pub use encoding::{decode_frame, encode_frame, MessageEncoder};
pub use outgoing::Outgoing;
pub use reply_channel::{reply_channel, CallEnded, ReplySender, ReplyStream};
pub use request::{Request, Response};
pub use router::Router;
pub use server::Server;
pub use service::{BoxFuture, MethodInfo, MethodKind, Service};
pub use streaming::Streaming;
