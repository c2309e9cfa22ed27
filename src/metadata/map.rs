//! [`MetadataMap`]: the user metadata of a call, in its wire form; and the
//! filter that builds one from received headers.
//!
//! The map stores an `http::HeaderMap` (binary values already
//! base64-encoded), so putting it on the wire is a plain header copy.

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE, TE};
use http::HeaderMap;

use super::error::MetadataError;
use super::key::{is_binary_key, is_user_key, AsMetadataKey, MetadataKey};
use super::kind::{Ascii, Binary, MetadataKind};
use super::value::{binary_parts, decode_part, is_ascii_value, MetadataValue};

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
    ///
    /// `key` is an [`AsciiMetadataKey`](super::AsciiMetadataKey) or a
    /// string, `value` an [`AsciiMetadataValue`](super::AsciiMetadataValue)
    /// or a string: a binary key or value does not compile. Only strings can
    /// fail (a string key ending in `-bin`, a reserved or malformed key, a
    /// value outside printable ASCII); typed keys and values were checked
    /// when they were built.
    pub fn insert(
        &mut self,
        key: impl TryInto<MetadataKey<Ascii>, Error: Into<MetadataError>>,
        value: impl TryInto<MetadataValue<Ascii>, Error: Into<MetadataError>>,
    ) -> Result<(), MetadataError> {
        let (name, value) = pair(key, value)?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// Adds an ASCII value, keeping the values `key` already had. Takes
    /// what [`MetadataMap::insert`] takes.
    pub fn append(
        &mut self,
        key: impl TryInto<MetadataKey<Ascii>, Error: Into<MetadataError>>,
        value: impl TryInto<MetadataValue<Ascii>, Error: Into<MetadataError>>,
    ) -> Result<(), MetadataError> {
        let (name, value) = pair(key, value)?;
        self.headers.append(name, value);
        Ok(())
    }

    /// Sets a binary value, replacing any value `key` had. Sent as unpadded
    /// base64.
    ///
    /// `key` is a [`BinaryMetadataKey`](super::BinaryMetadataKey) or a
    /// string, `value` a [`BinaryMetadataValue`](super::BinaryMetadataValue)
    /// or bytes (`&[u8]`, `[u8; N]`, `Vec<u8>`, `Bytes`): an ASCII key or
    /// value does not compile. Only a string key can fail (one without
    /// `-bin`, a reserved or malformed key).
    pub fn insert_bin(
        &mut self,
        key: impl TryInto<MetadataKey<Binary>, Error: Into<MetadataError>>,
        value: impl TryInto<MetadataValue<Binary>, Error: Into<MetadataError>>,
    ) -> Result<(), MetadataError> {
        let (name, value) = pair(key, value)?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// Adds a binary value, keeping the values `key` already had. Takes
    /// what [`MetadataMap::insert_bin`] takes.
    pub fn append_bin(
        &mut self,
        key: impl TryInto<MetadataKey<Binary>, Error: Into<MetadataError>>,
        value: impl TryInto<MetadataValue<Binary>, Error: Into<MetadataError>>,
    ) -> Result<(), MetadataError> {
        let (name, value) = pair(key, value)?;
        self.headers.append(name, value);
        Ok(())
    }

    /// The first ASCII value of `key` (an
    /// [`AsciiMetadataKey`](super::AsciiMetadataKey) or a string); `None`
    /// for a string ending in `-bin`. A binary key does not compile.
    ///
    /// ASCII values are returned as received: a peer may have joined several
    /// values with `,`, but a comma is also a legal character of one value,
    /// so ASCII values are never split.
    pub fn get(&self, key: impl AsMetadataKey<Ascii>) -> Option<&str> {
        let key = key.key_of_kind()?;
        self.headers.get(key).and_then(|v| v.to_str().ok())
    }

    /// Every ASCII value of `key`, in order; empty for a string ending in
    /// `-bin`.
    pub fn get_all<'a>(
        &'a self,
        key: impl AsMetadataKey<Ascii>,
    ) -> impl Iterator<Item = &'a str> + 'a {
        let values = key.key_of_kind().map(|key| self.headers.get_all(key));
        values.into_iter().flatten().filter_map(|v| v.to_str().ok())
    }

    /// The first binary value of `key` (a
    /// [`BinaryMetadataKey`](super::BinaryMetadataKey) or a string), decoded;
    /// `None` for a string without `-bin`. An ASCII key does not compile.
    ///
    /// A header value that a peer joined from several values with `,` holds
    /// several values: this returns the first of them, as for separate
    /// headers. [`MetadataMap::get_all_bin`] returns each.
    pub fn get_bin(&self, key: impl AsMetadataKey<Binary>) -> Option<Bytes> {
        self.get_all_bin(key).next()
    }

    /// Every binary value of `key`, decoded, in order, a header value joined
    /// with `,` split into its parts; empty for a string without `-bin`.
    ///
    /// PROTOCOL-HTTP2.md: "Implementations must split **Binary-Header**s on
    /// "," before decoding the Base64-encoded values."
    pub fn get_all_bin<'a>(
        &'a self,
        key: impl AsMetadataKey<Binary>,
    ) -> impl Iterator<Item = Bytes> + 'a {
        let values = key.key_of_kind().map(|key| self.headers.get_all(key));
        values
            .into_iter()
            .flatten()
            .flat_map(|v| binary_parts(v.as_bytes()))
            .filter_map(|part| decode_part(part).map(Bytes::from))
    }

    /// True when `key` (of either kind) has at least one value.
    pub fn contains_key(&self, key: impl AsRef<str>) -> bool {
        self.headers.contains_key(key.as_ref())
    }

    /// Removes every ASCII value of `key`; true when there was one. A
    /// string ending in `-bin` removes nothing; a binary key does not
    /// compile.
    pub fn remove(&mut self, key: impl AsMetadataKey<Ascii>) -> bool {
        self.remove_kind(key)
    }

    /// Removes every binary value of `key`; true when there was one. A
    /// string without `-bin` removes nothing; an ASCII key does not compile.
    pub fn remove_bin(&mut self, key: impl AsMetadataKey<Binary>) -> bool {
        self.remove_kind(key)
    }

    /// Removes every value of `key`, of kind `K`.
    fn remove_kind<K: MetadataKind>(&mut self, key: impl AsMetadataKey<K>) -> bool {
        key.key_of_kind()
            .is_some_and(|key| self.headers.remove(key).is_some())
    }

    /// Every value, ASCII and binary (decoded, joined values split), grouped
    /// by key. Order across keys is not meaningful (PROTOCOL-HTTP2.md: "order
    /// is not guaranteed to be preserved except for values with duplicate
    /// header names").
    pub fn iter(&self) -> impl Iterator<Item = MetadataEntry<'_>> + '_ {
        self.headers.iter().flat_map(|(name, value)| {
            let key = name.as_str();
            let binary = is_binary_key(key);
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

/// The header name and value of a key and a value of the same kind.
fn pair<K: MetadataKind>(
    key: impl TryInto<MetadataKey<K>, Error: Into<MetadataError>>,
    value: impl TryInto<MetadataValue<K>, Error: Into<MetadataError>>,
) -> Result<(HeaderName, HeaderValue), MetadataError> {
    let key = key.try_into().map_err(Into::into)?;
    let value = value.try_into().map_err(Into::into)?;
    Ok((key.into_header_name(), value.into_header_value()))
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

/// True when a received `value` may be kept for `key` (a valid key).
fn value_is_valid(key: &str, value: &HeaderValue) -> bool {
    if is_binary_key(key) {
        binary_parts(value.as_bytes()).all(|part| decode_part(part).is_some())
    } else {
        is_ascii_value(value.as_bytes())
    }
}
