//! Custom metadata: ASCII values and binary (`-bin`) values, kept apart.
//! SKELETON: owned by the status/metadata helper, API fixed.

use http::HeaderMap;

/// User metadata of a call (request headers, response headers or trailers),
/// without the reserved gRPC and HTTP headers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetadataMap {
    headers: HeaderMap,
}

impl MetadataMap {
    /// An empty map.
    pub fn new() -> MetadataMap {
        MetadataMap::default()
    }
    /// The user metadata in `headers` (reserved headers left out).
    pub fn from_headers(headers: HeaderMap) -> MetadataMap {
        let _ = headers;
        todo!()
    }
    /// The headers to put on the wire.
    pub fn as_headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// Number of values.
    pub fn len(&self) -> usize {
        self.headers.len()
    }
    /// True when there is no metadata.
    pub fn is_empty(&self) -> bool {
        self.headers.is_empty()
    }
}
