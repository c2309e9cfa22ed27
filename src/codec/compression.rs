//! Per-message compression (grpc/grpc `doc/compression.md`): the
//! [`Encoding`]s we speak, the `grpc-accept-encoding` list we send, picking
//! an encoding the peer accepts, and compressing / decompressing one
//! message payload. Nothing here knows HTTP: the callers read and write the
//! headers.
//!
//! On the wire (PROTOCOL-HTTP2.md): `Message-Encoding → "grpc-encoding"
//! Content-Coding`, `Content-Coding → "identity" / "gzip" / "deflate" /
//! "snappy" / {custom}`. "gzip" is RFC 1952; "deflate" is the zlib format of
//! RFC 1950 (a 2-byte header, raw deflate, an Adler-32 trailer), not raw
//! RFC 1951 deflate: C-core (and so grpcio) opens zlib with `windowBits` 15
//! for "deflate" and `15 | 16` for "gzip", in both directions.
//!
//! gzip and deflate come with the `gzip` feature (on by default). Without
//! it [`Encoding`] has only `Identity`: a peer's gzip or deflate is then an
//! encoding we do not support, refused as `snappy` is.
//!
//! Decompression is bounded while it runs: the output never grows past the
//! caller's limit, so a small "zip bomb" (64 MiB of zeros in 64 KiB of gzip)
//! costs at most the limit plus [`INFLATE_CHUNK`] bytes before it is refused.

use std::fmt;
#[cfg(feature = "gzip")]
use std::io::{Read, Write};

#[cfg(feature = "gzip")]
use bytes::BufMut;
use bytes::BytesMut;
#[cfg(feature = "gzip")]
use flate2::bufread::{GzDecoder, ZlibDecoder};
#[cfg(feature = "gzip")]
use flate2::write::{GzEncoder, ZlibEncoder};
#[cfg(feature = "gzip")]
use flate2::Compression;

/// The `grpc-accept-encoding` value we send on every request and response:
/// every encoding we can decompress. Written without spaces: some peers
/// split it on `,` without trimming (shared/DESIGN.md, "Compression").
#[cfg(feature = "gzip")]
pub const ACCEPT_ENCODING: &str = "gzip,deflate,identity";

/// The `grpc-accept-encoding` value we send on every request and response:
/// identity alone, the build has no compressors (feature `gzip` is off).
#[cfg(not(feature = "gzip"))]
pub const ACCEPT_ENCODING: &str = "identity";

/// How many bytes the inflater writes per step; decompression holds at most
/// the caller's limit plus this much output.
pub const INFLATE_CHUNK: usize = 16 * 1024;

/// The deflate level we compress with: zlib's default (6), as C-core and
/// grpc-go's gzip compressor use.
#[cfg(feature = "gzip")]
const LEVEL: Compression = Compression::new(6);

/// A message encoding, named as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// No compression: the message bytes as they are.
    #[default]
    Identity,
    /// gzip (RFC 1952). Feature `gzip`.
    #[cfg(feature = "gzip")]
    Gzip,
    /// "deflate" as gRPC means it: zlib-wrapped deflate (RFC 1950).
    /// Feature `gzip`.
    #[cfg(feature = "gzip")]
    Deflate,
}

impl Encoding {
    /// Every encoding we support, in our order of preference.
    #[cfg(feature = "gzip")]
    pub const ALL: [Encoding; 3] = [Encoding::Gzip, Encoding::Deflate, Encoding::Identity];

    /// Every encoding we support: identity alone (feature `gzip` is off).
    #[cfg(not(feature = "gzip"))]
    pub const ALL: [Encoding; 1] = [Encoding::Identity];

    /// The name in `grpc-encoding` and `grpc-accept-encoding`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            #[cfg(feature = "gzip")]
            Encoding::Gzip => "gzip",
            #[cfg(feature = "gzip")]
            Encoding::Deflate => "deflate",
        }
    }

    /// The encoding a `grpc-encoding` value names; `None` for one we do not
    /// support (e.g. `snappy`). Surrounding spaces are ignored, case is not
    /// (content-codings are lowercase tokens).
    pub fn from_header(value: &[u8]) -> Option<Encoding> {
        let name = value.trim_ascii();
        Encoding::ALL
            .into_iter()
            .find(|encoding| name == encoding.as_str().as_bytes())
    }

    /// True for [`Encoding::Identity`].
    pub const fn is_identity(self) -> bool {
        matches!(self, Encoding::Identity)
    }

    /// True when a `grpc-accept-encoding` value lists this encoding.
    /// Identity is always accepted; an absent header accepts nothing else.
    pub fn accepted_by(self, accept: Option<&[u8]>) -> bool {
        if self.is_identity() {
            return true;
        }
        let Some(accept) = accept else { return false };
        accept
            .split(|&byte| byte == b',')
            .any(|name| name.trim_ascii() == self.as_str().as_bytes())
    }

    /// Compresses `input` and appends the result to `out`.
    pub fn compress(self, input: &[u8], out: &mut BytesMut) -> Result<(), CompressionError> {
        match self {
            Encoding::Identity => {
                out.extend_from_slice(input);
                Ok(())
            }
            #[cfg(feature = "gzip")]
            Encoding::Gzip => {
                let mut encoder = GzEncoder::new(out.writer(), LEVEL);
                self.compressed(encoder.write_all(input).and_then(|()| encoder.finish()))
            }
            #[cfg(feature = "gzip")]
            Encoding::Deflate => {
                let mut encoder = ZlibEncoder::new(out.writer(), LEVEL);
                self.compressed(encoder.write_all(input).and_then(|()| encoder.finish()))
            }
        }
    }

    /// What a compressor's `write_all` + `finish` came to. Writing into
    /// memory cannot fail; a failure here is a bug in the compressor,
    /// reported rather than unwrapped.
    #[cfg(feature = "gzip")]
    fn compressed<T>(self, written: std::io::Result<T>) -> Result<(), CompressionError> {
        written.map(|_| ()).map_err(|err| CompressionError::Failed {
            encoding: self,
            reason: err.to_string(),
        })
    }

    /// Decompresses one message payload, refusing (with
    /// [`CompressionError::TooLarge`]) any that inflates past `limit`
    /// bytes, as soon as it does: the output never grows beyond `limit`.
    ///
    /// Never inlined: the inflaters' state is built on the stack (some
    /// 43 KiB for miniz_oxide's), and a caller it were inlined into would
    /// carry that stack frame on every call, compressed or not (see
    /// BENCHMARKS.md, "What the code's shape owes to measurement").
    #[inline(never)]
    pub fn decompress(self, input: &[u8], limit: usize) -> Result<Vec<u8>, CompressionError> {
        match self {
            Encoding::Identity => {
                if input.len() > limit {
                    return Err(CompressionError::TooLarge { limit });
                }
                Ok(input.to_vec())
            }
            #[cfg(feature = "gzip")]
            Encoding::Gzip => {
                let mut decoder = GzDecoder::new(input);
                let out = inflate_bounded(self, &mut decoder, limit)?;
                ensure_consumed(self, decoder.into_inner())?;
                Ok(out)
            }
            #[cfg(feature = "gzip")]
            Encoding::Deflate => {
                let mut decoder = ZlibDecoder::new(input);
                let out = inflate_bounded(self, &mut decoder, limit)?;
                ensure_consumed(self, decoder.into_inner())?;
                Ok(out)
            }
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The encoding to send with: `preferred` (our choice) when set and the
/// peer accepts it, else the encoding the peer itself sent with when it
/// accepts that too (grpc-go's server answers in the request's encoding),
/// else identity. `accept` is the peer's `grpc-accept-encoding`. A
/// preferred identity always wins: compression switched off.
pub fn negotiate(preferred: Option<Encoding>, peer: Encoding, accept: Option<&[u8]>) -> Encoding {
    [preferred, Some(peer)]
        .into_iter()
        .flatten()
        .find(|encoding| encoding.accepted_by(accept))
        .unwrap_or(Encoding::Identity)
}

/// Why a payload could not be compressed or decompressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompressionError {
    /// The payload inflates past the limit (decompression stopped there).
    TooLarge {
        /// The limit on the decompressed size.
        limit: usize,
    },
    /// The payload is not valid data of its encoding (bad header, bad
    /// checksum, truncated, or trailing bytes after the end).
    Corrupt {
        /// The encoding the payload claimed.
        encoding: Encoding,
        /// What the decompressor said.
        reason: String,
    },
    /// Compressing failed (never expected: the output is in memory).
    Failed {
        /// The encoding we compressed with.
        encoding: Encoding,
        /// What the compressor said.
        reason: String,
    },
}

impl fmt::Display for CompressionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompressionError::TooLarge { limit } => write!(
                f,
                "decompressed message is larger than the limit of {limit} bytes"
            ),
            CompressionError::Corrupt { encoding, reason } => {
                write!(f, "invalid {encoding} data: {reason}")
            }
            CompressionError::Failed { encoding, reason } => {
                write!(f, "{encoding} compression failed: {reason}")
            }
        }
    }
}

impl std::error::Error for CompressionError {}

/// Reads `decoder` to its end into a buffer that never grows past `limit`.
///
/// The buffer grows by doubling, capped at `limit`, and only by what was
/// actually inflated: a payload announcing nothing and inflating to 4 GiB
/// allocates `limit` bytes at most, then fails.
#[cfg(feature = "gzip")]
fn inflate_bounded(
    encoding: Encoding,
    decoder: &mut impl Read,
    limit: usize,
) -> Result<Vec<u8>, CompressionError> {
    let mut out: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; INFLATE_CHUNK];
    loop {
        let n = match decoder.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => {
                return Err(CompressionError::Corrupt {
                    encoding,
                    reason: err.to_string(),
                })
            }
        };
        if out.len() + n > limit {
            return Err(CompressionError::TooLarge { limit });
        }
        if out.capacity() - out.len() < n {
            let target = (out.capacity() * 2).max(out.len() + n).min(limit);
            out.reserve_exact(target - out.len());
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

/// Fails when bytes follow the end of the compressed stream (C-core: "zlib:
/// not all input consumed" is an error too).
#[cfg(feature = "gzip")]
fn ensure_consumed(encoding: Encoding, rest: &[u8]) -> Result<(), CompressionError> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(CompressionError::Corrupt {
            encoding,
            reason: format!("{} bytes after the end of the stream", rest.len()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "gzip")]
    fn round_trip(encoding: Encoding, input: &[u8]) -> Vec<u8> {
        let mut buf = BytesMut::new();
        encoding.compress(input, &mut buf).expect("compress");
        encoding.decompress(&buf, 1 << 20).expect("decompress")
    }

    #[test]
    #[cfg(feature = "gzip")]
    fn names_are_the_wire_names() {
        assert_eq!(Encoding::Gzip.as_str(), "gzip");
        assert_eq!(Encoding::Deflate.as_str(), "deflate");
        assert_eq!(Encoding::Identity.as_str(), "identity");
        assert_eq!(ACCEPT_ENCODING, "gzip,deflate,identity");
        for encoding in Encoding::ALL {
            assert_eq!(
                Encoding::from_header(encoding.as_str().as_bytes()),
                Some(encoding)
            );
        }
        assert_eq!(Encoding::from_header(b" gzip "), Some(Encoding::Gzip));
        assert_eq!(Encoding::from_header(b"snappy"), None);
        assert_eq!(Encoding::from_header(b"GZIP"), None);
        assert_eq!(Encoding::from_header(b""), None);
    }

    #[test]
    #[cfg(feature = "gzip")]
    fn accept_list_is_split_on_commas_and_trimmed() {
        let accept = Some(&b"deflate, gzip"[..]);
        assert!(Encoding::Gzip.accepted_by(accept));
        assert!(Encoding::Deflate.accepted_by(accept));
        assert!(Encoding::Identity.accepted_by(None));
        assert!(!Encoding::Gzip.accepted_by(None));
        assert!(!Encoding::Gzip.accepted_by(Some(b"identity,gzipx")));
    }

    #[test]
    #[cfg(feature = "gzip")]
    fn negotiate_prefers_ours_then_the_peers_then_identity() {
        let both = Some(&b"gzip,deflate,identity"[..]);
        assert_eq!(
            negotiate(Some(Encoding::Deflate), Encoding::Gzip, both),
            Encoding::Deflate
        );
        assert_eq!(negotiate(None, Encoding::Gzip, both), Encoding::Gzip);
        assert_eq!(
            negotiate(Some(Encoding::Deflate), Encoding::Gzip, Some(b"gzip")),
            Encoding::Gzip
        );
        assert_eq!(
            negotiate(Some(Encoding::Gzip), Encoding::Identity, None),
            Encoding::Identity
        );
        assert_eq!(
            negotiate(None, Encoding::Identity, both),
            Encoding::Identity
        );
        assert_eq!(
            negotiate(Some(Encoding::Identity), Encoding::Gzip, both),
            Encoding::Identity
        );
    }

    #[test]
    #[cfg(feature = "gzip")]
    fn gzip_and_deflate_round_trip() {
        let input = b"Hello, world! Hello, world! Hello, world!".repeat(100);
        for encoding in Encoding::ALL {
            assert_eq!(round_trip(encoding, &input), input, "{encoding}");
            assert_eq!(round_trip(encoding, b""), b"", "{encoding}");
        }
    }

    #[test]
    #[cfg(feature = "gzip")]
    fn deflate_is_zlib_wrapped_and_gzip_has_its_magic() {
        let mut buf = BytesMut::new();
        Encoding::Deflate.compress(b"abc", &mut buf).unwrap();
        // RFC 1950: CMF 0x78 (deflate, 32 KiB window); (CMF*256 + FLG) % 31 == 0.
        assert_eq!(buf[0], 0x78);
        assert_eq!((u16::from(buf[0]) * 256 + u16::from(buf[1])) % 31, 0);
        let mut buf = BytesMut::new();
        Encoding::Gzip.compress(b"abc", &mut buf).unwrap();
        assert_eq!(&buf[..2], &[0x1f, 0x8b]);
    }

    #[test]
    #[cfg(feature = "gzip")]
    fn decompression_stops_at_the_limit() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        for encoding in [Encoding::Gzip, Encoding::Deflate] {
            let mut bomb = BytesMut::new();
            encoding.compress(&zeros, &mut bomb).unwrap();
            assert!(bomb.len() < 64 * 1024, "{encoding}: {}", bomb.len());
            assert_eq!(
                encoding.decompress(&bomb, 1024 * 1024),
                Err(CompressionError::TooLarge { limit: 1024 * 1024 })
            );
            // Exactly at the limit is fine.
            let out = encoding.decompress(&bomb, zeros.len()).unwrap();
            assert_eq!(out.len(), zeros.len());
            assert!(out.capacity() <= zeros.len());
        }
    }

    #[test]
    #[cfg(feature = "gzip")]
    fn corrupt_and_trailing_bytes_are_refused() {
        for encoding in [Encoding::Gzip, Encoding::Deflate] {
            let mut buf = BytesMut::new();
            encoding.compress(b"some message bytes", &mut buf).unwrap();
            let mut truncated = buf.clone();
            truncated.truncate(buf.len() - 3);
            let mut trailing = buf.clone();
            trailing.extend_from_slice(b"junk");
            let mut flipped = buf.clone();
            let last = flipped.len() - 1;
            flipped[last] ^= 0xff; // checksum / ISIZE byte
            for bad in [&b""[..], b"not compressed", &truncated, &trailing, &flipped] {
                let result = encoding.decompress(bad, 1 << 20);
                assert!(
                    matches!(result, Err(CompressionError::Corrupt { .. })),
                    "{encoding} {bad:?}: {result:?}"
                );
            }
        }
    }

    #[test]
    fn identity_copies_within_the_limit() {
        let mut buf = BytesMut::new();
        Encoding::Identity.compress(b"abc", &mut buf).unwrap();
        assert_eq!(&buf[..], b"abc");
        assert_eq!(
            Encoding::Identity.decompress(b"abc", 3),
            Ok(b"abc".to_vec())
        );
        assert_eq!(
            Encoding::Identity.decompress(b"abcd", 3),
            Err(CompressionError::TooLarge { limit: 3 })
        );
    }

    #[test]
    #[cfg(not(feature = "gzip"))]
    fn without_the_gzip_feature_only_identity_is_spoken() {
        assert_eq!(ACCEPT_ENCODING, "identity");
        assert_eq!(Encoding::ALL, [Encoding::Identity]);
        assert_eq!(Encoding::from_header(b"identity"), Some(Encoding::Identity));
        // Refused as any encoding we do not support (e.g. snappy).
        assert_eq!(Encoding::from_header(b"gzip"), None);
        assert_eq!(Encoding::from_header(b"deflate"), None);
        assert_eq!(
            negotiate(None, Encoding::Identity, Some(b"gzip,deflate,identity")),
            Encoding::Identity
        );
    }
}
