//! The protobuf value types (encoding.md, "Message Structure"): one marker
//! type per proto type, each saying how its values are sized, written and
//! read. The [`message!`](crate::message) macro names fields by these.

use std::fmt::Debug;
use std::marker::PhantomData;

use bytes::{BufMut, Bytes};

use super::frame_buf::OWN_CHUNK_MIN;
use super::message::{DecodeError, RECURSION_LIMIT};
use super::schema::{MessageSchema, ProtoEnum, ProtoType, TypeRef};
use super::wire::{put_varint, varint_len, Input, WireType};

/// A proto value type: how one value is sized, written and read.
pub trait Kind: 'static {
    /// The Rust type holding a value.
    type Rust: Default + Clone + PartialEq + Debug + Send + Sync + 'static;
    /// The wire type of one value.
    const WIRE: WireType;
    /// True for scalar numeric types, which repeated fields pack.
    const PACKABLE: bool;
    /// For a packable type whose values all take the same number of bytes
    /// (fixed32, double, ...): that number, so a packed run can reserve its
    /// exact count; 0 otherwise.
    const FIXED_LEN: usize = 0;
    /// The type as the schema records it.
    fn proto_type() -> ProtoType;
    /// Where a message or enum type's own schema is found (`None` for
    /// scalars).
    #[inline]
    fn type_ref() -> Option<TypeRef> {
        None
    }
    /// Bytes the value takes after its key (a length prefix included).
    fn value_len(value: &Self::Rust) -> usize;
    /// Writes the value after its key (a length prefix included).
    fn put(value: &Self::Rust, buf: &mut impl BufMut);
    /// Reads one value.
    fn read(input: &mut Input<'_>, depth: u32) -> Result<Self::Rust, DecodeError>;
    /// Reads one value into an existing one: replaces it, except messages,
    /// which merge.
    #[inline]
    fn merge(value: &mut Self::Rust, input: &mut Input<'_>, depth: u32) -> Result<(), DecodeError> {
        *value = Self::read(input, depth)?;
        Ok(())
    }
    /// True for the proto3 default, which singular fields do not emit.
    fn is_default(value: &Self::Rust) -> bool;
}

macro_rules! varint_kind {
    ($(#[$doc:meta])* $name:ident, $rust:ty, $proto:ident, |$v:ident| $to_wire:expr, |$w:ident| $from_wire:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;
        impl Kind for $name {
            type Rust = $rust;
            const WIRE: WireType = WireType::Varint;
            const PACKABLE: bool = true;
            fn proto_type() -> ProtoType {
                ProtoType::$proto
            }
            #[inline]
            fn value_len($v: &$rust) -> usize {
                varint_len($to_wire)
            }
            #[inline]
            fn put($v: &$rust, buf: &mut impl BufMut) {
                put_varint(buf, $to_wire)
            }
            #[inline]
            fn read(input: &mut Input<'_>, _depth: u32) -> Result<$rust, DecodeError> {
                let $w = input.read_varint()?;
                Ok($from_wire)
            }
            #[inline]
            fn is_default(value: &$rust) -> bool {
                *value == <$rust>::default()
            }
        }
    };
}

varint_kind!(
    /// `int32`: negative values take ten bytes (sign-extended to 64 bits).
    Int32, i32, Int32, |v| *v as i64 as u64, |w| w as i32
);
varint_kind!(
    /// `int64`.
    Int64, i64, Int64, |v| *v as u64, |w| w as i64
);
varint_kind!(
    /// `uint32`.
    Uint32, u32, Uint32, |v| u64::from(*v), |w| w as u32
);
varint_kind!(
    /// `uint64`.
    Uint64, u64, Uint64, |v| *v, |w| w
);
varint_kind!(
    /// `sint32`: zigzag-encoded.
    Sint32, i32, Sint32, |v| u64::from(((*v << 1) ^ (*v >> 31)) as u32), |w| ((w as u32 >> 1) as i32) ^ -((w as u32 & 1) as i32)
);
varint_kind!(
    /// `sint64`: zigzag-encoded.
    Sint64, i64, Sint64, |v| ((*v << 1) ^ (*v >> 63)) as u64, |w| ((w >> 1) as i64) ^ -((w & 1) as i64)
);
varint_kind!(
    /// `bool`.
    Bool, bool, Bool, |v| u64::from(*v), |w| w != 0
);

macro_rules! fixed_kind {
    ($(#[$doc:meta])* $name:ident, $rust:ty, $proto:ident, $wire:ident, $len:expr, $put:ident, $read:ident, |$v:ident| $to_bits:expr, |$w:ident| $from_bits:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;
        impl Kind for $name {
            type Rust = $rust;
            const WIRE: WireType = WireType::$wire;
            const PACKABLE: bool = true;
            const FIXED_LEN: usize = $len;
            fn proto_type() -> ProtoType {
                ProtoType::$proto
            }
            #[inline]
            fn value_len(_value: &$rust) -> usize {
                $len
            }
            #[inline]
            fn put($v: &$rust, buf: &mut impl BufMut) {
                buf.$put($to_bits)
            }
            #[inline]
            fn read(input: &mut Input<'_>, _depth: u32) -> Result<$rust, DecodeError> {
                let $w = input.$read()?;
                Ok($from_bits)
            }
            #[inline]
            fn is_default($v: &$rust) -> bool {
                // Bitwise: -0.0 is not the default and is emitted.
                $to_bits == 0
            }
        }
    };
}

fixed_kind!(
    /// `fixed32`.
    Fixed32, u32, Fixed32, Fixed32, 4, put_u32_le, read_fixed32, |v| *v, |w| w
);
fixed_kind!(
    /// `fixed64`.
    Fixed64, u64, Fixed64, Fixed64, 8, put_u64_le, read_fixed64, |v| *v, |w| w
);
fixed_kind!(
    /// `sfixed32`.
    Sfixed32, i32, Sfixed32, Fixed32, 4, put_i32_le, read_fixed32, |v| *v, |w| w as i32
);
fixed_kind!(
    /// `sfixed64`.
    Sfixed64, i64, Sfixed64, Fixed64, 8, put_i64_le, read_fixed64, |v| *v, |w| w as i64
);
fixed_kind!(
    /// `float`.
    Float, f32, Float, Fixed32, 4, put_u32_le, read_fixed32, |v| v.to_bits(), |w| f32::from_bits(w)
);
fixed_kind!(
    /// `double`.
    Double, f64, Double, Fixed64, 8, put_u64_le, read_fixed64, |v| v.to_bits(), |w| f64::from_bits(w)
);

/// `string`: UTF-8, checked on decode.
#[derive(Debug)]
pub struct Str;

impl Kind for Str {
    type Rust = String;
    const WIRE: WireType = WireType::Len;
    const PACKABLE: bool = false;
    fn proto_type() -> ProtoType {
        ProtoType::String
    }
    #[inline]
    fn value_len(value: &String) -> usize {
        varint_len(value.len() as u64) + value.len()
    }
    #[inline]
    fn put(value: &String, buf: &mut impl BufMut) {
        put_varint(buf, value.len() as u64);
        buf.put_slice(value.as_bytes());
    }
    #[inline]
    fn read(input: &mut Input<'_>, _depth: u32) -> Result<String, DecodeError> {
        input.read_string()
    }
    #[inline]
    fn is_default(value: &String) -> bool {
        value.is_empty()
    }
}

/// `bytes`: decoded as a slice of the input, without copying.
#[derive(Debug)]
pub struct Blob;

impl Kind for Blob {
    type Rust = Bytes;
    const WIRE: WireType = WireType::Len;
    const PACKABLE: bool = false;
    fn proto_type() -> ProtoType {
        ProtoType::Bytes
    }
    #[inline]
    fn value_len(value: &Bytes) -> usize {
        varint_len(value.len() as u64) + value.len()
    }
    #[inline]
    fn put(value: &Bytes, buf: &mut impl BufMut) {
        put_varint(buf, value.len() as u64);
        // A large value is handed over whole (a reference count): a
        // `FrameBuf` sends it as a chunk of its own instead of copying it.
        // A small one is copied, never cloned: cloning a `Bytes` made from
        // a `Vec` allocates its shared header.
        if value.len() >= OWN_CHUNK_MIN {
            buf.put(value.clone());
        } else {
            buf.put_slice(value);
        }
    }
    #[inline]
    fn read(input: &mut Input<'_>, _depth: u32) -> Result<Bytes, DecodeError> {
        input.read_len_delimited()
    }
    #[inline]
    fn is_default(value: &Bytes) -> bool {
        value.is_empty()
    }
}

/// An embedded message of type `M`.
pub struct Msg<M>(PhantomData<M>);

impl<M: MessageSchema + Default + Clone + PartialEq + Debug + Sync> Kind for Msg<M> {
    type Rust = M;
    const WIRE: WireType = WireType::Len;
    const PACKABLE: bool = false;
    fn proto_type() -> ProtoType {
        ProtoType::Message(M::FULL_NAME)
    }
    #[inline]
    fn type_ref() -> Option<TypeRef> {
        Some(TypeRef::Message(M::schema))
    }
    #[inline]
    fn value_len(value: &M) -> usize {
        let len = value.encoded_len();
        varint_len(len as u64) + len
    }
    #[inline]
    fn put(value: &M, buf: &mut impl BufMut) {
        put_varint(buf, value.encoded_len() as u64);
        value.encode(buf);
    }
    #[inline]
    fn read(input: &mut Input<'_>, depth: u32) -> Result<M, DecodeError> {
        let mut value = M::default();
        Self::merge(&mut value, input, depth)?;
        Ok(value)
    }
    #[inline]
    fn merge(value: &mut M, input: &mut Input<'_>, depth: u32) -> Result<(), DecodeError> {
        if depth >= RECURSION_LIMIT {
            return Err(DecodeError::RecursionLimit);
        }
        let mut fields = input.read_nested()?;
        value.merge_fields(&mut fields, depth + 1)
    }
    #[inline]
    fn is_default(_value: &M) -> bool {
        false
    }
}

/// A proto enum `E`; values outside its declared ones are kept as numbers.
pub struct Enumeration<E>(PhantomData<E>);

impl<E: ProtoEnum> Kind for Enumeration<E> {
    type Rust = E;
    const WIRE: WireType = WireType::Varint;
    const PACKABLE: bool = true;
    fn proto_type() -> ProtoType {
        ProtoType::Enum(E::full_name())
    }
    #[inline]
    fn type_ref() -> Option<TypeRef> {
        Some(TypeRef::Enum(E::schema))
    }
    #[inline]
    fn value_len(value: &E) -> usize {
        varint_len(value.number() as i64 as u64)
    }
    #[inline]
    fn put(value: &E, buf: &mut impl BufMut) {
        put_varint(buf, value.number() as i64 as u64)
    }
    #[inline]
    fn read(input: &mut Input<'_>, _depth: u32) -> Result<E, DecodeError> {
        Ok(E::from_number(input.read_varint()? as i32))
    }
    #[inline]
    fn is_default(value: &E) -> bool {
        value.number() == 0
    }
}
