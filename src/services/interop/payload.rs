//! Payloads of zeros, of the size a request asks for, and the checks on the
//! request fields that shape a response (type, size, echoed status,
//! compression).

use bytes::Bytes;

use super::limits::{payload_len, InteropError, MAX_PAYLOAD_SIZE};
use super::messages::{BoolValue, EchoStatus, Payload, PayloadType};
use crate::codec::compression::Encoding;
use crate::status::{Code, Status};

/// Zeros for every payload: a static in zero-initialised memory, so a
/// response's body is a slice of it, never an allocation.
static ZEROS: [u8; MAX_PAYLOAD_SIZE] = [0; MAX_PAYLOAD_SIZE];

/// A COMPRESSABLE payload of `size` zero bytes.
pub fn zeros(response_type: PayloadType, size: i32) -> Result<Payload, InteropError> {
    // interop-test-descriptions.md, UnaryCall: "If the server does not
    // support the `response_type`, then it should fail the RPC with
    // `INVALID_ARGUMENT`."
    if response_type != PayloadType::COMPRESSABLE {
        return Err(InteropError::UnsupportedPayloadType(response_type.0));
    }
    let len = payload_len(size)?;
    Ok(Payload {
        r#type: PayloadType::COMPRESSABLE,
        body: Bytes::from_static(&ZEROS[..len]),
    })
}

/// The length of a request's payload body (0 when there is none).
pub fn body_len(payload: Option<&Payload>) -> usize {
    payload.map_or(0, |payload| payload.body.len())
}

/// interop-test-descriptions.md, Echo Status: "When the client sends a
/// response_status in the request payload, the server closes the stream with
/// the status code and messsage contained within said response_status."
/// `None` for an absent or OK status.
pub fn echo_status(status: Option<&EchoStatus>) -> Option<Status> {
    let status = status?;
    let code = Code::from_i32(status.code);
    (code != Code::Ok).then(|| Status::new(code, status.message.clone()))
}

/// CompressedRequest: "When the client sets `expect_compressed` to true, the
/// server expects the client request to be compressed. If it's not, it fails
/// the RPC with `INVALID_ARGUMENT`." `compressed` is the message's own flag.
pub fn check_compressed(expect: Option<&BoolValue>, compressed: bool) -> Result<(), InteropError> {
    match expect {
        Some(BoolValue { value: true }) if !compressed => Err(InteropError::NotCompressed),
        _ => Ok(()),
    }
}

/// How a call compresses its responses. CompressedResponse: "When the client
/// sets `response_compressed` to true, the server's response is sent back
/// compressed"; when false, uncompressed; unset, as the call would anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseCompression {
    /// The call's encoding: the client's own when it compresses, else gzip,
    /// so that any message may ask to be compressed.
    pub encoding: Encoding,
    /// Whether a message with no preference of its own is compressed: only
    /// when the client compresses its messages (the default negotiation,
    /// answering in the request's encoding).
    pub by_default: bool,
}

impl ResponseCompression {
    /// The compression of a call whose requests came in `request_encoding`.
    pub fn for_request(request_encoding: Option<Encoding>) -> ResponseCompression {
        match request_encoding {
            Some(encoding) if !encoding.is_identity() => ResponseCompression {
                encoding,
                by_default: true,
            },
            _ => ResponseCompression {
                encoding: Encoding::Gzip,
                by_default: false,
            },
        }
    }

    /// Whether a message asking `wanted` is compressed.
    pub fn compress(&self, wanted: Option<&BoolValue>) -> bool {
        wanted.map_or(self.by_default, |wanted| wanted.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_zeros_of_the_asked_size() {
        let payload = zeros(PayloadType::COMPRESSABLE, 314_159).expect("allowed");
        assert_eq!(payload.body.len(), 314_159);
        assert!(payload.body.iter().all(|&byte| byte == 0));
        assert_eq!(
            zeros(PayloadType(1), 1),
            Err(InteropError::UnsupportedPayloadType(1))
        );
    }

    #[test]
    fn only_a_non_ok_status_is_echoed() {
        assert!(echo_status(None).is_none());
        let ok = EchoStatus {
            code: 0,
            message: "fine".into(),
        };
        assert!(echo_status(Some(&ok)).is_none());
        let unknown = EchoStatus {
            code: 2,
            message: "test status message".into(),
        };
        let status = echo_status(Some(&unknown)).expect("echoed");
        assert_eq!(status.code(), Code::Unknown);
        assert_eq!(status.message(), "test status message");
    }

    #[test]
    fn expect_compressed_true_needs_a_compressed_message() {
        let yes = BoolValue { value: true };
        let no = BoolValue { value: false };
        assert_eq!(
            check_compressed(Some(&yes), false),
            Err(InteropError::NotCompressed)
        );
        assert_eq!(check_compressed(Some(&yes), true), Ok(()));
        assert_eq!(check_compressed(Some(&no), false), Ok(()));
        assert_eq!(check_compressed(None, false), Ok(()));
    }

    #[test]
    fn response_compression_follows_the_request_then_the_flag() {
        let plain = ResponseCompression::for_request(Some(Encoding::Identity));
        assert_eq!(plain.encoding, Encoding::Gzip);
        assert!(!plain.compress(None));
        assert!(plain.compress(Some(&BoolValue { value: true })));
        let deflated = ResponseCompression::for_request(Some(Encoding::Deflate));
        assert_eq!(deflated.encoding, Encoding::Deflate);
        assert!(deflated.compress(None));
        assert!(!deflated.compress(Some(&BoolValue { value: false })));
    }
}
