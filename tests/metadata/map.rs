//! `MetadataMap`: ASCII and binary values kept apart (typed keys and values,
//! and strings checked on the spot), reserved keys refused, `-bin` values
//! padded, unpadded and joined with ",".

use crate::RESERVED_KEYS;
use h2grpc::metadata::{
    AsciiMetadataKey, AsciiMetadataValue, BinaryMetadataKey, BinaryMetadataValue, MetadataEntry,
    MetadataError,
};
use h2grpc::MetadataMap;
use http::{HeaderMap, HeaderValue};

const USER: AsciiMetadataKey = AsciiMetadataKey::from_static("x-user");
const TRACE: BinaryMetadataKey = BinaryMetadataKey::from_static("x-trace-bin");

#[test]
fn typed_keys_and_values_round_trip() {
    let mut map = MetadataMap::new();
    map.insert(USER, AsciiMetadataValue::from_static("alice"))
        .unwrap();
    map.append(&USER, &"bob".parse::<AsciiMetadataValue>().unwrap())
        .unwrap();
    map.insert_bin(TRACE, BinaryMetadataValue::from(&[0u8, 255]))
        .unwrap();
    map.append_bin(&TRACE, vec![7u8]).unwrap();
    assert_eq!(map.get(USER), Some("alice"));
    assert_eq!(map.get(&USER), Some("alice"));
    assert_eq!(map.get_all(USER).collect::<Vec<_>>(), ["alice", "bob"]);
    assert_eq!(map.get_bin(&TRACE).unwrap(), &[0u8, 255][..]);
    assert_eq!(
        map.get_all_bin(TRACE).collect::<Vec<_>>(),
        [&[0u8, 255][..], &[7u8][..]]
    );
    // The same values by their names as strings.
    assert_eq!(map.get("x-user"), Some("alice"));
    assert_eq!(map.get_bin("x-trace-bin").unwrap(), &[0u8, 255][..]);
    assert!(map.contains_key(USER) && map.contains_key(&TRACE));
    assert!(map.contains_key("x-trace-bin"));
    assert_eq!(map.len(), 4);
    assert!(map.remove(USER));
    assert!(map.remove_bin(TRACE));
    assert!(map.is_empty());
}

#[test]
fn string_keys_of_the_other_kind_find_and_remove_nothing() {
    let mut map = MetadataMap::new();
    map.insert("k", "v").unwrap();
    map.insert_bin("k-bin", b"v").unwrap();
    assert_eq!(map.get("k-bin"), None);
    assert_eq!(map.get_all("k-bin").count(), 0);
    assert_eq!(map.get_bin("k"), None);
    assert_eq!(map.get_all_bin("k").count(), 0);
    assert!(!map.remove("k-bin"));
    assert!(!map.remove_bin("k"));
    assert_eq!(map.len(), 2);
    let binary_key = String::from("k-bin");
    assert!(map.remove(String::from("k")));
    assert!(map.remove_bin(&binary_key));
    assert_eq!(binary_key, "k-bin");
    assert!(map.is_empty());
}

#[test]
fn lookups_take_short_lived_string_keys() {
    let mut map = MetadataMap::new();
    map.append("x-tag", "a").unwrap();
    map.append("x-tag", "b").unwrap();
    map.insert_bin("x-tag-bin", b"c").unwrap();
    // The iterators borrow the map only, not the key.
    let ascii = {
        let key = String::from("x-tag");
        map.get_all(&key)
    };
    let binary = {
        let key = String::from("x-tag-bin");
        map.get_all_bin(&key)
    };
    assert_eq!(ascii.collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(binary.collect::<Vec<_>>(), [&b"c"[..]]);
}

#[test]
fn ascii_values_round_trip() {
    let mut map = MetadataMap::new();
    map.insert("x-user", "alice").unwrap();
    map.append("x-tag", "a").unwrap();
    map.append("x-tag", "b, c").unwrap();
    assert_eq!(map.get("x-user"), Some("alice"));
    assert_eq!(map.get("x-tag"), Some("a"));
    assert_eq!(map.get_all("x-tag").collect::<Vec<_>>(), ["a", "b, c"]);
    assert_eq!(map.len(), 3);
    map.insert("x-tag", "only").unwrap();
    assert_eq!(map.get_all("x-tag").collect::<Vec<_>>(), ["only"]);
    assert!(map.remove("x-tag"));
    assert!(!map.remove("x-tag"));
    assert!(!map.contains_key("x-tag"));
    assert_eq!(map.len(), 1);
    assert_eq!(map.get("missing"), None);
}

#[test]
fn binary_values_round_trip_as_unpadded_base64() {
    // "Implementations MUST accept padded and un-padded values and should
    // emit un-padded values."
    let mut map = MetadataMap::new();
    map.insert_bin("trace-bin", b"ab").unwrap();
    assert_eq!(map.as_headers()["trace-bin"], "YWI");
    map.append_bin("trace-bin", [0u8, 255, 10]).unwrap();
    assert_eq!(map.get_bin("trace-bin").unwrap(), &b"ab"[..]);
    let all: Vec<_> = map.get_all_bin("trace-bin").collect();
    assert_eq!(all, [&b"ab"[..], &[0u8, 255, 10][..]]);
    map.insert_bin("empty-bin", b"").unwrap();
    assert_eq!(map.get_bin("empty-bin").unwrap(), &b""[..]);
}

#[test]
fn string_keys_of_the_other_kind_are_refused() {
    let mut map = MetadataMap::new();
    assert_eq!(
        map.insert("k-bin", "v"),
        Err(MetadataError::BinaryKey {
            key: "k-bin".into()
        })
    );
    assert_eq!(
        map.append("k-bin", "v"),
        Err(MetadataError::BinaryKey {
            key: "k-bin".into()
        })
    );
    assert_eq!(
        map.insert_bin("k", b"v"),
        Err(MetadataError::NotBinaryKey { key: "k".into() })
    );
    assert_eq!(
        map.append_bin("k", b"v"),
        Err(MetadataError::NotBinaryKey { key: "k".into() })
    );
    assert!(map.is_empty());
}

#[test]
fn reserved_keys_are_refused() {
    let mut map = MetadataMap::new();
    for key in RESERVED_KEYS {
        let expected = Err(MetadataError::ReservedKey { key: key.into() });
        if key.ends_with("-bin") {
            assert_eq!(map.insert_bin(key, b"x"), expected);
        } else {
            assert_eq!(map.insert(key, "x"), expected);
            assert_eq!(map.append(key, "x"), expected);
        }
    }
    assert!(map.is_empty());
    // Not reserved: user-agent stays readable and settable.
    map.insert("user-agent", "grpc-rust/0.1").unwrap();
    assert_eq!(map.get("user-agent"), Some("grpc-rust/0.1"));
}

#[test]
fn invalid_keys_are_refused() {
    // "Header-Name → 1*( %x30-39 / %x61-7A / "_" / "-" / "." )"
    let mut map = MetadataMap::new();
    for key in [
        "",
        ":path",
        ":authority",
        "X-Upper",
        "sp ace",
        "a/b",
        "colon:",
        "é",
    ] {
        assert_eq!(
            map.insert(key, "v"),
            Err(MetadataError::InvalidKey { key: key.into() }),
            "{key:?}"
        );
    }
    for key in ["a", "x-y_z.0", "0", "-bin-not-suffix"] {
        map.insert(key, "v").unwrap();
    }
}

#[test]
fn invalid_ascii_values_are_refused() {
    // "ASCII-Value → 1*( %x20-%x7E ) ; space and printable ASCII"
    let mut map = MetadataMap::new();
    for (value, index, byte) in [
        ("tab\there", 3, b'\t'),
        ("new\nline", 3, b'\n'),
        ("cr\r", 2, b'\r'),
        ("nul\0", 3, 0),
        ("del\x7f", 3, 0x7f),
        ("é", 0, 0xc3),
    ] {
        let expected = Err(MetadataError::InvalidValue { index, byte });
        assert_eq!(map.insert("k", value), expected, "{value:?}");
        assert_eq!(map.append("k", value), expected, "{value:?}");
    }
    assert!(map.is_empty());
    map.insert("k", " spaces and ~!@#$%^&*() ").unwrap();
    map.insert("k", "").unwrap();
    assert_eq!(map.get("k"), Some(""));
}

#[test]
fn a_bad_string_key_is_reported_before_a_bad_value() {
    let mut map = MetadataMap::new();
    assert_eq!(
        map.insert("k-bin", "new\nline"),
        Err(MetadataError::BinaryKey {
            key: "k-bin".into()
        })
    );
}

fn received(pairs: &[(&'static str, &'static [u8])]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for &(name, value) in pairs {
        headers.append(name, HeaderValue::from_bytes(value).unwrap());
    }
    headers
}

#[test]
fn from_headers_drops_reserved_headers() {
    let headers = received(&[
        ("content-type", b"application/grpc"),
        ("te", b"trailers"),
        ("grpc-timeout", b"1S"),
        ("grpc-encoding", b"gzip"),
        ("grpc-accept-encoding", b"gzip,identity"),
        ("grpc-status-details-bin", b"YWI"),
        ("user-agent", b"grpc-go/1.60"),
        ("authorization", b"Bearer x"),
    ]);
    for map in [
        MetadataMap::from_headers(headers.clone()),
        MetadataMap::from_headers_ref(&headers),
    ] {
        assert_eq!(map.len(), 2);
        assert_eq!(map.get("user-agent"), Some("grpc-go/1.60"));
        assert_eq!(map.get("authorization"), Some("Bearer x"));
    }
}

#[test]
fn from_headers_drops_invalid_values_so_echo_never_fails() {
    // "Implementations must not error due to receiving an invalid ASCII-Value
    // [...] they may throw the value away or accept the value."
    let headers = received(&[
        ("x-ok", b"fine"),
        ("x-ok", b"tab\there"),
        ("x-latin", b"caf\xe9"),
        ("x-ok", b"also fine"),
        ("x-bad-bin", b"!!!"),
        ("x-good-bin", b"YWI="),
    ]);
    let map = MetadataMap::from_headers(headers.clone());
    assert_eq!(
        map.get_all("x-ok").collect::<Vec<_>>(),
        ["fine", "also fine"]
    );
    assert_eq!(map.get("x-latin"), None);
    assert_eq!(map.get_bin("x-bad-bin"), None);
    assert_eq!(map.get_bin("x-good-bin").unwrap(), &b"ab"[..]);
    assert_eq!(MetadataMap::from_headers_ref(&headers), map);
    // Echo: everything received can be put back.
    let mut echo = MetadataMap::new();
    for entry in map.iter() {
        match entry {
            MetadataEntry::Ascii { key, value } => echo.append(key, value).unwrap(),
            MetadataEntry::Binary { key, value } => echo.append_bin(key, value).unwrap(),
        }
    }
    assert_eq!(echo.len(), map.len());
}

#[test]
fn binary_values_padded_unpadded_and_joined_are_decoded() {
    // "Implementations must split Binary-Headers on "," before decoding the
    // Base64-encoded values."
    let headers = received(&[
        ("padded-bin", b"YWI="),
        ("unpadded-bin", b"YWI"),
        ("joined-bin", b"YWI=,Y2Q,ZQ=="),
        ("joined-bin", b"Zg"),
        ("spaced-bin", b"YWI=, Y2Q"),
    ]);
    let map = MetadataMap::from_headers(headers);
    assert_eq!(map.get_bin("padded-bin").unwrap(), &b"ab"[..]);
    assert_eq!(map.get_bin("unpadded-bin").unwrap(), &b"ab"[..]);
    assert_eq!(map.get_bin("joined-bin").unwrap(), &b"ab"[..]);
    let joined: Vec<_> = map.get_all_bin("joined-bin").collect();
    assert_eq!(joined, [&b"ab"[..], b"cd", b"e", b"f"]);
    let spaced: Vec<_> = map.get_all_bin("spaced-bin").collect();
    assert_eq!(spaced, [&b"ab"[..], b"cd"]);
    let iterated = map
        .iter()
        .filter(|e| {
            matches!(
                e,
                MetadataEntry::Binary {
                    key: "joined-bin",
                    ..
                }
            )
        })
        .count();
    assert_eq!(iterated, 4);
}

#[test]
fn iter_yields_typed_entries() {
    let mut map = MetadataMap::new();
    map.insert("a", "1").unwrap();
    map.insert_bin("b-bin", [7u8]).unwrap();
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by_key(|e| match e {
        MetadataEntry::Ascii { key, .. } | MetadataEntry::Binary { key, .. } => key.to_string(),
    });
    assert_eq!(
        entries,
        [
            MetadataEntry::Ascii {
                key: "a",
                value: "1"
            },
            MetadataEntry::Binary {
                key: "b-bin",
                value: bytes::Bytes::from_static(&[7])
            },
        ]
    );
}

#[test]
fn merge_into_appends_to_existing_headers() {
    let mut map = MetadataMap::new();
    map.insert("x-a", "1").unwrap();
    map.append("x-a", "2").unwrap();
    map.insert_bin("x-b-bin", b"z").unwrap();
    let mut headers = received(&[("content-type", b"application/grpc"), ("x-a", b"0")]);
    map.merge_into(&mut headers);
    assert_eq!(headers["content-type"], "application/grpc");
    let xa: Vec<_> = headers
        .get_all("x-a")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(xa, ["0", "1", "2"]);
    assert_eq!(headers["x-b-bin"], "eg");
    assert_eq!(map.clone().into_headers(), *map.as_headers());
}

#[test]
fn errors_display_the_key_or_the_byte() {
    let errors = [
        MetadataError::InvalidKey { key: "K".into() },
        MetadataError::ReservedKey { key: "te".into() },
        MetadataError::BinaryKey {
            key: "x-bin".into(),
        },
        MetadataError::NotBinaryKey { key: "x".into() },
    ];
    for err in errors {
        let text = err.to_string();
        let key = match &err {
            MetadataError::InvalidKey { key }
            | MetadataError::ReservedKey { key }
            | MetadataError::BinaryKey { key }
            | MetadataError::NotBinaryKey { key } => key.clone(),
            MetadataError::InvalidValue { .. } => unreachable!(),
        };
        assert!(text.contains(&format!("{key:?}")), "{text}");
    }
    let text = MetadataError::InvalidValue {
        index: 3,
        byte: b'\n',
    }
    .to_string();
    assert!(text.contains("byte 3 is 0x0a"), "{text}");
}
