//! I/O errors to gRPC status: a lost connection.

use super::Status;

impl Status {
    /// The status a client reports when the connection fails with an I/O
    /// error.
    ///
    /// PROTOCOL-HTTP2.md: "If a detectable connection failure occurs on the
    /// client all calls will be closed with an UNAVAILABLE status."
    pub fn from_io_error(err: &std::io::Error) -> Status {
        Status::unavailable(format!("connection lost: {err} ({:?})", err.kind()))
    }
}
