//! The two kinds of metadata, as types: [`Ascii`] and [`Binary`].
//!
//! PROTOCOL-HTTP2.md: "Custom-Metadata → Binary-Header / ASCII-Header".
//! Keys and values carry their kind as a type parameter
//! ([`MetadataKey<Ascii>`](super::MetadataKey),
//! [`MetadataValue<Binary>`](super::MetadataValue), ...), so that a binary
//! value given to an ASCII key, or the reverse, does not compile.

use std::fmt::Debug;
use std::hash::Hash;

/// Keeps the kinds to the two below: other crates cannot add a third.
mod sealed {
    /// Implemented by [`Ascii`](super::Ascii) and [`Binary`](super::Binary)
    /// only.
    pub trait Sealed {}
}

/// The kind of a metadata key or value: [`Ascii`] or [`Binary`].
pub trait MetadataKind:
    sealed::Sealed + Debug + Clone + Copy + PartialEq + Eq + Hash + Send + Sync + 'static
{
    /// True for [`Binary`], whose keys end in `-bin`.
    const IS_BINARY: bool;
}

/// ASCII metadata: the key does not end in `-bin`, the value is printable
/// ASCII.
///
/// PROTOCOL-HTTP2.md: "ASCII-Header → Header-Name ASCII-Value", "ASCII-Value
/// → 1*( %x20-%x7E ) ; space and printable ASCII".
///
/// A marker: it has no values, it only names the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ascii {}

/// Binary metadata: the key ends in `-bin`, the value is any bytes, sent
/// base64-encoded.
///
/// PROTOCOL-HTTP2.md: "Binary-Header → {Header-Name "-bin" } {base64 encoded
/// value}".
///
/// A marker: it has no values, it only names the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Binary {}

impl sealed::Sealed for Ascii {}
impl sealed::Sealed for Binary {}

impl MetadataKind for Ascii {
    const IS_BINARY: bool = false;
}

impl MetadataKind for Binary {
    const IS_BINARY: bool = true;
}
