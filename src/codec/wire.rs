//! Protobuf wire primitives (encoding.md): wire types, keys, varints, and
//! [`Input`], the zero-copy read cursor.
//!
//! Reading goes through quick-protobuf's `BytesReader` (varints, zigzag,
//! fixed-width little-endian values, UTF-8 checks); `Input` adds what it
//! lacks: the field context in errors, and `bytes` fields sliced out of the
//! shared input instead of copied. Writing is done here directly into any
//! `BufMut`, which quick-protobuf's writer backends cannot target.

use bytes::{BufMut, Bytes};
use quick_protobuf::BytesReader;

use super::message::DecodeError;

/// The six wire types of the protobuf encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireType {
    /// int32, int64, uint32, uint64, sint32, sint64, bool, enum.
    Varint = 0,
    /// fixed64, sfixed64, double.
    Fixed64 = 1,
    /// string, bytes, embedded messages, packed repeated fields.
    Len = 2,
    /// Group start (proto2, deprecated).
    StartGroup = 3,
    /// Group end (proto2, deprecated).
    EndGroup = 4,
    /// fixed32, sfixed32, float.
    Fixed32 = 5,
}

impl WireType {
    fn from_key(key: u32) -> Result<WireType, DecodeError> {
        Ok(match key & 7 {
            0 => WireType::Varint,
            1 => WireType::Fixed64,
            2 => WireType::Len,
            3 => WireType::StartGroup,
            4 => WireType::EndGroup,
            5 => WireType::Fixed32,
            other => return Err(DecodeError::InvalidWireType(other as u8)),
        })
    }
}

/// Bytes a varint of `value` takes.
#[inline]
pub fn varint_len(value: u64) -> usize {
    quick_protobuf::sizeofs::sizeof_varint(value)
}

/// Writes `value` as a varint.
#[inline]
pub fn put_varint(buf: &mut impl BufMut, mut value: u64) {
    while value >= 0x80 {
        buf.put_u8((value as u8) | 0x80);
        value >>= 7;
    }
    buf.put_u8(value as u8);
}

/// Bytes the key of field `number` takes.
#[inline]
pub fn key_len(number: u32) -> usize {
    varint_len(u64::from(number) << 3)
}

/// Writes the key of field `number` with `wire_type`.
#[inline]
pub fn put_key(buf: &mut impl BufMut, number: u32, wire_type: WireType) {
    put_varint(buf, (u64::from(number) << 3) | wire_type as u64);
}

/// A read cursor over a message's bytes.
pub struct Input<'a> {
    bytes: &'a Bytes,
    reader: BytesReader,
    /// The field being read, for error messages.
    field: u32,
}

/// quick-protobuf's errors, in our terms.
fn convert(err: quick_protobuf::Error, field: u32) -> DecodeError {
    match err {
        quick_protobuf::Error::Varint => DecodeError::VarintOverflow,
        quick_protobuf::Error::Utf8(_) => DecodeError::InvalidUtf8 { field },
        quick_protobuf::Error::UnknownWireType(t) => DecodeError::InvalidWireType(t),
        quick_protobuf::Error::Deprecated(_) => DecodeError::GroupNotSupported { field },
        _ => DecodeError::Truncated,
    }
}

impl<'a> Input<'a> {
    /// A cursor at the start of `bytes`.
    pub fn new(bytes: &'a Bytes) -> Input<'a> {
        Input {
            bytes,
            reader: BytesReader::from_bytes(bytes),
            field: 0,
        }
    }

    /// True when every byte has been read.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.reader.is_eof()
    }

    /// Reads a field key: its number and wire type.
    #[inline]
    pub fn read_key(&mut self) -> Result<(u32, WireType), DecodeError> {
        let key = self
            .reader
            .read_varint64(self.bytes)
            .map_err(|e| convert(e, 0))?;
        let number = key >> 3;
        if number == 0 {
            return Err(DecodeError::FieldNumberZero);
        }
        if number > u64::from(u32::MAX >> 3) {
            return Err(DecodeError::VarintOverflow);
        }
        self.field = number as u32;
        Ok((number as u32, WireType::from_key(key as u32)?))
    }

    /// The number of the field being read.
    #[inline]
    pub fn field(&self) -> u32 {
        self.field
    }

    /// An error for a known field with the wrong wire type.
    pub fn wrong_wire_type(&self, expected: WireType, found: WireType) -> DecodeError {
        DecodeError::WrongWireType {
            field: self.field,
            expected,
            found,
        }
    }

    /// Reads a varint.
    #[inline]
    pub fn read_varint(&mut self) -> Result<u64, DecodeError> {
        let field = self.field;
        self.reader
            .read_varint64(self.bytes)
            .map_err(|e| convert(e, field))
    }

    /// Reads four little-endian bytes.
    #[inline]
    pub fn read_fixed32(&mut self) -> Result<u32, DecodeError> {
        let field = self.field;
        self.reader
            .read_fixed32(self.bytes)
            .map_err(|e| convert(e, field))
    }

    /// Reads eight little-endian bytes.
    #[inline]
    pub fn read_fixed64(&mut self) -> Result<u64, DecodeError> {
        let field = self.field;
        self.reader
            .read_fixed64(self.bytes)
            .map_err(|e| convert(e, field))
    }

    /// Reads a length-delimited value as a slice of the input (no copy).
    #[inline]
    pub fn read_len_delimited(&mut self) -> Result<Bytes, DecodeError> {
        let before = self.reader.clone();
        match self.reader.read_bytes(self.bytes) {
            Ok(value) => Ok(self.bytes.slice_ref(value)),
            Err(quick_protobuf::Error::Varint) => Err(DecodeError::VarintOverflow),
            Err(_) => {
                // Say how far past the end the length pointed.
                let mut peek = before;
                let len = peek
                    .read_varint64(self.bytes)
                    .map_err(|e| convert(e, self.field))?;
                Err(DecodeError::LengthPastEnd {
                    field: self.field,
                    len,
                    remaining: peek.len(),
                })
            }
        }
    }

    /// Reads a length-delimited UTF-8 string.
    #[inline]
    pub fn read_string(&mut self) -> Result<String, DecodeError> {
        let raw = self.read_len_delimited()?;
        match std::str::from_utf8(&raw) {
            Ok(text) => Ok(text.to_owned()),
            Err(_) => Err(DecodeError::InvalidUtf8 { field: self.field }),
        }
    }

    /// Skips a field of an unknown number.
    pub fn skip(&mut self, wire_type: WireType) -> Result<(), DecodeError> {
        match wire_type {
            WireType::Varint => self.read_varint().map(drop),
            WireType::Fixed64 => self.read_fixed64().map(drop),
            WireType::Fixed32 => self.read_fixed32().map(drop),
            WireType::Len => self.read_len_delimited().map(drop),
            WireType::StartGroup | WireType::EndGroup => {
                Err(DecodeError::GroupNotSupported { field: self.field })
            }
        }
    }
}
