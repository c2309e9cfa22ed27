//! Custom metadata: the `MetadataMap` API, and the values on the wire.

#[path = "../support/mod.rs"]
mod support;

mod map;
mod wire;
