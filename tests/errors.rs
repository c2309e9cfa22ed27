//! Failures as a client sees them: statuses from handlers, unknown methods,
//! panics and oversized messages, each leaving the connection serving.

mod support;

use bytes::Bytes;
use h2grpc::rpc::{Client, Request, Response, Service};
use h2grpc::{Code, Status};
use support::greeter::{GreeterClient, HelloReply, HelloRequest};
use support::{within_limit, TestServer};

/// A message with every character class grpc-message must carry: tabs,
/// CR/LF, '%', non-ASCII.
const AWKWARD_MESSAGE: &str = "bad\tinput\r\nline two: 100% ünïcødé ✓ 🦀 \x01 end";

fn failing() -> Service {
    Service::new("test.Failing")
        .unary("Refuse", |request: Request<HelloRequest>| async move {
            let text = request.into_inner().name;
            Err::<Response<HelloReply>, _>(Status::with_details(
                Code::FailedPrecondition,
                text,
                Bytes::from_static(b"\x08\x09opaque\xff details"),
            ))
        })
        .unary("Panic", |_request: Request<HelloRequest>| async move {
            if true {
                panic!("handler bug");
            }
            Ok::<_, Status>(Response::new(HelloReply::default()))
        })
}

async fn start() -> TestServer {
    TestServer::start(support::greeter::server().add_service(failing())).await
}

fn hello(name: &str) -> Request<HelloRequest> {
    Request::new(HelloRequest {
        name: name.to_owned(),
    })
}

async fn assert_still_serving(client: &Client) {
    let greeter = GreeterClient::new(client.channel().clone());
    let reply = greeter
        .say_hello(hello("again"))
        .await
        .expect("the connection still serves");
    assert_eq!(reply.into_inner().message, "Hello, again!");
}

#[tokio::test]
async fn handler_status_reaches_the_client_unchanged() {
    within_limit(async {
        let server = start().await;
        let client = Client::new(server.channel().await);
        let status = client
            .unary::<_, HelloReply>("/test.Failing/Refuse", hello(AWKWARD_MESSAGE))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::FailedPrecondition);
        assert_eq!(status.message(), AWKWARD_MESSAGE);
        assert_eq!(status.details().as_ref(), b"\x08\x09opaque\xff details");
        assert_still_serving(&client).await;
    })
    .await
}

#[tokio::test]
async fn unknown_service_and_method_are_unimplemented() {
    within_limit(async {
        let server = start().await;
        let client = Client::new(server.channel().await);
        let status = client
            .unary::<_, HelloReply>("/nowhere.Nothing/SayHello", hello("x"))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::Unimplemented);
        assert!(
            status.message().contains("nowhere.Nothing"),
            "{}",
            status.message()
        );
        let status = client
            .unary::<_, HelloReply>("/helloworld.Greeter/SayGoodbye", hello("x"))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::Unimplemented);
        assert!(
            status.message().contains("SayGoodbye"),
            "{}",
            status.message()
        );
        assert_still_serving(&client).await;
    })
    .await
}

#[tokio::test]
async fn a_panicking_handler_fails_only_its_own_call_with_unknown() {
    within_limit(async {
        let server = start().await;
        let client = Client::new(server.channel().await);
        let greeter = GreeterClient::new(client.channel().clone());
        // A call in flight on the same connection while the panic happens.
        let (status, other) = tokio::join!(
            client.unary::<_, HelloReply>("/test.Failing/Panic", hello("x")),
            greeter.say_hello(hello("neighbour"))
        );
        assert_eq!(status.unwrap_err().code(), Code::Unknown);
        assert_eq!(other.unwrap().into_inner().message, "Hello, neighbour!");
        assert_still_serving(&client).await;
    })
    .await
}

#[tokio::test]
async fn a_ten_mib_request_is_resource_exhausted_and_the_connection_serves_on() {
    within_limit(async {
        let server = start().await;
        let client = Client::new(server.channel().await);
        let status = client
            .unary::<_, HelloReply>(
                "/helloworld.Greeter/SayHello",
                hello(&"x".repeat(10 * 1024 * 1024)),
            )
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
        assert_still_serving(&client).await;
    })
    .await
}

#[tokio::test]
async fn a_reply_over_the_send_limit_is_resource_exhausted() {
    within_limit(async {
        let server = TestServer::start(support::greeter::server().max_send_message_size(64)).await;
        let client = Client::new(server.channel().await);
        let status = client
            .unary::<_, HelloReply>("/helloworld.Greeter/SayHello", hello(&"x".repeat(100)))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
        assert_still_serving(&client).await;
    })
    .await
}

/// A client whose own limits are `send` and `receive` bytes.
async fn limited_client(server: &TestServer, send: usize, receive: usize) -> Client {
    let config = h2grpc::transport::TransportConfig {
        max_send_message_size: send,
        max_receive_message_size: receive,
        ..Default::default()
    };
    let channel = h2grpc::transport::Channel::connect_with(&server.uri(), config)
        .await
        .expect("connect");
    Client::new(channel)
}

#[tokio::test]
async fn a_request_over_the_clients_send_limit_fails_locally_resource_exhausted() {
    within_limit(async {
        let server = TestServer::start(support::greeter::server()).await;
        let client = limited_client(&server, 64, 4 << 20).await;
        let status = client
            .unary::<_, HelloReply>("/helloworld.Greeter/SayHello", hello(&"x".repeat(100)))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
        assert_still_serving(&client).await;
    })
    .await
}

#[tokio::test]
async fn a_reply_over_the_clients_receive_limit_is_resource_exhausted() {
    within_limit(async {
        let server = TestServer::start(support::greeter::server()).await;
        let client = limited_client(&server, 4 << 20, 40).await;
        // "Hello, " + 50 x's + "!" plus 2 bytes of field header: over 40.
        let status = client
            .unary::<_, HelloReply>("/helloworld.Greeter/SayHello", hello(&"x".repeat(50)))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
        // A small reply still fits on the same channel.
        assert_still_serving(&client).await;
    })
    .await
}
