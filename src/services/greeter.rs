//! `helloworld.Greeter` (proto/helloworld.proto): the quickstart service of
//! every gRPC tutorial, with its unary greetings and the two streaming
//! methods, and its typed client.

use futures_util::StreamExt;

use crate::rpc::{Client, IntoStreamingRequest, Request, Response, Service, Streaming};
use crate::status::Status;
use crate::transport::Channel;

crate::message! {
    package "helloworld";

    /// The request message containing the user's name.
    pub struct HelloRequest {
        /// The name to greet.
        name: string = 1,
    }

    /// The response message containing the greetings.
    pub struct HelloReply {
        /// The greeting.
        message: string = 1,
    }
}

/// The service's full name.
pub const SERVICE_NAME: &str = "helloworld.Greeter";

/// How many replies `SayHelloStreamReply` sends.
pub const STREAM_REPLY_COUNT: usize = 10;

/// "Hello, NAME!": the reply of SayHello, SayHelloStreamReply and
/// SayHelloBidiStream.
pub fn hello(name: &str) -> HelloReply {
    // Built by hand: `format!` costs several times as much for a string
    // this small, and every Greeter call makes one.
    let mut message = String::with_capacity("Hello, !".len() + name.len());
    message.push_str("Hello, ");
    message.push_str(name);
    message.push('!');
    HelloReply { message }
}

/// The Greeter service, ready to add to a server.
pub fn service() -> Service {
    Service::new(SERVICE_NAME)
        .unary("SayHello", |request: Request<HelloRequest>| async move {
            Ok(Response::new(hello(&request.get_ref().name)))
        })
        .unary(
            "SayHelloAgain",
            |request: Request<HelloRequest>| async move {
                Ok(Response::new(HelloReply {
                    message: format!("Hello again, {}!", request.get_ref().name),
                }))
            },
        )
        .unary("SayHello2", |request: Request<HelloRequest>| async move {
            Ok(Response::new(HelloReply {
                message: format!("Hello 2, {}!", request.get_ref().name),
            }))
        })
        .server_streaming(
            "SayHelloStreamReply",
            |request: Request<HelloRequest>| async move {
                let reply = hello(&request.get_ref().name);
                let replies = std::iter::repeat_n(reply, STREAM_REPLY_COUNT).map(Ok);
                Ok(Response::new(futures_util::stream::iter(replies)))
            },
        )
        .bidi_streaming(
            "SayHelloBidiStream",
            |request: Request<Streaming<HelloRequest>>| async move {
                // Lazy: each reply is made, and sent, as its request arrives.
                let replies = request
                    .into_inner()
                    .map(|received| received.map(|hello_request| hello(&hello_request.name)));
                Ok(Response::new(replies))
            },
        )
}

/// A typed client for `helloworld.Greeter`.
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

    /// `SayHello`: one greeting.
    pub async fn say_hello(
        &self,
        request: impl Into<Request<HelloRequest>>,
    ) -> Result<Response<HelloReply>, Status> {
        self.client
            .unary("/helloworld.Greeter/SayHello", request.into())
            .await
    }

    /// `SayHelloAgain`: another greeting.
    pub async fn say_hello_again(
        &self,
        request: impl Into<Request<HelloRequest>>,
    ) -> Result<Response<HelloReply>, Status> {
        self.client
            .unary("/helloworld.Greeter/SayHelloAgain", request.into())
            .await
    }

    /// `SayHello2`: a third greeting.
    pub async fn say_hello2(
        &self,
        request: impl Into<Request<HelloRequest>>,
    ) -> Result<Response<HelloReply>, Status> {
        self.client
            .unary("/helloworld.Greeter/SayHello2", request.into())
            .await
    }

    /// `SayHelloStreamReply`: a stream of greetings.
    pub async fn say_hello_stream_reply(
        &self,
        request: impl Into<Request<HelloRequest>>,
    ) -> Result<Response<Streaming<HelloReply>>, Status> {
        self.client
            .server_streaming("/helloworld.Greeter/SayHelloStreamReply", request.into())
            .await
    }

    /// `SayHelloBidiStream`: a greeting back for each request, as it arrives.
    pub async fn say_hello_bidi_stream(
        &self,
        requests: impl IntoStreamingRequest<Message = HelloRequest>,
    ) -> Result<Response<Streaming<HelloReply>>, Status> {
        self.client
            .bidi_streaming(
                "/helloworld.Greeter/SayHelloBidiStream",
                requests.into_streaming_request(),
            )
            .await
    }
}
