//! Custom metadata: ASCII values and binary (`-bin`) values, kept apart by
//! their types.
//!
//! PROTOCOL-HTTP2.md: "Custom-Metadata → Binary-Header / ASCII-Header". A
//! key and a value carry their kind as a type parameter, [`Ascii`] or
//! [`Binary`]: [`MetadataKey<Ascii>`] never ends in `-bin` and
//! [`MetadataKey<Binary>`] always does; [`MetadataValue<Ascii>`] is
//! printable ASCII and [`MetadataValue<Binary>`] any bytes, base64-encoded
//! for the wire. Each is checked once, when it is built, and a
//! [`MetadataMap`] takes a key and a value only of the same kind:
//! [`insert`](MetadataMap::insert) and [`append`](MetadataMap::append) the
//! ASCII ones, [`insert_bin`](MetadataMap::insert_bin) and
//! [`append_bin`](MetadataMap::append_bin) the binary ones. A binary key or
//! value given to an ASCII method, or the reverse, does not compile.
//!
//! Strings are accepted too, for keys and ASCII values: they are checked on
//! the spot and a mistake (`-bin` on an ASCII key, a reserved key, a byte
//! outside printable ASCII) is a [`MetadataError`].
//!
//! ```
//! use h2grpc::metadata::{
//!     AsciiMetadataKey, AsciiMetadataValue, BinaryMetadataKey, MetadataError, MetadataMap,
//! };
//!
//! // Keys the application uses, checked at compile time.
//! const USER: AsciiMetadataKey = AsciiMetadataKey::from_static("x-user");
//! const TRACE: BinaryMetadataKey = BinaryMetadataKey::from_static("x-trace-bin");
//!
//! let mut metadata = MetadataMap::new();
//! metadata.insert(USER, AsciiMetadataValue::from_static("alice"))?;
//! metadata.insert_bin(TRACE, [0u8, 1, 255])?;
//! // Strings: checked here, at run time.
//! metadata.append("x-tag", "blue")?;
//!
//! assert_eq!(metadata.get(USER), Some("alice"));
//! assert_eq!(metadata.get("x-tag"), Some("blue"));
//! assert_eq!(metadata.get_bin(TRACE).as_deref(), Some(&[0u8, 1, 255][..]));
//! // On the wire: unpadded base64.
//! assert_eq!(metadata.as_headers()["x-trace-bin"], "AAH/");
//!
//! // A string key of the wrong kind is an error...
//! assert_eq!(
//!     metadata.insert("x-trace-bin", "text"),
//!     Err(MetadataError::BinaryKey { key: "x-trace-bin".into() })
//! );
//! # Ok::<(), MetadataError>(())
//! ```
//!
//! ... and a typed one does not compile:
//!
//! ```compile_fail,E0277
//! # use h2grpc::metadata::{BinaryMetadataKey, MetadataMap};
//! const TRACE: BinaryMetadataKey = BinaryMetadataKey::from_static("x-trace-bin");
//! let mut metadata = MetadataMap::new();
//! // A binary key with an ASCII method (and value).
//! metadata.insert(TRACE, "text");
//! ```
//!
//! ```compile_fail,E0277
//! # use h2grpc::metadata::{AsciiMetadataKey, MetadataMap};
//! const USER: AsciiMetadataKey = AsciiMetadataKey::from_static("x-user");
//! let mut metadata = MetadataMap::new();
//! // An ASCII key with a binary method (and value).
//! metadata.insert_bin(USER, [0u8, 1, 255]);
//! ```
//!
//! ```compile_fail,E0277
//! # use h2grpc::metadata::{BinaryMetadataValue, MetadataMap};
//! let mut metadata = MetadataMap::new();
//! // A binary value with an ASCII method.
//! metadata.insert("x-user", BinaryMetadataValue::from(&[0u8, 1, 255]));
//! ```
//!
//! A [`MetadataMap`] holds only *user* metadata (PROTOCOL-HTTP2.md,
//! "Custom-Metadata"): the call-definition headers (`grpc-*`, `te`,
//! `content-type`), pseudo-headers and HTTP/2 connection-specific headers are
//! reserved, refused when a key is built and dropped when a map is built from
//! received headers. The invariant is that every value a map holds is valid:
//! ASCII values are printable ASCII, binary values are base64 that decodes.
//! So a server may always echo received metadata back.
//!
//! Files: `kind.rs` the two kinds, `key.rs` keys and the rules every key
//! follows, `value.rs` values and base64, `map.rs` the map and the filter of
//! received headers, `error.rs` the error.

mod error;
mod key;
mod kind;
mod map;
mod value;

pub use error::MetadataError;
pub use key::{AsMetadataKey, AsciiMetadataKey, BinaryMetadataKey, MetadataKey, BINARY_SUFFIX};
pub use kind::{Ascii, Binary, MetadataKind};
pub use map::{MetadataEntry, MetadataMap};
pub use value::{AsciiMetadataValue, BinaryMetadataValue, MetadataValue};

pub(crate) use value::{binary_parts, decode_binary_value, decode_part, BASE64_ENCODE};
