//! `helloworld.Greeter` for the tests: what it answers (the one place the
//! Rust tests keep these texts; `tests/interop/python/greeter_spec.py` keeps
//! them for the Python peers), and a test-local Greeter that answers so,
//! declared with `service!` from outside the crate as an embedder would. It
//! lets the protocol tests run in the lean build (`--no-default-features`, no
//! `demo` feature), and every one of them exercises the generated trait,
//! adapter and client over sockets.

use futures_util::StreamExt;
use h2grpc::rpc::{ReplyStream, Request, Response, Server, Service, Streaming};
use h2grpc::Status;

h2grpc::message! {
    package "helloworld";
    /// The request message containing the user's name.
    pub struct HelloRequest { name: string = 1 }
    /// The response message containing the greetings.
    pub struct HelloReply { message: string = 1 }
}

h2grpc::service! {
    package "helloworld";
    /// The greeting service.
    pub service Greeter {
        rpc SayHello(HelloRequest) returns (HelloReply);
        rpc SayHelloAgain(HelloRequest) returns (HelloReply);
        rpc SayHello2(HelloRequest) returns (HelloReply);
        rpc SayHelloStreamReply(HelloRequest) returns (stream HelloReply);
        rpc SayHelloBidiStream(stream HelloRequest) returns (stream HelloReply);
    }
}

/// Replies sent by `SayHelloStreamReply` for one request.
pub const STREAM_REPLIES: usize = 10;

/// `SayHello`, and each reply of `SayHelloStreamReply` and `SayHelloBidiStream`.
pub fn hello(name: &str) -> String {
    format!("Hello, {name}!")
}

/// `SayHelloAgain`.
pub fn hello_again(name: &str) -> String {
    format!("Hello again, {name}!")
}

/// `SayHello2`.
pub fn hello2(name: &str) -> String {
    format!("Hello 2, {name}!")
}

/// A reply carrying `message`.
fn reply(message: String) -> HelloReply {
    HelloReply { message }
}

/// The test Greeter: no state.
struct TestGreeter;

impl Greeter for TestGreeter {
    async fn say_hello(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<HelloReply>, Status> {
        Ok(Response::new(reply(hello(&request.get_ref().name))))
    }

    async fn say_hello_again(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<HelloReply>, Status> {
        Ok(Response::new(reply(hello_again(&request.get_ref().name))))
    }

    async fn say_hello2(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<HelloReply>, Status> {
        Ok(Response::new(reply(hello2(&request.get_ref().name))))
    }

    async fn say_hello_stream_reply(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<impl ReplyStream<HelloReply> + use<>>, Status> {
        let replies = vec![Ok(reply(hello(&request.get_ref().name))); STREAM_REPLIES];
        Ok(Response::new(futures_util::stream::iter(replies)))
    }

    async fn say_hello_bidi_stream(
        &self,
        request: Request<Streaming<HelloRequest>>,
    ) -> Result<Response<impl ReplyStream<HelloReply> + use<>>, Status> {
        let replies = request
            .into_inner()
            .map(|received| received.map(|request| reply(hello(&request.name))));
        Ok(Response::new(replies))
    }
}

/// `helloworld.Greeter` with all five methods.
pub fn service() -> Service {
    GreeterServer::new(TestGreeter).into()
}

/// A server with [`service`] added: what the protocol tests serve in place
/// of `h2grpc::services::demo_server()`.
pub fn server() -> Server {
    Server::builder().add_service(service())
}
