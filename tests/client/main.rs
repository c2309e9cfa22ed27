//! Our client's own behaviour: deadlines and cancellation, cancel tokens,
//! what it makes of answers that are not well-formed gRPC (seen through the
//! scripted server), and how it batches request messages.

#[path = "../support/mod.rs"]
mod support;

mod cancel_token;
mod cancellation;
mod mapping;
mod request_batching;
