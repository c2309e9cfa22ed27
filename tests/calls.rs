//! The four call types, our client against our server over TCP.

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use h2grpc::rpc::{Client, Request, Response, Service, Streaming};
use h2grpc::{Code, Status};
use support::greeter::{self, GreeterClient, HelloReply, HelloRequest};
use support::{within_limit, TestServer};
use tokio::sync::mpsc;

fn hello_request(name: &str) -> HelloRequest {
    HelloRequest {
        name: name.to_owned(),
    }
}

/// A bidi request stream fed from a channel, so the test decides when each
/// request goes out and when the request side closes.
fn request_stream(
    rx: mpsc::Receiver<HelloRequest>,
) -> impl futures_core::Stream<Item = HelloRequest> + Send + 'static {
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) })
}

/// A client-streaming method for the tests: greets every name at once.
fn joiner() -> Service {
    Service::new("test.Joiner").client_streaming(
        "Join",
        |request: Request<Streaming<HelloRequest>>| async move {
            let mut names = Vec::new();
            let mut requests = request.into_inner();
            while let Some(hello) = requests.message().await? {
                names.push(hello.name);
            }
            Ok::<_, Status>(Response::new(HelloReply {
                message: format!("Hello, {}!", names.join(" and ")),
            }))
        },
    )
}

async fn start() -> TestServer {
    TestServer::start(support::greeter::server().add_service(joiner())).await
}

#[tokio::test]
async fn unary_methods_answer_their_greetings() {
    within_limit(async {
        let server = start().await;
        let client = GreeterClient::new(server.channel().await);
        let reply = client.say_hello(hello_request("you")).await.unwrap();
        assert_eq!(reply.into_inner().message, "Hello, you!");
        let reply = client.say_hello_again(hello_request("you")).await.unwrap();
        assert_eq!(reply.into_inner().message, "Hello again, you!");
        let reply = client.say_hello2(hello_request("you")).await.unwrap();
        assert_eq!(reply.into_inner().message, "Hello 2, you!");
    })
    .await
}

#[tokio::test]
async fn server_streaming_sends_ten_greetings() {
    within_limit(async {
        let server = start().await;
        let client = GreeterClient::new(server.channel().await);
        let mut replies = client
            .say_hello_stream_reply(hello_request("stream"))
            .await
            .unwrap()
            .into_inner();
        let mut received = Vec::new();
        while let Some(reply) = replies.message().await.unwrap() {
            received.push(reply.message);
        }
        assert_eq!(
            received,
            vec!["Hello, stream!".to_owned(); greeter::STREAM_REPLIES]
        );
        assert!(
            replies.trailers().is_some(),
            "an OK stream ends with its trailers"
        );
    })
    .await
}

#[tokio::test]
async fn replies_ready_together_with_an_error_all_arrive_before_it() {
    // The server coalesces replies that are ready at once into one DATA
    // frame; an error right behind them must not swallow them.
    within_limit(async {
        let failing = Service::new("test.Failing").server_streaming(
            "Stream",
            |_request: Request<HelloRequest>| async move {
                let replies = ["one", "two"].map(|message| {
                    Ok(HelloReply {
                        message: message.to_owned(),
                    })
                });
                let end = Err(Status::unavailable("going away"));
                let all = replies.into_iter().chain(std::iter::once(end));
                Ok::<_, Status>(Response::new(futures_util::stream::iter(all)))
            },
        );
        let server = TestServer::start(h2grpc::Server::builder().add_service(failing)).await;
        let client = Client::new(server.channel().await);
        let mut replies = client
            .server_streaming::<HelloRequest, HelloReply>(
                "/test.Failing/Stream",
                Request::new(hello_request("x")),
            )
            .await
            .expect("the call starts")
            .into_inner();
        let mut received = Vec::new();
        let end = loop {
            match replies.message().await {
                Ok(Some(reply)) => received.push(reply.message),
                Ok(None) => panic!("the stream ended OK after {received:?}"),
                Err(status) => break status,
            }
        };
        assert_eq!(received, ["one", "two"]);
        assert_eq!(end.code(), h2grpc::Code::Unavailable, "{end}");
    })
    .await
}

#[tokio::test]
async fn client_streaming_reads_every_request_before_answering() {
    within_limit(async {
        let server = start().await;
        let client = Client::new(server.channel().await);
        let names = futures_util::stream::iter(["ann", "bob", "cy"].map(hello_request));
        let reply: Response<HelloReply> = client
            .client_streaming("/test.Joiner/Join", Request::new(names))
            .await
            .unwrap();
        assert_eq!(reply.into_inner().message, "Hello, ann and bob and cy!");
    })
    .await
}

#[tokio::test]
async fn bidi_reply_arrives_before_the_client_half_closes() {
    within_limit(async {
        let server = start().await;
        let client = GreeterClient::new(server.channel().await);
        let (tx, rx) = mpsc::channel(4);
        tx.send(hello_request("first")).await.unwrap();
        let mut replies = client
            .say_hello_bidi_stream(request_stream(rx))
            .await
            .unwrap()
            .into_inner();
        // The request side is still open (tx alive): the reply must come anyway.
        let first = replies.message().await.unwrap().unwrap();
        assert_eq!(first.message, "Hello, first!");
        tx.send(hello_request("second")).await.unwrap();
        assert_eq!(
            replies.message().await.unwrap().unwrap().message,
            "Hello, second!"
        );
        drop(tx);
        assert!(replies.message().await.unwrap().is_none());
    })
    .await
}

/// The natural way to drive a bidi call: start it, then feed its request
/// stream. Our server (as grpc-go's) sends its response head with its first
/// reply, so a call that waited for the head before returning would never
/// return: it returns at once instead, and the head's metadata comes later.
#[tokio::test]
async fn bidi_caller_that_sends_only_after_the_call_returns_is_answered() {
    within_limit(async {
        let server = start().await;
        let client = GreeterClient::new(server.channel().await);
        let (tx, rx) = mpsc::channel(4);
        let response = client
            .say_hello_bidi_stream(request_stream(rx))
            .await
            .expect("the call returns before any request is sent");
        let mut replies = response.into_inner();
        tx.send(hello_request("late")).await.unwrap();
        assert_eq!(
            replies.message().await.unwrap().unwrap().message,
            "Hello, late!"
        );
        // The head came after the call returned: its metadata is here.
        let metadata = replies.initial_metadata().await.expect("head");
        assert!(metadata.is_some());
        drop(tx);
        assert!(replies.message().await.unwrap().is_none());
        assert!(replies.trailers().is_some());
    })
    .await
}

/// A call that returned before its head gets the server's immediate error
/// from its first read, as a grpc-go stream does.
#[tokio::test]
async fn bidi_refused_after_returning_early_fails_on_its_first_read() {
    within_limit(async {
        let server = start().await;
        let client = Client::new(server.channel().await);
        let (_tx, rx) = mpsc::channel::<HelloRequest>(1);
        let response = client
            .bidi_streaming::<HelloRequest, HelloReply, _>(
                "/helloworld.Greeter/NoSuchMethod",
                Request::new(request_stream(rx)),
            )
            .await
            .expect("returns before the head");
        let mut replies = response.into_inner();
        let status = replies.message().await.expect_err("unimplemented");
        assert_eq!(status.code(), Code::Unimplemented, "{status:?}");
        assert_eq!(
            replies
                .initial_metadata()
                .await
                .expect("ended")
                .map(|m| m.len()),
            Some(0)
        );
    })
    .await
}

#[tokio::test]
async fn bidi_with_many_messages_answers_each_in_order() {
    within_limit(async {
        let server = start().await;
        let client = GreeterClient::new(server.channel().await);
        let names: Vec<String> = (0..500).map(|i| format!("n{i}")).collect();
        let requests =
            futures_util::stream::iter(names.clone().into_iter().map(|name| HelloRequest { name }));
        let replies = client
            .say_hello_bidi_stream(requests)
            .await
            .unwrap()
            .into_inner();
        let received: Vec<String> = replies.map(|reply| reply.unwrap().message).collect().await;
        let expected: Vec<String> = names.iter().map(|n| format!("Hello, {n}!")).collect();
        assert_eq!(received, expected);
    })
    .await
}

#[tokio::test]
async fn a_thousand_concurrent_unary_calls_share_one_channel() {
    within_limit(async {
        let server = start().await;
        let client = GreeterClient::new(server.channel().await);
        let calls = (0..1000).map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .say_hello(hello_request(&format!("caller {i}")))
                    .await
            })
        });
        let replies = futures_util::future::join_all(calls).await;
        for (i, reply) in replies.into_iter().enumerate() {
            assert_eq!(
                reply.unwrap().unwrap().into_inner().message,
                format!("Hello, caller {i}!")
            );
        }
    })
    .await
}

#[tokio::test]
async fn large_messages_cross_many_frames_both_ways() {
    within_limit(async {
        let server = start().await;
        let client = GreeterClient::new(server.channel().await);
        let name = "x".repeat(3 * 1024 * 1024);
        let reply = client.say_hello(hello_request(&name)).await.unwrap();
        assert_eq!(
            reply.into_inner().message.len(),
            name.len() + "Hello, !".len()
        );
    })
    .await
}

#[tokio::test]
async fn serve_with_incoming_runs_over_an_in_memory_pipe() {
    within_limit(async {
        let (client_io, server_io) = tokio::io::duplex(64 * 1024);
        // One connection, then an incoming stream that stays open: a server
        // whose incoming stream ends drains (GOAWAY) like one shut down.
        let incoming = futures_util::stream::iter([Ok::<_, std::io::Error>((server_io, None))])
            .chain(futures_util::stream::pending());
        let server = tokio::spawn(
            support::greeter::server().serve_with_incoming(incoming, std::future::pending()),
        );
        let authority = http::uri::Authority::from_static("in-memory");
        let channel = h2grpc::transport::Channel::from_io(client_io, authority, Default::default())
            .await
            .unwrap();
        let reply = GreeterClient::new(channel)
            .say_hello(hello_request("pipe"))
            .await
            .unwrap();
        assert_eq!(reply.into_inner().message, "Hello, pipe!");
        server.abort();
    })
    .await
}

#[tokio::test]
async fn client_timeout_fails_with_deadline_exceeded() {
    within_limit(async {
        let slow = Service::new("test.Slow").unary(
            "Sleep",
            |_request: Request<HelloRequest>| async move {
                tokio::time::sleep(Duration::from_secs(20)).await;
                Ok::<_, Status>(Response::new(HelloReply::default()))
            },
        );
        let server = TestServer::start(h2grpc::rpc::Server::builder().add_service(slow)).await;
        let client = Client::new(server.channel().await);
        let mut request = Request::new(hello_request("late"));
        request.set_timeout(Duration::from_millis(100));
        let started = std::time::Instant::now();
        let status = client
            .unary::<_, HelloReply>("/test.Slow/Sleep", request)
            .await
            .unwrap_err();
        assert_eq!(status.code(), h2grpc::Code::DeadlineExceeded);
        assert!(started.elapsed() < Duration::from_secs(5));
    })
    .await
}
