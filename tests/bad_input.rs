//! Bad requests against an h2grpc server serving `helloworld.Greeter` (the
//! test-local one of `support::greeter`, so these run in the lean build too),
//! sent by a raw HTTP/2 client (the `h2` crate straight over a `TcpStream`, no
//! gRPC library in between), with the answer asserted down to the status, the
//! frame that carried it and the bytes.
//!
//! After every bad call, a good `SayHello` on the SAME connection must still
//! answer `Hello, world!` with grpc-status 0: one bad stream never costs the
//! connection.
//!
//! The rules, from grpc/grpc `doc/PROTOCOL-HTTP2.md` and `doc/statuscodes.md`:
//! - wrong method: HTTP 405; content-type not `application/grpc*`: HTTP 415;
//!   a gRPC content-type naming a codec other than protobuf: INTERNAL; a
//!   `-bin` header whose value is not base64: INTERNAL, as grpc-go;
//! - a message over the receive limit (4 MiB): RESOURCE_EXHAUSTED, decided from
//!   the 5-byte prefix alone, without waiting for the body;
//! - a request that cannot be decoded (bad protobuf, bad UTF-8 in a `string`,
//!   a body ending mid-message, the compressed flag without an encoding): INTERNAL;
//! - "UNIMPLEMENTED ... Method not found at server", and "Request cardinality
//!   violation (method requires exactly one request but client sent some other
//!   number of requests)";
//! - a malformed `grpc-timeout` (bad unit, over 8 digits): INTERNAL, as
//!   grpc-go and C-core answer; a call past its deadline: DEADLINE_EXCEEDED
//!   from the server itself;
//! - "Trailers-Only is permitted for calls that produce an immediate error":
//!   one HEADERS frame with END_STREAM carrying grpc-status.

mod support;

use std::time::Duration;

use http::Method;

use support::wire::{field_1, hello, length_prefixed};
use support::{greeter, within_limit, Answer, RawClient, RawRequest, TestServer};

const OK: &str = "0";
const RESOURCE_EXHAUSTED: &str = "8";
const UNIMPLEMENTED: &str = "12";
const INTERNAL: &str = "13";

const SAY_HELLO: &str = "/helloworld.Greeter/SayHello";

/// The good call: SayHello("world") must answer exactly, grpc-status 0.
async fn assert_say_hello_works(conn: &mut RawClient, after: &str) {
    let answer = conn
        .call(&RawRequest::grpc(SAY_HELLO, hello("world")))
        .await;
    assert_eq!(answer.status, 200, "SayHello after {after}: {answer:?}");
    assert!(
        answer
            .header("content-type")
            .is_some_and(|ct| ct.starts_with("application/grpc")),
        "SayHello after {after}: content-type: {answer:?}"
    );
    assert!(!answer.trailers_only, "SayHello after {after}: {answer:?}");
    assert_eq!(
        answer.body_error, None,
        "SayHello after {after}: {answer:?}"
    );
    assert_eq!(
        answer.data,
        hello(&greeter::hello("world")),
        "SayHello after {after}: reply bytes: {answer:?}"
    );
    assert_eq!(
        answer.grpc_status(),
        Some(OK),
        "SayHello after {after}: {answer:?}"
    );
}

/// A gRPC error raised before any message: HTTP 200, one HEADERS frame with
/// END_STREAM carrying `grpc-status: code`, no DATA.
fn assert_trailers_only_error(what: &str, answer: &Answer, code: &str) {
    assert_eq!(answer.status, 200, "{what}: HTTP status: {answer:?}");
    assert_eq!(
        answer.grpc_status(),
        Some(code),
        "{what}: grpc-status: {answer:?}"
    );
    assert!(
        answer.trailers_only,
        "{what}: want trailers-only (HEADERS with END_STREAM and grpc-status): {answer:?}"
    );
    assert!(answer.data.is_empty(), "{what}: want no DATA: {answer:?}");
    assert!(
        answer
            .header("content-type")
            .is_some_and(|ct| ct.starts_with("application/grpc")),
        "{what}: content-type: {answer:?}"
    );
}

// ---- the cases ---------------------------------------------------------------

/// One bad call and what it must get.
struct Case {
    name: &'static str,
    /// With `end_stream: false` the server must answer from what it has,
    /// without waiting for more.
    request: RawRequest,
    expect: Expect,
}

enum Expect {
    /// A plain HTTP status (no gRPC call happened).
    Http(u16),
    /// A trailers-only gRPC error.
    Grpc(&'static str),
}

fn grpc_case(name: &'static str, path: &str, body: Vec<u8>, expect: &'static str) -> Case {
    Case {
        name,
        request: RawRequest::grpc(path, body),
        expect: Expect::Grpc(expect),
    }
}

fn case_get_is_405() -> Case {
    let mut request = RawRequest::grpc(SAY_HELLO, vec![]);
    request.method = Method::GET;
    Case {
        name: "GET",
        request,
        expect: Expect::Http(405),
    }
}

fn case_text_plain_is_415() -> Case {
    Case {
        name: "content-type: text/plain",
        request: RawRequest::grpc(SAY_HELLO, hello("world"))
            .replace_header("content-type", "text/plain"),
        expect: Expect::Http(415),
    }
}

fn case_grpcx_is_415() -> Case {
    Case {
        name: "content-type: application/grpcx",
        // PROTOCOL-HTTP2.md: "application/grpc" [("+proto" / "+json" /
        // {custom})]: a longer subtype is another media type.
        request: RawRequest::grpc(SAY_HELLO, hello("world"))
            .replace_header("content-type", "application/grpcx"),
        expect: Expect::Http(415),
    }
}

fn case_missing_content_type_is_415() -> Case {
    Case {
        name: "no content-type",
        request: RawRequest::grpc(SAY_HELLO, hello("world")).without_header("content-type"),
        expect: Expect::Http(415),
    }
}

fn case_json_codec_is_internal() -> Case {
    // "+json" is a gRPC content-type, but not a codec we speak: read as
    // protobuf its messages would be misread. grpc-go answers INTERNAL.
    Case {
        name: "content-type: application/grpc+json",
        request: RawRequest::grpc(SAY_HELLO, hello("world"))
            .replace_header("content-type", "application/grpc+json"),
        expect: Expect::Grpc(INTERNAL),
    }
}

fn case_malformed_binary_metadata_is_internal() -> Case {
    // A `-bin` value must be base64; grpc-go fails the call with INTERNAL
    // "malformed binary metadata" rather than run the handler without it.
    Case {
        name: "a -bin header that is not base64",
        request: RawRequest::grpc(SAY_HELLO, hello("world")).header("trace-bin", "not*base64!"),
        expect: Expect::Grpc(INTERNAL),
    }
}

fn case_prefix_announcing_4_gib_is_resource_exhausted() -> Case {
    let mut case = grpc_case(
        "a prefix announcing 4 GiB, body never sent",
        SAY_HELLO,
        vec![0x00, 0xFF, 0xFF, 0xFF, 0xFF],
        RESOURCE_EXHAUSTED,
    );
    case.request = case.request.open();
    case
}

fn case_prefix_just_over_4_mib_is_resource_exhausted() -> Case {
    let mut body = vec![0x00];
    body.extend_from_slice(&(4 * 1024 * 1024 + 1u32).to_be_bytes());
    let mut case = grpc_case(
        "a prefix announcing 4 MiB + 1, body never sent",
        SAY_HELLO,
        body,
        RESOURCE_EXHAUSTED,
    );
    case.request = case.request.open();
    case
}

fn case_invalid_protobuf_is_internal() -> Case {
    // Field 1, length-delimited, then a length varint that never ends.
    grpc_case(
        "invalid protobuf",
        SAY_HELLO,
        length_prefixed(false, &[0x0a, 0xff]),
        INTERNAL,
    )
}

fn case_invalid_utf8_name_is_internal() -> Case {
    let body = length_prefixed(false, &field_1(&[0xff, 0xfe]));
    grpc_case("invalid UTF-8 in name", SAY_HELLO, body, INTERNAL)
}

fn case_body_ending_mid_message_is_internal() -> Case {
    // The prefix announces the 7 bytes of HelloRequest{name:"world"}; 3 come.
    let mut body = hello("world");
    body.truncate(5 + 3);
    grpc_case("a body ending mid-message", SAY_HELLO, body, INTERNAL)
}

fn case_body_ending_mid_prefix_is_internal() -> Case {
    grpc_case(
        "a body ending mid-prefix",
        SAY_HELLO,
        vec![0x00, 0x00, 0x00],
        INTERNAL,
    )
}

fn case_compressed_flag_without_encoding_is_internal() -> Case {
    // PROTOCOL-HTTP2.md: the flag means "compressed using the mechanism declared
    // by the Message-Encoding header"; none was declared.
    let body = length_prefixed(true, &field_1(b"world"));
    grpc_case(
        "compressed flag without grpc-encoding",
        SAY_HELLO,
        body,
        INTERNAL,
    )
}

fn case_two_messages_on_unary_is_unimplemented() -> Case {
    let mut body = hello("one");
    body.extend(hello("two"));
    grpc_case(
        "two messages on a unary call",
        SAY_HELLO,
        body,
        UNIMPLEMENTED,
    )
}

fn case_no_message_on_unary_is_unimplemented() -> Case {
    grpc_case(
        "no message on a unary call",
        SAY_HELLO,
        vec![],
        UNIMPLEMENTED,
    )
}

fn case_unknown_method_is_unimplemented() -> Case {
    grpc_case(
        "unknown method",
        "/helloworld.Greeter/Nope",
        hello("world"),
        UNIMPLEMENTED,
    )
}

fn case_unknown_service_is_unimplemented() -> Case {
    grpc_case(
        "unknown service",
        "/helloworld.Nope/SayHello",
        hello("world"),
        UNIMPLEMENTED,
    )
}

fn case_malformed_grpc_timeout_is_internal() -> Case {
    let mut case = grpc_case(
        "grpc-timeout with a unit that does not exist",
        SAY_HELLO,
        hello("world"),
        INTERNAL,
    );
    case.request = case.request.header("grpc-timeout", "5X");
    case
}

fn case_overlong_grpc_timeout_is_internal() -> Case {
    let mut case = grpc_case(
        "grpc-timeout of nine digits",
        SAY_HELLO,
        hello("world"),
        INTERNAL,
    );
    // PROTOCOL-HTTP2.md: TimeoutValue is "positive integer as ASCII string
    // of at most 8 digits".
    case.request = case.request.header("grpc-timeout", "123456789m");
    case
}

fn all_cases() -> Vec<Case> {
    vec![
        case_get_is_405(),
        case_text_plain_is_415(),
        case_grpcx_is_415(),
        case_missing_content_type_is_415(),
        case_json_codec_is_internal(),
        case_malformed_binary_metadata_is_internal(),
        case_prefix_announcing_4_gib_is_resource_exhausted(),
        case_prefix_just_over_4_mib_is_resource_exhausted(),
        case_invalid_protobuf_is_internal(),
        case_invalid_utf8_name_is_internal(),
        case_body_ending_mid_message_is_internal(),
        case_body_ending_mid_prefix_is_internal(),
        case_compressed_flag_without_encoding_is_internal(),
        case_two_messages_on_unary_is_unimplemented(),
        case_no_message_on_unary_is_unimplemented(),
        case_unknown_method_is_unimplemented(),
        case_unknown_service_is_unimplemented(),
        case_malformed_grpc_timeout_is_internal(),
        case_overlong_grpc_timeout_is_internal(),
    ]
}

async fn check(conn: &mut RawClient, case: &Case) {
    let answer = conn.call(&case.request).await;
    match case.expect {
        Expect::Http(status) => {
            assert_eq!(answer.status, status, "{}: {answer:?}", case.name);
        }
        Expect::Grpc(code) => assert_trailers_only_error(case.name, &answer, code),
    }
    assert_say_hello_works(conn, case.name).await;
}

/// A server with `helloworld.Greeter`, on a loopback port of its own.
async fn serve() -> TestServer {
    TestServer::start(greeter::server()).await
}

/// One server, one connection, one bad call, then the good call.
async fn check_alone(case: Case) {
    let server = serve().await;
    within_limit(async {
        let mut conn = RawClient::connect(server.addr).await;
        check(&mut conn, &case).await;
    })
    .await;
}

#[tokio::test]
async fn good_say_hello_answers_exact_bytes() {
    let server = serve().await;
    within_limit(async {
        let mut conn = RawClient::connect(server.addr).await;
        assert_say_hello_works(&mut conn, "nothing").await;
        // `application/grpc+proto` is the same call.
        let request = RawRequest::grpc(SAY_HELLO, hello("world"))
            .replace_header("content-type", "application/grpc+proto");
        let answer = conn.call(&request).await;
        assert_eq!(answer.data, hello(&greeter::hello("world")), "{answer:?}");
        assert_eq!(answer.grpc_status(), Some(OK), "{answer:?}");
    })
    .await;
}

#[tokio::test]
async fn get_is_http_405() {
    check_alone(case_get_is_405()).await;
}

#[tokio::test]
async fn content_type_text_plain_is_http_415() {
    check_alone(case_text_plain_is_415()).await;
}

#[tokio::test]
async fn content_type_application_grpcx_is_http_415() {
    check_alone(case_grpcx_is_415()).await;
}

#[tokio::test]
async fn content_type_is_matched_case_insensitively() {
    let server = serve().await;
    within_limit(async {
        let mut conn = RawClient::connect(server.addr).await;
        // RFC 9110 §8.3.1: "The type and subtype tokens are case-insensitive."
        for content_type in ["Application/GRPC", "APPLICATION/grpc+Proto"] {
            let request = RawRequest::grpc(SAY_HELLO, hello("world"))
                .replace_header("content-type", content_type);
            let answer = conn.call(&request).await;
            assert_eq!(answer.status, 200, "{content_type}: {answer:?}");
            assert_eq!(
                answer.data,
                hello(&greeter::hello("world")),
                "{content_type}: {answer:?}"
            );
            assert_eq!(answer.grpc_status(), Some(OK), "{content_type}: {answer:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn missing_content_type_is_http_415() {
    check_alone(case_missing_content_type_is_415()).await;
}

#[tokio::test]
async fn prefix_announcing_4_gib_is_resource_exhausted_without_waiting_for_the_body() {
    check_alone(case_prefix_announcing_4_gib_is_resource_exhausted()).await;
}

#[tokio::test]
async fn prefix_just_over_4_mib_is_resource_exhausted_without_waiting_for_the_body() {
    check_alone(case_prefix_just_over_4_mib_is_resource_exhausted()).await;
}

#[tokio::test]
async fn invalid_protobuf_is_internal() {
    check_alone(case_invalid_protobuf_is_internal()).await;
}

#[tokio::test]
async fn invalid_utf8_in_name_is_internal() {
    check_alone(case_invalid_utf8_name_is_internal()).await;
}

#[tokio::test]
async fn body_ending_mid_message_is_internal() {
    check_alone(case_body_ending_mid_message_is_internal()).await;
}

#[tokio::test]
async fn body_ending_mid_prefix_is_internal() {
    check_alone(case_body_ending_mid_prefix_is_internal()).await;
}

#[tokio::test]
async fn compressed_flag_without_grpc_encoding_is_internal() {
    check_alone(case_compressed_flag_without_encoding_is_internal()).await;
}

#[tokio::test]
async fn second_message_on_unary_call_is_unimplemented() {
    check_alone(case_two_messages_on_unary_is_unimplemented()).await;
}

#[tokio::test]
async fn no_message_on_unary_call_is_unimplemented() {
    check_alone(case_no_message_on_unary_is_unimplemented()).await;
}

#[tokio::test]
async fn unknown_method_is_unimplemented_trailers_only() {
    check_alone(case_unknown_method_is_unimplemented()).await;
}

#[tokio::test]
async fn unknown_service_is_unimplemented_trailers_only() {
    check_alone(case_unknown_service_is_unimplemented()).await;
}

#[tokio::test]
async fn malformed_grpc_timeout_is_internal() {
    check_alone(case_malformed_grpc_timeout_is_internal()).await;
    check_alone(case_overlong_grpc_timeout_is_internal()).await;
}

#[tokio::test]
async fn the_server_ends_a_call_past_its_grpc_timeout_with_deadline_exceeded() {
    // A bidi call whose client never half-closes: only the server's own
    // deadline can end it (this raw client enforces none).
    let server = serve().await;
    within_limit(async {
        let mut conn = RawClient::connect(server.addr).await;
        let request = RawRequest::grpc("/helloworld.Greeter/SayHelloBidiStream", hello("late"))
            .header("grpc-timeout", "200m")
            .open();
        let started = std::time::Instant::now();
        let answer = conn.call(&request).await;
        let waited = started.elapsed();
        assert_eq!(answer.grpc_status(), Some("4"), "{answer:?}");
        assert!(
            waited >= Duration::from_millis(200) && waited < Duration::from_secs(3),
            "answered after {waited:?}"
        );
        // The reply to the one request went out before the deadline.
        assert_eq!(answer.data, hello("Hello, late!"), "{answer:?}");
        assert_say_hello_works(&mut conn, "deadline").await;
    })
    .await;
}

/// Every bad call in turn on one connection, a good call after each: no state
/// left behind by one stream leaks into the next.
/// Built without the `gzip` feature, the server speaks identity alone, and a
/// gzip or deflate request is refused as any encoding it does not support:
/// "If a client message is compressed by an algorithm that is not supported
/// by a server, the message will result in an UNIMPLEMENTED error status on
/// the server. The server will include a grpc-accept-encoding header to the
/// response which specifies the algorithms that the server accepts."
/// (grpc.io, Compression).
#[cfg(not(feature = "gzip"))]
#[tokio::test]
async fn without_the_gzip_feature_gzip_and_deflate_are_unimplemented_with_our_accept_list() {
    let server = serve().await;
    within_limit(async {
        let mut conn = RawClient::connect(server.addr).await;
        for encoding in ["gzip", "deflate"] {
            let body = length_prefixed(true, &field_1(b"world"));
            let request = RawRequest::grpc(SAY_HELLO, body).header("grpc-encoding", encoding);
            let answer = conn.call(&request).await;
            assert_trailers_only_error(encoding, &answer, UNIMPLEMENTED);
            assert_eq!(
                answer.header("grpc-accept-encoding"),
                Some("identity"),
                "{encoding}: {answer:?}"
            );
            assert_say_hello_works(&mut conn, encoding).await;
        }
    })
    .await;
}

#[tokio::test]
async fn every_bad_call_in_turn_on_one_connection() {
    let server = serve().await;
    within_limit(async {
        let mut conn = RawClient::connect(server.addr).await;
        for case in all_cases() {
            check(&mut conn, &case).await;
        }
    })
    .await;
}
