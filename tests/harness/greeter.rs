//! A test-local `helloworld.Greeter`: the messages, a server built with
//! `Service::new(..)` and a typed client, answering as the demo Greeter
//! (`h2grpc::services::greeter`) does. It lets the protocol tests run in the
//! lean build (`--no-default-features`, no `demo` feature); tests of the
//! demo service itself use the real one.

use futures_util::StreamExt;
use h2grpc::rpc::{Client, IntoStreamingRequest, Request, Response, Server, Service, Streaming};
use h2grpc::transport::Channel;
use h2grpc::Status;

h2grpc::message! {
    package "helloworld";
    /// The request message containing the user's name.
    pub struct HelloRequest { name: string = 1 }
    /// The response message containing the greetings.
    pub struct HelloReply { message: string = 1 }
}

/// How many replies `SayHelloStreamReply` sends.
pub const STREAM_REPLY_COUNT: usize = 10;

/// "Hello, NAME!": the reply of SayHello and of each streamed greeting.
pub fn hello(name: &str) -> HelloReply {
    HelloReply {
        message: format!("Hello, {name}!"),
    }
}

/// `helloworld.Greeter` with all five methods.
pub fn service() -> Service {
    Service::new("helloworld.Greeter")
        .unary("SayHello", |request: Request<HelloRequest>| async move {
            Ok::<_, Status>(Response::new(hello(&request.get_ref().name)))
        })
        .unary(
            "SayHelloAgain",
            |request: Request<HelloRequest>| async move {
                let message = format!("Hello again, {}!", request.get_ref().name);
                Ok::<_, Status>(Response::new(HelloReply { message }))
            },
        )
        .unary("SayHello2", |request: Request<HelloRequest>| async move {
            let message = format!("Hello 2, {}!", request.get_ref().name);
            Ok::<_, Status>(Response::new(HelloReply { message }))
        })
        .server_streaming(
            "SayHelloStreamReply",
            |request: Request<HelloRequest>| async move {
                let replies = vec![Ok(hello(&request.get_ref().name)); STREAM_REPLY_COUNT];
                Ok::<_, Status>(Response::new(futures_util::stream::iter(replies)))
            },
        )
        .bidi_streaming(
            "SayHelloBidiStream",
            |request: Request<Streaming<HelloRequest>>| async move {
                let replies = request
                    .into_inner()
                    .map(|received| received.map(|request| hello(&request.name)));
                Ok::<_, Status>(Response::new(replies))
            },
        )
}

/// A server with [`service`] added: what the protocol tests serve in place
/// of `h2grpc::services::demo_server()`.
pub fn server() -> Server {
    Server::builder().add_service(service())
}

/// A typed client for [`service`], with the demo `GreeterClient`'s methods.
#[derive(Debug, Clone)]
pub struct GreeterClient {
    client: Client,
}

impl GreeterClient {
    /// A client calling on `channel`.
    pub fn new(channel: Channel) -> GreeterClient {
        GreeterClient {
            client: Client::new(channel),
        }
    }

    /// `SayHello`.
    pub async fn say_hello(
        &self,
        request: impl Into<Request<HelloRequest>>,
    ) -> Result<Response<HelloReply>, Status> {
        let path = "/helloworld.Greeter/SayHello";
        self.client.unary(path, request.into()).await
    }

    /// `SayHelloAgain`.
    pub async fn say_hello_again(
        &self,
        request: impl Into<Request<HelloRequest>>,
    ) -> Result<Response<HelloReply>, Status> {
        let path = "/helloworld.Greeter/SayHelloAgain";
        self.client.unary(path, request.into()).await
    }

    /// `SayHello2`.
    pub async fn say_hello2(
        &self,
        request: impl Into<Request<HelloRequest>>,
    ) -> Result<Response<HelloReply>, Status> {
        let path = "/helloworld.Greeter/SayHello2";
        self.client.unary(path, request.into()).await
    }

    /// `SayHelloStreamReply`.
    pub async fn say_hello_stream_reply(
        &self,
        request: impl Into<Request<HelloRequest>>,
    ) -> Result<Response<Streaming<HelloReply>>, Status> {
        let path = "/helloworld.Greeter/SayHelloStreamReply";
        self.client.server_streaming(path, request.into()).await
    }

    /// `SayHelloBidiStream`.
    pub async fn say_hello_bidi_stream(
        &self,
        requests: impl IntoStreamingRequest<Message = HelloRequest>,
    ) -> Result<Response<Streaming<HelloReply>>, Status> {
        let path = "/helloworld.Greeter/SayHelloBidiStream";
        let requests = requests.into_streaming_request();
        self.client.bidi_streaming(path, requests).await
    }
}
