//! Message compression (grpc/grpc `doc/compression.md`, PROTOCOL-HTTP2.md
//! "Compressed-Flag", "Message-Encoding"), end to end over loopback TCP:
//!
//! - our client ↔ our server with gzip and with deflate on all four call
//!   types, per client and per call;
//! - the wire, seen by a raw `h2` client: the compressed flag and
//!   `grpc-encoding` of responses, `grpc-accept-encoding: gzip,deflate,identity`
//!   on every response head, UNIMPLEMENTED for an unsupported request
//!   encoding, INTERNAL for a compressed flag without an encoding or corrupt
//!   gzip, RESOURCE_EXHAUSTED for a gzip bomb, and the connection serving on
//!   after each;
//! - our client, seen by a raw `h2` server: the headers it sends, and what it
//!   makes of compressed, unsupported and oversized responses.
#![cfg(feature = "gzip")] // gzip and deflate come with the `gzip` feature.

mod harness;

use std::io::Read;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use h2::client::SendRequest;
use h2grpc::codec::compression::CompressionError;
use h2grpc::codec::compression::{Encoding, ACCEPT_ENCODING};
use h2grpc::rpc::{Client, Request, Response, Server, Service, Streaming};
use h2grpc::status::Code;
use h2grpc::transport::Channel;
use h2grpc::Status;
use harness::greeter::{self, HelloReply, HelloRequest};
use harness::{within_limit, TestServer};
use http::{HeaderMap, Method};
use tokio::net::{TcpListener, TcpStream};

const SAY_HELLO: &str = "/helloworld.Greeter/SayHello";
const STREAM_REPLY: &str = "/helloworld.Greeter/SayHelloStreamReply";
const BIDI: &str = "/helloworld.Greeter/SayHelloBidiStream";
const JOIN: &str = "/test.Joiner/Join";
const WHICH: &str = "/test.Joiner/Which";

/// How long one raw call may take to be answered.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

fn hello(name: &str) -> HelloRequest {
    HelloRequest {
        name: name.to_owned(),
    }
}

/// Test methods: a client-streaming one (the fourth call type) and a unary
/// one answering the encoding the server saw the request in.
fn joiner() -> Service {
    Service::new("test.Joiner")
        .client_streaming(
            "Join",
            |request: Request<Streaming<HelloRequest>>| async move {
                let encoding = request.compression().unwrap_or_default();
                let mut names = Vec::new();
                let mut requests = request.into_inner();
                while let Some(hello) = requests.message().await? {
                    names.push(hello.name);
                }
                Ok::<_, Status>(Response::new(HelloReply {
                    message: format!("{encoding}: {}", names.join(" and ")),
                }))
            },
        )
        .unary("Which", |request: Request<HelloRequest>| async move {
            let encoding = request.compression().unwrap_or_default();
            Ok(Response::new(HelloReply {
                message: encoding.to_string(),
            }))
        })
}

async fn start(server: Server) -> TestServer {
    TestServer::start(server.add_service(greeter::service()).add_service(joiner())).await
}

fn compress(encoding: Encoding, data: &[u8]) -> Vec<u8> {
    let mut buf = bytes::BytesMut::new();
    encoding.compress(data, &mut buf).expect("compress");
    buf.to_vec()
}

// ---- our client <-> our server ---------------------------------------------

async fn all_four_call_types(encoding: Encoding) {
    let server = start(Server::builder()).await;
    let client = Client::new(server.channel().await).send_compressed(encoding);

    let reply: Response<HelloReply> = client
        .unary(SAY_HELLO, hello("unary").into())
        .await
        .unwrap();
    assert_eq!(reply.into_inner().message, "Hello, unary!");
    let which: Response<HelloReply> = client.unary(WHICH, hello("x").into()).await.unwrap();
    assert_eq!(which.into_inner().message, encoding.as_str(), "server saw");

    let replies: Response<Streaming<HelloReply>> = client
        .server_streaming(STREAM_REPLY, hello("stream").into())
        .await
        .unwrap();
    let replies: Vec<_> = replies.into_inner().collect().await;
    assert_eq!(replies.len(), greeter::STREAM_REPLY_COUNT);
    for reply in replies {
        assert_eq!(reply.unwrap().message, "Hello, stream!");
    }

    let names = futures_util::stream::iter([hello("a"), hello("b"), hello("c")]);
    let joined: Response<HelloReply> = client
        .client_streaming(JOIN, Request::new(names))
        .await
        .unwrap();
    assert_eq!(
        joined.into_inner().message,
        format!("{encoding}: a and b and c")
    );

    // Large enough that compression matters, and the request side spans
    // several DATA frames.
    let big = "x".repeat(100_000);
    let names = futures_util::stream::iter([hello("one"), hello(&big), hello("three")]);
    let replies: Response<Streaming<HelloReply>> = client
        .bidi_streaming(BIDI, Request::new(names))
        .await
        .unwrap();
    let replies: Vec<String> = replies
        .into_inner()
        .map(|reply| reply.unwrap().message)
        .collect()
        .await;
    assert_eq!(
        replies,
        [
            "Hello, one!".to_owned(),
            format!("Hello, {big}!"),
            "Hello, three!".to_owned()
        ]
    );
}

#[tokio::test]
async fn gzip_on_all_four_call_types() {
    within_limit(all_four_call_types(Encoding::Gzip)).await;
}

#[tokio::test]
async fn deflate_on_all_four_call_types() {
    within_limit(all_four_call_types(Encoding::Deflate)).await;
}

#[tokio::test]
async fn per_call_compression_overrides_the_clients() {
    within_limit(async {
        let server = start(Server::builder().send_compressed(Encoding::Deflate)).await;
        let client = Client::new(server.channel().await).send_compressed(Encoding::Gzip);
        let mut request = Request::new(hello("x"));
        request.set_compression(Encoding::Deflate);
        let which: Response<HelloReply> = client.unary(WHICH, request).await.unwrap();
        assert_eq!(which.into_inner().message, "deflate");
        let mut request = Request::new(hello("x"));
        request.set_compression(Encoding::Identity);
        let which: Response<HelloReply> = client.unary(WHICH, request).await.unwrap();
        assert_eq!(which.into_inner().message, "identity");
        let which: Response<HelloReply> = client.unary(WHICH, hello("x").into()).await.unwrap();
        assert_eq!(which.into_inner().message, "gzip");
    })
    .await;
}

#[tokio::test]
async fn a_compressed_request_inflating_past_the_servers_limit_is_resource_exhausted() {
    within_limit(async {
        let server = start(Server::builder().max_receive_message_size(64 * 1024)).await;
        let client = Client::new(server.channel().await).send_compressed(Encoding::Gzip);
        // 1 MiB of one letter: a few KiB on the wire, far over 64 KiB inflated.
        let big = "y".repeat(1024 * 1024);
        let result: Result<Response<HelloReply>, Status> =
            client.unary(SAY_HELLO, hello(&big).into()).await;
        let status = result.unwrap_err();
        assert_eq!(status.code(), Code::ResourceExhausted, "{status}");
        // The channel still works.
        let reply: Response<HelloReply> =
            client.unary(SAY_HELLO, hello("ok").into()).await.unwrap();
        assert_eq!(reply.into_inner().message, "Hello, ok!");
    })
    .await;
}

#[test]
fn compression_errors_map_to_statuses() {
    let table = [
        (
            CompressionError::TooLarge { limit: 4 },
            Code::ResourceExhausted,
        ),
        (
            CompressionError::Corrupt {
                encoding: Encoding::Gzip,
                reason: "bad".into(),
            },
            Code::Internal,
        ),
        (
            CompressionError::Failed {
                encoding: Encoding::Deflate,
                reason: "bad".into(),
            },
            Code::Internal,
        ),
    ];
    for (err, code) in table {
        assert_eq!(Status::from_compression_error(&err).code(), code, "{err}");
    }
    assert_eq!(
        Status::unsupported_encoding(b"snappy", true).code(),
        Code::Unimplemented
    );
    assert_eq!(
        Status::unsupported_encoding(b"snappy", false).code(),
        Code::Internal
    );
}

// ---- a raw HTTP/2 client against our server ---------------------------------

/// A gRPC length-prefixed message.
fn frame(compressed: bool, message: &[u8]) -> Vec<u8> {
    let mut out = vec![u8::from(compressed)];
    out.extend_from_slice(&(message.len() as u32).to_be_bytes());
    out.extend_from_slice(message);
    out
}

/// A HelloRequest / HelloReply: field 1, a string shorter than 128 bytes.
fn string_field_1(value: &str) -> Vec<u8> {
    assert!(value.len() < 128);
    let mut out = vec![0x0a, value.len() as u8];
    out.extend_from_slice(value.as_bytes());
    out
}

#[derive(Debug)]
struct Answer {
    headers: HeaderMap,
    trailers_only: bool,
    data: Vec<u8>,
    trailers: Option<HeaderMap>,
}

impl Answer {
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

struct RawClient {
    client: SendRequest<Bytes>,
    addr: SocketAddr,
}

impl RawClient {
    async fn open(addr: SocketAddr) -> RawClient {
        let tcp = TcpStream::connect(addr).await.expect("connect");
        let (client, connection) = h2::client::handshake(tcp).await.expect("handshake");
        tokio::spawn(async move {
            let _ = connection.await;
        });
        RawClient { client, addr }
    }

    /// One gRPC call: `headers` added to the required ones, `body` as the
    /// whole request.
    async fn call(&mut self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        let mut request = http::Request::builder()
            .method(Method::POST)
            .uri(format!("http://{}{path}", self.addr))
            .header("content-type", "application/grpc")
            .header("te", "trailers");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(()).expect("request");
        let mut client = self.client.clone().ready().await.expect("ready");
        let (response, mut send) = client.send_request(request, false).expect("send head");
        // Send within the window: a bomb is bigger than the initial 64 KiB.
        let mut rest = Bytes::copy_from_slice(body);
        let answer = async move {
            while !rest.is_empty() {
                send.reserve_capacity(rest.len());
                let capacity = std::future::poll_fn(|cx| send.poll_capacity(cx))
                    .await
                    .expect("capacity")
                    .expect("capacity");
                let piece = rest.split_to(capacity.min(rest.len()));
                if send.send_data(piece, rest.is_empty()).is_err() {
                    break; // the server answered early and reset the stream
                }
            }
            read_answer(response).await
        };
        tokio::time::timeout(ANSWER_TIMEOUT, answer)
            .await
            .unwrap_or_else(|_| panic!("{path}: no answer within {ANSWER_TIMEOUT:?}"))
    }

    /// SayHello("world"), uncompressed, must still work on this connection.
    async fn assert_still_serves(&mut self, after: &str) {
        let body = frame(false, &string_field_1("world"));
        let answer = self.call(SAY_HELLO, &[], &body).await;
        assert_eq!(answer.grpc_status(), Some("0"), "after {after}: {answer:?}");
        assert_eq!(
            answer.data,
            frame(false, &string_field_1("Hello, world!")),
            "after {after}"
        );
    }
}

async fn read_answer(response: h2::client::ResponseFuture) -> Answer {
    let response = response.await.expect("response head");
    let (head, mut body) = response.into_parts();
    let trailers_only = body.is_end_stream();
    let mut data = Vec::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.expect("response body");
        let _ = body.flow_control().release_capacity(chunk.len());
        data.extend_from_slice(&chunk);
    }
    let trailers = body.trailers().await.expect("trailers");
    Answer {
        headers: head.headers,
        trailers_only,
        data,
        trailers,
    }
}

fn inflate(encoding: Encoding, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        Encoding::Gzip => flate2::read::GzDecoder::new(data)
            .read_to_end(&mut out)
            .expect("gunzip"),
        Encoding::Deflate => flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut out)
            .expect("zlib inflate"),
        Encoding::Identity => {
            out.extend_from_slice(data);
            0
        }
    };
    out
}

/// Splits a response body into (flag, payload) messages.
fn messages(mut data: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    while !data.is_empty() {
        let len = u32::from_be_bytes([data[1], data[2], data[3], data[4]]) as usize;
        out.push((data[0], data[5..5 + len].to_vec()));
        data = &data[5 + len..];
    }
    out
}

#[tokio::test]
async fn responses_are_compressed_in_the_requests_encoding_with_the_flag_set() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::open(server.addr).await;
        for encoding in [Encoding::Gzip, Encoding::Deflate] {
            let body = frame(true, &compress(encoding, &string_field_1("world")));
            let headers = [
                ("grpc-encoding", encoding.as_str()),
                ("grpc-accept-encoding", "gzip,deflate,identity"),
            ];
            let answer = conn.call(SAY_HELLO, &headers, &body).await;
            assert_eq!(answer.grpc_status(), Some("0"), "{encoding}: {answer:?}");
            assert_eq!(answer.header("grpc-encoding"), Some(encoding.as_str()));
            assert_eq!(answer.header("grpc-accept-encoding"), Some(ACCEPT_ENCODING));
            assert_eq!(answer.data[0], 1, "{encoding}: compressed flag");
            let sent = messages(&answer.data);
            assert_eq!(sent.len(), 1);
            assert_eq!(
                inflate(encoding, &sent[0].1),
                string_field_1("Hello, world!")
            );

            // Server streaming: every message flagged and compressed.
            let answer = conn.call(STREAM_REPLY, &headers, &body).await;
            assert_eq!(answer.grpc_status(), Some("0"), "{encoding}: {answer:?}");
            assert_eq!(answer.header("grpc-encoding"), Some(encoding.as_str()));
            let sent = messages(&answer.data);
            assert_eq!(sent.len(), greeter::STREAM_REPLY_COUNT);
            for (flag, payload) in sent {
                assert_eq!(flag, 1);
                assert_eq!(inflate(encoding, &payload), string_field_1("Hello, world!"));
            }
        }
    })
    .await;
}

#[tokio::test]
async fn responses_stay_uncompressed_when_the_client_does_not_accept_the_encoding() {
    within_limit(async {
        let server = start(Server::builder().send_compressed(Encoding::Gzip)).await;
        let mut conn = RawClient::open(server.addr).await;
        // gzip request, but no grpc-accept-encoding: identity answer.
        let body = frame(true, &compress(Encoding::Gzip, &string_field_1("world")));
        let answer = conn
            .call(SAY_HELLO, &[("grpc-encoding", "gzip")], &body)
            .await;
        assert_eq!(answer.grpc_status(), Some("0"), "{answer:?}");
        assert_eq!(answer.header("grpc-encoding"), None);
        assert_eq!(answer.data, frame(false, &string_field_1("Hello, world!")));
        // The client accepts only deflate: not gzip, the server's choice.
        let answer = conn
            .call(
                SAY_HELLO,
                &[
                    ("grpc-encoding", "gzip"),
                    ("grpc-accept-encoding", "deflate"),
                ],
                &body,
            )
            .await;
        assert_eq!(answer.header("grpc-encoding"), None, "{answer:?}");
        assert_eq!(answer.data[0], 0);
    })
    .await;
}

#[tokio::test]
async fn the_servers_send_compressed_applies_to_uncompressed_requests() {
    within_limit(async {
        let server = start(Server::builder().send_compressed(Encoding::Gzip)).await;
        let mut conn = RawClient::open(server.addr).await;
        let body = frame(false, &string_field_1("world"));
        let answer = conn
            .call(
                SAY_HELLO,
                &[("grpc-accept-encoding", "gzip,identity")],
                &body,
            )
            .await;
        assert_eq!(answer.grpc_status(), Some("0"), "{answer:?}");
        assert_eq!(answer.header("grpc-encoding"), Some("gzip"));
        assert_eq!(answer.data[0], 1);
        let sent = messages(&answer.data);
        assert_eq!(
            inflate(Encoding::Gzip, &sent[0].1),
            string_field_1("Hello, world!")
        );
    })
    .await;
}

#[tokio::test]
async fn every_response_head_carries_grpc_accept_encoding() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::open(server.addr).await;
        let body = frame(false, &string_field_1("world"));
        let answer = conn.call(SAY_HELLO, &[], &body).await;
        assert_eq!(answer.header("grpc-accept-encoding"), Some(ACCEPT_ENCODING));
        assert_eq!(answer.header("grpc-encoding"), None);
        // A trailers-only error too.
        let answer = conn.call("/no.Such/Method", &[], &body).await;
        assert!(answer.trailers_only, "{answer:?}");
        assert_eq!(answer.header("grpc-accept-encoding"), Some(ACCEPT_ENCODING));
    })
    .await;
}

#[tokio::test]
async fn unsupported_request_encoding_is_unimplemented_with_our_accept_list() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::open(server.addr).await;
        let body = frame(true, b"\x0a\x05world");
        let answer = conn
            .call(SAY_HELLO, &[("grpc-encoding", "snappy")], &body)
            .await;
        assert!(answer.trailers_only, "{answer:?}");
        assert_eq!(answer.grpc_status(), Some("12"), "{answer:?}");
        assert_eq!(
            answer.header("grpc-accept-encoding"),
            Some("gzip,deflate,identity")
        );
        assert!(answer.data.is_empty());
        conn.assert_still_serves("snappy").await;
    })
    .await;
}

#[tokio::test]
async fn compressed_flag_without_an_encoding_is_internal() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::open(server.addr).await;
        let body = frame(true, &compress(Encoding::Gzip, &string_field_1("world")));
        for headers in [&[][..], &[("grpc-encoding", "identity")][..]] {
            let answer = conn.call(SAY_HELLO, headers, &body).await;
            assert_eq!(answer.grpc_status(), Some("13"), "{headers:?}: {answer:?}");
            conn.assert_still_serves("compressed flag without encoding")
                .await;
        }
    })
    .await;
}

#[tokio::test]
async fn corrupt_gzip_and_deflate_are_internal() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::open(server.addr).await;
        for encoding in [Encoding::Gzip, Encoding::Deflate] {
            let mut good = compress(encoding, &string_field_1("world"));
            let last = good.len() - 1;
            good[last] ^= 0xff; // the checksum / length trailer
            for bad in [&b"definitely not compressed"[..], &good] {
                let answer = conn
                    .call(
                        SAY_HELLO,
                        &[("grpc-encoding", encoding.as_str())],
                        &frame(true, bad),
                    )
                    .await;
                assert_eq!(answer.grpc_status(), Some("13"), "{encoding}: {answer:?}");
                conn.assert_still_serves("corrupt data").await;
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_gzip_bomb_is_resource_exhausted_and_the_connection_serves_on() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::open(server.addr).await;
        // 64 MiB of zeros: ~64 KiB of gzip, well under the 4 MiB wire limit.
        let bomb = compress(Encoding::Gzip, &vec![0u8; 64 * 1024 * 1024]);
        assert!(bomb.len() < 128 * 1024, "bomb is {} bytes", bomb.len());
        let answer = conn
            .call(SAY_HELLO, &[("grpc-encoding", "gzip")], &frame(true, &bomb))
            .await;
        assert_eq!(answer.grpc_status(), Some("8"), "{answer:?}");
        conn.assert_still_serves("gzip bomb").await;
    })
    .await;
}

// ---- our client against a raw HTTP/2 server ---------------------------------

/// What the raw server answers: response headers, body, then `grpc-status: 0`.
struct Script {
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
}

/// Serves one call with `script` on a loopback port; returns the address
/// and a handle resolving to the request's headers.
async fn raw_server(script: Script) -> (SocketAddr, tokio::task::JoinHandle<HeaderMap>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.expect("accept");
        let mut connection = h2::server::handshake(tcp).await.expect("handshake");
        let (request, mut respond) = connection
            .accept()
            .await
            .expect("a request")
            .expect("request ok");
        tokio::spawn(async move { while connection.accept().await.is_some() {} });
        let (parts, mut body) = request.into_parts();
        while let Some(chunk) = body.data().await {
            let chunk = chunk.expect("request body");
            let _ = body.flow_control().release_capacity(chunk.len());
        }
        let mut response = http::Response::builder()
            .status(200)
            .header("content-type", "application/grpc");
        for (name, value) in &script.headers {
            response = response.header(*name, *value);
        }
        let mut send = respond
            .send_response(response.body(()).expect("response"), false)
            .expect("send response");
        let mut rest = Bytes::from(script.body);
        while !rest.is_empty() {
            send.reserve_capacity(rest.len());
            let Some(Ok(capacity)) = std::future::poll_fn(|cx| send.poll_capacity(cx)).await else {
                break;
            };
            let piece = rest.split_to(capacity.min(rest.len()));
            if send.send_data(piece, false).is_err() {
                break;
            }
        }
        let mut trailers = HeaderMap::new();
        trailers.insert("grpc-status", "0".parse().expect("value"));
        let _ = send.send_trailers(trailers);
        // Keep the connection up until the client has read everything.
        tokio::time::sleep(Duration::from_millis(200)).await;
        parts.headers
    });
    (addr, task)
}

async fn call_raw_server(
    script: Script,
    send: Encoding,
) -> (Result<Response<HelloReply>, Status>, HeaderMap) {
    let (addr, task) = raw_server(script).await;
    let channel = Channel::connect(&format!("http://{addr}"))
        .await
        .expect("connect");
    let client = Client::new(channel).send_compressed(send);
    let result = client.unary(SAY_HELLO, hello("world").into()).await;
    let headers = task.await.expect("raw server");
    (result, headers)
}

#[tokio::test]
async fn the_client_sends_its_encoding_and_accept_list_and_inflates_the_answer() {
    within_limit(async {
        for encoding in [Encoding::Gzip, Encoding::Deflate] {
            let reply = compress(encoding, &string_field_1("Hi there"));
            let script = Script {
                headers: vec![("grpc-encoding", encoding.as_str())],
                body: frame(true, &reply),
            };
            let (result, headers) = call_raw_server(script, encoding).await;
            assert_eq!(result.unwrap().into_inner().message, "Hi there");
            assert_eq!(
                headers.get("grpc-encoding").map(|v| v.as_bytes()),
                Some(encoding.as_str().as_bytes())
            );
            assert_eq!(
                headers.get("grpc-accept-encoding").map(|v| v.as_bytes()),
                Some(&b"gzip,deflate,identity"[..])
            );
        }
        // Identity requests send no grpc-encoding, but still the accept list.
        let script = Script {
            headers: vec![],
            body: frame(false, &string_field_1("plain")),
        };
        let (result, headers) = call_raw_server(script, Encoding::Identity).await;
        assert_eq!(result.unwrap().into_inner().message, "plain");
        assert!(headers.get("grpc-encoding").is_none());
        assert!(headers.get("grpc-accept-encoding").is_some());
    })
    .await;
}

#[tokio::test]
async fn the_client_refuses_bad_compressed_answers() {
    within_limit(async {
        let gzip_reply = frame(true, &compress(Encoding::Gzip, &string_field_1("x")));
        // 64 MiB of zeros in ~64 KiB: over the client's 4 MiB receive limit.
        let bomb = frame(
            true,
            &compress(Encoding::Gzip, &vec![0u8; 64 * 1024 * 1024]),
        );
        let cases = [
            (
                "unsupported encoding",
                vec![("grpc-encoding", "snappy")],
                gzip_reply.clone(),
                Code::Internal,
            ),
            (
                "flag without encoding",
                vec![],
                gzip_reply.clone(),
                Code::Internal,
            ),
            (
                "corrupt gzip",
                vec![("grpc-encoding", "gzip")],
                frame(true, b"garbage"),
                Code::Internal,
            ),
            (
                "gzip bomb",
                vec![("grpc-encoding", "gzip")],
                bomb,
                Code::ResourceExhausted,
            ),
        ];
        for (what, headers, body, code) in cases {
            let (result, _) = call_raw_server(Script { headers, body }, Encoding::Identity).await;
            let status = result.expect_err(what);
            assert_eq!(status.code(), code, "{what}: {status}");
        }
    })
    .await;
}
