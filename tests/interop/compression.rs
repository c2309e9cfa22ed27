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

use crate::support::peers::{assert_python_checks_pass, python_greeter_server, python_server};
use crate::support::wire::hello as hello_bytes;
use crate::support::{h2grpc_server, Peer, RawClient, RawRequest, TestServer};
use futures_util::StreamExt;
use h2grpc::codec::compression::Encoding;
use h2grpc::rpc::{Client, Request, Response, Server, Service, Streaming};
use h2grpc::services::greeter::{HelloReply, HelloRequest, STREAM_REPLY_COUNT};
use h2grpc::transport::Channel;
use h2grpc::{Code, Status};

const SAY_HELLO: &str = "/helloworld.Greeter/SayHello";
const STREAM_REPLY: &str = "/helloworld.Greeter/SayHelloStreamReply";

/// The metadata key by which compression_client.py names its encoding.
const EXPECT_ENCODING: &str = "x-expect-encoding";

/// Runs compression_client.py against `target`; asserts all six cases passed.
fn assert_compression_client_passes(target: &str, server_output: impl FnOnce() -> String) {
    let passed = assert_python_checks_pass("compression_client.py", target, server_output);
    assert_eq!(
        passed, 6,
        "compression_client.py ran other cases than the six it has"
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

/// `compression_server.py`, a grpcio Greeter compressing its replies in `encoding`.
fn compression_server(encoding: Encoding) -> Peer {
    python_server(
        "compression_server.py",
        &["--compression", encoding.as_str()],
    )
}

/// SayHello through the raw h2 client: the compressed flag of the reply and
/// its `grpc-encoding` header.
async fn raw_say_hello(server: &Peer, name: &str) -> (bool, Option<String>) {
    let mut client = RawClient::connect(server.addr()).await;
    let request = RawRequest::grpc(SAY_HELLO, hello_bytes(name))
        .header("grpc-accept-encoding", "gzip,deflate,identity");
    let answer = client.call(&request).await;
    let first = answer
        .messages()
        .into_iter()
        .next()
        .expect("a reply message");
    (
        first.compressed,
        answer.header("grpc-encoding").map(str::to_owned),
    )
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
        assert!(flag, "{encoding}: compressed flag");
        assert_eq!(header.as_deref(), Some(encoding.as_str()));
        // Our client inflates them.
        let channel = Channel::connect(&server.url()).await.expect("connect");
        call_greeter(&Client::new(channel.clone()), &long_name).await;
        call_greeter(&Client::new(channel).send_compressed(encoding), &long_name).await;
        server.assert_running();
    }
}
