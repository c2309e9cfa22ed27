//! Echo Metadata (interop-test-descriptions.md): "When the client sends
//! metadata with the key `"x-grpc-test-echo-initial"` with its request, the
//! server sends back exactly this key and the corresponding value back to the
//! client as part of initial metadata. When the client sends metadata with
//! the key `"x-grpc-test-echo-trailing-bin"` with its request, the server
//! sends back exactly this key and the corresponding value back to the client
//! as trailing metadata."

use super::limits::InteropError;
use crate::metadata::{AsciiMetadataKey, BinaryMetadataKey, MetadataMap};
use crate::rpc::Response;
use crate::status::Status;

/// The key echoed as initial metadata.
pub const ECHO_INITIAL: AsciiMetadataKey =
    AsciiMetadataKey::from_static("x-grpc-test-echo-initial");

/// The (binary) key echoed as trailing metadata.
pub const ECHO_TRAILING_BIN: BinaryMetadataKey =
    BinaryMetadataKey::from_static("x-grpc-test-echo-trailing-bin");

/// What a call echoes back, taken from its request metadata.
#[derive(Debug, Clone, Default)]
pub struct Echo {
    initial: MetadataMap,
    trailing: MetadataMap,
}

impl Echo {
    /// The echoed keys of `request` (every value of each, in order).
    pub fn from_request(request: &MetadataMap) -> Result<Echo, InteropError> {
        let mut echo = Echo::default();
        for value in request.get_all(ECHO_INITIAL) {
            echo.initial
                .append(ECHO_INITIAL, value)
                .map_err(|err| InteropError::Echo(err.to_string()))?;
        }
        for value in request.get_all_bin(ECHO_TRAILING_BIN) {
            echo.trailing
                .append_bin(ECHO_TRAILING_BIN, value)
                .map_err(|err| InteropError::Echo(err.to_string()))?;
        }
        Ok(echo)
    }

    /// `response` with the echoed initial and trailing metadata.
    pub fn apply<T>(&self, mut response: Response<T>) -> Response<T> {
        self.initial.merge_into_map(response.metadata_mut());
        self.trailing.merge_into_map(response.trailers_mut());
        response
    }

    /// `status` carrying the echoed trailing metadata (a call that fails
    /// before it has a response).
    pub fn apply_to_status(&self, mut status: Status) -> Status {
        self.trailing.merge_into_map(status.metadata_mut());
        status
    }
}

/// Appending one map's entries to another.
trait MergeIntoMap {
    fn merge_into_map(&self, into: &mut MetadataMap);
}

impl MergeIntoMap for MetadataMap {
    fn merge_into_map(&self, into: &mut MetadataMap) {
        if self.is_empty() {
            return;
        }
        let mut headers = into.as_headers().clone();
        self.merge_into(&mut headers);
        *into = MetadataMap::from_headers(headers);
    }
}
