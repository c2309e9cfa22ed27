//! The protobuf wire format rule by rule: bad input is a typed error and
//! never a panic; last-wins, message merging, unknown fields skipped.

use bytes::{BufMut, Bytes, BytesMut};
use h2grpc::__private::wire::{put_key, put_varint, varint_len, WireType};
use h2grpc::codec::{DecodeError, MessageSchema, RECURSION_LIMIT};
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
    /// One string field, number 1, as the hand-written `Name` below.
    pub struct Greeting { name: string = 1 }
}

fn key(buf: &mut BytesMut, number: u32, wire: WireType) {
    put_key(buf, number, wire);
}

fn decode(bytes: &[u8]) -> Result<Outer, DecodeError> {
    Outer::decode(Bytes::copy_from_slice(bytes))
}

#[test]
fn truncated_input_is_an_error() {
    let truncated = |field| Err(DecodeError::Truncated { field });
    // Field 1's key, then nothing.
    assert_eq!(decode(&[0x08]), truncated(Some(1)));
    assert_eq!(decode(&[0x08, 0x80]), truncated(Some(1)));
    // A key cut in the middle.
    assert_eq!(decode(&[0x08, 0x01, 0x80]), truncated(None));
    // An unknown fixed32 field (number 20) with two of its four bytes.
    assert_eq!(decode(&[0xa5, 0x01, 1, 2]), truncated(Some(20)));
    // A fixed64 unknown field (21) with seven of its eight bytes.
    assert_eq!(
        decode(&[0xa9, 0x01, 1, 2, 3, 4, 5, 6, 7]),
        truncated(Some(21))
    );
}

#[test]
fn an_overlong_varint_is_an_error() {
    let mut bytes = vec![0x08];
    bytes.extend([0xff; 10]);
    bytes.push(0x01);
    assert_eq!(
        decode(&bytes),
        Err(DecodeError::VarintOverflow { field: Some(1) })
    );
    // Ten bytes is still a varint (u64::MAX as a negative int32 is ten).
    assert_eq!(
        decode(&[0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
            .unwrap()
            .n,
        -1
    );
    // An overlong key.
    assert_eq!(
        decode(&[0xff; 11]),
        Err(DecodeError::VarintOverflow { field: None })
    );
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
    assert_eq!(
        decode(&[0x0e]),
        Err(DecodeError::InvalidWireType {
            field: 1,
            wire_type: 6
        })
    );
    assert_eq!(
        decode(&[0x17]),
        Err(DecodeError::InvalidWireType {
            field: 2,
            wire_type: 7
        })
    );
}

#[test]
fn unknown_groups_are_skipped_whole() {
    // Group 12 holding a varint, a nested group 13 and a string, then n = 5.
    let mut buf = BytesMut::new();
    key(&mut buf, 12, WireType::StartGroup);
    key(&mut buf, 1, WireType::Varint);
    put_varint(&mut buf, 300);
    key(&mut buf, 13, WireType::StartGroup);
    key(&mut buf, 2, WireType::Fixed32);
    buf.put_u32_le(7);
    key(&mut buf, 13, WireType::EndGroup);
    key(&mut buf, 3, WireType::Len);
    put_varint(&mut buf, 2);
    buf.put_slice(b"hi");
    key(&mut buf, 12, WireType::EndGroup);
    key(&mut buf, 1, WireType::Varint);
    put_varint(&mut buf, 5);
    assert_eq!(Outer::decode(buf.freeze()).unwrap().n, 5);
}

#[test]
fn broken_groups_are_errors() {
    // A group that never ends.
    assert_eq!(
        decode(&[0x63, 0x08, 0x01]),
        Err(DecodeError::Truncated { field: Some(12) })
    );
    // An end without a start.
    assert_eq!(
        decode(&[0x64]),
        Err(DecodeError::UnmatchedEndGroup { field: 12 })
    );
    // Start 12, end 13.
    assert_eq!(
        decode(&[0x63, 0x6c]),
        Err(DecodeError::UnmatchedEndGroup { field: 13 })
    );
    // A known field (1, int32) sent as a group.
    assert_eq!(
        decode(&[0x0b, 0x0c]),
        Err(DecodeError::WrongWireType {
            field: 1,
            expected: WireType::Varint,
            found: WireType::StartGroup
        })
    );
    // Groups nested past the limit: an error, not a stack overflow.
    let depth = RECURSION_LIMIT as usize + 1;
    let mut bytes = vec![0x63; depth];
    bytes.extend(vec![0x64; depth]);
    assert_eq!(decode(&bytes), Err(DecodeError::RecursionLimit));
    let mut fine = vec![0x63; depth - 1];
    fine.extend(vec![0x64; depth - 1]);
    assert_eq!(decode(&fine), Ok(Outer::default()));
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
                1 + h2grpc::__private::wire::varint_len(self.0.len() as u64) + self.0.len()
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
            let mut input = h2grpc::__private::wire::Input::new(&buf);
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
    let hello = Greeting { name: "you".into() };
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
fn a_length_of_2_pow_32_or_more_is_past_the_end_not_truncated_to_32_bits() {
    // Field 2 (string), length 2^32 + 1 (quick-protobuf's `read_bytes`
    // would read this as 1), then one byte.
    let mut buf = BytesMut::new();
    key(&mut buf, 2, WireType::Len);
    put_varint(&mut buf, (1 << 32) + 1);
    buf.put_u8(b'a');
    assert_eq!(
        Outer::decode(buf.freeze()),
        Err(DecodeError::LengthPastEnd {
            field: 2,
            len: (1 << 32) + 1,
            remaining: 1
        })
    );
    // The largest length a varint can carry.
    let mut buf = BytesMut::new();
    key(&mut buf, 4, WireType::Len);
    put_varint(&mut buf, u64::MAX);
    assert_eq!(
        Outer::decode(buf.freeze()),
        Err(DecodeError::LengthPastEnd {
            field: 4,
            len: u64::MAX,
            remaining: 0
        })
    );
}

#[test]
fn field_numbers_above_29_bits_are_errors() {
    let mut buf = BytesMut::new();
    put_varint(&mut buf, (1u64 << 29) << 3);
    assert_eq!(
        Outer::decode(buf.freeze()),
        Err(DecodeError::FieldNumberTooLarge { number: 1 << 29 })
    );
    // The largest valid number is an unknown field like any other.
    let mut buf = BytesMut::new();
    key(&mut buf, (1 << 29) - 1, WireType::Varint);
    put_varint(&mut buf, 1);
    assert_eq!(Outer::decode(buf.freeze()), Ok(Outer::default()));
}

#[test]
fn errors_inside_nested_values_name_the_field_being_read() {
    // inner (3) holding field b (2) with invalid UTF-8.
    assert_eq!(
        decode(&[0x1a, 0x04, 0x12, 0x02, 0xc3, 0x28]),
        Err(DecodeError::InvalidUtf8 { field: 2 })
    );
    // inner.list (3) packed, its last varint cut: the packed field is named.
    assert_eq!(
        decode(&[0x1a, 0x04, 0x1a, 0x02, 0x01, 0x80]),
        Err(DecodeError::Truncated { field: Some(3) })
    );
    // inner (3) announcing 5 bytes with 1 left.
    assert_eq!(
        decode(&[0x1a, 0x05, 0x08]),
        Err(DecodeError::LengthPastEnd {
            field: 3,
            len: 5,
            remaining: 1
        })
    );
    // inner.list (an int32 field) sent as a fixed32.
    assert_eq!(
        decode(&[0x1a, 0x02, 0x1d, 0x00]),
        Err(DecodeError::WrongWireType {
            field: 3,
            expected: WireType::Varint,
            found: WireType::Fixed32
        })
    );
}

#[test]
fn errors_display_the_field() {
    assert_eq!(
        DecodeError::Truncated { field: Some(4) }.to_string(),
        "message truncated in field 4"
    );
    assert_eq!(
        DecodeError::VarintOverflow { field: None }.to_string(),
        "varint longer than 10 bytes in a field key"
    );
    assert_eq!(
        DecodeError::InvalidUtf8 { field: 2 }.to_string(),
        "string field 2 is not valid UTF-8"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(DecodeError::FieldNumberZero);
    assert_eq!(boxed.to_string(), "field number 0 is not allowed");
}

#[test]
fn merge_extends_repeated_fields_and_replaces_set_scalars() {
    let mut value = Outer {
        n: 1,
        text: "keep".into(),
        inner: Some(Inner {
            a: 1,
            ..Inner::default()
        }),
        ..Outer::default()
    };
    value
        .merge(
            Outer {
                n: 2,
                inner: Some(Inner {
                    b: "b".into(),
                    list: vec![9],
                    ..Inner::default()
                }),
                ..Outer::default()
            }
            .encode_to_bytes(),
        )
        .unwrap();
    assert_eq!(
        value,
        Outer {
            n: 2,
            text: "keep".into(),
            inner: Some(Inner {
                a: 1,
                b: "b".into(),
                list: vec![9]
            }),
            ..Outer::default()
        }
    );
}

#[test]
fn a_oneof_message_member_seen_twice_merges() {
    let first = Outer {
        pick: Some(Pick::sub(Inner {
            a: 1,
            ..Inner::default()
        })),
        ..Outer::default()
    }
    .encode_to_bytes();
    let second = Outer {
        pick: Some(Pick::sub(Inner {
            b: "x".into(),
            ..Inner::default()
        })),
        ..Outer::default()
    }
    .encode_to_bytes();
    assert_eq!(
        decode(&[first.as_ref(), second.as_ref()].concat())
            .unwrap()
            .pick,
        Some(Pick::sub(Inner {
            a: 1,
            b: "x".into(),
            list: vec![]
        }))
    );
}

#[test]
fn length_delimited_messages_follow_each_other() {
    let mut buf = BytesMut::new();
    sample().encode_length_delimited(&mut buf);
    Outer::default().encode_length_delimited(&mut buf);
    buf.put_u8(0x03); // a third message announcing 3 bytes, with none
    let mut bytes = buf.freeze();
    assert_eq!(Outer::decode_length_delimited(&mut bytes), Ok(sample()));
    assert_eq!(
        Outer::decode_length_delimited(&mut bytes),
        Ok(Outer::default())
    );
    assert_eq!(bytes.as_ref(), &[0x03]);
    assert!(matches!(
        Outer::decode_length_delimited(&mut bytes),
        Err(DecodeError::LengthPastEnd { len: 3, .. })
    ));
}

#[test]
fn varint_len_agrees_with_quick_protobuf_and_with_the_bytes_written() {
    let mut values = vec![0u64, u64::MAX];
    for bit in 0..64 {
        values.extend([(1u64 << bit) - 1, 1u64 << bit, (1u64 << bit) + 1]);
    }
    for value in values {
        let mut buf = BytesMut::new();
        put_varint(&mut buf, value);
        assert_eq!(varint_len(value), buf.len(), "{value}");
        assert_eq!(
            varint_len(value),
            quick_protobuf::sizeofs::sizeof_varint(value),
            "{value}"
        );
    }
}

#[test]
fn encoded_len_is_exact_for_extreme_values() {
    for n in [0, 1, -1, 63, 64, -64, -65, i32::MAX, i32::MIN] {
        for text_len in [0, 1, 127, 128, 16_383, 16_384] {
            let value = Outer {
                n,
                text: "x".repeat(text_len),
                maybe: Some(n),
                mood: Mood(n),
                inner: Some(Inner {
                    a: n,
                    b: String::new(),
                    list: vec![n; text_len % 200],
                }),
                ..Outer::default()
            };
            let encoded = value.encode_to_bytes();
            assert_eq!(value.encoded_len(), encoded.len());
            assert_eq!(Outer::decode(encoded).unwrap(), value);
        }
    }
}

#[test]
fn negative_int32_and_enum_values_take_ten_bytes() {
    let bytes = Outer {
        n: -1,
        ..Outer::default()
    }
    .encode_to_bytes();
    assert_eq!(bytes.len(), 11);
    let bytes = Outer {
        mood: Mood(-2),
        ..Outer::default()
    }
    .encode_to_bytes();
    assert_eq!(bytes.len(), 11);
    assert_eq!(Outer::decode(bytes).unwrap().mood, Mood(-2));
}

#[test]
fn our_bytes_match_quick_protobufs_writer() {
    // An independent encoder for Inner { a = 1 (int32), b = 2 (string),
    // list = 3 (packed int32) }.
    let value = Inner {
        a: -300,
        b: "quick".into(),
        list: vec![1, -1, 1 << 20],
    };
    let mut theirs = Vec::new();
    {
        let mut writer = quick_protobuf::Writer::new(&mut theirs);
        writer
            .write_with_tag(8, |w| w.write_int32(value.a))
            .unwrap();
        writer
            .write_with_tag(18, |w| w.write_string(&value.b))
            .unwrap();
        writer
            .write_packed_with_tag(26, &value.list, |w, v| w.write_int32(*v), &|v| {
                quick_protobuf::sizeofs::sizeof_int32(*v)
            })
            .unwrap();
    }
    assert_eq!(value.encode_to_bytes().as_ref(), theirs.as_slice());
}
