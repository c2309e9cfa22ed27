//! h2grpc: gRPC over HTTP/2 on the `h2` crate, with a hand-written protobuf
//! codec and no code generation.
//!
//! Layers, each knowing only the one below it (see `DESIGN.md`):
//! - [`services`]: the demo services, written only against the public API;
//! - [`rpc`]: the four call types, the handler registry and the typed client;
//! - [`transport`]: HTTP/2 streams to gRPC calls and back;
//! - [`codec`]: bytes to messages (protobuf wire format, length-prefixed framing).
//!
//! [`status`] and [`metadata`] are the vocabulary every layer speaks;
//! [`defaults`] names every default setting;
//! [`rich_status`] adds the `google.rpc.Status` error model to [`Status`].
#![deny(missing_docs)]

pub mod codec;
pub mod defaults;
pub mod metadata;
pub mod rich_status;
pub mod rpc;
pub mod services;
pub mod status;
pub mod transport;

pub use codec::{DecodeError, Message};
pub use metadata::MetadataMap;
pub use status::{Code, Status};
