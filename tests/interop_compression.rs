//! Message compression against grpcio (C-core through its Python binding),
//! both ways, gzip and deflate:
//!
//! - `tests/interop/python/compression_client.py` (channel-wide and per-call
//!   `compression=`) calls SayHello and SayHelloStreamReply on `h2grpc serve`,
//!   on the grpcio reference server (which proves the script), and on an
//!   in-process h2grpc server that fails any call whose request did not
//!   arrive in the encoding the script says it used (and that answers in
//!   that encoding, which grpcio must inflate);
//! - our client, compressing with gzip and deflate, calls the grpcio
//!   reference server;
//! - our client reads the replies of a grpcio server that compresses them
//!   (`compression_server.py`), after a raw h2 call has shown they really
//!   arrive flagged compressed.
//!
//! Needs `.venv/` (`bash tests/run-all.sh` creates it); fails, never skips,
//! without it.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

mod harness;
mod support;

use std::process::Command;

use bytes::Bytes;
use futures_util::StreamExt;
use h2grpc::codec::compression::Encoding;
use h2grpc::rpc::{Client, Request, Response, Server, Service, Streaming};
use h2grpc::services::greeter::{HelloReply, HelloRequest, STREAM_REPLY_COUNT};
use h2grpc::transport::Channel;
use h2grpc::{Code, Status};
use harness::TestServer;
use support::{h2grpc_server, python, python_dir, python_greeter_server, run, Peer};

const SAY_HELLO: &str = "/helloworld.Greeter/SayHello";
const STREAM_REPLY: &str = "/helloworld.Greeter/SayHelloStreamReply";

/// The metadata key by which compression_client.py names its encoding.
const EXPECT_ENCODING: &str = "x-expect-encoding";

/// Runs compression_client.py against `target`; asserts every case passed.
fn assert_compression_client_passes(target: &str, server_output: impl Fn() -> String) {
    let mut cmd = Command::new(python());
    cmd.arg(python_dir().join("compression_client.py"))
        .args(["--target", target])
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let out = run(cmd, None, support::TEST_TIMEOUT);
    let summary = out
        .stdout
        .lines()
        .rfind(|l| l.ends_with(" failed"))
        .unwrap_or("");
    assert!(
        out.status.success() && summary.ends_with(", 0 failed") && summary.starts_with("6 passed"),
        "compression_client.py against {target} failed ({summary}):\n{}\n--- server output ---\n{}",
        out.describe(),
        server_output()
    );
}

#[test]
fn compression_client_passes_against_the_grpcio_reference_server() {
    let mut server = python_greeter_server();
    assert_compression_client_passes(&server.target(), || server.output());
    server.assert_running();
}

#[test]
fn grpcio_with_gzip_and_deflate_calls_h2grpc_serve() {
    let mut server = h2grpc_server();
    assert_compression_client_passes(&server.target(), || server.output());
    server.assert_running();
}

/// Fails the call unless its request arrived in the encoding named by the
/// `x-expect-encoding` metadata.
fn check_encoding<T>(request: &Request<T>) -> Result<(), Status> {
    let seen = request.compression().unwrap_or_default();
    let expected = request
        .metadata()
        .get(EXPECT_ENCODING)
        .unwrap_or("identity");
    if seen.as_str() == expected {
        Ok(())
    } else {
        Err(Status::new(
            Code::FailedPrecondition,
            format!("request arrived in {seen}, the client says it sent {expected}"),
        ))
    }
}

/// helloworld.Greeter's SayHello and SayHelloStreamReply, checking the
/// request encoding first.
fn checking_greeter() -> Service {
    Service::new("helloworld.Greeter")
        .unary("SayHello", |request: Request<HelloRequest>| async move {
            check_encoding(&request)?;
            Ok(Response::new(HelloReply {
                message: format!("Hello, {}!", request.get_ref().name),
            }))
        })
        .server_streaming(
            "SayHelloStreamReply",
            |request: Request<HelloRequest>| async move {
                check_encoding(&request)?;
                let reply = HelloReply {
                    message: format!("Hello, {}!", request.get_ref().name),
                };
                let replies = std::iter::repeat_n(reply, STREAM_REPLY_COUNT).map(Ok);
                Ok(Response::new(futures_util::stream::iter(replies)))
            },
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpcio_requests_really_arrive_compressed_and_our_compressed_answers_are_read() {
    let server = TestServer::start(Server::builder().add_service(checking_greeter())).await;
    let target = server.addr.to_string();
    tokio::task::spawn_blocking(move || assert_compression_client_passes(&target, String::new))
        .await
        .expect("python client thread");
}

fn hello(name: &str) -> HelloRequest {
    HelloRequest {
        name: name.to_owned(),
    }
}

/// SayHello and SayHelloStreamReply with `client`, checked exactly.
async fn call_greeter(client: &Client, name: &str) {
    let reply: Response<HelloReply> = client
        .unary(SAY_HELLO, hello(name).into())
        .await
        .unwrap_or_else(|status| panic!("SayHello: {status}"));
    assert_eq!(reply.into_inner().message, format!("Hello, {name}!"));
    let replies: Response<Streaming<HelloReply>> = client
        .server_streaming(STREAM_REPLY, hello(name).into())
        .await
        .unwrap_or_else(|status| panic!("SayHelloStreamReply: {status}"));
    let replies: Vec<String> = replies
        .into_inner()
        .map(|reply| reply.expect("reply").message)
        .collect()
        .await;
    assert_eq!(replies, vec![format!("Hello, {name}!"); STREAM_REPLY_COUNT]);
}

async fn spawn_peer(start: fn() -> Peer) -> Peer {
    tokio::task::spawn_blocking(start)
        .await
        .expect("peer start")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_with_gzip_and_deflate_calls_the_grpcio_reference_server() {
    let mut server = spawn_peer(python_greeter_server).await;
    let channel = Channel::connect(&server.url()).await.expect("connect");
    let long_name = "compressible ".repeat(200);
    for encoding in [Encoding::Gzip, Encoding::Deflate] {
        let client = Client::new(channel.clone()).send_compressed(encoding);
        call_greeter(&client, "you").await;
        call_greeter(&client, &long_name).await;
    }
    server.assert_running();
}

fn compression_server(encoding: Encoding) -> Peer {
    let mut cmd = Command::new(python());
    cmd.arg(python_dir().join("compression_server.py"))
        .args(["--compression", encoding.as_str(), "--port", "0"])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1");
    Peer::spawn("compression_server.py", cmd)
}

/// SayHello through a raw h2 client: the first byte (the compressed flag) of
/// the reply and its `grpc-encoding` header.
async fn raw_say_hello(server: &Peer, name: &str) -> (u8, Option<String>) {
    let tcp = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connect");
    let (client, connection) = h2::client::handshake(tcp).await.expect("handshake");
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let request = http::Request::builder()
        .method("POST")
        .uri(format!("{}{SAY_HELLO}", server.url()))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .header("grpc-accept-encoding", "gzip,deflate,identity")
        .body(())
        .expect("request");
    let mut message = vec![0x0a];
    let mut len = name.len();
    while len >= 0x80 {
        message.push((len as u8 & 0x7f) | 0x80);
        len >>= 7;
    }
    message.push(len as u8);
    message.extend_from_slice(name.as_bytes());
    let mut body = vec![0];
    body.extend_from_slice(&(message.len() as u32).to_be_bytes());
    body.extend_from_slice(&message);
    let mut client = client.ready().await.expect("ready");
    let (response, mut send) = client.send_request(request, false).expect("send");
    send.send_data(Bytes::from(body), true).expect("send body");
    let response = response.await.expect("response");
    let encoding = response
        .headers()
        .get("grpc-encoding")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut body = response.into_body();
    let first = body
        .data()
        .await
        .expect("a reply message")
        .expect("reply data");
    (first[0], encoding)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_reads_replies_grpcio_compressed_with_gzip_and_deflate() {
    let long_name = "compressible ".repeat(200);
    for (encoding, start) in [
        (
            Encoding::Gzip,
            (|| compression_server(Encoding::Gzip)) as fn() -> Peer,
        ),
        (Encoding::Deflate, || compression_server(Encoding::Deflate)),
    ] {
        let mut server = spawn_peer(start).await;
        // The replies really are compressed, in that encoding.
        let (flag, header) = raw_say_hello(&server, &long_name).await;
        assert_eq!(flag, 1, "{encoding}: compressed flag");
        assert_eq!(header.as_deref(), Some(encoding.as_str()));
        // Our client inflates them.
        let channel = Channel::connect(&server.url()).await.expect("connect");
        call_greeter(&Client::new(channel.clone()), &long_name).await;
        call_greeter(&Client::new(channel).send_compressed(encoding), &long_name).await;
        server.assert_running();
    }
}
