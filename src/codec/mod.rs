//! Bytes to messages and back: the protobuf wire format ([`Message`], the
//! [`message!`](crate::message) and [`enumeration!`](crate::enumeration)
//! macros, the field kinds and labels in `field`, the `wire` primitives, the
//! [`schema`] every definition records) and the 5-byte length-prefixed gRPC
//! `framing`, per-message [`compression`] (identity, gzip, deflate), and a
//! call's messages to frames and back in both directions, compressed and
//! within the size limits (`message_codec`, [`MessageLimits`]). Nothing here
//! knows HTTP.
//!
//! `field`, `kinds`, `wire`, `framing` and `message_codec` are plumbing: the
//! macros and the transport use them (through `__private`), an embedder
//! never needs to.

pub mod compression;
pub(crate) mod field;
pub(crate) mod frame_buf;
pub(crate) mod framing;
pub(crate) mod kinds;
mod limits;
mod macros;
mod message;
pub(crate) mod message_codec;
pub mod schema;
pub mod well_known;
pub(crate) mod wire;

pub use limits::MessageLimits;
pub use message::{DecodeError, Message, RECURSION_LIMIT};
pub use schema::{
    EnumDescriptor, FieldDescriptor, Label, MessageDescriptor, MessageSchema, ProtoEnum, ProtoType,
    TypeRef,
};
