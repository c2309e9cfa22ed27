//! The protobuf wire format rule by rule: bad input is a typed error and
//! never a panic; last-wins, message merging, unknown fields skipped.

use bytes::{BufMut, Bytes, BytesMut};
use h2grpc::codec::wire::{put_key, put_varint, WireType};
use h2grpc::codec::{DecodeError, Label, MessageSchema, ProtoType, RECURSION_LIMIT};
use h2grpc::Message;

h2grpc::enumeration! {
    package "wire";
    /// A test enum.
    pub enum Mood { CALM = 0, ANGRY = 1 }
}

h2grpc::message! {
    package "wire";
    /// A nested message.
    pub struct Inner { a: int32 = 1, b: string = 2, list: repeated int32 = 3 }
    /// The message under test.
    pub struct Outer {
        n: int32 = 1,
        text: string = 2,
        inner: message Inner = 3,
        blob: bytes = 4,
        mood: enum Mood = 5,
        maybe: optional sint32 = 6,
        oneof pick: Pick { word: string = 7, sub: message Inner = 8 },
        nested: repeated message Outer = 9,
    }
}

fn key(buf: &mut BytesMut, number: u32, wire: WireType) {
    put_key(buf, number, wire);
}

fn decode(bytes: &[u8]) -> Result<Outer, DecodeError> {
    Outer::decode(Bytes::copy_from_slice(bytes))
}

#[test]
fn truncated_input_is_an_error() {
    assert_eq!(decode(&[0x08]), Err(DecodeError::Truncated));
    assert_eq!(decode(&[0x08, 0x80]), Err(DecodeError::Truncated));
    // An unknown fixed32 field (number 20) with two of its four bytes.
    assert_eq!(decode(&[0xa5, 0x01, 1, 2]), Err(DecodeError::Truncated));
}

#[test]
fn an_overlong_varint_is_an_error() {
    let mut bytes = vec![0x08];
    bytes.extend([0xff; 10]);
    bytes.push(0x01);
    assert_eq!(decode(&bytes), Err(DecodeError::VarintOverflow));
}

#[test]
fn a_length_past_the_end_is_an_error() {
    assert_eq!(
        decode(&[0x12, 0x05, b'a', b'b']),
        Err(DecodeError::LengthPastEnd {
            field: 2,
            len: 5,
            remaining: 2
        })
    );
}

#[test]
fn a_wrong_wire_type_on_a_known_field_is_an_error() {
    // Field 1 (int32) sent as length-delimited.
    assert_eq!(
        decode(&[0x0a, 0x00]),
        Err(DecodeError::WrongWireType {
            field: 1,
            expected: WireType::Varint,
            found: WireType::Len
        })
    );
}

#[test]
fn invalid_utf8_in_a_string_is_an_error() {
    assert_eq!(
        decode(&[0x12, 0x02, 0xc3, 0x28]),
        Err(DecodeError::InvalidUtf8 { field: 2 })
    );
}

#[test]
fn field_number_zero_and_wire_types_6_and_7_are_errors() {
    assert_eq!(decode(&[0x00, 0x01]), Err(DecodeError::FieldNumberZero));
    assert_eq!(decode(&[0x0e]), Err(DecodeError::InvalidWireType(6)));
    assert_eq!(decode(&[0x0f]), Err(DecodeError::InvalidWireType(7)));
}

#[test]
fn groups_are_refused() {
    assert_eq!(
        decode(&[0x63]),
        Err(DecodeError::GroupNotSupported { field: 12 })
    );
}

#[test]
fn nesting_deeper_than_the_limit_is_an_error_not_a_stack_overflow() {
    // Outer.nested (field 9) inside itself, RECURSION_LIMIT + 1 times.
    let mut bytes = Bytes::new();
    for _ in 0..=RECURSION_LIMIT {
        let mut outer = BytesMut::new();
        key(&mut outer, 9, WireType::Len);
        put_varint(&mut outer, bytes.len() as u64);
        outer.put_slice(&bytes);
        bytes = outer.freeze();
    }
    assert_eq!(Outer::decode(bytes), Err(DecodeError::RecursionLimit));
}

#[test]
fn unknown_fields_of_every_wire_type_are_skipped() {
    let mut buf = BytesMut::new();
    key(&mut buf, 100, WireType::Varint);
    put_varint(&mut buf, u64::MAX);
    key(&mut buf, 101, WireType::Fixed64);
    buf.put_u64_le(1);
    key(&mut buf, 102, WireType::Len);
    put_varint(&mut buf, 3);
    buf.put_slice(b"xyz");
    key(&mut buf, 103, WireType::Fixed32);
    buf.put_u32_le(1);
    key(&mut buf, 1, WireType::Varint);
    put_varint(&mut buf, 5);
    assert_eq!(
        Outer::decode(buf.freeze()).unwrap(),
        Outer {
            n: 5,
            ..Outer::default()
        }
    );
}

#[test]
fn the_last_occurrence_of_a_singular_scalar_wins() {
    assert_eq!(
        decode(&[0x08, 0x01, 0x08, 0x02, 0x12, 0x01, b'a', 0x12, 0x01, b'b']).unwrap(),
        Outer {
            n: 2,
            text: "b".into(),
            ..Outer::default()
        }
    );
}

#[test]
fn embedded_messages_seen_twice_merge() {
    let first = Inner {
        a: 1,
        b: String::new(),
        list: vec![1],
    }
    .encode_to_bytes();
    let second = Inner {
        a: 0,
        b: "x".into(),
        list: vec![2],
    }
    .encode_to_bytes();
    let mut buf = BytesMut::new();
    for part in [&first, &second] {
        key(&mut buf, 3, WireType::Len);
        put_varint(&mut buf, part.len() as u64);
        buf.put_slice(part);
    }
    let merged = Outer::decode(buf.freeze()).unwrap().inner.unwrap();
    assert_eq!(
        merged,
        Inner {
            a: 1,
            b: "x".into(),
            list: vec![1, 2]
        }
    );
}

#[test]
fn a_oneof_keeps_the_last_member_seen() {
    let word = Outer {
        pick: Some(Pick::word("w".into())),
        ..Outer::default()
    }
    .encode_to_bytes();
    let sub = Outer {
        pick: Some(Pick::sub(Inner {
            a: 3,
            ..Inner::default()
        })),
        ..Outer::default()
    }
    .encode_to_bytes();
    let both = [word.as_ref(), sub.as_ref()].concat();
    assert_eq!(
        decode(&both).unwrap().pick,
        Some(Pick::sub(Inner {
            a: 3,
            ..Inner::default()
        }))
    );
    let back = [sub.as_ref(), word.as_ref()].concat();
    assert_eq!(decode(&back).unwrap().pick, Some(Pick::word("w".into())));
}

#[test]
fn bytes_fields_are_slices_of_the_input() {
    let encoded = Outer {
        blob: Bytes::from(vec![7u8; 1000]),
        ..Outer::default()
    }
    .encode_to_bytes();
    let range = encoded.as_ptr() as usize..encoded.as_ptr() as usize + encoded.len();
    let decoded = Outer::decode(encoded.clone()).unwrap();
    assert!(
        range.contains(&(decoded.blob.as_ptr() as usize)),
        "bytes field was copied"
    );
}

#[test]
fn defaults_are_not_written_but_set_optionals_are() {
    assert_eq!(Outer::default().encoded_len(), 0);
    let optional_zero = Outer {
        maybe: Some(0),
        ..Outer::default()
    };
    assert_eq!(optional_zero.encode_to_bytes().as_ref(), &[0x30, 0x00]);
    assert_eq!(decode(&[0x30, 0x00]).unwrap(), optional_zero);
}

fn sample() -> Outer {
    Outer {
        n: -3,
        text: "ünï".into(),
        inner: Some(Inner {
            a: 1,
            b: "b".into(),
            list: vec![1, -2, 300],
        }),
        blob: Bytes::from_static(b"\x00\x01"),
        mood: Mood(42),
        maybe: Some(-9),
        pick: Some(Pick::word("w".into())),
        nested: vec![Outer {
            n: 1,
            ..Outer::default()
        }],
    }
}

#[test]
fn every_prefix_of_a_valid_encoding_decodes_or_errors_without_panicking() {
    let encoded = sample().encode_to_bytes();
    assert_eq!(Outer::decode(encoded.clone()).unwrap(), sample());
    for end in 0..encoded.len() {
        let _ = Outer::decode(encoded.slice(..end));
    }
    // Every single-byte corruption, too.
    for i in 0..encoded.len() {
        for byte in [0x00, 0x7f, 0x80, 0xff] {
            let mut bad = encoded.to_vec();
            bad[i] = byte;
            let _ = Outer::decode(Bytes::from(bad));
        }
    }
}

#[test]
fn encoded_len_is_exact() {
    for value in [
        Outer::default(),
        sample(),
        Outer {
            n: i32::MIN,
            ..Outer::default()
        },
    ] {
        assert_eq!(value.encoded_len(), value.encode_to_bytes().len());
    }
}

#[test]
fn a_hand_written_message_works_like_a_generated_one() {
    /// A message written by hand: one string field, number 1.
    #[derive(Debug, PartialEq)]
    struct Name(String);
    impl Message for Name {
        fn encoded_len(&self) -> usize {
            if self.0.is_empty() {
                0
            } else {
                1 + h2grpc::codec::wire::varint_len(self.0.len() as u64) + self.0.len()
            }
        }
        fn encode<B: BufMut>(&self, buf: &mut B) {
            if !self.0.is_empty() {
                put_key(buf, 1, WireType::Len);
                put_varint(buf, self.0.len() as u64);
                buf.put_slice(self.0.as_bytes());
            }
        }
        fn decode(buf: Bytes) -> Result<Self, DecodeError> {
            let mut input = h2grpc::codec::wire::Input::new(&buf);
            let mut name = String::new();
            while !input.is_empty() {
                match input.read_key()? {
                    (1, WireType::Len) => name = input.read_string()?,
                    (_, wire) => input.skip(wire)?,
                }
            }
            Ok(Name(name))
        }
    }
    let hello = h2grpc::services::greeter::HelloRequest { name: "you".into() };
    assert_eq!(
        Name("you".into()).encode_to_bytes(),
        hello.encode_to_bytes()
    );
    assert_eq!(
        Name::decode(hello.encode_to_bytes()).unwrap(),
        Name("you".into())
    );
}

#[test]
fn the_schema_records_names_numbers_types_and_labels() {
    let schema = Outer::schema();
    assert_eq!(schema.full_name(), "wire.Outer");
    assert_eq!(schema.package(), "wire");
    let fields: Vec<(&str, u32, Label, ProtoType, Option<&str>)> = schema
        .fields()
        .iter()
        .map(|f| (f.name, f.number, f.label, f.ty, f.oneof))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("n", 1, Label::Singular, ProtoType::Int32, None),
            ("text", 2, Label::Singular, ProtoType::String, None),
            (
                "inner",
                3,
                Label::Singular,
                ProtoType::Message("wire.Inner"),
                None
            ),
            ("blob", 4, Label::Singular, ProtoType::Bytes, None),
            (
                "mood",
                5,
                Label::Singular,
                ProtoType::Enum("wire.Mood"),
                None
            ),
            ("maybe", 6, Label::Optional, ProtoType::Sint32, None),
            ("word", 7, Label::Singular, ProtoType::String, Some("pick")),
            (
                "sub",
                8,
                Label::Singular,
                ProtoType::Message("wire.Inner"),
                Some("pick")
            ),
            (
                "nested",
                9,
                Label::Repeated,
                ProtoType::Message("wire.Outer"),
                None
            ),
        ]
    );
    assert_eq!(Inner::schema().fields()[2].label, Label::Repeated);
}
