//! Custom metadata: ASCII values and binary (`-bin`) values, kept apart.
//!
//! A [`MetadataMap`] holds only *user* metadata (PROTOCOL-HTTP2.md,
//! "Custom-Metadata"): the call-definition headers (`grpc-*`, `te`,
//! `content-type`), pseudo-headers and HTTP/2 connection-specific headers are
//! reserved, refused by the API with a typed [`MetadataError`] and dropped when
//! a map is built from received headers. The invariant is that every value a
//! map holds is valid: ASCII values are printable ASCII, binary values are
//! base64 that decodes. So a server may always echo received metadata back.
//!
//! The map stores the wire form (an `http::HeaderMap`, binary values already
//! base64-encoded), so putting it on the wire is a plain header copy.

use std::fmt;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE, TE};
use http::HeaderMap;

/// Suffix of binary metadata keys.
///
/// PROTOCOL-HTTP2.md: "Applications define binary headers by having their
/// names end with "-bin"."
pub const BINARY_SUFFIX: &str = "-bin";

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

/// Why a key or a value cannot be user metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataError {
    /// The key is not a gRPC header name: empty, or a character outside
    /// `0-9 a-z _ - .` (upper case included).
    InvalidKey {
        /// The key as given.
        key: String,
    },
    /// The key is reserved for gRPC or HTTP/2 (`grpc-*`, `te`,
    /// `content-type`, connection-specific headers, ...).
    ReservedKey {
        /// The key as given.
        key: String,
    },
    /// An ASCII operation was given a `-bin` key; use the `_bin` methods.
    BinaryKey {
        /// The key as given.
        key: String,
    },
    /// A binary operation was given a key without the `-bin` suffix.
    NotBinaryKey {
        /// The key as given.
        key: String,
    },
    /// An ASCII value holds a byte outside printable ASCII (0x20..=0x7E).
    InvalidValue {
        /// The key the value was meant for.
        key: String,
    },
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetadataError::InvalidKey { key } => write!(
                f,
                "invalid metadata key {key:?}: keys are 1 or more of 0-9 a-z _ - ."
            ),
            MetadataError::ReservedKey { key } => {
                write!(f, "metadata key {key:?} is reserved for gRPC or HTTP/2")
            }
            MetadataError::BinaryKey { key } => write!(
                f,
                "metadata key {key:?} ends in -bin: binary values go through insert_bin/append_bin"
            ),
            MetadataError::NotBinaryKey { key } => {
                write!(f, "binary metadata key {key:?} must end in -bin")
            }
            MetadataError::InvalidValue { key } => write!(
                f,
                "value for metadata key {key:?} must be printable ASCII (0x20..=0x7E); \
                 use a -bin key for other bytes"
            ),
        }
    }
}

impl std::error::Error for MetadataError {}

/// One metadata value, as [`MetadataMap::iter`] yields it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataEntry<'a> {
    /// An ASCII value.
    Ascii {
        /// The key.
        key: &'a str,
        /// The value (printable ASCII).
        value: &'a str,
    },
    /// A binary value, base64-decoded.
    Binary {
        /// The key (ends in `-bin`).
        key: &'a str,
        /// The decoded bytes.
        value: Bytes,
    },
}

/// User metadata of a call (request headers, response headers or trailers),
/// without the reserved gRPC and HTTP headers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetadataMap {
    headers: HeaderMap,
}

impl MetadataMap {
    /// An empty map.
    pub fn new() -> MetadataMap {
        MetadataMap::default()
    }

    /// The user metadata in `headers` (reserved headers left out).
    ///
    /// Also left out: keys outside the gRPC header-name grammar, ASCII values
    /// outside printable ASCII and binary values that are not base64. For the
    /// ASCII case PROTOCOL-HTTP2.md allows it: "Implementations must not error
    /// due to receiving an invalid **ASCII-Value** that's a valid
    /// **field-value** in HTTP, but the precise behavior is not strictly
    /// defined: they may throw the value away or accept the value." Dropping
    /// keeps the map's invariant, so the application can echo what it got.
    pub fn from_headers(mut headers: HeaderMap) -> MetadataMap {
        // The usual head holds a few reserved names (content-type, te,
        // grpc-timeout, ...) among the metadata: remove those in place,
        // which allocates nothing, rather than rebuild the map. Anything
        // unusual (an invalid name or value, an unknown grpc-* name, many
        // reserved ones) takes the general path.
        let mut reserved = [0usize; MAX_REMOVED_IN_PLACE];
        let mut count = 0;
        let mut previous: Option<&HeaderName> = None;
        for (name, value) in &headers {
            let key = name.as_str();
            let repeated = previous == Some(name);
            previous = Some(name);
            match well_known_reserved(name) {
                Some(_) if repeated => {}
                Some(index) if count < MAX_REMOVED_IN_PLACE => {
                    reserved[count] = index;
                    count += 1;
                }
                None if is_user_key(key) && value_is_valid(key, value) => {}
                _ => return MetadataMap::rebuilt_from(headers),
            }
        }
        for &index in &reserved[..count] {
            headers.remove(&WELL_KNOWN_RESERVED[index]);
        }
        MetadataMap { headers }
    }

    /// The general path of [`MetadataMap::from_headers`]: copies the valid
    /// user metadata into a new map.
    fn rebuilt_from(headers: HeaderMap) -> MetadataMap {
        let mut out = HeaderMap::new();
        let mut current: Option<(HeaderName, bool)> = None;
        for (name, value) in headers {
            // `None` means "same name as the previous value".
            if let Some(name) = name {
                let keep = is_user_key(name.as_str());
                current = Some((name, keep));
            }
            if let Some((name, true)) = &current {
                if value_is_valid(name.as_str(), &value) {
                    out.append(name.clone(), value);
                }
            }
        }
        MetadataMap { headers: out }
    }

    /// Like [`MetadataMap::from_headers`], copying only the user metadata out
    /// of a borrowed map.
    pub fn from_headers_ref(headers: &HeaderMap) -> MetadataMap {
        let mut out = HeaderMap::new();
        for name in headers.keys() {
            if !is_user_key(name.as_str()) {
                continue;
            }
            for value in headers.get_all(name) {
                if value_is_valid(name.as_str(), value) {
                    out.append(name.clone(), value.clone());
                }
            }
        }
        MetadataMap { headers: out }
    }

    /// The headers to put on the wire.
    pub fn as_headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The headers to put on the wire, by value.
    pub fn into_headers(self) -> HeaderMap {
        self.headers
    }

    /// Appends every value to `headers` (response head, trailers, request
    /// head). Reserved keys cannot be in the map, so nothing the transport
    /// wrote is overridden.
    pub fn merge_into(&self, headers: &mut HeaderMap) {
        for (name, value) in &self.headers {
            headers.append(name.clone(), value.clone());
        }
    }

    /// Adds every value of `other`, keeping the values already here.
    pub fn extend(&mut self, other: &MetadataMap) {
        other.merge_into(&mut self.headers);
    }

    /// Number of values (a binary header value joined with `,` by a peer
    /// counts once).
    pub fn len(&self) -> usize {
        self.headers.len()
    }

    /// True when there is no metadata.
    pub fn is_empty(&self) -> bool {
        self.headers.is_empty()
    }

    /// Sets an ASCII value, replacing any value `key` had.
    pub fn insert(&mut self, key: &str, value: &str) -> Result<(), MetadataError> {
        let (name, value) = ascii_pair(key, value)?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// Adds an ASCII value, keeping the values `key` already had.
    pub fn append(&mut self, key: &str, value: &str) -> Result<(), MetadataError> {
        let (name, value) = ascii_pair(key, value)?;
        self.headers.append(name, value);
        Ok(())
    }

    /// Sets a binary value (`key` must end in `-bin`), replacing any value
    /// `key` had. Stored as unpadded base64.
    pub fn insert_bin(&mut self, key: &str, value: impl AsRef<[u8]>) -> Result<(), MetadataError> {
        let (name, value) = binary_pair(key, value.as_ref())?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// Adds a binary value (`key` must end in `-bin`), keeping the values
    /// `key` already had.
    pub fn append_bin(&mut self, key: &str, value: impl AsRef<[u8]>) -> Result<(), MetadataError> {
        let (name, value) = binary_pair(key, value.as_ref())?;
        self.headers.append(name, value);
        Ok(())
    }

    /// The first ASCII value of `key`; `None` for a `-bin` key.
    ///
    /// ASCII values are returned as received: a peer may have joined several
    /// values with `,`, but a comma is also a legal character of one value,
    /// so ASCII values are never split.
    pub fn get(&self, key: &str) -> Option<&str> {
        if is_binary(key) {
            return None;
        }
        self.headers.get(key).and_then(|v| v.to_str().ok())
    }

    /// Every ASCII value of `key`, in order; empty for a `-bin` key.
    pub fn get_all<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a str> + 'a {
        let values = if is_binary(key) {
            None
        } else {
            Some(self.headers.get_all(key))
        };
        values.into_iter().flatten().filter_map(|v| v.to_str().ok())
    }

    /// The first binary value of `key`, decoded; `None` for a key without
    /// `-bin`.
    ///
    /// A header value that a peer joined from several values with `,` holds
    /// several values: this returns the first of them, as for separate
    /// headers. [`MetadataMap::get_all_bin`] returns each.
    pub fn get_bin(&self, key: &str) -> Option<Bytes> {
        self.get_all_bin(key).next()
    }

    /// Every binary value of `key`, decoded, in order, a header value joined
    /// with `,` split into its parts; empty for a key without `-bin`.
    ///
    /// PROTOCOL-HTTP2.md: "Implementations must split **Binary-Header**s on
    /// "," before decoding the Base64-encoded values."
    pub fn get_all_bin<'a>(&'a self, key: &str) -> impl Iterator<Item = Bytes> + 'a {
        let values = if is_binary(key) {
            Some(self.headers.get_all(key))
        } else {
            None
        };
        values
            .into_iter()
            .flatten()
            .flat_map(|v| binary_parts(v.as_bytes()))
            .filter_map(|part| decode_part(part).map(Bytes::from))
    }

    /// True when `key` has at least one value.
    pub fn contains_key(&self, key: &str) -> bool {
        self.headers.contains_key(key)
    }

    /// Removes every value of `key`; true when there was one.
    pub fn remove(&mut self, key: &str) -> bool {
        self.headers.remove(key).is_some()
    }

    /// Every value, ASCII and binary (decoded, joined values split), grouped
    /// by key. Order across keys is not meaningful (PROTOCOL-HTTP2.md: "order
    /// is not guaranteed to be preserved except for values with duplicate
    /// header names").
    pub fn iter(&self) -> impl Iterator<Item = MetadataEntry<'_>> + '_ {
        self.headers.iter().flat_map(|(name, value)| {
            let key = name.as_str();
            let binary = is_binary(key);
            // One closure for both kinds, so that both yield the same
            // iterator type: an ASCII value is never split (the predicate
            // never matches), a binary one is split on ','.
            value
                .as_bytes()
                .split(move |b| binary && *b == b',')
                .filter_map(move |part| {
                    if binary {
                        let value = Bytes::from(decode_part(part)?);
                        Some(MetadataEntry::Binary { key, value })
                    } else {
                        let value = std::str::from_utf8(part).ok()?;
                        Some(MetadataEntry::Ascii { key, value })
                    }
                })
        })
    }
}

/// True for a binary key.
fn is_binary(key: &str) -> bool {
    key.ends_with(BINARY_SUFFIX)
}

/// Checks that `key` may be user metadata.
fn check_key(key: &str) -> Result<(), MetadataError> {
    if !is_valid_key(key) {
        return Err(MetadataError::InvalidKey {
            key: key.to_owned(),
        });
    }
    if is_reserved(key) {
        return Err(MetadataError::ReservedKey {
            key: key.to_owned(),
        });
    }
    Ok(())
}

/// True when `key` follows the metadata key grammar.
fn is_valid_key(key: &str) -> bool {
    // PROTOCOL-HTTP2.md: "Header-Name → 1*( %x30-39 / %x61-7A / "_" / "-" /
    // "." ) ; 0-9 a-z _ - ." (this also rules out pseudo-headers, which
    // start with ':').
    !key.is_empty()
        && key.bytes().all(|b| {
            b.is_ascii_digit() || b.is_ascii_lowercase() || matches!(b, b'_' | b'-' | b'.')
        })
}

/// True for a key that user metadata may use: valid and not reserved.
fn is_user_key(key: &str) -> bool {
    is_valid_key(key) && !is_reserved(key)
}

/// How many reserved names [`MetadataMap::from_headers`] removes in place
/// before it rebuilds the map instead.
const MAX_REMOVED_IN_PLACE: usize = 8;

/// The reserved names a request or response head usually carries (the
/// call definition's own headers), as constants: removing by name then
/// needs no parsing.
const WELL_KNOWN_RESERVED: [HeaderName; 10] = [
    CONTENT_TYPE,
    TE,
    HeaderName::from_static("grpc-timeout"),
    HeaderName::from_static("grpc-encoding"),
    HeaderName::from_static("grpc-accept-encoding"),
    HeaderName::from_static("grpc-status"),
    HeaderName::from_static("grpc-message"),
    HeaderName::from_static("grpc-status-details-bin"),
    HeaderName::from_static("grpc-previous-rpc-attempts"),
    HeaderName::from_static("grpc-retry-pushback-ms"),
];

/// The index of `name` in [`WELL_KNOWN_RESERVED`].
fn well_known_reserved(name: &HeaderName) -> Option<usize> {
    WELL_KNOWN_RESERVED.iter().position(|known| known == name)
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
fn is_reserved(key: &str) -> bool {
    // PROTOCOL-HTTP2.md: "Header names starting with "grpc-" but not listed
    // here are reserved for future GRPC use and should not be used by
    // applications as **Custom-Metadata**." (Those listed are the protocol's
    // own: grpc-timeout, grpc-encoding, grpc-status, grpc-message, ...)
    key.starts_with("grpc-") || RESERVED_KEYS.contains(&key)
}

/// True for a printable ASCII value.
///
/// PROTOCOL-HTTP2.md: "ASCII-Value → 1*( %x20-%x7E ) ; space and printable
/// ASCII". An empty value is accepted too: several stacks send them.
fn is_ascii_value(value: &[u8]) -> bool {
    value.iter().all(|b| (0x20..=0x7E).contains(b))
}

/// True when a received `value` may be kept for `key` (a valid key).
fn value_is_valid(key: &str, value: &HeaderValue) -> bool {
    if is_binary(key) {
        binary_parts(value.as_bytes()).all(|part| decode_part(part).is_some())
    } else {
        is_ascii_value(value.as_bytes())
    }
}

/// Validates an ASCII key and value.
fn ascii_pair(key: &str, value: &str) -> Result<(HeaderName, HeaderValue), MetadataError> {
    check_key(key)?;
    if is_binary(key) {
        return Err(MetadataError::BinaryKey {
            key: key.to_owned(),
        });
    }
    if !is_ascii_value(value.as_bytes()) {
        return Err(MetadataError::InvalidValue {
            key: key.to_owned(),
        });
    }
    let invalid = || MetadataError::InvalidValue {
        key: key.to_owned(),
    };
    let value = HeaderValue::from_str(value).map_err(|_| invalid())?;
    Ok((header_name(key)?, value))
}

/// Validates a binary key and encodes the value.
fn binary_pair(key: &str, value: &[u8]) -> Result<(HeaderName, HeaderValue), MetadataError> {
    check_key(key)?;
    if !is_binary(key) {
        return Err(MetadataError::NotBinaryKey {
            key: key.to_owned(),
        });
    }
    let encoded = BASE64_ENCODE.encode(value);
    let value = HeaderValue::from_maybe_shared(Bytes::from(encoded)).map_err(|_| {
        MetadataError::InvalidValue {
            key: key.to_owned(),
        }
    })?;
    Ok((header_name(key)?, value))
}

/// The header name of a key that passed [`check_key`].
fn header_name(key: &str) -> Result<HeaderName, MetadataError> {
    HeaderName::from_bytes(key.as_bytes()).map_err(|_| MetadataError::InvalidKey {
        key: key.to_owned(),
    })
}

/// The base64 parts of a binary header value: split on ',' (a peer may join
/// duplicate values), blanks around each part trimmed (HTTP list syntax
/// allows ", "; base64 has no blanks).
fn binary_parts(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|b| *b == b',').map(<[u8]>::trim_ascii)
}

/// Decodes one base64 part, padded or not.
fn decode_part(part: &[u8]) -> Option<Vec<u8>> {
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
