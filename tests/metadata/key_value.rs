//! Metadata keys and values, built one by one: every way a key or a value is
//! refused, for both kinds, by every constructor (`parse`, `try_from` a
//! `&str`, a `String` and a `&String`, and `from_static`, which panics).

use crate::RESERVED_KEYS;
use h2grpc::metadata::{
    Ascii, AsciiMetadataKey, AsciiMetadataValue, Binary, BinaryMetadataKey, BinaryMetadataValue,
    MetadataError, MetadataKey, MetadataKind,
};

/// Keys outside the grammar: "Header-Name → 1*( %x30-39 / %x61-7A / "_" /
/// "-" / "." )".
const INVALID_KEYS: [&str; 9] = [
    "",
    ":path",
    ":authority",
    "X-Upper",
    "X-Upper-bin",
    "sp ace",
    "a/b",
    "colon:",
    "é",
];

/// `key` built as a key of kind `K` through each fallible constructor, all
/// of which must agree.
fn parsed<K: MetadataKind>(key: &str) -> Result<MetadataKey<K>, MetadataError> {
    let by_parse = key.parse::<MetadataKey<K>>();
    assert_eq!(MetadataKey::<K>::try_from(key), by_parse, "{key:?}");
    assert_eq!(
        MetadataKey::<K>::try_from(key.to_owned()),
        by_parse,
        "{key:?}"
    );
    assert_eq!(
        MetadataKey::<K>::try_from(&key.to_owned()),
        by_parse,
        "{key:?}"
    );
    by_parse
}

#[test]
fn keys_outside_the_grammar_are_refused_for_both_kinds() {
    for key in INVALID_KEYS {
        let expected = MetadataError::InvalidKey { key: key.into() };
        assert_eq!(parsed::<Ascii>(key), Err(expected.clone()));
        assert_eq!(parsed::<Binary>(key), Err(expected));
    }
}

#[test]
fn reserved_keys_are_refused_for_both_kinds() {
    // "Header names starting with "grpc-" but not listed here are reserved
    // for future GRPC use and should not be used by applications as
    // Custom-Metadata."
    for key in RESERVED_KEYS {
        let expected = MetadataError::ReservedKey { key: key.into() };
        assert_eq!(parsed::<Ascii>(key), Err(expected.clone()));
        assert_eq!(parsed::<Binary>(key), Err(expected));
    }
}

#[test]
fn an_ascii_key_must_not_end_in_bin() {
    for key in ["x-bin", "a-b-bin", "-bin"] {
        assert_eq!(
            parsed::<Ascii>(key),
            Err(MetadataError::BinaryKey { key: key.into() })
        );
    }
    for key in ["a", "x-y_z.0", "0", "-bin-not-suffix", "xbin", "user-agent"] {
        assert_eq!(parsed::<Ascii>(key).unwrap().as_str(), key);
    }
}

#[test]
fn a_binary_key_must_end_in_bin() {
    // "Applications define binary headers by having their names end with
    // "-bin"."
    for key in ["x", "x-bin-not", "xbin", "x_bin", "bin"] {
        assert_eq!(
            parsed::<Binary>(key),
            Err(MetadataError::NotBinaryKey { key: key.into() })
        );
    }
    for key in ["x-bin", "a.b_c-bin", "0-bin"] {
        assert_eq!(parsed::<Binary>(key).unwrap().as_str(), key);
    }
}

#[test]
fn static_keys_equal_parsed_ones() {
    const USER: AsciiMetadataKey = AsciiMetadataKey::from_static("x-user");
    const TRACE: BinaryMetadataKey = BinaryMetadataKey::from_static("x-trace-bin");
    // A standard HTTP header name takes http's own representation.
    const AGENT: AsciiMetadataKey = AsciiMetadataKey::from_static("user-agent");
    assert_eq!(USER, "x-user".parse().unwrap());
    assert_eq!(TRACE, "x-trace-bin".parse().unwrap());
    assert_eq!(AGENT, "user-agent".parse().unwrap());
    assert_eq!(USER.to_string(), "x-user");
    assert_eq!(format!("{TRACE:?}"), "\"x-trace-bin\"");
    assert_eq!(AsRef::<str>::as_ref(&AGENT), "user-agent");
}

#[test]
#[should_panic(expected = "must not end in -bin")]
fn static_ascii_key_with_bin_suffix_panics() {
    let _ = AsciiMetadataKey::from_static(std::hint::black_box("x-bin"));
}

#[test]
#[should_panic(expected = "must end in -bin")]
fn static_binary_key_without_bin_suffix_panics() {
    let _ = BinaryMetadataKey::from_static(std::hint::black_box("x"));
}

#[test]
#[should_panic(expected = "reserved")]
fn static_reserved_key_panics() {
    let _ = AsciiMetadataKey::from_static(std::hint::black_box("grpc-status"));
}

#[test]
#[should_panic(expected = "invalid metadata key")]
fn static_invalid_key_panics() {
    let _ = AsciiMetadataKey::from_static(std::hint::black_box("X-Upper"));
}

#[test]
fn ascii_values_outside_printable_ascii_are_refused() {
    // "ASCII-Value → 1*( %x20-%x7E ) ; space and printable ASCII"
    for (value, index, byte) in [
        ("tab\there", 3, b'\t'),
        ("new\nline", 3, b'\n'),
        ("cr\r", 2, b'\r'),
        ("nul\0", 3, 0),
        ("del\x7f", 3, 0x7f),
        ("é", 0, 0xc3),
        ("ok then \u{1}", 8, 1),
    ] {
        let expected = Err(MetadataError::InvalidValue { index, byte });
        assert_eq!(value.parse::<AsciiMetadataValue>(), expected, "{value:?}");
        assert_eq!(AsciiMetadataValue::try_from(value), expected);
        assert_eq!(AsciiMetadataValue::try_from(value.to_owned()), expected);
        assert_eq!(AsciiMetadataValue::try_from(&value.to_owned()), expected);
    }
}

#[test]
fn every_printable_ascii_value_is_accepted() {
    let all: String = (0x20u8..=0x7e).map(char::from).collect();
    for value in [all.as_str(), "", " ", "a,b", "Bearer t0k3n"] {
        let parsed: AsciiMetadataValue = value.parse().unwrap();
        assert_eq!(parsed.as_str(), value);
        assert_eq!(
            AsciiMetadataValue::try_from(value.to_owned()).unwrap(),
            parsed
        );
    }
    const HELLO: AsciiMetadataValue = AsciiMetadataValue::from_static("hello, world");
    assert_eq!(HELLO.as_str(), "hello, world");
    assert_eq!(format!("{HELLO:?}"), "\"hello, world\"");
}

#[test]
#[should_panic(expected = "printable ASCII")]
fn static_ascii_value_outside_printable_ascii_panics() {
    let _ = AsciiMetadataValue::from_static(std::hint::black_box("new\nline"));
}

#[test]
fn binary_values_take_any_bytes() {
    let every_byte: Vec<u8> = (0..=255).collect();
    let empty: &[u8] = &[];
    for bytes in [every_byte.as_slice(), empty, b"\0", b"ab"] {
        let value = BinaryMetadataValue::from(bytes);
        assert_eq!(value.to_bytes(), bytes);
        assert_eq!(BinaryMetadataValue::from(bytes.to_vec()), value);
        assert_eq!(BinaryMetadataValue::from(&bytes.to_vec()), value);
        assert_eq!(
            BinaryMetadataValue::from(bytes::Bytes::copy_from_slice(bytes)),
            value
        );
        assert_eq!(BinaryMetadataValue::from_bytes(bytes), value);
    }
    assert_eq!(
        BinaryMetadataValue::from([1u8, 2]),
        BinaryMetadataValue::from(&[1u8, 2])
    );
    assert_eq!(
        format!("{:?}", BinaryMetadataValue::from(b"a\0")),
        "b\"a\\0\""
    );
}
