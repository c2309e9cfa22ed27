//! The gRPC status: its codes, the spec's mapping tables (HTTP/2 error codes,
//! HTTP statuses), `grpc-message` encoding, the status trailers, the rich
//! error details, and when the response head goes out (Trailers-Only), one
//! module each.

#[path = "../support/mod.rs"]
mod support;

mod codes;
mod details;
mod h2_mapping;
mod http_mapping;
mod message_encoding;
mod trailers;
mod trailers_only;
