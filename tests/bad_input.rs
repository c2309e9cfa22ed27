//! Bad requests against an h2grpc server serving `helloworld.Greeter` (the
//! test-local one of `harness::greeter`, so these run in the lean build too),
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

mod harness;
mod support;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use h2::client::SendRequest;
use http::{HeaderMap, Method, Request};
use tokio::net::TcpStream;

use harness::TestServer;
use support::{greeter, TEST_TIMEOUT};

/// How long one call may take to be answered. A server that waits for a body
/// the client never sends fails here instead of hanging.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);

const OK: &str = "0";
const RESOURCE_EXHAUSTED: &str = "8";
const UNIMPLEMENTED: &str = "12";
const INTERNAL: &str = "13";

const SAY_HELLO: &str = "/helloworld.Greeter/SayHello";

// ---- bytes on the wire -----------------------------------------------------

/// A gRPC length-prefixed message: compressed flag, 4-byte big-endian length, bytes.
fn frame(compressed: bool, message: &[u8]) -> Vec<u8> {
    let mut out = vec![u8::from(compressed)];
    out.extend_from_slice(&(message.len() as u32).to_be_bytes());
    out.extend_from_slice(message);
    out
}

/// Field 1 (`name` / `message`), wire type 2, of a string shorter than 128 bytes.
fn string_field_1(value: &[u8]) -> Vec<u8> {
    assert!(value.len() < 128, "one-byte length varint only");
    let mut out = vec![0x0a, value.len() as u8];
    out.extend_from_slice(value);
    out
}

fn hello_request(name: &str) -> Vec<u8> {
    frame(false, &string_field_1(name.as_bytes()))
}

fn hello_reply(message: &str) -> Vec<u8> {
    frame(false, &string_field_1(message.as_bytes()))
}

// ---- a raw HTTP/2 client ---------------------------------------------------

/// What came back for one stream.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: HeaderMap,
    /// The response HEADERS frame carried END_STREAM: nothing followed it.
    trailers_only: bool,
    data: Vec<u8>,
    trailers: Option<HeaderMap>,
    /// The stream ended with an error (e.g. RST_STREAM) while reading the body.
    body_error: Option<String>,
}

impl Answer {
    /// grpc-status, from the trailers or (trailers-only) from the headers.
    fn grpc_status(&self) -> Option<&str> {
        let map = if self.trailers_only {
            &self.headers
        } else {
            self.trailers.as_ref()?
        };
        map.get("grpc-status")?.to_str().ok()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

struct Conn {
    client: SendRequest<Bytes>,
    addr: SocketAddr,
}

impl Conn {
    async fn open(addr: SocketAddr) -> Conn {
        let tcp = TcpStream::connect(addr).await.expect("connect");
        let (client, connection) = h2::client::handshake(tcp).await.expect("h2 handshake");
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                eprintln!("h2 connection ended: {e}");
            }
        });
        Conn { client, addr }
    }

    /// Sends one request: `method path` with `headers`, `body` as one DATA
    /// frame, END_STREAM after it if `end`. Waits (up to [`ANSWER_TIMEOUT`]) for
    /// the whole answer; the request side stays open until then when `!end`.
    async fn call(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        end: bool,
    ) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("http://{}{path}", self.addr));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(()).expect("request head");
        let mut client = self.client.clone().ready().await.expect("connection ready");
        let no_body = body.is_empty() && end;
        let (response, mut send) = client.send_request(request, no_body).expect("send head");
        if !no_body {
            send.send_data(Bytes::copy_from_slice(body), end)
                .expect("send body");
        }
        let answer = tokio::time::timeout(ANSWER_TIMEOUT, read_answer(response))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "{path}: no complete answer within {ANSWER_TIMEOUT:?} (request end_stream: {end})"
                )
            });
        drop(send);
        answer
    }

    /// A gRPC request head (POST, `content-type: application/grpc`, `te: trailers`).
    async fn grpc(&mut self, path: &str, body: &[u8], end: bool) -> Answer {
        self.call(Method::POST, path, &grpc_headers(), body, end)
            .await
    }

    /// The good call: SayHello("world") must answer exactly, grpc-status 0.
    async fn assert_say_hello_works(&mut self, after: &str) {
        let answer = self.grpc(SAY_HELLO, &hello_request("world"), true).await;
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
            hello_reply(&greeter::hello("world")),
            "SayHello after {after}: reply bytes: {answer:?}"
        );
        assert_eq!(
            answer.grpc_status(),
            Some(OK),
            "SayHello after {after}: {answer:?}"
        );
    }
}

fn grpc_headers() -> Vec<(&'static str, &'static str)> {
    vec![("content-type", "application/grpc"), ("te", "trailers")]
}

async fn read_answer(response: h2::client::ResponseFuture) -> Answer {
    let response = response.await.expect("response head");
    let (head, mut body) = response.into_parts();
    let trailers_only = body.is_end_stream();
    let mut data = Vec::new();
    let mut body_error = None;
    while let Some(chunk) = body.data().await {
        match chunk {
            Ok(chunk) => {
                let _ = body.flow_control().release_capacity(chunk.len());
                data.extend_from_slice(&chunk);
            }
            Err(e) => {
                body_error = Some(e.to_string());
                break;
            }
        }
    }
    let trailers = if body_error.is_none() {
        match body.trailers().await {
            Ok(trailers) => trailers,
            Err(e) => {
                body_error = Some(e.to_string());
                None
            }
        }
    } else {
        None
    };
    Answer {
        status: head.status.as_u16(),
        headers: head.headers,
        trailers_only,
        data,
        trailers,
        body_error,
    }
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
    method: Method,
    path: &'static str,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
    /// Send END_STREAM after the body. False: the server must answer from
    /// what it has, without waiting for more.
    end: bool,
    expect: Expect,
}

enum Expect {
    /// A plain HTTP status (no gRPC call happened).
    Http(u16),
    /// A trailers-only gRPC error.
    Grpc(&'static str),
}

fn grpc_case(name: &'static str, path: &'static str, body: Vec<u8>, expect: &'static str) -> Case {
    Case {
        name,
        method: Method::POST,
        path,
        headers: grpc_headers(),
        body,
        end: true,
        expect: Expect::Grpc(expect),
    }
}

fn case_get_is_405() -> Case {
    Case {
        name: "GET",
        method: Method::GET,
        path: SAY_HELLO,
        headers: grpc_headers(),
        body: vec![],
        end: true,
        expect: Expect::Http(405),
    }
}

fn case_text_plain_is_415() -> Case {
    Case {
        name: "content-type: text/plain",
        method: Method::POST,
        path: SAY_HELLO,
        headers: vec![("content-type", "text/plain"), ("te", "trailers")],
        body: hello_request("world"),
        end: true,
        expect: Expect::Http(415),
    }
}

fn case_grpcx_is_415() -> Case {
    Case {
        name: "content-type: application/grpcx",
        method: Method::POST,
        path: SAY_HELLO,
        // PROTOCOL-HTTP2.md: "application/grpc" [("+proto" / "+json" /
        // {custom})]: a longer subtype is another media type.
        headers: vec![("content-type", "application/grpcx"), ("te", "trailers")],
        body: hello_request("world"),
        end: true,
        expect: Expect::Http(415),
    }
}

fn case_missing_content_type_is_415() -> Case {
    Case {
        name: "no content-type",
        method: Method::POST,
        path: SAY_HELLO,
        headers: vec![("te", "trailers")],
        body: hello_request("world"),
        end: true,
        expect: Expect::Http(415),
    }
}

fn case_prefix_announcing_4_gib_is_resource_exhausted() -> Case {
    Case {
        name: "a prefix announcing 4 GiB, body never sent",
        end: false,
        ..grpc_case(
            "",
            SAY_HELLO,
            vec![0x00, 0xFF, 0xFF, 0xFF, 0xFF],
            RESOURCE_EXHAUSTED,
        )
    }
}

fn case_prefix_just_over_4_mib_is_resource_exhausted() -> Case {
    let mut body = vec![0x00];
    body.extend_from_slice(&(4 * 1024 * 1024 + 1u32).to_be_bytes());
    Case {
        name: "a prefix announcing 4 MiB + 1, body never sent",
        end: false,
        ..grpc_case("", SAY_HELLO, body, RESOURCE_EXHAUSTED)
    }
}

fn case_invalid_protobuf_is_internal() -> Case {
    // Field 1, length-delimited, then a length varint that never ends.
    grpc_case(
        "invalid protobuf",
        SAY_HELLO,
        frame(false, &[0x0a, 0xff]),
        INTERNAL,
    )
}

fn case_invalid_utf8_name_is_internal() -> Case {
    let body = frame(false, &string_field_1(&[0xff, 0xfe]));
    grpc_case("invalid UTF-8 in name", SAY_HELLO, body, INTERNAL)
}

fn case_body_ending_mid_message_is_internal() -> Case {
    // The prefix announces the 7 bytes of HelloRequest{name:"world"}; 3 come.
    let mut body = hello_request("world");
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
    let body = frame(true, &string_field_1(b"world"));
    grpc_case(
        "compressed flag without grpc-encoding",
        SAY_HELLO,
        body,
        INTERNAL,
    )
}

fn case_two_messages_on_unary_is_unimplemented() -> Case {
    let mut body = hello_request("one");
    body.extend(hello_request("two"));
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
    let body = hello_request("world");
    grpc_case(
        "unknown method",
        "/helloworld.Greeter/Nope",
        body,
        UNIMPLEMENTED,
    )
}

fn case_unknown_service_is_unimplemented() -> Case {
    let body = hello_request("world");
    grpc_case(
        "unknown service",
        "/helloworld.Nope/SayHello",
        body,
        UNIMPLEMENTED,
    )
}

fn case_malformed_grpc_timeout_is_internal() -> Case {
    let mut case = grpc_case(
        "grpc-timeout with a unit that does not exist",
        SAY_HELLO,
        hello_request("world"),
        INTERNAL,
    );
    case.headers.push(("grpc-timeout", "5X"));
    case
}

fn case_overlong_grpc_timeout_is_internal() -> Case {
    let mut case = grpc_case(
        "grpc-timeout of nine digits",
        SAY_HELLO,
        hello_request("world"),
        INTERNAL,
    );
    // PROTOCOL-HTTP2.md: TimeoutValue is "positive integer as ASCII string
    // of at most 8 digits".
    case.headers.push(("grpc-timeout", "123456789m"));
    case
}

fn all_cases() -> Vec<Case> {
    vec![
        case_get_is_405(),
        case_text_plain_is_415(),
        case_grpcx_is_415(),
        case_missing_content_type_is_415(),
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

async fn check(conn: &mut Conn, case: &Case) {
    let answer = conn
        .call(
            case.method.clone(),
            case.path,
            &case.headers,
            &case.body,
            case.end,
        )
        .await;
    match case.expect {
        Expect::Http(status) => {
            assert_eq!(answer.status, status, "{}: {answer:?}", case.name);
        }
        Expect::Grpc(code) => assert_trailers_only_error(case.name, &answer, code),
    }
    conn.assert_say_hello_works(case.name).await;
}

/// Runs `test` under [`TEST_TIMEOUT`].
async fn bounded(test: impl Future<Output = ()>) {
    tokio::time::timeout(TEST_TIMEOUT, test)
        .await
        .expect("test ran past its time limit");
}

/// A server with `helloworld.Greeter`, on a loopback port of its own.
async fn serve() -> TestServer {
    TestServer::start(harness::greeter::server()).await
}

/// One server, one connection, one bad call, then the good call.
async fn check_alone(case: Case) {
    let server = serve().await;
    bounded(async {
        let mut conn = Conn::open(server.addr).await;
        check(&mut conn, &case).await;
    })
    .await;
}

#[tokio::test]
async fn good_say_hello_answers_exact_bytes() {
    let server = serve().await;
    bounded(async {
        let mut conn = Conn::open(server.addr).await;
        conn.assert_say_hello_works("nothing").await;
        // `application/grpc+proto` is the same call.
        let mut headers = grpc_headers();
        headers[0].1 = "application/grpc+proto";
        let answer = conn
            .call(
                Method::POST,
                SAY_HELLO,
                &headers,
                &hello_request("world"),
                true,
            )
            .await;
        assert_eq!(
            answer.data,
            hello_reply(&greeter::hello("world")),
            "{answer:?}"
        );
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
    bounded(async {
        let mut conn = Conn::open(server.addr).await;
        // RFC 9110 §8.3.1: "The type and subtype tokens are case-insensitive."
        for content_type in ["Application/GRPC", "APPLICATION/grpc+Proto"] {
            let mut headers = grpc_headers();
            headers[0].1 = content_type;
            let answer = conn
                .call(
                    Method::POST,
                    SAY_HELLO,
                    &headers,
                    &hello_request("world"),
                    true,
                )
                .await;
            assert_eq!(answer.status, 200, "{content_type}: {answer:?}");
            assert_eq!(
                answer.data,
                hello_reply(&greeter::hello("world")),
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

/// Every bad call in turn on one connection, a good call after each: no state
/// left behind by one stream leaks into the next.
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
    bounded(async {
        let mut conn = Conn::open(server.addr).await;
        let mut headers = grpc_headers();
        headers.push(("grpc-timeout", "200m"));
        let started = std::time::Instant::now();
        let answer = conn
            .call(
                Method::POST,
                "/helloworld.Greeter/SayHelloBidiStream",
                &headers,
                &hello_request("late"),
                false,
            )
            .await;
        let waited = started.elapsed();
        assert_eq!(answer.grpc_status(), Some("4"), "{answer:?}");
        assert!(
            waited >= Duration::from_millis(200) && waited < Duration::from_secs(3),
            "answered after {waited:?}"
        );
        // The reply to the one request went out before the deadline.
        assert_eq!(answer.data, hello_reply("Hello, late!"), "{answer:?}");
        conn.assert_say_hello_works("deadline").await;
    })
    .await;
}

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
    bounded(async {
        let mut conn = Conn::open(server.addr).await;
        for encoding in ["gzip", "deflate"] {
            let mut headers = grpc_headers();
            headers.push(("grpc-encoding", encoding));
            let body = frame(true, &string_field_1(b"world"));
            let answer = conn
                .call(Method::POST, SAY_HELLO, &headers, &body, true)
                .await;
            assert_trailers_only_error(encoding, &answer, UNIMPLEMENTED);
            assert_eq!(
                answer.header("grpc-accept-encoding"),
                Some("identity"),
                "{encoding}: {answer:?}"
            );
            conn.assert_say_hello_works(encoding).await;
        }
    })
    .await;
}

#[tokio::test]
async fn every_bad_call_in_turn_on_one_connection() {
    let server = serve().await;
    bounded(async {
        let mut conn = Conn::open(server.addr).await;
        for case in all_cases() {
            check(&mut conn, &case).await;
        }
    })
    .await;
}
