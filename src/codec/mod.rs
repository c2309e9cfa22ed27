//! Bytes to messages and back: the protobuf wire format ([`Message`], the
//! [`message!`](crate::message) macro) and the 5-byte length-prefixed gRPC
//! framing ([`framing`]). Nothing here knows HTTP.

pub mod framing;
mod message;

pub use message::{DecodeError, Message};
