//! The checks behind the fuzz targets, one function per target, shared by
//! the cargo-fuzz targets (`fuzz_targets/*.rs`, each a one-line call) and by
//! the stable replay of the corpus and the regressions
//! (`tests/fuzz_regressions.rs` includes this file as a module). A check
//! panics when a property fails; anything it only reads must never panic.
//!
//! Targets: [`frames`], [`messages`], [`timeout`], [`metadata`],
//! [`percent`], [`server`]; [`TARGETS`] names them for the replay.

use std::fmt::Debug;
use std::time::Duration;

use bytes::Bytes;
use h2grpc::__private::framing::{FrameDecoder, FrameError, PREFIX_LEN};
use h2grpc::__private::message_codec::MessageDecoder;
use h2grpc::codec::compression::Encoding;
use h2grpc::fuzzing::{parse_timeout, GrpcHeaders};
use h2grpc::metadata::{MetadataKey, MetadataMap};
use h2grpc::status::{decode_message, encode_message};
use h2grpc::transport::Deadline;
use h2grpc::{Message, Status};
use http::{HeaderMap, HeaderName, HeaderValue};

/// A target's check: panics when a property fails.
pub type Check = fn(&[u8]);

/// Every target, by the name of its directory in `fuzz/corpus/` and
/// `fuzz/regressions/`, with its check.
pub const TARGETS: [(&str, Check); 6] = [
    ("frames", frames),
    ("messages", messages),
    ("timeout", timeout),
    ("metadata", metadata),
    ("percent", percent),
    ("server", server),
];

// ---------------------------------------------------------------- frames

/// The receive limits the frame target picks from (its first byte).
const FRAME_LIMITS: [usize; 4] = [0, 7, 1024, 4 * 1024 * 1024];

/// The gRPC frame decoder fed in chunks.
///
/// Input: byte 0 picks the limit (low 2 bits) and the encoding of
/// compressed frames (next 2 bits); byte 1 is `n`, the number of chunk
/// lengths that follow (at most 8); the `n` bytes after are the chunk
/// lengths, used in turn (0 means 1); the rest is the stream.
///
/// Properties: the frames and the error are those of a one-pass reference
/// parse of the whole stream, wherever the chunks split it; what stays
/// buffered at the end is what the reference left; a compressed frame
/// inflates within the limit or fails with an error, never a panic.
pub fn frames(data: &[u8]) {
    let [mode, n, rest @ ..] = data else { return };
    let n = usize::from(*n % 9).min(rest.len());
    let (lengths, stream) = rest.split_at(n);
    let limit = FRAME_LIMITS[usize::from(mode & 3)];
    let encoding = Encoding::ALL[usize::from(mode >> 2) % Encoding::ALL.len()];
    let (expected, expected_error, consumed) = reference_frames(stream, limit);

    let mut decoder = FrameDecoder::new(limit);
    let mut got = Vec::new();
    let mut error = None;
    let mut at = 0;
    let mut turn = 0;
    while at < stream.len() && error.is_none() {
        let len = lengths
            .get(turn % lengths.len().max(1))
            .map_or(stream.len(), |&l| usize::from(l.max(1)));
        turn += 1;
        let end = (at + len).min(stream.len());
        decoder.push(Bytes::copy_from_slice(&stream[at..end]));
        at = end;
        loop {
            match decoder.next_frame() {
                Ok(Some(frame)) => got.push((frame.compressed, frame.payload)),
                Ok(None) => break,
                Err(err) => {
                    error = Some(err);
                    break;
                }
            }
        }
    }
    let got_frames: Vec<(bool, &[u8])> = got.iter().map(|(c, p)| (*c, &p[..])).collect();
    assert_eq!(got_frames, expected, "frames differ from the reference");
    assert_eq!(error, expected_error, "errors differ from the reference");
    if error.is_none() {
        // A frame whose body is awaited has had its prefix read already.
        let left = stream.len() - consumed;
        let prefix_read = if left >= PREFIX_LEN { PREFIX_LEN } else { 0 };
        assert_eq!(decoder.buffered_len(), left - prefix_read);
        assert_eq!(decoder.has_partial(), consumed < stream.len());
    }

    let inflater = MessageDecoder::new(encoding, limit);
    for (compressed, payload) in got.iter().filter(|(compressed, _)| *compressed) {
        debug_assert!(compressed);
        if let Ok(inflated) = inflater.inflate(payload) {
            assert!(inflated.len() <= limit, "inflated past the limit");
        }
    }
}

/// The frames of `stream` read in one pass, the error that ends them, and
/// how many bytes the whole frames (and the failing prefix) used.
#[allow(clippy::type_complexity)]
fn reference_frames(
    stream: &[u8],
    limit: usize,
) -> (Vec<(bool, &[u8])>, Option<FrameError>, usize) {
    let mut frames = Vec::new();
    let mut at = 0;
    while stream.len() - at >= PREFIX_LEN {
        let prefix = &stream[at..at + PREFIX_LEN];
        let compressed = match prefix[0] {
            0 => false,
            1 => true,
            flag => return (frames, Some(FrameError::InvalidCompressedFlag { flag }), at),
        };
        let len = u32::from_be_bytes([prefix[1], prefix[2], prefix[3], prefix[4]]) as usize;
        if len > limit {
            let err = FrameError::TooLarge {
                len: len as u64,
                limit,
            };
            return (frames, Some(err), at);
        }
        if stream.len() - at - PREFIX_LEN < len {
            break;
        }
        frames.push((compressed, &stream[at + PREFIX_LEN..at + PREFIX_LEN + len]));
        at += PREFIX_LEN + len;
    }
    (frames, None, at)
}

// -------------------------------------------------------------- messages

h2grpc::enumeration! {
    package "fuzz";
    /// An enum for [`Everything`].
    pub enum Kind { ZERO = 0, ONE = 1, MANY = 2 }
}

h2grpc::message! {
    package "fuzz";
    /// A message nested in [`Everything`].
    pub struct Inner {
        id: int32 = 1,
        name: string = 2,
        children: repeated message Inner = 3,
    }
    /// A message with a field of every kind `message!` offers.
    pub struct Everything {
        f_int32: int32 = 1,
        f_int64: int64 = 2,
        f_uint32: uint32 = 3,
        f_uint64: uint64 = 4,
        f_sint32: sint32 = 5,
        f_sint64: sint64 = 6,
        f_fixed32: fixed32 = 7,
        f_fixed64: fixed64 = 8,
        f_sfixed32: sfixed32 = 9,
        f_sfixed64: sfixed64 = 10,
        f_float: float = 11,
        f_double: double = 12,
        f_bool: bool = 13,
        f_string: string = 14,
        f_bytes: bytes = 15,
        f_enum: enum Kind = 16,
        f_message: message Inner = 17,
        r_int32: repeated int32 = 18,
        r_sint64: repeated sint64 = 19,
        r_fixed32: repeated fixed32 = 20,
        r_double: repeated double = 21,
        r_bool: repeated bool = 22,
        r_string: repeated string = 23,
        r_bytes: repeated bytes = 24,
        r_enum: repeated enum Kind = 25,
        r_message: repeated message Inner = 26,
        m_string: map<string, string> = 27,
        m_int: map<int64, sint32> = 28,
        m_message: map<uint32, message Inner> = 29,
        m_enum: map<bool, enum Kind> = 30,
        o_int32: optional int32 = 31,
        o_string: optional string = 32,
        o_enum: optional enum Kind = 33,
        o_double: optional double = 34,
        oneof choice: Choice { c_text: string = 35, c_flag: bool = 36, c_inner: message Inner = 37, c_num: fixed64 = 38 },
        r_uint64: repeated uint64 = 39,
        r_float: repeated float = 40,
        r_sfixed64: repeated sfixed64 = 41,
    }
}

/// Every message type the messages target decodes, picked by the input's
/// first byte: the demo services' messages, the services a server offers
/// about itself, the rich status model, and [`Everything`].
const MESSAGES: &[fn(Bytes)] = {
    use h2grpc::rich_status as rich;
    use h2grpc::services::{
        contact, digestor, greeter, health, interop, multi_greeter, reflection, route_guide,
    };
    &[
        round_trip::<Everything>,
        round_trip::<Inner>,
        round_trip::<greeter::HelloRequest>,
        round_trip::<greeter::HelloReply>,
        round_trip::<multi_greeter::HelloRequest>,
        round_trip::<multi_greeter::HelloReply>,
        round_trip::<route_guide::Point>,
        round_trip::<route_guide::Rectangle>,
        round_trip::<route_guide::Feature>,
        round_trip::<route_guide::RouteNote>,
        round_trip::<route_guide::RouteSummary>,
        round_trip::<digestor::DigestMessage>,
        round_trip::<digestor::DigestedMessage>,
        round_trip::<contact::ClientMsg>,
        round_trip::<contact::ServerMsg>,
        round_trip::<contact::Empty>,
        round_trip::<contact::Result>,
        round_trip::<interop::SimpleRequest>,
        round_trip::<interop::SimpleResponse>,
        round_trip::<interop::StreamingInputCallRequest>,
        round_trip::<interop::StreamingInputCallResponse>,
        round_trip::<interop::StreamingOutputCallRequest>,
        round_trip::<interop::StreamingOutputCallResponse>,
        round_trip::<interop::ResponseParameters>,
        round_trip::<interop::Payload>,
        round_trip::<interop::EchoStatus>,
        round_trip::<interop::BoolValue>,
        round_trip::<interop::Empty>,
        round_trip::<health::HealthCheckRequest>,
        round_trip::<health::HealthCheckResponse>,
        round_trip::<health::HealthListResponse>,
        round_trip::<reflection::v1::ServerReflectionRequest>,
        round_trip::<reflection::v1::ServerReflectionResponse>,
        round_trip::<reflection::FileDescriptorProto>,
        round_trip::<reflection::DescriptorProto>,
        round_trip::<rich::RpcStatus>,
        round_trip::<rich::BadRequest>,
        round_trip::<rich::ErrorInfo>,
    ]
};

/// `Message::decode` of one message type. Input: byte 0 picks the type
/// (modulo the number of types), the rest is the encoded message.
///
/// Properties: decoding never panics; where it succeeds, the message
/// re-encodes in exactly `encoded_len` bytes, that encoding decodes to the
/// same message, and encoding that again gives the same bytes.
pub fn messages(data: &[u8]) {
    let [pick, encoded @ ..] = data else { return };
    let decode = MESSAGES[usize::from(*pick) % MESSAGES.len()];
    decode(Bytes::copy_from_slice(encoded));
}

/// Decodes `encoded` as an `M` and checks the round trip (see [`messages`]).
/// Messages are compared by their `Debug` text, where a NaN equals itself.
fn round_trip<M: Message + Debug>(encoded: Bytes) {
    let Ok(first) = M::decode(encoded) else {
        return;
    };
    let bytes = first.encode_to_bytes();
    assert_eq!(
        bytes.len(),
        first.encoded_len(),
        "encoded_len is not the encoding's length"
    );
    let second = M::decode(bytes.clone()).expect("a message's own encoding decodes");
    assert_eq!(
        format!("{second:?}"),
        format!("{first:?}"),
        "round trip changed the message"
    );
    assert_eq!(
        second.encode_to_bytes(),
        bytes,
        "re-encoding changed the bytes"
    );
}

// --------------------------------------------------------------- timeout

/// `grpc-timeout` parsing. Input: the header value.
///
/// Properties: the value is accepted exactly when PROTOCOL-HTTP2.md's
/// grammar accepts it (1 to 8 ASCII digits, then one of `HMSmun`), with the
/// duration it names; the public [`Deadline::from_grpc_timeout`] agrees;
/// the header a deadline writes back parses to a timeout no shorter.
pub fn timeout(data: &[u8]) {
    let parsed = parse_timeout(data).ok();
    assert_eq!(
        parsed,
        reference_timeout(data),
        "parse_timeout disagrees with the grammar"
    );
    let deadline = Deadline::from_grpc_timeout(data).ok();
    assert_eq!(deadline.map(|d| d.timeout()), parsed);
    if let Some(deadline) = deadline {
        let written = deadline.grpc_timeout();
        let back = parse_timeout(written.as_bytes()).expect("our own grpc-timeout parses");
        assert!(
            back >= deadline.timeout(),
            "written timeout {written:?} is shorter"
        );
    }
}

/// The grammar, read literally.
fn reference_timeout(value: &[u8]) -> Option<Duration> {
    let text = std::str::from_utf8(value).ok()?;
    let unit = text.chars().last()?;
    let digits = &text[..text.len() - unit.len_utf8()];
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        'H' => Duration::from_secs(n * 3600),
        'M' => Duration::from_secs(n * 60),
        'S' => Duration::from_secs(n),
        'm' => Duration::from_millis(n),
        'u' => Duration::from_micros(n),
        'n' => Duration::from_nanos(n),
        _ => return None,
    })
}

// -------------------------------------------------------------- metadata

/// Metadata as received. Input: lines (`\n`), each `name:value` (split at
/// the first `:`, so pseudo-header-like names cannot be made); names and
/// values HTTP cannot carry are skipped, as h2 would refuse them.
///
/// Properties: a [`MetadataMap`] built from the headers holds only valid
/// entries (printable ASCII values; binary values that decode) and none of
/// the reserved ones, and survives a trip through headers unchanged; each
/// key parses as a [`MetadataKey`] of its kind; the request-head scan finds
/// the first value of each header it reads and flags a `-bin` value exactly
/// when it does not decode; reading a status from the headers never fails.
pub fn metadata(data: &[u8]) {
    let mut headers = HeaderMap::new();
    for line in data.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(&line[..colon]),
            HeaderValue::from_bytes(&line[colon + 1..]),
        ) else {
            continue;
        };
        headers.append(name, value);
    }

    let map = MetadataMap::from_headers_ref(&headers);
    for (name, value) in map.as_headers() {
        let key = name.as_str();
        assert!(!key.starts_with("grpc-"), "reserved key {key} kept");
        if key.ends_with("-bin") {
            assert!(
                key.parse::<MetadataKey<h2grpc::metadata::Binary>>().is_ok(),
                "{key}"
            );
            assert!(
                map.get_bin(key).is_some(),
                "{key}: binary value that does not decode"
            );
        } else {
            assert!(
                key.parse::<MetadataKey<h2grpc::metadata::Ascii>>().is_ok(),
                "{key}"
            );
            let bytes = value.as_bytes();
            assert!(
                bytes.iter().all(|b| (0x20..=0x7e).contains(b)),
                "{key}: {value:?}"
            );
            assert!(map.get(key).is_some(), "{key}");
        }
    }
    let again = MetadataMap::from_headers(map.clone().into_headers());
    assert_eq!(again, map, "metadata changed through headers");
    // Every value is iterated; a binary one joined with ',' once per part.
    let values: usize = map
        .as_headers()
        .iter()
        .map(|(name, value)| match name.as_str().ends_with("-bin") {
            true => value.as_bytes().split(|&b| b == b',').count(),
            false => 1,
        })
        .sum();
    assert_eq!(map.iter().count(), values, "an entry was lost in iteration");

    let scan = GrpcHeaders::scan(&headers);
    assert_eq!(scan.content_type, headers.get(http::header::CONTENT_TYPE));
    assert_eq!(scan.timeout, headers.get("grpc-timeout"));
    assert_eq!(scan.encoding, headers.get("grpc-encoding"));
    assert_eq!(scan.accept_encoding, headers.get("grpc-accept-encoding"));
    let malformed = headers.iter().find(|(name, value)| {
        name.as_str().ends_with("-bin")
            && value
                .as_bytes()
                .split(|&b| b == b',')
                .any(|part| !is_base64(part.trim_ascii()))
    });
    assert_eq!(scan.malformed_binary, malformed.map(|(name, _)| name));

    if let Some(status) = Status::from_header_map(&headers) {
        let mut written = HeaderMap::new();
        status.write_to(&mut written);
        let back = Status::from_header_map(&written).expect("a written status reads back");
        assert_eq!(back.code(), status.code());
        assert_eq!(back.message(), status.message());
        assert_eq!(back.details(), status.details());
    }
}

/// Base64 as gRPC reads a binary value: standard alphabet, padded, partly
/// padded or not, bits past the last whole byte ignored (a reference
/// independent of the library's decoder).
fn is_base64(part: &[u8]) -> bool {
    let data = part
        .strip_suffix(b"==")
        .or_else(|| part.strip_suffix(b"="))
        .unwrap_or(part);
    let pads = part.len() - data.len();
    let alphabet = |b: &u8| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/';
    data.iter().all(alphabet)
        && match data.len() % 4 {
            0 => pads == 0,
            1 => false,
            2 => true,
            _ => pads <= 1,
        }
}

// --------------------------------------------------------------- percent

/// `grpc-message` percent-decoding. Input: a received `grpc-message`.
///
/// Properties: decoding never fails; what it decodes to, encoded again, is
/// a valid header value (printable ASCII, no blank at either end) that
/// decodes back to the same text; so does the input read as text.
pub fn percent(data: &[u8]) {
    let decoded = decode_message(data);
    check_encoding_round_trip(&decoded);
    check_encoding_round_trip(&String::from_utf8_lossy(data));
}

fn check_encoding_round_trip(text: &str) {
    let encoded = encode_message(text);
    let value = HeaderValue::from_str(&encoded).expect("an encoded message is a header value");
    let bytes = value.as_bytes();
    assert!(
        bytes.iter().all(|b| (0x20..=0x7e).contains(b)),
        "{encoded:?}"
    );
    assert!(
        !bytes.starts_with(b" ") && !bytes.ends_with(b" "),
        "{encoded:?}"
    );
    assert_eq!(
        decode_message(bytes),
        text,
        "decode(encode(text)) is not text"
    );
}

// ---------------------------------------------------------------- server

/// The HTTP/2 client connection preface (RFC 9113 §3.4), which the server
/// target puts before its input.
pub const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// How long, in the runtime's paused clock, the server target lets one
/// input run: first with the client's side open, then after it closes.
pub const SERVER_TIME: Duration = Duration::from_millis(500);

/// A whole server with every demo service, health and `grpc.testing`, fed the
/// input as the client's bytes of one connection (after [`PREFACE`],
/// unless the input starts with it), over an in-memory duplex, on a
/// current-thread runtime whose clock is paused (so an idle connection
/// costs no real time).
///
/// Properties: no panic, and the server ends the connection once the
/// client has closed its side: the client writes for at most
/// [`SERVER_TIME`], waits [`SERVER_TIME`], closes, and the whole exchange
/// must be over within three times [`SERVER_TIME`] of runtime time (the
/// harness's own timeout, 5 s of real time, catches a busy loop).
pub fn server(data: &[u8]) {
    server_output(data);
}

/// The server target's run: returns every byte the server wrote back.
pub fn server_output(data: &[u8]) -> Vec<u8> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
    let input = if data.starts_with(PREFACE) {
        data.to_vec()
    } else {
        [PREFACE, data].concat()
    };
    runtime.block_on(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut client, server_io) = tokio::io::duplex(64 * 1024);
        let incoming = futures_util::stream::iter([Ok::<_, std::io::Error>((server_io, None))])
            .chain(futures_util::stream::pending());
        // Reflection is left out: building its descriptor pool for every
        // input took three quarters of this target's time (its request
        // message is in the messages target).
        let server = demo_server()
            .health()
            .add_service(h2grpc::services::interop::service())
            .serve_with_incoming(incoming, std::future::pending());
        tokio::spawn(server);

        let (mut reader, mut writer) = tokio::io::split(&mut client);
        let mut output = Vec::new();
        let drain = async {
            let mut buf = vec![0; 16 * 1024];
            loop {
                match reader.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => output.extend_from_slice(&buf[..n]),
                }
            }
        };
        let talk = async {
            // The server may stop reading (it refused the preface): give up
            // on the rest rather than wait.
            let _ = tokio::time::timeout(SERVER_TIME, writer.write_all(&input)).await;
            tokio::time::sleep(SERVER_TIME).await;
            let _ = writer.shutdown().await;
        };
        let ended = tokio::time::timeout(3 * SERVER_TIME, async {
            tokio::join!(drain, talk);
        })
        .await;
        assert!(
            ended.is_ok(),
            "the server kept the connection open after the client closed"
        );
        output
    })
}

use futures_util::StreamExt as _;

/// [`h2grpc::services::demo_server`], with the tutorial's feature database
/// parsed once per process rather than once per input.
fn demo_server() -> h2grpc::Server {
    use h2grpc::services::{contact::TaskQueue, route_guide::FeatureDb};
    static FEATURES: std::sync::OnceLock<FeatureDb> = std::sync::OnceLock::new();
    let features = FEATURES.get_or_init(FeatureDb::tutorial).clone();
    h2grpc::services::demo_server_with(features, TaskQueue::new())
}
