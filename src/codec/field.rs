//! Field labels: how a field of a given [`Kind`] is sized, written and
//! merged when it is singular, `optional`, `repeated`, a map, an embedded
//! message or a oneof. The [`message!`](crate::message) macro writes each
//! field as one of these.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::marker::PhantomData;

use bytes::BufMut;

use super::kinds::{Kind, Msg};
use super::message::DecodeError;
use super::schema::{FieldDescriptor, Label, MessageSchema};
use super::wire::{key_len, put_key, put_varint, varint_len, Input, WireType};

/// How one field of a message is encoded and decoded.
pub trait FieldCodec: 'static {
    /// The Rust type of the field.
    type Value: Default + Clone + PartialEq + Debug + Send + Sync + 'static;
    /// Bytes the field takes, keys included (0 when not emitted).
    fn encoded_len(number: u32, value: &Self::Value) -> usize;
    /// Writes the field, keys included.
    fn encode(number: u32, value: &Self::Value, buf: &mut impl BufMut);
    /// Reads one occurrence of the field whose key was just read.
    fn merge(
        number: u32,
        wire: WireType,
        value: &mut Self::Value,
        input: &mut Input<'_>,
        depth: u32,
    ) -> Result<(), DecodeError>;
    /// Adds the field's schema to `out`.
    fn describe(name: &'static str, number: u32, out: &mut Vec<FieldDescriptor>);
}

#[inline]
fn expect_wire(input: &Input<'_>, expected: WireType, found: WireType) -> Result<(), DecodeError> {
    if expected == found {
        Ok(())
    } else {
        Err(input.wrong_wire_type(expected, found))
    }
}

/// The schema of a field whose values are of kind `K`.
/// The proto name of a field whose Rust name is `rust`, as `stringify!`
/// writes it: a raw identifier (`r#type`, a field named by a Rust keyword)
/// loses its `r#`.
pub fn proto_name(rust: &'static str) -> &'static str {
    rust.strip_prefix("r#").unwrap_or(rust)
}

fn describe<K: Kind>(name: &'static str, number: u32, label: Label) -> FieldDescriptor {
    FieldDescriptor {
        name,
        number,
        label,
        ty: K::proto_type(),
        map_key: None,
        oneof: None,
        type_ref: K::type_ref(),
    }
}

/// A proto3 singular scalar or enum: the default is not emitted; the last
/// occurrence wins.
pub struct Singular<K>(PhantomData<K>);

impl<K: Kind> FieldCodec for Singular<K> {
    type Value = K::Rust;
    #[inline]
    fn encoded_len(number: u32, value: &K::Rust) -> usize {
        if K::is_default(value) {
            0
        } else {
            key_len(number) + K::value_len(value)
        }
    }
    #[inline]
    fn encode(number: u32, value: &K::Rust, buf: &mut impl BufMut) {
        if !K::is_default(value) {
            put_key(buf, number, K::WIRE);
            K::put(value, buf);
        }
    }
    #[inline]
    fn merge(
        _: u32,
        wire: WireType,
        value: &mut K::Rust,
        input: &mut Input<'_>,
        depth: u32,
    ) -> Result<(), DecodeError> {
        expect_wire(input, K::WIRE, wire)?;
        K::merge(value, input, depth)
    }
    fn describe(name: &'static str, number: u32, out: &mut Vec<FieldDescriptor>) {
        out.push(describe::<K>(name, number, Label::Singular));
    }
}

/// A proto3 `optional` field: emitted whenever set, even to the default.
pub struct Optional<K>(PhantomData<K>);

impl<K: Kind> FieldCodec for Optional<K> {
    type Value = Option<K::Rust>;
    #[inline]
    fn encoded_len(number: u32, value: &Option<K::Rust>) -> usize {
        value
            .as_ref()
            .map_or(0, |v| key_len(number) + K::value_len(v))
    }
    #[inline]
    fn encode(number: u32, value: &Option<K::Rust>, buf: &mut impl BufMut) {
        if let Some(v) = value {
            put_key(buf, number, K::WIRE);
            K::put(v, buf);
        }
    }
    #[inline]
    fn merge(
        _: u32,
        wire: WireType,
        value: &mut Option<K::Rust>,
        input: &mut Input<'_>,
        depth: u32,
    ) -> Result<(), DecodeError> {
        expect_wire(input, K::WIRE, wire)?;
        K::merge(value.get_or_insert_with(Default::default), input, depth)
    }
    fn describe(name: &'static str, number: u32, out: &mut Vec<FieldDescriptor>) {
        out.push(describe::<K>(name, number, Label::Optional));
    }
}

/// A singular embedded message: present or not (`Option`), merged when it
/// occurs more than once.
pub struct MessageField<M>(PhantomData<M>);

impl<M> FieldCodec for MessageField<M>
where
    Msg<M>: Kind<Rust = M>,
    M: MessageSchema + Default + Clone + PartialEq + Debug + Send + Sync,
{
    type Value = Option<M>;
    #[inline]
    fn encoded_len(number: u32, value: &Option<M>) -> usize {
        <Optional<Msg<M>> as FieldCodec>::encoded_len(number, value)
    }
    #[inline]
    fn encode(number: u32, value: &Option<M>, buf: &mut impl BufMut) {
        <Optional<Msg<M>> as FieldCodec>::encode(number, value, buf)
    }
    #[inline]
    fn merge(
        number: u32,
        wire: WireType,
        value: &mut Option<M>,
        input: &mut Input<'_>,
        depth: u32,
    ) -> Result<(), DecodeError> {
        <Optional<Msg<M>> as FieldCodec>::merge(number, wire, value, input, depth)
    }
    fn describe(name: &'static str, number: u32, out: &mut Vec<FieldDescriptor>) {
        out.push(describe::<Msg<M>>(name, number, Label::Singular));
    }
}

/// A `repeated` field: scalars are written packed; packed and unpacked are
/// both read.
pub struct Repeated<K>(PhantomData<K>);

impl<K: Kind> Repeated<K> {
    #[inline]
    fn packed_len(values: &[K::Rust]) -> usize {
        values.iter().map(K::value_len).sum()
    }
}

impl<K: Kind> FieldCodec for Repeated<K> {
    type Value = Vec<K::Rust>;
    #[inline]
    fn encoded_len(number: u32, values: &Vec<K::Rust>) -> usize {
        if values.is_empty() {
            0
        } else if K::PACKABLE {
            let payload = Self::packed_len(values);
            key_len(number) + varint_len(payload as u64) + payload
        } else {
            values
                .iter()
                .map(|v| key_len(number) + K::value_len(v))
                .sum()
        }
    }
    #[inline]
    fn encode(number: u32, values: &Vec<K::Rust>, buf: &mut impl BufMut) {
        if values.is_empty() {
        } else if K::PACKABLE {
            put_key(buf, number, WireType::Len);
            put_varint(buf, Self::packed_len(values) as u64);
            values.iter().for_each(|v| K::put(v, buf));
        } else {
            for v in values {
                put_key(buf, number, K::WIRE);
                K::put(v, buf);
            }
        }
    }
    #[inline]
    fn merge(
        _: u32,
        wire: WireType,
        values: &mut Vec<K::Rust>,
        input: &mut Input<'_>,
        depth: u32,
    ) -> Result<(), DecodeError> {
        if K::PACKABLE && wire == WireType::Len {
            let mut items = input.read_nested()?;
            if let Some(count) = items.remaining().checked_div(K::FIXED_LEN) {
                values.reserve(count);
            }
            while !items.is_empty() {
                values.push(K::read(&mut items, depth)?);
            }
            return Ok(());
        }
        expect_wire(input, K::WIRE, wire)?;
        values.push(K::read(input, depth)?);
        Ok(())
    }
    fn describe(name: &'static str, number: u32, out: &mut Vec<FieldDescriptor>) {
        out.push(describe::<K>(name, number, Label::Repeated));
    }
}

/// A `map<K, V>` field: repeated entries `{ key = 1; value = 2; }`, kept
/// in key order so the encoding is deterministic.
pub struct MapOf<K, V>(PhantomData<(K, V)>);

impl<K: Kind, V: Kind> MapOf<K, V>
where
    K::Rust: Ord,
{
    #[inline]
    fn entry_len(key: &K::Rust, value: &V::Rust) -> usize {
        key_len(1) + K::value_len(key) + key_len(2) + V::value_len(value)
    }
}

impl<K: Kind, V: Kind> FieldCodec for MapOf<K, V>
where
    K::Rust: Ord,
{
    type Value = BTreeMap<K::Rust, V::Rust>;
    fn encoded_len(number: u32, map: &Self::Value) -> usize {
        map.iter()
            .map(|(k, v)| {
                let entry = Self::entry_len(k, v);
                key_len(number) + varint_len(entry as u64) + entry
            })
            .sum()
    }
    fn encode(number: u32, map: &Self::Value, buf: &mut impl BufMut) {
        for (k, v) in map {
            put_key(buf, number, WireType::Len);
            put_varint(buf, Self::entry_len(k, v) as u64);
            put_key(buf, 1, K::WIRE);
            K::put(k, buf);
            put_key(buf, 2, V::WIRE);
            V::put(v, buf);
        }
    }
    fn merge(
        number: u32,
        wire: WireType,
        map: &mut Self::Value,
        input: &mut Input<'_>,
        depth: u32,
    ) -> Result<(), DecodeError> {
        expect_wire(input, WireType::Len, wire)?;
        let mut fields = input.read_nested()?;
        // A missing key or value is the type's default (encoding.md, "Maps").
        let mut key = K::Rust::default();
        let mut value = V::Rust::default();
        while !fields.is_empty() {
            match fields.read_key()? {
                (1, wire) => {
                    // Errors inside the entry name the map field, not 1 or 2.
                    fields.set_field(number);
                    expect_wire(&fields, K::WIRE, wire)?;
                    K::merge(&mut key, &mut fields, depth)?;
                }
                (2, wire) => {
                    fields.set_field(number);
                    expect_wire(&fields, V::WIRE, wire)?;
                    V::merge(&mut value, &mut fields, depth)?;
                }
                (_, wire) => fields.skip(wire)?,
            }
        }
        map.insert(key, value);
        Ok(())
    }
    fn describe(name: &'static str, number: u32, out: &mut Vec<FieldDescriptor>) {
        let mut field = describe::<V>(name, number, Label::Repeated);
        field.map_key = Some(K::proto_type());
        out.push(field);
    }
}

/// The enum a `oneof` becomes: one variant per member.
pub trait OneofValue: Clone + PartialEq + Debug + Send + Sync + 'static {
    /// Bytes the set member takes, key included.
    fn encoded_len(&self) -> usize;
    /// Writes the set member.
    fn encode(&self, buf: &mut impl BufMut);
    /// Reads member `number` into the oneof: the last member seen wins; the
    /// same message member seen twice merges.
    fn merge(
        slot: &mut Option<Self>,
        number: u32,
        wire: WireType,
        input: &mut Input<'_>,
        depth: u32,
    ) -> Result<(), DecodeError>;
    /// Adds every member's schema to `out`.
    fn describe(oneof: &'static str, out: &mut Vec<FieldDescriptor>);
}

/// A `oneof` field: `Option` of its enum.
pub struct Oneof<O>(PhantomData<O>);

impl<O: OneofValue> FieldCodec for Oneof<O> {
    type Value = Option<O>;
    #[inline]
    fn encoded_len(_: u32, value: &Option<O>) -> usize {
        value.as_ref().map_or(0, O::encoded_len)
    }
    #[inline]
    fn encode(_: u32, value: &Option<O>, buf: &mut impl BufMut) {
        if let Some(v) = value {
            v.encode(buf);
        }
    }
    #[inline]
    fn merge(
        number: u32,
        wire: WireType,
        value: &mut Option<O>,
        input: &mut Input<'_>,
        depth: u32,
    ) -> Result<(), DecodeError> {
        O::merge(value, number, wire, input, depth)
    }
    fn describe(name: &'static str, _: u32, out: &mut Vec<FieldDescriptor>) {
        O::describe(name, out);
    }
}

/// Reads a oneof member of kind `K` (used by the code `message!` writes).
#[doc(hidden)]
#[inline]
pub fn merge_oneof_member<K: Kind>(
    current: Option<&mut K::Rust>,
    wire: WireType,
    input: &mut Input<'_>,
    depth: u32,
) -> Result<Option<K::Rust>, DecodeError> {
    expect_wire(input, K::WIRE, wire)?;
    match current {
        Some(existing) => K::merge(existing, input, depth).map(|()| None),
        None => K::read(input, depth).map(Some),
    }
}

/// The schema of a oneof member (used by the code `message!` writes).
#[doc(hidden)]
pub fn oneof_member<K: Kind>(
    name: &'static str,
    number: u32,
    oneof: &'static str,
) -> FieldDescriptor {
    let mut field = describe::<K>(name, number, Label::Singular);
    field.oneof = Some(oneof);
    field
}
