//! Server reflection. The descriptor pool it serves: the `.proto` files a
//! set of services amounts to, derived from their Rust definitions. `pool`
//! checks it rule by rule on small services declared here; `protoc` holds
//! it equal, field by field, to what protoc makes of proto/ (and of
//! protobuf's own google/protobuf/empty.proto). `service`: the v1 and
//! v1alpha services that serve it, over real sockets.
//!
//! `protoc` needs `.venv/` (`bash tests/run-all.sh` creates it); it fails,
//! never skips, without it.

#[path = "../support/mod.rs"]
mod support;

mod declarations;
mod pool;
mod protoc;
mod service;
mod symbols;
