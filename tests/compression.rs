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
//! - our client, seen by a scripted raw `h2` server: the headers it sends, and what it
//!   makes of compressed, unsupported and oversized responses.
#![cfg(feature = "gzip")] // gzip and deflate come with the `gzip` feature.

mod support;

use std::io::Read;

use futures_util::StreamExt;
use h2grpc::codec::compression::CompressionError;
use h2grpc::codec::compression::{Encoding, ACCEPT_ENCODING};
use h2grpc::rpc::{Client, Request, Response, Server, Service, Streaming};
use h2grpc::status::Code;
use h2grpc::Status;
use http::HeaderMap;
use support::greeter::{self, HelloReply, HelloRequest};
use support::wire::{field_1, hello as hello_bytes, length_prefixed};
use support::{within_limit, RawClient, RawRequest, Script, ScriptedServer, Step, TestServer};

const SAY_HELLO: &str = "/helloworld.Greeter/SayHello";
const STREAM_REPLY: &str = "/helloworld.Greeter/SayHelloStreamReply";
const BIDI: &str = "/helloworld.Greeter/SayHelloBidiStream";
const JOIN: &str = "/test.Joiner/Join";
const WHICH: &str = "/test.Joiner/Which";

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
    assert_eq!(replies.len(), greeter::STREAM_REPLIES);
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

/// One gRPC call on `conn`: `headers` added to the required ones, `body` as
/// the whole request.
async fn grpc_call(
    conn: &mut RawClient,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> support::Answer {
    let request = RawRequest::grpc(path, body.to_vec()).headers(headers);
    conn.call(&request).await
}

/// SayHello("world"), uncompressed, must still work on `conn`.
async fn assert_still_serves(conn: &mut RawClient, after: &str) {
    let answer = grpc_call(conn, SAY_HELLO, &[], &hello_bytes("world")).await;
    assert_eq!(answer.grpc_status(), Some("0"), "after {after}: {answer:?}");
    assert_eq!(answer.data, hello_bytes("Hello, world!"), "after {after}");
}

/// A compressed message: HelloRequest / HelloReply `text` in `encoding`.
fn compressed_hello(encoding: Encoding, text: &str) -> Vec<u8> {
    length_prefixed(true, &compress(encoding, &field_1(text.as_bytes())))
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

#[tokio::test]
async fn responses_are_compressed_in_the_requests_encoding_with_the_flag_set() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::connect(server.addr).await;
        for encoding in [Encoding::Gzip, Encoding::Deflate] {
            let body = compressed_hello(encoding, "world");
            let headers = [
                ("grpc-encoding", encoding.as_str()),
                ("grpc-accept-encoding", "gzip,deflate,identity"),
            ];
            let answer = grpc_call(&mut conn, SAY_HELLO, &headers, &body).await;
            assert_eq!(answer.grpc_status(), Some("0"), "{encoding}: {answer:?}");
            assert_eq!(answer.header("grpc-encoding"), Some(encoding.as_str()));
            assert_eq!(answer.header("grpc-accept-encoding"), Some(ACCEPT_ENCODING));
            assert_eq!(answer.data[0], 1, "{encoding}: compressed flag");
            let sent = answer.messages();
            assert_eq!(sent.len(), 1);
            assert_eq!(
                inflate(encoding, &sent[0].payload),
                field_1(b"Hello, world!")
            );

            // Server streaming: every message flagged and compressed.
            let answer = grpc_call(&mut conn, STREAM_REPLY, &headers, &body).await;
            assert_eq!(answer.grpc_status(), Some("0"), "{encoding}: {answer:?}");
            assert_eq!(answer.header("grpc-encoding"), Some(encoding.as_str()));
            let sent = answer.messages();
            assert_eq!(sent.len(), greeter::STREAM_REPLIES);
            for message in sent {
                assert!(message.compressed);
                assert_eq!(
                    inflate(encoding, &message.payload),
                    field_1(b"Hello, world!")
                );
            }
        }
    })
    .await;
}

#[tokio::test]
async fn responses_stay_uncompressed_when_the_client_does_not_accept_the_encoding() {
    within_limit(async {
        let server = start(Server::builder().send_compressed(Encoding::Gzip)).await;
        let mut conn = RawClient::connect(server.addr).await;
        // gzip request, but no grpc-accept-encoding: identity answer.
        let body = compressed_hello(Encoding::Gzip, "world");
        let answer = grpc_call(&mut conn, SAY_HELLO, &[("grpc-encoding", "gzip")], &body).await;
        assert_eq!(answer.grpc_status(), Some("0"), "{answer:?}");
        assert_eq!(answer.header("grpc-encoding"), None);
        assert_eq!(answer.data, hello_bytes("Hello, world!"));
        // The client accepts only deflate: not gzip, the server's choice.
        let answer = grpc_call(
            &mut conn,
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
        let mut conn = RawClient::connect(server.addr).await;
        let body = hello_bytes("world");
        let answer = grpc_call(
            &mut conn,
            SAY_HELLO,
            &[("grpc-accept-encoding", "gzip,identity")],
            &body,
        )
        .await;
        assert_eq!(answer.grpc_status(), Some("0"), "{answer:?}");
        assert_eq!(answer.header("grpc-encoding"), Some("gzip"));
        assert_eq!(answer.data[0], 1);
        let sent = answer.messages();
        assert_eq!(
            inflate(Encoding::Gzip, &sent[0].payload),
            field_1(b"Hello, world!")
        );
    })
    .await;
}

#[tokio::test]
async fn every_response_head_carries_grpc_accept_encoding() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::connect(server.addr).await;
        let body = hello_bytes("world");
        let answer = grpc_call(&mut conn, SAY_HELLO, &[], &body).await;
        assert_eq!(answer.header("grpc-accept-encoding"), Some(ACCEPT_ENCODING));
        assert_eq!(answer.header("grpc-encoding"), None);
        // A trailers-only error too.
        let answer = grpc_call(&mut conn, "/no.Such/Method", &[], &body).await;
        assert!(answer.trailers_only, "{answer:?}");
        assert_eq!(answer.header("grpc-accept-encoding"), Some(ACCEPT_ENCODING));
    })
    .await;
}

#[tokio::test]
async fn unsupported_request_encoding_is_unimplemented_with_our_accept_list() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::connect(server.addr).await;
        let body = length_prefixed(true, b"\x0a\x05world");
        let answer = grpc_call(&mut conn, SAY_HELLO, &[("grpc-encoding", "snappy")], &body).await;
        assert!(answer.trailers_only, "{answer:?}");
        assert_eq!(answer.grpc_status(), Some("12"), "{answer:?}");
        assert_eq!(
            answer.header("grpc-accept-encoding"),
            Some("gzip,deflate,identity")
        );
        assert!(answer.data.is_empty());
        assert_still_serves(&mut conn, "snappy").await;
    })
    .await;
}

#[tokio::test]
async fn compressed_flag_without_an_encoding_is_internal() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::connect(server.addr).await;
        let body = compressed_hello(Encoding::Gzip, "world");
        for headers in [&[][..], &[("grpc-encoding", "identity")][..]] {
            let answer = grpc_call(&mut conn, SAY_HELLO, headers, &body).await;
            assert_eq!(answer.grpc_status(), Some("13"), "{headers:?}: {answer:?}");
            assert_still_serves(&mut conn, "compressed flag without encoding").await;
        }
    })
    .await;
}

#[tokio::test]
async fn corrupt_gzip_and_deflate_are_internal() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::connect(server.addr).await;
        for encoding in [Encoding::Gzip, Encoding::Deflate] {
            let mut good = compress(encoding, &field_1(b"world"));
            let last = good.len() - 1;
            good[last] ^= 0xff; // the checksum / length trailer
            for bad in [&b"definitely not compressed"[..], &good] {
                let answer = grpc_call(
                    &mut conn,
                    SAY_HELLO,
                    &[("grpc-encoding", encoding.as_str())],
                    &length_prefixed(true, bad),
                )
                .await;
                assert_eq!(answer.grpc_status(), Some("13"), "{encoding}: {answer:?}");
                assert_still_serves(&mut conn, "corrupt data").await;
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_gzip_bomb_is_resource_exhausted_and_the_connection_serves_on() {
    within_limit(async {
        let server = start(Server::builder()).await;
        let mut conn = RawClient::connect(server.addr).await;
        // 64 MiB of zeros: ~64 KiB of gzip, well under the 4 MiB wire limit.
        let bomb = compress(Encoding::Gzip, &vec![0u8; 64 * 1024 * 1024]);
        assert!(bomb.len() < 128 * 1024, "bomb is {} bytes", bomb.len());
        let answer = grpc_call(
            &mut conn,
            SAY_HELLO,
            &[("grpc-encoding", "gzip")],
            &length_prefixed(true, &bomb),
        )
        .await;
        assert_eq!(answer.grpc_status(), Some("8"), "{answer:?}");
        assert_still_serves(&mut conn, "gzip bomb").await;
    })
    .await;
}

// ---- our client against a scripted HTTP/2 server --------------------------------

/// Our client calls SayHello, sending in `send`, on a scripted server that
/// reads the request and answers `headers`, `body`, then `grpc-status: 0`;
/// returns the result and the request head the server saw.
async fn call_scripted_server(
    headers: &[(&str, &str)],
    body: Vec<u8>,
    send: Encoding,
) -> (Result<Response<HelloReply>, Status>, HeaderMap) {
    let mut server = ScriptedServer::start(Script::new([
        Step::ReadBody,
        Step::grpc_head(headers),
        Step::data(body),
        Step::ok_trailers(),
    ]))
    .await;
    let client = Client::new(server.channel().await).send_compressed(send);
    let result = client.unary(SAY_HELLO, hello("world").into()).await;
    (result, server.next_seen().await.headers)
}

#[tokio::test]
async fn the_client_sends_its_encoding_and_accept_list_and_inflates_the_answer() {
    within_limit(async {
        for encoding in [Encoding::Gzip, Encoding::Deflate] {
            let (result, headers) = call_scripted_server(
                &[("grpc-encoding", encoding.as_str())],
                compressed_hello(encoding, "Hi there"),
                encoding,
            )
            .await;
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
        let (result, headers) =
            call_scripted_server(&[], hello_bytes("plain"), Encoding::Identity).await;
        assert_eq!(result.unwrap().into_inner().message, "plain");
        assert!(headers.get("grpc-encoding").is_none());
        assert!(headers.get("grpc-accept-encoding").is_some());
    })
    .await;
}

#[tokio::test]
async fn the_client_refuses_bad_compressed_answers() {
    within_limit(async {
        let gzip_reply = compressed_hello(Encoding::Gzip, "x");
        // 64 MiB of zeros in ~64 KiB: over the client's 4 MiB receive limit.
        let bomb = length_prefixed(
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
                length_prefixed(true, b"garbage"),
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
            let (result, _) = call_scripted_server(&headers, body, Encoding::Identity).await;
            let status = result.expect_err(what);
            assert_eq!(status.code(), code, "{what}: {status}");
        }
    })
    .await;
}
