//! Golden vectors: the bytes Python's official `protobuf` writes
//! (tests/golden/gen_golden.py) for the demo messages and a message of every
//! field kind. Our encoder must write the same bytes, and our decoder must
//! read them back to the same values.

use std::collections::BTreeMap;

use bytes::Bytes;
#[cfg(feature = "demo")]
use h2grpc::services::greeter::{HelloReply, HelloRequest};
use h2grpc::Message;

h2grpc::enumeration! {
    package "golden";
    /// golden.Color
    pub enum Color { BLACK = 0, WHITE = 1, BLUE = 2 }
}

h2grpc::enumeration! {
    package "routeguide";
    /// routeguide.Color (grpc_bench's complex payload)
    pub enum PetColor { BLACK = 0, WHITE = 1, BLUE = 2, RED = 3, YELLOW = 4, GREEN = 5 }
}

h2grpc::message! {
    package "golden";
    /// golden.Inner
    pub struct Inner { id: int32 = 1, label: string = 2, values: repeated int32 = 3 }
    /// golden.KitchenSink: every proto3 field kind.
    pub struct KitchenSink {
        f_int32: int32 = 1,
        f_int64: int64 = 2,
        f_uint32: uint32 = 3,
        f_uint64: uint64 = 4,
        f_sint32: sint32 = 5,
        f_sint64: sint64 = 6,
        f_fixed32: fixed32 = 7,
        f_fixed64: fixed64 = 8,
        f_sfixed32: sfixed32 = 9,
        f_sfixed64: sfixed64 = 10,
        f_float: float = 11,
        f_double: double = 12,
        f_bool: bool = 13,
        f_string: string = 14,
        f_bytes: bytes = 15,
        f_enum: enum Color = 16,
        f_message: message Inner = 17,
        r_int32: repeated int32 = 18,
        r_sint64: repeated sint64 = 19,
        r_double: repeated double = 20,
        r_bool: repeated bool = 21,
        r_enum: repeated enum Color = 22,
        r_string: repeated string = 23,
        r_bytes: repeated bytes = 24,
        r_message: repeated message Inner = 25,
        m_string_int32: map<string, int32> = 26,
        m_int64_message: map<int64, message Inner> = 27,
        m_uint32_enum: map<uint32, enum Color> = 28,
        o_int32: optional int32 = 29,
        o_string: optional string = 30,
        oneof choice: Choice { c_text: string = 31, c_inner: message Inner = 32, c_number: uint64 = 33 },
        r_fixed32: repeated fixed32 = 34,
        r_uint64: repeated uint64 = 35,
        r_int64: repeated int64 = 36,
        r_uint32: repeated uint32 = 37,
        r_sint32: repeated sint32 = 38,
        r_fixed64: repeated fixed64 = 39,
        r_sfixed32: repeated sfixed32 = 40,
        r_sfixed64: repeated sfixed64 = 41,
        r_float: repeated float = 42,
    }
}

h2grpc::message! {
    package "routeguide";
    /// routeguide.Point
    pub struct Point { latitude: int32 = 1, longitude: int32 = 2 }
    /// routeguide.Rectangle
    pub struct Rectangle { lo: message Point = 1, hi: message Point = 2 }
    /// routeguide.Feature
    pub struct Feature { name: string = 1, location: message Point = 2 }
    /// routeguide.RouteNote
    pub struct RouteNote { location: message Point = 1, message: string = 2 }
    /// routeguide.RouteSummary
    pub struct RouteSummary { point_count: int32 = 1, feature_count: int32 = 2, distance: int32 = 3, elapsed_time: int32 = 4 }
    /// routeguide.Pet
    pub struct Pet { name: string = 1, color: enum PetColor = 2 }
    /// routeguide.Hello
    pub struct Hello {
        name: string = 1, d: double = 2, f: float = 3, b: bool = 4, n: int32 = 5, l: int64 = 6,
        oneof choice: HelloChoice { c1: string = 7, c2: bool = 8 },
        pets: repeated message Pet = 9,
    }
    /// routeguide.ComplexRequest
    pub struct ComplexRequest { request: message Hello = 1 }
}

fn golden(name: &str) -> Bytes {
    let path = format!("{}/tests/golden/{name}.bin", env!("CARGO_MANIFEST_DIR"));
    Bytes::from(std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

/// Our encoding equals the golden bytes, and decoding them gives the value.
fn check<M: Message + PartialEq + std::fmt::Debug>(name: &str, value: M) {
    let expected = golden(name);
    assert_eq!(value.encoded_len(), expected.len(), "{name}: encoded_len");
    assert_eq!(value.encode_to_bytes(), expected, "{name}: bytes");
    assert_eq!(
        M::decode(expected).expect(name),
        value,
        "{name}: decoded value"
    );
}

fn berkshire() -> Point {
    Point {
        latitude: 409146138,
        longitude: -746188906,
    }
}

fn inner(id: i32, label: &str, values: Vec<i32>) -> Inner {
    Inner {
        id,
        label: label.into(),
        values,
    }
}

fn kitchen_sink() -> KitchenSink {
    KitchenSink {
        f_int32: -42,
        f_int64: -9_000_000_000,
        f_uint32: u32::MAX,
        f_uint64: u64::MAX,
        f_sint32: i32::MIN,
        f_sint64: i64::MIN,
        f_fixed32: 0xDEADBEEF,
        f_fixed64: 0x0123456789ABCDEF,
        f_sfixed32: -7,
        f_sfixed64: -8_000_000_000_000,
        f_float: 3.5,
        f_double: -1.0e300,
        f_bool: true,
        f_string: "héllo, wörld ✓ 🦀".into(),
        f_bytes: Bytes::from((0..=255u8).collect::<Vec<u8>>()),
        f_enum: Color(7),
        f_message: Some(inner(9, "inner", vec![1, -1, 300])),
        r_int32: vec![0, 1, -1, i32::MAX, i32::MIN],
        r_sint64: vec![0, -1, 1, i64::MIN, i64::MAX],
        r_double: vec![0.0, -0.0, 1.5, f64::INFINITY],
        r_bool: vec![true, false, true],
        r_enum: vec![
            Color::BLACK,
            Color::WHITE,
            Color::BLUE,
            Color(99),
            Color(-1),
        ],
        r_string: vec!["".into(), "a".into(), "ünï".into()],
        r_bytes: vec![Bytes::new(), Bytes::from_static(b"\x00\xff")],
        r_message: (0..3).map(|i| inner(i, &format!("n{i}"), vec![])).collect(),
        m_string_int32: BTreeMap::from([
            ("b".into(), 2),
            ("a".into(), 1),
            ("".into(), 0),
            ("ζ".into(), -1),
        ]),
        m_int64_message: BTreeMap::from([
            (-5, inner(5, "", vec![])),
            (10, inner(0, "ten", vec![])),
            (0, Inner::default()),
        ]),
        m_uint32_enum: BTreeMap::from([(1, Color::BLUE), (2, Color::BLACK), (u32::MAX, Color(42))]),
        o_int32: Some(0),
        o_string: Some(String::new()),
        choice: Some(Choice::c_inner(inner(77, "", vec![]))),
        r_fixed32: vec![1, u32::MAX],
        r_uint64: vec![0, 1 << 63],
        r_int64: vec![-1, i64::MAX, 0],
        r_uint32: vec![u32::MAX, 128],
        r_sint32: vec![-1, i32::MAX, i32::MIN],
        r_fixed64: vec![u64::MAX, 0],
        r_sfixed32: vec![i32::MIN, 5],
        r_sfixed64: vec![i64::MIN, 6],
        r_float: vec![-2.5, 1e-45, f32::NEG_INFINITY],
    }
}

#[test]
#[cfg(feature = "demo")] // The demo's own helloworld messages.
fn helloworld_messages_match_python_protobuf() {
    check(
        "hello_request",
        HelloRequest {
            name: "world".into(),
        },
    );
    check(
        "hello_reply",
        HelloReply {
            message: "Hello, world!".into(),
        },
    );
    check("hello_request_empty", HelloRequest::default());
}

#[test]
fn route_guide_messages_match_python_protobuf() {
    check("point", berkshire());
    check(
        "feature",
        Feature {
            name: "Berkshire Valley Management Area Trail, Jefferson, NJ, USA".into(),
            location: Some(berkshire()),
        },
    );
    check(
        "feature_unnamed",
        Feature {
            name: String::new(),
            location: Some(Point::default()),
        },
    );
    check(
        "rectangle",
        Rectangle {
            lo: Some(Point {
                latitude: 400000000,
                longitude: -750000000,
            }),
            hi: Some(Point {
                latitude: 420000000,
                longitude: -730000000,
            }),
        },
    );
    check(
        "route_note",
        RouteNote {
            location: Some(Point {
                latitude: 0,
                longitude: 1,
            }),
            message: "First message".into(),
        },
    );
    check(
        "route_summary",
        RouteSummary {
            point_count: 10,
            feature_count: 3,
            distance: 123456,
            elapsed_time: 7,
        },
    );
}

#[test]
fn grpc_bench_complex_message_matches_python_protobuf() {
    let hello = Hello {
        name: "a name".into(),
        d: 4.55332,
        f: 232.3,
        b: true,
        n: 32,
        l: 444325235223,
        choice: Some(HelloChoice::c1("ofcouse".into())),
        pets: vec![
            Pet {
                name: "Bolo".into(),
                color: PetColor::WHITE,
            },
            Pet {
                name: "Luna".into(),
                color: PetColor::BLACK,
            },
        ],
    };
    check(
        "complex",
        ComplexRequest {
            request: Some(hello),
        },
    );
}

#[test]
fn every_field_kind_matches_python_protobuf() {
    check("kitchen_sink", kitchen_sink());
    check("kitchen_sink_empty", KitchenSink::default());
    check(
        "kitchen_sink_oneof_text",
        KitchenSink {
            choice: Some(Choice::c_text("oneof text".into())),
            o_int32: Some(-1),
            ..KitchenSink::default()
        },
    );
}

#[test]
fn the_same_message_with_unpacked_repeated_scalars_decodes_equal() {
    let unpacked = golden("kitchen_sink_unpacked");
    let packed = golden("kitchen_sink");
    // Field 18 (repeated int32) as an unpacked varint: key 18 << 3 | 0.
    assert!(unpacked.windows(2).any(|w| w == [0x90, 0x01]));
    assert!(!packed.windows(2).any(|w| w == [0x90, 0x01]));
    let decoded = KitchenSink::decode(unpacked).unwrap();
    assert_eq!(decoded, kitchen_sink());
    // ...and we write it packed again.
    assert_eq!(decoded.encode_to_bytes(), packed);
}

#[test]
fn map_entries_decode_in_any_order_and_encode_in_key_order() {
    // The golden map entries, written again in reverse key order, one
    // entry per single-entry message.
    let sink = kitchen_sink();
    let mut reversed = Vec::new();
    for (k, v) in sink.m_string_int32.iter().rev() {
        let one = KitchenSink {
            m_string_int32: BTreeMap::from([(k.clone(), *v)]),
            ..KitchenSink::default()
        };
        reversed.extend_from_slice(&one.encode_to_bytes());
    }
    for (k, v) in sink.m_uint32_enum.iter().rev() {
        let one = KitchenSink {
            m_uint32_enum: BTreeMap::from([(*k, *v)]),
            ..KitchenSink::default()
        };
        reversed.extend_from_slice(&one.encode_to_bytes());
    }
    let decoded = KitchenSink::decode(Bytes::from(reversed)).unwrap();
    assert_eq!(decoded.m_string_int32, sink.m_string_int32);
    assert_eq!(decoded.m_uint32_enum, sink.m_uint32_enum);
    // A later entry with the same key replaces the earlier one.
    let twice = [
        KitchenSink {
            m_string_int32: BTreeMap::from([("k".into(), 1)]),
            ..KitchenSink::default()
        }
        .encode_to_bytes(),
        KitchenSink {
            m_string_int32: BTreeMap::from([("k".into(), 2)]),
            ..KitchenSink::default()
        }
        .encode_to_bytes(),
    ]
    .concat();
    assert_eq!(
        KitchenSink::decode(Bytes::from(twice))
            .unwrap()
            .m_string_int32,
        BTreeMap::from([("k".into(), 2)])
    );
}

#[test]
fn an_unknown_enum_value_survives_a_round_trip() {
    let decoded = KitchenSink::decode(golden("kitchen_sink")).unwrap();
    assert_eq!(decoded.f_enum, Color(7));
    assert_eq!(decoded.f_enum.name(), None);
    assert_eq!(decoded.r_enum[4], Color(-1));
    assert_eq!(decoded.m_uint32_enum[&u32::MAX], Color(42));
    assert_eq!(decoded.encode_to_bytes(), golden("kitchen_sink"));
}

#[test]
fn every_prefix_of_the_kitchen_sink_decodes_or_errors_without_panicking() {
    for name in ["kitchen_sink", "kitchen_sink_unpacked", "complex"] {
        let bytes = golden(name);
        for end in 0..bytes.len() {
            let _ = KitchenSink::decode(bytes.slice(..end));
            let _ = ComplexRequest::decode(bytes.slice(..end));
        }
    }
}
