//! [`MetadataKey`]: a metadata key that knows its kind, checked once when it
//! is built; and the rules every key follows (the gRPC header-name grammar,
//! the names reserved for gRPC and HTTP/2, the `-bin` suffix).
//!
//! The rules are `const fn`s, so that [`MetadataKey::from_static`] checks a
//! key in a `const` at compile time, and so that the same code checks a key
//! parsed at run time and a header received from the network.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use http::header::HeaderName;

use super::error::MetadataError;
use super::kind::{Ascii, Binary, MetadataKind};

/// Suffix of binary metadata keys.
///
/// PROTOCOL-HTTP2.md: "Applications define binary headers by having their
/// names end with "-bin"."
pub const BINARY_SUFFIX: &str = "-bin";

/// A metadata key of kind `K` ([`Ascii`] or [`Binary`]): a valid gRPC header
/// name, not reserved, ending in `-bin` exactly when `K` is [`Binary`].
///
/// Build one with [`MetadataKey::from_static`] (a literal, checked at compile
/// time in a `const`) or parse one from a string (`"x-user".parse()`,
/// `MetadataKey::try_from(string)`), which returns a [`MetadataError`].
///
/// ```
/// use h2grpc::metadata::{AsciiMetadataKey, BinaryMetadataKey, MetadataError};
///
/// const USER: AsciiMetadataKey = AsciiMetadataKey::from_static("x-user");
/// const TRACE: BinaryMetadataKey = BinaryMetadataKey::from_static("x-trace-bin");
/// assert_eq!(USER.as_str(), "x-user");
/// assert_eq!(TRACE.as_str(), "x-trace-bin");
///
/// let parsed: AsciiMetadataKey = "x-user".parse()?;
/// assert_eq!(parsed, USER);
/// assert_eq!(
///     "x-trace-bin".parse::<AsciiMetadataKey>(),
///     Err(MetadataError::BinaryKey { key: "x-trace-bin".into() })
/// );
/// # Ok::<(), MetadataError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MetadataKey<K: MetadataKind> {
    /// The name, checked against the rules for `K`.
    name: HeaderName,
    kind: PhantomData<K>,
}

/// A key for ASCII values (no `-bin` suffix).
pub type AsciiMetadataKey = MetadataKey<Ascii>;

/// A key for binary values (ends in `-bin`).
pub type BinaryMetadataKey = MetadataKey<Binary>;

impl<K: MetadataKind> MetadataKey<K> {
    /// The key `key`, a literal.
    ///
    /// # Panics
    ///
    /// When `key` is not a valid key of kind `K` (the cases of
    /// [`MetadataError`]): at compile time when the key is a `const`, as
    /// `http::HeaderName::from_static` does. Parse keys that are not
    /// literals, which returns the error instead.
    ///
    /// ```compile_fail,E0080
    /// use h2grpc::metadata::AsciiMetadataKey;
    /// // An ASCII key ending in -bin: the constant does not compile.
    /// const TRACE: AsciiMetadataKey = AsciiMetadataKey::from_static("x-trace-bin");
    /// let _ = TRACE;
    /// ```
    pub const fn from_static(key: &'static str) -> MetadataKey<K> {
        match key_problem(key.as_bytes(), K::IS_BINARY) {
            None => {}
            Some(KeyProblem::Invalid) => {
                panic!("invalid metadata key: keys are 1 or more of 0-9 a-z _ - .")
            }
            Some(KeyProblem::Reserved) => {
                panic!("metadata key reserved for gRPC or HTTP/2")
            }
            Some(KeyProblem::BinarySuffix) => {
                panic!("an ASCII metadata key must not end in -bin")
            }
            Some(KeyProblem::NoBinarySuffix) => {
                panic!("a binary metadata key must end in -bin")
            }
        }
        MetadataKey {
            name: HeaderName::from_static(key),
            kind: PhantomData,
        }
    }

    /// The key, as on the wire.
    pub fn as_str(&self) -> &str {
        self.name.as_str()
    }

    /// The header name, as on the wire.
    pub(crate) fn into_header_name(self) -> HeaderName {
        self.name
    }

    /// Checks `key` against the rules for `K`.
    fn parse(key: &str) -> Result<MetadataKey<K>, MetadataError> {
        if let Some(problem) = key_problem(key.as_bytes(), K::IS_BINARY) {
            return Err(problem.error(key));
        }
        let name = HeaderName::from_bytes(key.as_bytes()).map_err(|_| {
            // Unreachable: the grammar is a subset of HTTP's token.
            MetadataError::InvalidKey {
                key: key.to_owned(),
            }
        })?;
        Ok(MetadataKey {
            name,
            kind: PhantomData,
        })
    }
}

impl<K: MetadataKind> TryFrom<&str> for MetadataKey<K> {
    type Error = MetadataError;

    fn try_from(key: &str) -> Result<MetadataKey<K>, MetadataError> {
        MetadataKey::parse(key)
    }
}

impl<K: MetadataKind> TryFrom<&String> for MetadataKey<K> {
    type Error = MetadataError;

    fn try_from(key: &String) -> Result<MetadataKey<K>, MetadataError> {
        MetadataKey::parse(key)
    }
}

impl<K: MetadataKind> TryFrom<String> for MetadataKey<K> {
    type Error = MetadataError;

    fn try_from(key: String) -> Result<MetadataKey<K>, MetadataError> {
        MetadataKey::parse(&key)
    }
}

impl<K: MetadataKind> FromStr for MetadataKey<K> {
    type Err = MetadataError;

    fn from_str(key: &str) -> Result<MetadataKey<K>, MetadataError> {
        MetadataKey::parse(key)
    }
}

/// A borrowed key where an owned one is wanted (a clone: no allocation for a
/// key built with `from_static`, a reference count otherwise).
impl<K: MetadataKind> From<&MetadataKey<K>> for MetadataKey<K> {
    fn from(key: &MetadataKey<K>) -> MetadataKey<K> {
        key.clone()
    }
}

impl<K: MetadataKind> AsRef<str> for MetadataKey<K> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl<K: MetadataKind> fmt::Debug for MetadataKey<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<K: MetadataKind> fmt::Display for MetadataKey<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Keeps [`AsMetadataKey`] to the types below.
mod sealed {
    /// Implemented by the key types [`AsMetadataKey`](super::AsMetadataKey)
    /// accepts.
    pub trait Sealed {}
}

/// A key to look values of kind `K` up by: a [`MetadataKey<K>`] (or a
/// reference to one), or a string. A string of the other kind finds
/// nothing; a binary key where an ASCII one is wanted does not compile.
pub trait AsMetadataKey<K: MetadataKind>: sealed::Sealed {
    /// The key as a string; `None` when it cannot name a value of kind `K`.
    #[doc(hidden)]
    fn key_of_kind(&self) -> Option<&str>;
}

impl<K: MetadataKind> sealed::Sealed for MetadataKey<K> {}
impl<K: MetadataKind> sealed::Sealed for &MetadataKey<K> {}
impl sealed::Sealed for &str {}
impl sealed::Sealed for String {}
impl sealed::Sealed for &String {}

impl<K: MetadataKind> AsMetadataKey<K> for MetadataKey<K> {
    fn key_of_kind(&self) -> Option<&str> {
        Some(self.as_str())
    }
}

impl<K: MetadataKind> AsMetadataKey<K> for &MetadataKey<K> {
    fn key_of_kind(&self) -> Option<&str> {
        Some(self.as_str())
    }
}

impl<K: MetadataKind> AsMetadataKey<K> for &str {
    fn key_of_kind(&self) -> Option<&str> {
        str_of_kind::<K>(self)
    }
}

impl<K: MetadataKind> AsMetadataKey<K> for String {
    fn key_of_kind(&self) -> Option<&str> {
        str_of_kind::<K>(self)
    }
}

impl<K: MetadataKind> AsMetadataKey<K> for &String {
    fn key_of_kind(&self) -> Option<&str> {
        str_of_kind::<K>(self)
    }
}

/// `key`, when its suffix says it names values of kind `K`.
fn str_of_kind<K: MetadataKind>(key: &str) -> Option<&str> {
    (is_binary_key(key) == K::IS_BINARY).then_some(key)
}

/// What is wrong with a key (a `Copy` value, so that a `const fn` can
/// return it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyProblem {
    /// Outside the header-name grammar.
    Invalid,
    /// Reserved for gRPC or HTTP/2.
    Reserved,
    /// An ASCII key with the `-bin` suffix.
    BinarySuffix,
    /// A binary key without it.
    NoBinarySuffix,
}

impl KeyProblem {
    /// The error for `key`.
    fn error(self, key: &str) -> MetadataError {
        let key = key.to_owned();
        match self {
            KeyProblem::Invalid => MetadataError::InvalidKey { key },
            KeyProblem::Reserved => MetadataError::ReservedKey { key },
            KeyProblem::BinarySuffix => MetadataError::BinaryKey { key },
            KeyProblem::NoBinarySuffix => MetadataError::NotBinaryKey { key },
        }
    }
}

/// What is wrong with `key` as a key of the kind `binary` says; checked in
/// this order: grammar, reservation, suffix.
const fn key_problem(key: &[u8], binary: bool) -> Option<KeyProblem> {
    if !is_valid_key(key) {
        Some(KeyProblem::Invalid)
    } else if is_reserved(key) {
        Some(KeyProblem::Reserved)
    } else if ends_with(key, BINARY_SUFFIX.as_bytes()) != binary {
        Some(if binary {
            KeyProblem::NoBinarySuffix
        } else {
            KeyProblem::BinarySuffix
        })
    } else {
        None
    }
}

/// True for a binary key (one that ends in `-bin`).
pub(crate) fn is_binary_key(key: &str) -> bool {
    ends_with(key.as_bytes(), BINARY_SUFFIX.as_bytes())
}

/// True for a key that user metadata may use: valid and not reserved.
pub(crate) fn is_user_key(key: &str) -> bool {
    is_valid_key(key.as_bytes()) && !is_reserved(key.as_bytes())
}

/// True when `key` follows the metadata key grammar.
const fn is_valid_key(key: &[u8]) -> bool {
    // PROTOCOL-HTTP2.md: "Header-Name → 1*( %x30-39 / %x61-7A / "_" / "-" /
    // "." ) ; 0-9 a-z _ - ." (this also rules out pseudo-headers, which
    // start with ':').
    if key.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < key.len() {
        let b = key[i];
        if !(b.is_ascii_digit() || b.is_ascii_lowercase() || b == b'_' || b == b'-' || b == b'.') {
            return false;
        }
        i += 1;
    }
    true
}

/// HTTP headers that are never user metadata: the call definition and the
/// HTTP/2 connection-specific headers.
const RESERVED_KEYS: &[&str] = &[
    // PROTOCOL-HTTP2.md, Call-Definition: "TE → "te" "trailers"", and
    // "Content-Type → "content-type" "application/grpc" ...".
    "te",
    "content-type",
    // RFC 9113 §8.2.2: "An endpoint MUST NOT generate an HTTP/2 message
    // containing connection-specific header fields. This includes the
    // Connection header field and those listed as having connection-specific
    // semantics in Section 7.6.1 of [HTTP] (that is, Proxy-Connection,
    // Keep-Alive, Transfer-Encoding, and Upgrade)." (h2 refuses to send them.)
    "connection",
    "proxy-connection",
    "keep-alive",
    "transfer-encoding",
    "upgrade",
    // RFC 9113 §8.3.1: "Clients MUST NOT generate a request with a Host
    // header field that differs from the ":authority" pseudo-header field."
    // The authority belongs to the channel, not to the application.
    "host",
];

/// True for a reserved key (`key` already checked against the grammar).
const fn is_reserved(key: &[u8]) -> bool {
    // PROTOCOL-HTTP2.md: "Header names starting with "grpc-" but not listed
    // here are reserved for future GRPC use and should not be used by
    // applications as **Custom-Metadata**." (Those listed are the protocol's
    // own: grpc-timeout, grpc-encoding, grpc-status, grpc-message, ...)
    if starts_with(key, b"grpc-") {
        return true;
    }
    let mut i = 0;
    while i < RESERVED_KEYS.len() {
        if bytes_eq(key, RESERVED_KEYS[i].as_bytes()) {
            return true;
        }
        i += 1;
    }
    false
}

/// `a == b`, as a `const fn`.
const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && starts_with(a, b)
}

/// `s.starts_with(prefix)`, as a `const fn`.
const fn starts_with(s: &[u8], prefix: &[u8]) -> bool {
    if s.len() < prefix.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if s[i] != prefix[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `s.ends_with(suffix)`, as a `const fn`.
const fn ends_with(s: &[u8], suffix: &[u8]) -> bool {
    if s.len() < suffix.len() {
        return false;
    }
    let start = s.len() - suffix.len();
    let mut i = 0;
    while i < suffix.len() {
        if s[start + i] != suffix[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn const_helpers_agree_with_the_slice_methods() {
        let words: [&[u8]; 6] = [b"", b"a", b"ab", b"-bin", b"x-bin", b"grpc-x"];
        for s in words {
            for t in words {
                assert_eq!(bytes_eq(s, t), s == t, "{s:?} {t:?}");
                assert_eq!(starts_with(s, t), s.starts_with(t), "{s:?} {t:?}");
                assert_eq!(ends_with(s, t), s.ends_with(t), "{s:?} {t:?}");
            }
        }
    }

    #[test]
    fn problems_are_found_in_order_grammar_reservation_suffix() {
        // Invalid and ending in -bin: the grammar is reported.
        assert_eq!(key_problem(b"X-bin", true), Some(KeyProblem::Invalid));
        // Reserved and ending in -bin, asked as ASCII: the reservation.
        assert_eq!(
            key_problem(b"grpc-status-details-bin", false),
            Some(KeyProblem::Reserved)
        );
        assert_eq!(key_problem(b"x-bin", false), Some(KeyProblem::BinarySuffix));
        assert_eq!(key_problem(b"x", true), Some(KeyProblem::NoBinarySuffix));
        assert_eq!(key_problem(b"x-bin", true), None);
        assert_eq!(key_problem(b"x", false), None);
    }
}
