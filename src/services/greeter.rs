//! `helloworld.Greeter` (proto/helloworld.proto): the quickstart service of
//! every gRPC tutorial, with its unary greetings and the two streaming
//! methods: its declaration (the [`Greeter`] trait, [`GreeterServer`],
//! [`GreeterClient`]) and the demo's implementation, [`DemoGreeter`].

use futures_util::StreamExt;

use crate::rpc::{ReplyStream, Request, Response, Service, Streaming};
use crate::status::Status;

crate::message! {
    package "helloworld";
    file "helloworld.proto";

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

crate::service! {
    package "helloworld";
    file "helloworld.proto";

    /// The greeting service.
    pub service Greeter {
        /// Sends a greeting: "Hello, NAME!".
        rpc SayHello(HelloRequest) returns (HelloReply);
        /// Sends another greeting: "Hello again, NAME!".
        rpc SayHelloAgain(HelloRequest) returns (HelloReply);
        /// A second unary greeting, as in the tutorials that add a method:
        /// "Hello 2, NAME!".
        rpc SayHello2(HelloRequest) returns (HelloReply);
        /// Server streaming: ten replies, each greeting the name.
        rpc SayHelloStreamReply(HelloRequest) returns (stream HelloReply);
        /// Bidi: one reply per request, sent as each request arrives.
        rpc SayHelloBidiStream(stream HelloRequest) returns (stream HelloReply);
    }
}

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

/// The demo's Greeter: greets by name, keeps no state.
#[derive(Debug, Clone, Copy, Default)]
pub struct DemoGreeter;

impl Greeter for DemoGreeter {
    async fn say_hello(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<HelloReply>, Status> {
        Ok(Response::new(hello(&request.get_ref().name)))
    }

    async fn say_hello_again(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<HelloReply>, Status> {
        Ok(Response::new(HelloReply {
            message: format!("Hello again, {}!", request.get_ref().name),
        }))
    }

    async fn say_hello2(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<HelloReply>, Status> {
        Ok(Response::new(HelloReply {
            message: format!("Hello 2, {}!", request.get_ref().name),
        }))
    }

    async fn say_hello_stream_reply(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<impl ReplyStream<HelloReply> + use<>>, Status> {
        let reply = hello(&request.get_ref().name);
        let replies = std::iter::repeat_n(reply, STREAM_REPLY_COUNT).map(Ok);
        Ok(Response::new(futures_util::stream::iter(replies)))
    }

    async fn say_hello_bidi_stream(
        &self,
        request: Request<Streaming<HelloRequest>>,
    ) -> Result<Response<impl ReplyStream<HelloReply> + use<>>, Status> {
        // Lazy: each reply is made, and sent, as its request arrives.
        let replies = request
            .into_inner()
            .map(|received| received.map(|hello_request| hello(&hello_request.name)));
        Ok(Response::new(replies))
    }
}

/// The Greeter service, ready to add to a server.
pub fn service() -> Service {
    GreeterServer::new(DemoGreeter).into()
}
