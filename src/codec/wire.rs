//! Protobuf wire primitives (encoding.md): wire types, keys, varints, and
//! [`Input`], the zero-copy read cursor.
//!
//! What comes from quick-protobuf, and what does not, and why:
//! - Multi-byte varints are read by quick-protobuf's `BytesReader::read_varint64`
//!   (unrolled, refuses an 11th byte). The one-byte case, which almost every
//!   key and small number takes, is tested inline first.
//! - `Input` keeps its own position instead of a `BytesReader`: a reader
//!   cannot be placed over a sub-range of a buffer except through a closure,
//!   has no public way to step over a length it did not read itself, and its
//!   `read_bytes` reads the length as a 32-bit varint, silently truncating a
//!   length of 2^32 or more into a small valid-looking one (a mis-parse, not
//!   an error). Our cursor checks the full 64-bit length against the bytes
//!   that remain, and hands out `bytes` fields as slices of the shared input
//!   (`Bytes::slice_ref`) rather than copies.
//! - Writing is done here directly into any `BufMut`, which quick-protobuf's
//!   `Writer` backends cannot target; [`varint_len`] is branch-free where
//!   quick-protobuf's `sizeof_varint` is a ten-arm comparison ladder, and
//!   `tests/codec/wire.rs` holds the two equal.

use bytes::{BufMut, Bytes};
use quick_protobuf::BytesReader;

use super::message::{DecodeError, RECURSION_LIMIT};

/// The largest field number (encoding.md: field numbers are 29 bits).
pub const MAX_FIELD_NUMBER: u32 = (1 << 29) - 1;

/// The six wire types of the protobuf encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireType {
    /// int32, int64, uint32, uint64, sint32, sint64, bool, enum.
    Varint = 0,
    /// fixed64, sfixed64, double.
    Fixed64 = 1,
    /// string, bytes, embedded messages, packed repeated fields.
    Len = 2,
    /// Group start (proto2, deprecated): skipped when unknown.
    StartGroup = 3,
    /// Group end (proto2, deprecated).
    EndGroup = 4,
    /// fixed32, sfixed32, float.
    Fixed32 = 5,
}

/// Bytes a varint of `value` takes.
#[inline]
pub fn varint_len(value: u64) -> usize {
    // Index of the highest set bit (`| 1`: zero takes one byte, like one).
    // For h in 0..=63, (h * 9 + 73) / 64 == h / 7 + 1: the 7-bit groups.
    let highest_bit = 63 - (value | 1).leading_zeros() as usize;
    (highest_bit * 9 + 73) / 64
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

/// Bytes a length-delimited value of `len` bytes takes after its key.
#[inline]
pub fn len_delimited_len(len: usize) -> usize {
    varint_len(len as u64) + len
}

/// A read cursor over one message's bytes.
///
/// `bytes` fields are handed out as slices of the shared input buffer, so
/// decoding a 1 MiB `bytes` field copies nothing. Errors name the field
/// being read ([`Input::field`]).
pub struct Input<'a> {
    /// The whole received buffer; `bytes` fields are slices of it.
    owner: &'a Bytes,
    /// The bytes of the message (or packed run, or map entry) being read:
    /// a part of `owner`.
    data: &'a [u8],
    /// Next byte to read in `data`.
    pos: usize,
    /// The field being read, for error messages (0 before the first key).
    field: u32,
}

impl<'a> Input<'a> {
    /// A cursor at the start of `bytes`.
    #[inline]
    pub fn new(bytes: &'a Bytes) -> Input<'a> {
        Input {
            owner: bytes,
            data: bytes,
            pos: 0,
            field: 0,
        }
    }

    /// A cursor over `data`, a length-delimited part of this input just
    /// read (an embedded message, a packed run, a map entry). It shares the
    /// owner, so `bytes` fields inside it are still slices, and starts
    /// attributed to the current field.
    #[inline]
    pub fn nested(&self, data: &'a [u8]) -> Input<'a> {
        Input {
            owner: self.owner,
            data,
            pos: 0,
            field: self.field,
        }
    }

    /// True when every byte has been read.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Bytes not read yet.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// The number of the field being read (0 before the first key).
    #[inline]
    pub fn field(&self) -> u32 {
        self.field
    }

    /// Attributes what is read next to field `number` in errors (a map
    /// entry's key and value are reported as the map field).
    #[inline]
    pub fn set_field(&mut self, number: u32) {
        self.field = number;
    }

    /// The field for an error about a value: `None` before the first key.
    #[inline]
    fn context(&self) -> Option<u32> {
        (self.field != 0).then_some(self.field)
    }

    /// Reads a field key: its number and wire type.
    #[inline]
    pub fn read_key(&mut self) -> Result<(u32, WireType), DecodeError> {
        let key = self.varint().map_err(|e| e.in_field(None))?;
        let number = key >> 3;
        if number == 0 {
            return Err(DecodeError::FieldNumberZero);
        }
        if number > u64::from(MAX_FIELD_NUMBER) {
            return Err(DecodeError::FieldNumberTooLarge { number });
        }
        let number = number as u32;
        self.field = number;
        let wire = match key & 7 {
            0 => WireType::Varint,
            1 => WireType::Fixed64,
            2 => WireType::Len,
            3 => WireType::StartGroup,
            4 => WireType::EndGroup,
            5 => WireType::Fixed32,
            other => {
                return Err(DecodeError::InvalidWireType {
                    field: number,
                    wire_type: other as u8,
                })
            }
        };
        Ok((number, wire))
    }

    /// An error for a known field with the wrong wire type.
    pub fn wrong_wire_type(&self, expected: WireType, found: WireType) -> DecodeError {
        DecodeError::WrongWireType {
            field: self.field,
            expected,
            found,
        }
    }

    /// A varint, errors not yet attributed to a field.
    #[inline(always)]
    fn varint(&mut self) -> Result<u64, DecodeError> {
        match self.data.get(self.pos) {
            Some(&byte) if byte < 0x80 => {
                self.pos += 1;
                Ok(u64::from(byte))
            }
            _ => self.varint_slow(),
        }
    }

    /// A varint of two or more bytes (or a truncated one), through
    /// quick-protobuf.
    #[inline(never)]
    fn varint_slow(&mut self) -> Result<u64, DecodeError> {
        let rest = &self.data[self.pos..];
        let mut reader = BytesReader::from_bytes(rest);
        match reader.read_varint64(rest) {
            Ok(value) => {
                self.pos += rest.len() - reader.len();
                Ok(value)
            }
            Err(quick_protobuf::Error::Varint) => Err(DecodeError::VarintOverflow { field: None }),
            Err(_) => Err(DecodeError::Truncated { field: None }),
        }
    }

    /// Reads a varint.
    #[inline]
    pub fn read_varint(&mut self) -> Result<u64, DecodeError> {
        let field = self.context();
        self.varint().map_err(|e| e.in_field(field))
    }

    /// Reads `N` bytes.
    #[inline]
    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        match self.data.get(self.pos..self.pos + N) {
            Some(bytes) => {
                self.pos += N;
                // The slice is N bytes long: the conversion cannot fail.
                Ok(bytes.try_into().unwrap_or([0; N]))
            }
            None => Err(DecodeError::Truncated {
                field: self.context(),
            }),
        }
    }

    /// Reads four little-endian bytes.
    #[inline]
    pub fn read_fixed32(&mut self) -> Result<u32, DecodeError> {
        self.fixed::<4>().map(u32::from_le_bytes)
    }

    /// Reads eight little-endian bytes.
    #[inline]
    pub fn read_fixed64(&mut self) -> Result<u64, DecodeError> {
        self.fixed::<8>().map(u64::from_le_bytes)
    }

    /// Reads a length-delimited value as a borrowed slice of the input.
    #[inline]
    pub fn read_len_slice(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.read_varint()?;
        let remaining = self.remaining();
        if len > remaining as u64 {
            return Err(DecodeError::LengthPastEnd {
                field: self.field,
                len,
                remaining,
            });
        }
        let start = self.pos;
        self.pos += len as usize;
        Ok(&self.data[start..self.pos])
    }

    /// Reads a length-delimited value as a slice of the shared input: no copy.
    #[inline]
    pub fn read_len_delimited(&mut self) -> Result<Bytes, DecodeError> {
        let slice = self.read_len_slice()?;
        Ok(self.owner.slice_ref(slice))
    }

    /// Reads a length-delimited value and returns a cursor over it (an
    /// embedded message, a packed run, a map entry).
    #[inline]
    pub fn read_nested(&mut self) -> Result<Input<'a>, DecodeError> {
        let slice = self.read_len_slice()?;
        Ok(self.nested(slice))
    }

    /// Reads a length-delimited UTF-8 string.
    #[inline]
    pub fn read_string(&mut self) -> Result<String, DecodeError> {
        let raw = self.read_len_slice()?;
        match std::str::from_utf8(raw) {
            Ok(text) => Ok(text.to_owned()),
            Err(_) => Err(DecodeError::InvalidUtf8 { field: self.field }),
        }
    }

    /// Skips the value of a field of an unknown number whose key was just
    /// read. Unknown groups (proto2) are skipped whole, as the official
    /// implementations do, nested at most [`RECURSION_LIMIT`] deep; an end
    /// of group that closes no group is an error.
    pub fn skip(&mut self, wire_type: WireType) -> Result<(), DecodeError> {
        match wire_type {
            WireType::Varint => self.read_varint().map(drop),
            WireType::Fixed64 => self.read_fixed64().map(drop),
            WireType::Fixed32 => self.read_fixed32().map(drop),
            WireType::Len => self.read_len_slice().map(drop),
            WireType::StartGroup => self.skip_group(self.field, 0),
            WireType::EndGroup => Err(DecodeError::UnmatchedEndGroup { field: self.field }),
        }
    }

    /// Skips the fields of group `number` up to and including its end.
    fn skip_group(&mut self, number: u32, depth: u32) -> Result<(), DecodeError> {
        if depth >= RECURSION_LIMIT {
            return Err(DecodeError::RecursionLimit);
        }
        loop {
            if self.is_empty() {
                return Err(DecodeError::Truncated {
                    field: Some(number),
                });
            }
            match self.read_key()? {
                (end, WireType::EndGroup) if end == number => return Ok(()),
                (other, WireType::EndGroup) => {
                    return Err(DecodeError::UnmatchedEndGroup { field: other })
                }
                (inner, WireType::StartGroup) => self.skip_group(inner, depth + 1)?,
                (_, wire) => self.skip(wire)?,
            }
        }
    }
}
