//! gRPC messages as the bytes on the wire, written out by hand so that a test
//! can send what no library would (a bad prefix, a half message) and check
//! what comes back byte for byte. PROTOCOL-HTTP2.md: "Length-Prefixed-Message
//! → Compressed-Flag Message-Length Message", the length "encoded as 4 byte
//! unsigned integer (big endian)".

/// One Length-Prefixed-Message: the compressed flag, the 4-byte big-endian
/// length, then `message`.
pub fn length_prefixed(compressed: bool, message: &[u8]) -> Vec<u8> {
    let mut out = vec![u8::from(compressed)];
    let len = u32::try_from(message.len()).expect("a message under 4 GiB");
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(message);
    out
}

/// Protobuf field 1 with wire type 2 (length-delimited) holding `value`: all
/// of a `HelloRequest { name }` or a `HelloReply { message }`.
pub fn field_1(value: &[u8]) -> Vec<u8> {
    let mut out = vec![0x0a];
    let mut len = value.len();
    while len >= 0x80 {
        out.push((len as u8 & 0x7f) | 0x80);
        len >>= 7;
    }
    out.push(len as u8);
    out.extend_from_slice(value);
    out
}

/// A whole uncompressed request body `HelloRequest { name: text }`, which is
/// also the response body of `HelloReply { message: text }`.
pub fn hello(text: &str) -> Vec<u8> {
    length_prefixed(false, &field_1(text.as_bytes()))
}

/// One message of a body, as [`messages`] splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireMessage {
    /// The Compressed-Flag was 1.
    pub compressed: bool,
    /// The message bytes, as sent (still compressed when flagged).
    pub payload: Vec<u8>,
}

/// Splits a body into its Length-Prefixed-Messages; a body that ends inside
/// one fails the test.
pub fn messages(mut body: &[u8]) -> Vec<WireMessage> {
    let mut out = Vec::new();
    while !body.is_empty() {
        assert!(body.len() >= 5, "a body ending mid-prefix: {body:?}");
        let len = u32::from_be_bytes([body[1], body[2], body[3], body[4]]) as usize;
        assert!(
            body.len() >= 5 + len,
            "a body ending mid-message: {len} bytes announced, {} left",
            body.len() - 5
        );
        out.push(WireMessage {
            compressed: body[0] == 1,
            payload: body[5..5 + len].to_vec(),
        });
        body = &body[5 + len..];
    }
    out
}
