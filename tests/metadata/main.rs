//! Custom metadata: keys and values one by one, the `MetadataMap` API, and
//! the values on the wire.

#[path = "../support/mod.rs"]
mod support;

/// Reserved names, with and without `-bin` (PROTOCOL-HTTP2.md: the
/// call-definition headers, every other `grpc-` name, and HTTP/2's
/// connection-specific headers): refused as keys of either kind and by the
/// map. The key and map tests read the same list.
const RESERVED_KEYS: [&str; 17] = [
    "grpc-status",
    "grpc-message",
    "grpc-status-details-bin",
    "grpc-timeout",
    "grpc-encoding",
    "grpc-accept-encoding",
    "grpc-message-type",
    "grpc-anything-new",
    "grpc-anything-new-bin",
    "te",
    "content-type",
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "host",
];

mod key_value;
mod map;
mod wire;
