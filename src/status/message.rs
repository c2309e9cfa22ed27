//! The `grpc-message` codec: percent-encoding a status message for the
//! trailers and decoding whatever a peer sent (PROTOCOL-HTTP2.md,
//! "Status-Message").

use std::borrow::Cow;

use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, CONTROLS};

/// The bytes `grpc-message` must percent-encode.
///
/// PROTOCOL-HTTP2.md: "Percent-Byte-Unencoded → 1*( %x20-%x24 / %x26-%x7E ) ;
/// space and VCHAR, except %". `CONTROLS` is 0x00..=0x1F and 0x7F; the crate
/// always encodes bytes >= 0x80; '%' is added here. Nothing else is escaped.
const GRPC_MESSAGE_ESCAPES: &AsciiSet = &CONTROLS.add(b'%');

/// Percent-encodes a status message for `grpc-message`.
///
/// PROTOCOL-HTTP2.md: "The value portion of **Status-Message** is
/// conceptually a Unicode string description of the error, physically
/// encoded as UTF-8 followed by percent-encoding."
///
/// One addition to the spec's minimum: a leading or trailing space is written
/// `%20`, because RFC 9113 §8.2.1 says "A field value MUST NOT start or end
/// with an ASCII whitespace character" and strict peers strip or refuse such
/// values. `%20` is a valid Percent-Byte-Encoded, so every gRPC peer decodes
/// it back to the same message.
pub fn encode_message(message: &str) -> Cow<'_, str> {
    let encoded: Cow<'_, str> = utf8_percent_encode(message, GRPC_MESSAGE_ESCAPES).into();
    let lead = encoded.len() - encoded.trim_start_matches(' ').len();
    let trail = encoded.len() - encoded.trim_end_matches(' ').len();
    if lead == 0 && trail == 0 {
        return encoded;
    }
    if lead == encoded.len() {
        return Cow::Owned("%20".repeat(lead));
    }
    let middle = &encoded[lead..encoded.len() - trail];
    Cow::Owned(format!(
        "{}{middle}{}",
        "%20".repeat(lead),
        "%20".repeat(trail)
    ))
}

/// Decodes a received `grpc-message`; never fails.
///
/// Every `%XX` (either case of hex digit) is decoded, including those other
/// stacks escape beyond the spec's minimum; a `%` not followed by two hex
/// digits is kept as it is; bytes that are not UTF-8 after decoding become
/// U+FFFD. PROTOCOL-HTTP2.md: "When decoding invalid values, implementations
/// MUST NOT error or throw away the message. [...] Alternatively, the
/// implementation can decode valid portions while leaving broken
/// %-encodings as-is or replacing them with a replacement character".
pub fn decode_message(raw: &[u8]) -> Cow<'_, str> {
    percent_decode(raw).decode_utf8_lossy()
}
