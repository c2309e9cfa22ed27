//! `grpc-message` percent-encoding (PROTOCOL-HTTP2.md, "Status-Message"):
//! encode only what the spec requires, decode whatever a peer sends, never
//! fail.

use h2grpc::status::{decode_message, encode_message};

/// Every character U+0000..=U+00FF: after UTF-8 encoding, that is every byte
/// value, ASCII and not.
fn all_latin1() -> String {
    (0u32..=255).map(|c| char::from_u32(c).unwrap()).collect()
}

#[test]
fn printable_ascii_except_percent_is_not_escaped() {
    // "Percent-Byte-Unencoded → 1*( %x20-%x24 / %x26-%x7E )"
    let printable: String = (0x20u8..=0x7E)
        .filter(|b| *b != b'%')
        .map(char::from)
        .collect();
    // Leading/trailing space aside (see below), nothing changes.
    let inner = &printable[1..];
    assert_eq!(encode_message(inner), inner);
    assert_eq!(encode_message("a b"), "a b");
}

#[test]
fn percent_controls_and_non_ascii_are_escaped_uppercase() {
    // "Percent-Byte-Encoded → "%" 2HEXDIGIT ; 0-9 A-F"
    let cases = [
        ("100%", "100%25"),
        ("a\tb", "a%09b"),
        ("line1\r\nline2", "line1%0D%0Aline2"),
        ("\0", "%00"),
        ("\x7f", "%7F"),
        ("é", "%C3%A9"),
        ("日本", "%E6%97%A5%E6%9C%AC"),
        ("🦀", "%F0%9F%A6%80"),
    ];
    for (raw, encoded) in cases {
        assert_eq!(encode_message(raw), encoded, "{raw:?}");
        assert_eq!(decode_message(encoded.as_bytes()), raw);
    }
}

#[test]
fn leading_and_trailing_spaces_are_escaped_so_no_peer_strips_them() {
    assert_eq!(encode_message(" padded "), "%20padded%20");
    assert_eq!(encode_message("  "), "%20%20");
    assert_eq!(encode_message("in side"), "in side");
    assert_eq!(decode_message(b"%20padded%20"), " padded ");
}

#[test]
fn encoded_message_is_always_a_valid_header_value() {
    let encoded = encode_message(&all_latin1()).into_owned();
    assert!(encoded.bytes().all(|b| (0x20..=0x7E).contains(&b)));
    assert!(http::HeaderValue::from_str(&encoded).is_ok());
}

#[test]
fn message_with_tabs_newlines_and_non_ascii_round_trips() {
    let message = "\tfailed:\r\n  user \"ünïcødé\" 50% done ✓ 🦀 ";
    assert_eq!(decode_message(encode_message(message).as_bytes()), message);
}

#[test]
fn every_byte_round_trips() {
    let message = all_latin1();
    assert_eq!(decode_message(encode_message(&message).as_bytes()), message);
    for c in message.chars() {
        let one = c.to_string();
        assert_eq!(
            decode_message(encode_message(&one).as_bytes()),
            one,
            "{c:?}"
        );
    }
}

#[test]
fn any_percent_hex_pair_is_decoded_in_either_case() {
    // Other stacks escape more than the spec requires (e.g. every
    // non-alphanumeric): decode them all.
    for b in 0u8..=255 {
        let expected = String::from_utf8_lossy(&[b]).into_owned();
        assert_eq!(
            decode_message(format!("%{b:02X}").as_bytes()),
            expected,
            "%{b:02X}"
        );
        assert_eq!(
            decode_message(format!("%{b:02x}").as_bytes()),
            expected,
            "%{b:02x}"
        );
    }
    assert_eq!(decode_message(b"%48%65%6c%6C%6f"), "Hello");
    assert_eq!(decode_message(b"a%2Cb%3a%20c"), "a,b: c");
    assert_eq!(decode_message(b"%c3%a9"), "é");
}

#[test]
fn malformed_percent_sequences_are_left_as_they_are() {
    // "When decoding invalid values, implementations MUST NOT error or throw
    // away the message."
    let cases: [(&[u8], &str); 8] = [
        (b"%", "%"),
        (b"100%", "100%"),
        (b"%zz", "%zz"),
        (b"%4", "%4"),
        (b"%4g", "%4g"),
        (b"%%41", "%A"),
        (b"50% off", "50% off"),
        (b"%G0%41", "%G0A"),
    ];
    for (raw, decoded) in cases {
        assert_eq!(
            decode_message(raw),
            decoded,
            "{:?}",
            String::from_utf8_lossy(raw)
        );
    }
}

#[test]
fn invalid_utf8_after_decoding_is_replaced_not_refused() {
    assert_eq!(decode_message(b"bad %FF byte"), "bad \u{FFFD} byte");
    assert_eq!(decode_message(b"%C3"), "\u{FFFD}");
    // Raw non-ASCII bytes a broken peer put in the header.
    assert_eq!(decode_message(b"raw \xC3\xA9"), "raw é");
    assert_eq!(decode_message(b"raw \xFF"), "raw \u{FFFD}");
}

#[test]
fn empty_message_stays_empty() {
    assert_eq!(encode_message(""), "");
    assert_eq!(decode_message(b""), "");
}
