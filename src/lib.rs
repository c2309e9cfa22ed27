//! h2grpc: gRPC over HTTP/2 on the `h2` crate, with a hand-written protobuf
//! codec and no code generation.
//!
//! Layers, each knowing only the one below it (see `DESIGN.md`):
//! - `services`: the demo services, written only against the public API
//!   (feature `demo`);
//! - [`rpc`]: the four call types, the handler registry and the typed client;
//! - [`transport`]: HTTP/2 streams to gRPC calls and back;
//! - [`codec`]: bytes to messages (protobuf wire format, length-prefixed framing).
//!
//! [`status`] and [`metadata`] are the vocabulary every layer speaks;
//! [`rich_status`] adds the `google.rpc.Status` error model to [`Status`].
//!
//! # Features
//!
//! | feature | what it adds | dependencies |
//! |---|---|---|
//! | `gzip` | grpc-encoding gzip and deflate; without it only identity | flate2 |
//! | `demo` | `h2grpc::services`, the demo services (implies `gzip`) | serde, serde_json, sha2 |
//! | `cli` | the `h2grpc` command (implies `demo`) | clap, tracing-subscriber |
//!
//! All three are on by default. With `default-features = false` the library
//! depends on h2, http, bytes, tokio, quick-protobuf, futures, base64,
//! percent-encoding and the `tracing` facade only.
#![deny(missing_docs)]

pub mod codec;
pub mod metadata;
pub mod rich_status;
pub mod rpc;
#[cfg(feature = "demo")]
pub mod services;
pub mod status;
pub mod transport;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use codec::{DecodeError, Message};
pub use metadata::MetadataMap;
pub use rpc::{
    Client, IntoStreamingRequest, MethodDescriptor, MethodKind, Outgoing, ReplyStream, Request,
    Response, Server, ServerInterceptor, Service, ServiceDescriptor, Streaming,
};
pub use status::{Code, Status};
pub use transport::Channel;
