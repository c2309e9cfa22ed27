//! h2grpc's `GreeterClient` against the grpcio (C-core) reference server,
//! `tests/interop/python/greeter_server.py`: every `helloworld.Greeter` method,
//! answers checked exactly, bidi replies read before the next request is sent,
//! and the errors a real peer raises reach our client with the right code.
//!
//! Needs `.venv/` (`bash tests/run-all.sh` creates it); fails, never skips,
//! without it.
#![cfg(feature = "demo")] // h2grpc::services exists with the `demo` feature only.

use std::future::Future;
use std::time::Duration;

use h2grpc::rpc::{Client, Request};
use h2grpc::services::greeter::{GreeterClient, HelloReply, HelloRequest};
use h2grpc::transport::Channel;
use h2grpc::Code;

use crate::support::peers::python_greeter_server;
use crate::support::{greeter, Peer, TEST_TIMEOUT};

/// How long the bidi test waits for the reply to one request before it sends
/// the next.
const BIDI_REPLY_WAIT: Duration = Duration::from_secs(5);

/// One byte over grpcio's default 4 MiB receive limit (h2grpc's send limit may
/// stop it first: either way the call is RESOURCE_EXHAUSTED).
const OVER_LIMIT: usize = 4 * 1024 * 1024 + 1;

fn request(name: &str) -> HelloRequest {
    HelloRequest { name: name.into() }
}

async fn connect(server: &Peer) -> GreeterClient {
    let channel = Channel::connect(&server.url())
        .await
        .unwrap_or_else(|e| panic!("connect to {}: {e}", server.url()));
    GreeterClient::new(channel)
}

/// Starts the reference server, connects, runs `test` under [`TEST_TIMEOUT`].
async fn with_client<F, Fut>(test: F)
where
    F: FnOnce(GreeterClient) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut server = python_greeter_server();
    let client = connect(&server).await;
    if tokio::time::timeout(TEST_TIMEOUT, test(client))
        .await
        .is_err()
    {
        panic!(
            "test ran past {TEST_TIMEOUT:?}; server output:\n{}",
            server.output()
        );
    }
    server.assert_running();
}

#[tokio::test]
async fn say_hello() {
    with_client(|client| async move {
        let reply = client.say_hello(request("world")).await.expect("SayHello");
        assert_eq!(reply.into_inner().message, greeter::hello("world"));
    })
    .await;
}

#[tokio::test]
async fn say_hello_again() {
    with_client(|client| async move {
        let reply = client
            .say_hello_again(request("world"))
            .await
            .expect("SayHelloAgain");
        assert_eq!(reply.into_inner().message, greeter::hello_again("world"));
    })
    .await;
}

#[tokio::test]
async fn say_hello2() {
    with_client(|client| async move {
        let reply = client
            .say_hello2(request("world"))
            .await
            .expect("SayHello2");
        assert_eq!(reply.into_inner().message, greeter::hello2("world"));
    })
    .await;
}

#[tokio::test]
async fn say_hello_empty_unicode_and_one_mib_names() {
    with_client(|client| async move {
        let big = "x".repeat(1024 * 1024);
        for name in [
            "",
            "w\u{f6}rld \u{2713} \u{4e16}\u{754c} \u{1f600}",
            big.as_str(),
        ] {
            let reply = client.say_hello(request(name)).await.expect("SayHello");
            assert!(
                reply.get_ref().message == greeter::hello(name),
                "SayHello({} bytes of name): got {} bytes of reply",
                name.len(),
                reply.get_ref().message.len()
            );
        }
    })
    .await;
}

#[tokio::test]
async fn say_hello_stream_reply_receives_ten_replies() {
    with_client(|client| async move {
        let mut replies = client
            .say_hello_stream_reply(request("world"))
            .await
            .expect("SayHelloStreamReply")
            .into_inner();
        let mut got = Vec::new();
        while let Some(reply) = replies.message().await.expect("next reply") {
            got.push(reply.message);
        }
        assert_eq!(got, vec![greeter::hello("world"); greeter::STREAM_REPLIES]);
    })
    .await;
}

#[tokio::test]
async fn say_hello_bidi_stream_reply_arrives_before_the_next_request() {
    with_client(|client| async move {
        let (tx, rx) = tokio::sync::mpsc::channel::<HelloRequest>(1);
        let requests = futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|request| (request, rx))
        });
        // The first request goes out before the call starts: some clients
        // only send headers with the first message.
        tx.send(request("alice")).await.expect("queue request");
        let mut replies = client
            .say_hello_bidi_stream(requests)
            .await
            .expect("SayHelloBidiStream")
            .into_inner();
        let names = ["alice", "bob", "carol", "dave", "eve"];
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                tx.send(request(name)).await.expect("queue request");
            }
            let reply = tokio::time::timeout(BIDI_REPLY_WAIT, replies.message())
                .await
                .unwrap_or_else(|_| {
                    panic!("no reply to request {i} ({name}) within {BIDI_REPLY_WAIT:?}")
                })
                .expect("reply")
                .unwrap_or_else(|| panic!("stream ended after {i} replies"));
            assert_eq!(reply.message, greeter::hello(name), "reply {i}");
        }
        drop(tx); // ends the request stream
        let end = replies.message().await.expect("end of stream");
        assert!(end.is_none(), "unexpected reply after the last: {end:?}");
    })
    .await;
}

#[tokio::test]
async fn concurrent_calls_on_one_channel() {
    with_client(|client| async move {
        let mut calls = tokio::task::JoinSet::new();
        for i in 0..32 {
            let client = client.clone();
            calls.spawn(async move {
                let name = format!("caller-{i}");
                let reply = client.say_hello(request(&name)).await.expect("SayHello");
                assert_eq!(reply.into_inner().message, greeter::hello(&name));
            });
        }
        while let Some(done) = calls.join_next().await {
            done.expect("call task");
        }
    })
    .await;
}

#[tokio::test]
async fn unknown_method_is_unimplemented() {
    let server = python_greeter_server();
    let channel = Channel::connect(&server.url()).await.expect("connect");
    let client = Client::new(channel.clone());
    let status = tokio::time::timeout(
        TEST_TIMEOUT,
        client.unary::<HelloRequest, HelloReply>(
            "/helloworld.Greeter/Nope",
            Request::new(request("world")),
        ),
    )
    .await
    .expect("answered in time")
    .expect_err("a method the server does not have");
    assert_eq!(status.code(), Code::Unimplemented, "{status:?}");

    // The channel still serves.
    let reply = GreeterClient::new(channel)
        .say_hello(request("again"))
        .await
        .expect("SayHello after the error");
    assert_eq!(reply.into_inner().message, greeter::hello("again"));
}

#[tokio::test]
async fn request_over_4_mib_is_resource_exhausted() {
    with_client(|client| async move {
        let status = client
            .say_hello(request(&"x".repeat(OVER_LIMIT)))
            .await
            .expect_err("a request over the 4 MiB limit");
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
        let reply = client
            .say_hello(request("again"))
            .await
            .expect("SayHello after the error");
        assert_eq!(reply.into_inner().message, greeter::hello("again"));
    })
    .await;
}
