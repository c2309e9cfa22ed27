//! [`MetadataValue`]: a metadata value that knows its kind, in its wire form
//! (ASCII values checked once when built, binary values base64-encoded once
//! when built); and the base64 rules of binary values.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use bytes::Bytes;
use http::header::HeaderValue;

use super::error::MetadataError;
use super::kind::{Ascii, Binary, MetadataKind};

/// Emits unpadded base64 (`-bin` values and `grpc-status-details-bin`).
///
/// PROTOCOL-HTTP2.md: "Implementations MUST accept padded and un-padded values
/// and should emit un-padded values."
pub(crate) const BASE64_ENCODE: GeneralPurpose = STANDARD_NO_PAD;

/// Decodes padded and unpadded base64 alike, and does not insist that the
/// unused low bits of the last symbol be zero (other stacks do not either).
pub(crate) const BASE64_DECODE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// A metadata value of kind `K`, held in its wire form.
///
/// - [`MetadataValue<Ascii>`] (alias [`AsciiMetadataValue`]): printable
///   ASCII, checked when built: [`MetadataValue::from_static`] for a literal,
///   `"alice".parse()` or `MetadataValue::try_from(string)` otherwise,
///   which return a [`MetadataError`].
/// - [`MetadataValue<Binary>`] (alias [`BinaryMetadataValue`]): any bytes,
///   `MetadataValue::from(bytes)`; base64-encoded once, unpadded.
///
/// ```
/// use h2grpc::metadata::{AsciiMetadataValue, BinaryMetadataValue, MetadataError};
///
/// const GREETING: AsciiMetadataValue = AsciiMetadataValue::from_static("hello");
/// let parsed: AsciiMetadataValue = "hello".parse()?;
/// assert_eq!(parsed, GREETING);
/// assert_eq!(parsed.as_str(), "hello");
/// assert!("tab\there".parse::<AsciiMetadataValue>().is_err());
///
/// let trace = BinaryMetadataValue::from(&[0u8, 255, 7]);
/// assert_eq!(trace.to_bytes(), &[0u8, 255, 7][..]);
/// # Ok::<(), MetadataError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MetadataValue<K: MetadataKind> {
    /// The wire form: printable ASCII, or the unpadded base64 of the bytes.
    value: HeaderValue,
    kind: PhantomData<K>,
}

/// A printable ASCII value.
pub type AsciiMetadataValue = MetadataValue<Ascii>;

/// A binary value (any bytes).
pub type BinaryMetadataValue = MetadataValue<Binary>;

impl<K: MetadataKind> MetadataValue<K> {
    /// The header value, as on the wire.
    pub(crate) fn into_header_value(self) -> HeaderValue {
        self.value
    }
}

impl MetadataValue<Ascii> {
    /// The value `value`, a literal.
    ///
    /// # Panics
    ///
    /// When `value` holds a byte outside printable ASCII (0x20..=0x7E): at
    /// compile time when the value is a `const`. Parse values that are not
    /// literals, which returns the error instead.
    pub const fn from_static(value: &'static str) -> MetadataValue<Ascii> {
        if first_non_printable(value.as_bytes()).is_some() {
            panic!("ASCII metadata values must be printable ASCII (0x20..=0x7E)");
        }
        MetadataValue {
            value: HeaderValue::from_static(value),
            kind: PhantomData,
        }
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        // Printable ASCII was checked when the value was built.
        self.value
            .to_str()
            .expect("an ASCII metadata value is printable ASCII")
    }

    /// Checks `value` and keeps it (shared, not copied).
    fn parse(value: Bytes) -> Result<MetadataValue<Ascii>, MetadataError> {
        if let Some(index) = first_non_printable(&value) {
            return Err(MetadataError::InvalidValue {
                index,
                byte: value[index],
            });
        }
        let value = HeaderValue::from_maybe_shared(value).map_err(|_| {
            // Unreachable: printable ASCII is a valid header value.
            MetadataError::InvalidValue { index: 0, byte: 0 }
        })?;
        Ok(MetadataValue {
            value,
            kind: PhantomData,
        })
    }
}

impl TryFrom<&str> for MetadataValue<Ascii> {
    type Error = MetadataError;

    fn try_from(value: &str) -> Result<MetadataValue<Ascii>, MetadataError> {
        MetadataValue::parse(Bytes::copy_from_slice(value.as_bytes()))
    }
}

impl TryFrom<&String> for MetadataValue<Ascii> {
    type Error = MetadataError;

    fn try_from(value: &String) -> Result<MetadataValue<Ascii>, MetadataError> {
        MetadataValue::try_from(value.as_str())
    }
}

impl TryFrom<String> for MetadataValue<Ascii> {
    type Error = MetadataError;

    fn try_from(value: String) -> Result<MetadataValue<Ascii>, MetadataError> {
        MetadataValue::parse(Bytes::from(value))
    }
}

impl FromStr for MetadataValue<Ascii> {
    type Err = MetadataError;

    fn from_str(value: &str) -> Result<MetadataValue<Ascii>, MetadataError> {
        MetadataValue::try_from(value)
    }
}

impl fmt::Debug for MetadataValue<Ascii> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl MetadataValue<Binary> {
    /// `value`, base64-encoded (unpadded) for the wire.
    pub fn from_bytes(value: &[u8]) -> MetadataValue<Binary> {
        let encoded = Bytes::from(BASE64_ENCODE.encode(value));
        MetadataValue {
            value: HeaderValue::from_maybe_shared(encoded).expect("base64 is a valid header value"),
            kind: PhantomData,
        }
    }

    /// The bytes, decoded.
    pub fn to_bytes(&self) -> Bytes {
        // Encoded by `from_bytes`: one part, valid base64.
        decode_binary_value(self.value.as_bytes())
            .map(Bytes::from)
            .unwrap_or_default()
    }
}

impl From<&[u8]> for MetadataValue<Binary> {
    fn from(value: &[u8]) -> MetadataValue<Binary> {
        MetadataValue::from_bytes(value)
    }
}

impl<const N: usize> From<&[u8; N]> for MetadataValue<Binary> {
    fn from(value: &[u8; N]) -> MetadataValue<Binary> {
        MetadataValue::from_bytes(value)
    }
}

impl<const N: usize> From<[u8; N]> for MetadataValue<Binary> {
    fn from(value: [u8; N]) -> MetadataValue<Binary> {
        MetadataValue::from_bytes(&value)
    }
}

impl From<&Vec<u8>> for MetadataValue<Binary> {
    fn from(value: &Vec<u8>) -> MetadataValue<Binary> {
        MetadataValue::from_bytes(value)
    }
}

impl From<Vec<u8>> for MetadataValue<Binary> {
    fn from(value: Vec<u8>) -> MetadataValue<Binary> {
        MetadataValue::from_bytes(&value)
    }
}

impl From<&Bytes> for MetadataValue<Binary> {
    fn from(value: &Bytes) -> MetadataValue<Binary> {
        MetadataValue::from_bytes(value)
    }
}

impl From<Bytes> for MetadataValue<Binary> {
    fn from(value: Bytes) -> MetadataValue<Binary> {
        MetadataValue::from_bytes(&value)
    }
}

impl fmt::Debug for MetadataValue<Binary> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_bytes(), f)
    }
}

/// A borrowed value where an owned one is wanted (a clone: a reference
/// count, no copy).
impl<K: MetadataKind> From<&MetadataValue<K>> for MetadataValue<K> {
    fn from(value: &MetadataValue<K>) -> MetadataValue<K> {
        value.clone()
    }
}

/// The index of the first byte outside printable ASCII, if any.
///
/// PROTOCOL-HTTP2.md: "ASCII-Value → 1*( %x20-%x7E ) ; space and printable
/// ASCII". An empty value is accepted too: several stacks send them.
const fn first_non_printable(value: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < value.len() {
        if value[i] < 0x20 || value[i] > 0x7E {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// True for a printable ASCII value.
pub(crate) fn is_ascii_value(value: &[u8]) -> bool {
    first_non_printable(value).is_none()
}

/// The base64 parts of a binary header value: split on ',' (a peer may join
/// duplicate values), blanks around each part trimmed (HTTP list syntax
/// allows ", "; base64 has no blanks).
pub(crate) fn binary_parts(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|b| *b == b',').map(<[u8]>::trim_ascii)
}

/// Decodes one base64 part, padded or not.
pub(crate) fn decode_part(part: &[u8]) -> Option<Vec<u8>> {
    BASE64_DECODE.decode(part.trim_ascii()).ok()
}

/// Decodes a binary header value, its `,`-joined parts concatenated; `None`
/// when a part is not base64. Used for `grpc-status-details-bin`.
pub(crate) fn decode_binary_value(value: &[u8]) -> Option<Vec<u8>> {
    let mut parts = binary_parts(value);
    let mut out = decode_part(parts.next()?)?;
    for part in parts {
        out.extend_from_slice(&decode_part(part)?);
    }
    Some(out)
}
