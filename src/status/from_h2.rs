//! HTTP/2 errors to gRPC status: stream resets, GOAWAY and h2's own errors
//! (PROTOCOL-HTTP2.md, "Errors"). The reason table is pinned by
//! `tests/status/h2_mapping.rs`.

use super::{Code, Status};

impl Status {
    /// The status a client reports for an h2 error (stream reset, GOAWAY,
    /// I/O).
    ///
    /// - RST_STREAM (received, sent or detected by h2): PROTOCOL-HTTP2.md's
    ///   table, see [`Status::from_h2_reason`].
    /// - GOAWAY with `NO_ERROR`: `UNAVAILABLE`, the server is going away and
    ///   did not process the call, so it can be retried elsewhere.
    /// - GOAWAY with an error code: the same table as RST_STREAM.
    /// - An I/O error: `UNAVAILABLE` (the connection is lost).
    /// - A misuse of h2 by this library: `INTERNAL`.
    pub fn from_h2_error(err: &h2::Error) -> Status {
        if let Some(io) = err.get_io() {
            return Status::from_io_error(io);
        }
        let Some(reason) = err.reason() else {
            // No reason and no I/O error: h2 refused an action of ours.
            return Status::internal(format!("HTTP/2 usage error in h2grpc: {err}"));
        };
        // Who sent the frame. An `h2::Error` built from a bare `Reason`
        // (e.g. a reset reported by `poll_reset`) does not say.
        let who = if err.is_remote() {
            " by the peer"
        } else if err.is_library() {
            " by h2 after a protocol violation of the peer"
        } else if err.is_reset() || err.is_go_away() {
            " locally"
        } else {
            ""
        };
        if err.is_go_away() {
            // PROTOCOL-HTTP2.md, GOAWAY Frame: "Clients should consider any
            // stream initiated after the last successfully accepted stream as
            // UNAVAILABLE and retry the call elsewhere."
            if reason == h2::Reason::NO_ERROR {
                return Status::unavailable(format!(
                    "connection closed{who} with GOAWAY (NO_ERROR) before the call completed"
                ));
            }
            let mapped = Status::from_h2_reason(reason);
            return Status::new(
                mapped.code,
                format!("connection closed{who} with GOAWAY: {}", mapped.message),
            );
        }
        let mapped = Status::from_h2_reason(reason);
        let what = if err.is_reset() {
            "stream reset"
        } else {
            "stream error"
        };
        Status::new(mapped.code, format!("{what}{who}: {}", mapped.message))
    }

    /// The status for an HTTP/2 error code in RST_STREAM or GOAWAY
    /// (PROTOCOL-HTTP2.md, "Errors").
    pub fn from_h2_reason(reason: h2::Reason) -> Status {
        // PROTOCOL-HTTP2.md: "The following mapping from RST_STREAM error
        // codes to GRPC error codes is applied."
        let (code, why) = match reason {
            // "NO_ERROR(0) | INTERNAL - An explicit GRPC status of OK should
            // have been sent but this might be used to aggressively lameduck
            // in some scenarios."
            h2::Reason::NO_ERROR => (Code::Internal, "the stream ended without a gRPC status"),
            // "PROTOCOL_ERROR(1) | INTERNAL"
            h2::Reason::PROTOCOL_ERROR => (Code::Internal, "HTTP/2 protocol error"),
            // "INTERNAL_ERROR(2) | INTERNAL"
            h2::Reason::INTERNAL_ERROR => (Code::Internal, "internal error of the HTTP/2 peer"),
            // "FLOW_CONTROL_ERROR(3) | INTERNAL"
            h2::Reason::FLOW_CONTROL_ERROR => (Code::Internal, "HTTP/2 flow-control violation"),
            // "SETTINGS_TIMEOUT(4) | INTERNAL"
            h2::Reason::SETTINGS_TIMEOUT => (Code::Internal, "HTTP/2 SETTINGS not acknowledged in time"),
            // "STREAM_CLOSED | No mapping as there is no open stream to
            // propagate to. Implementations should log." If a call still sees
            // it, it failed for a reason of the transport: INTERNAL.
            h2::Reason::STREAM_CLOSED => (Code::Internal, "frame received on a closed HTTP/2 stream"),
            // "FRAME_SIZE_ERROR | INTERNAL"
            h2::Reason::FRAME_SIZE_ERROR => (Code::Internal, "HTTP/2 frame of invalid size"),
            // "REFUSED_STREAM | UNAVAILABLE - Indicates that no processing
            // occurred and the request can be retried, possibly elsewhere."
            h2::Reason::REFUSED_STREAM => {
                (Code::Unavailable, "the peer refused the stream before processing it; safe to retry")
            }
            // "CANCEL(8) | Mapped to call cancellation when sent by a client.
            // Mapped to CANCELLED when sent by a server."
            h2::Reason::CANCEL => (Code::Cancelled, "the call was cancelled"),
            // "COMPRESSION_ERROR | INTERNAL"
            h2::Reason::COMPRESSION_ERROR => (Code::Internal, "HPACK header compression error"),
            // "CONNECT_ERROR | INTERNAL"
            h2::Reason::CONNECT_ERROR => (Code::Internal, "HTTP/2 CONNECT error"),
            // "ENHANCE_YOUR_CALM | RESOURCE_EXHAUSTED ...with additional error
            // detail provided by runtime to indicate that the exhausted
            // resource is bandwidth."
            h2::Reason::ENHANCE_YOUR_CALM => (
                Code::ResourceExhausted,
                "the peer sent ENHANCE_YOUR_CALM: bandwidth exhausted (too many requests or frames)",
            ),
            // "INADEQUATE_SECURITY | PERMISSION_DENIED … with additional
            // detail indicating that permission was denied as protocol is not
            // secure enough for call."
            h2::Reason::INADEQUATE_SECURITY => (
                Code::PermissionDenied,
                "permission denied: the transport is not secure enough for this call",
            ),
            // Not in the table: HTTP_1_1_REQUIRED means the peer will not
            // speak HTTP/2 at all, a transport failure like the others.
            h2::Reason::HTTP_1_1_REQUIRED => (Code::Internal, "the peer requires HTTP/1.1"),
            // An error code no RFC defines: nothing to go by.
            _ => (Code::Unknown, "unknown HTTP/2 error code"),
        };
        Status::new(
            code,
            format!(
                "{why} ({reason:?}, HTTP/2 error code {})",
                u32::from(reason)
            ),
        )
    }
}
