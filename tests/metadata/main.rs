//! Custom metadata: keys and values one by one, the `MetadataMap` API, and
//! the values on the wire.

#[path = "../support/mod.rs"]
mod support;

mod key_value;
mod map;
mod wire;
