//! gRPC for Rust on the `h2` crate, with a hand-written protobuf codec and no
//! code generation: messages and services are declared in Rust with
//! [`message!`] and [`service!`], which read like their `.proto`.
//!
//! # Where to start
//!
//! Declare the messages and the service, implement the service's trait,
//! serve it with a [`Server`], and call it with the generated client over a
//! [`Channel`]:
//!
//! ```
//! use h2grpc::{Channel, Request, Response, Server, Status};
//!
//! h2grpc::message! {
//!     package "helloworld";
//!     pub struct HelloRequest { name: string = 1 }
//!     pub struct HelloReply { message: string = 1 }
//! }
//!
//! h2grpc::service! {
//!     package "helloworld";
//!     /// The greeting service.
//!     pub service Greeter {
//!         /// Sends a greeting.
//!         rpc SayHello(HelloRequest) returns (HelloReply);
//!     }
//! }
//!
//! struct MyGreeter;
//!
//! impl Greeter for MyGreeter {
//!     async fn say_hello(&self, request: Request<HelloRequest>) -> Result<Response<HelloReply>, Status> {
//!         let message = format!("Hello, {}!", request.get_ref().name);
//!         Ok(Response::new(HelloReply { message }))
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//!     let address = format!("http://{}", listener.local_addr()?);
//!     let server = Server::builder().add_service(GreeterServer::new(MyGreeter));
//!     tokio::spawn(server.serve_with_listener(listener, std::future::pending()));
//!
//!     let greeter = GreeterClient::new(Channel::connect(&address).await?);
//!     let reply = greeter.say_hello(HelloRequest { name: "you".into() }).await?;
//!     println!("{}", reply.get_ref().message);
//!     Ok(())
//! }
//! ```
//!
//! The everyday names are at the crate root: [`Server`], [`Service`] (a
//! service built method by method, for quick ones), [`Channel`], [`Client`]
//! (calls by path, for services with no declaration), [`Request`],
//! [`Response`], [`Streaming`] (a stream of received messages),
//! [`ReplyStream`] (what a streaming handler returns), [`Status`] and
//! [`Code`], [`MetadataMap`], [`Message`], [`Encoding`]. The rest is in the
//! modules below.
//!
//! # Architecture
//!
//! Four layers; data flows down through them and back up, and each knows
//! only the one below it:
//!
//! | module | what it owns |
//! |---|---|
//! | `services` | the services a server offers about itself (health checking, reflection), and the demo services (feature `demo`), all written only against the public API |
//! | [`rpc`] | the four call types: the handler registry ([`Service`], the router behind [`Server`]), [`Request`] / [`Response`] / [`Streaming`], the call context (deadline, cancellation, trailing metadata), interceptors, the typed [`Client`], the `service!` method tables |
//! | [`transport`] | HTTP/2 to gRPC calls: the accept loop and connection tasks, the client [`Channel`], request and response heads, trailers and Trailers-Only answers, flow control, GOAWAY on shutdown |
//! | [`codec`] | bytes to messages: the protobuf wire format ([`Message`], [`message!`]), the 5-byte length-prefixed framing, compression |
//!
//! [`status`] (every status the library makes, and every mapping into one)
//! and [`metadata`] are the vocabulary every layer speaks; [`defaults`]
//! names every default setting, with its reason; [`rich_status`] adds the
//! `google.rpc.Status` error model.
//!
//! **The walk of a unary call on the server.** The transport accepts an h2
//! stream and reads its head in one pass (`:path`, `content-type`,
//! `grpc-timeout`, `grpc-encoding`, `grpc-accept-encoding`; a wrong method or
//! content-type is answered with an HTTP error). It hands the call (head,
//! body frames, response sink) to the router, through a trait the transport
//! defines, so `transport` never names `rpc`. The router finds the handler at
//! `:path` (none: UNIMPLEMENTED, Trailers-Only), runs the interceptors on the
//! head, reads exactly one message off the body (decompressing, within the
//! receive limit, decoding with `codec`), and runs the handler under the
//! call's deadline, the client's reset and a panic guard. The reply is
//! encoded into one buffer with its 5-byte prefix and sent as headers, one
//! DATA frame and trailers (`grpc-status`, `grpc-message`, trailing
//! metadata); a call that fails before any message is answered
//! Trailers-Only. Streaming calls run through the same engine: only how many
//! messages go each way differs, so cardinality, deadlines, cancellation and
//! the final status are handled in one place.
//!
//! **On the client**, a [`Channel`] is one HTTP/2 connection; a [`Client`]
//! (or a generated one) encodes the request, opens a stream with the call's
//! head (`grpc-timeout` from the deadline, `grpc-encoding`, metadata), sends
//! the messages as flow control allows, and reads the head, the messages and
//! the trailers back into a [`Response`] or a [`Status`].
//!
//! # Features
//!
//! | feature | what it adds | dependencies |
//! |---|---|---|
//! | `gzip` | grpc-encoding gzip and deflate; without it only identity | flate2 |
//! | `demo` | the demo services in `h2grpc::services` (implies `gzip`) | serde, serde_json, sha2 |
//! | `tls` | TLS and mTLS: `Server::tls`, `Channel::connect_tls`, `https://` | tokio-rustls (rustls, ring), rustls-native-certs |
//! | `cli` | the `h2grpc` command (implies `demo` and `tls`) | clap, tracing-subscriber |
//!
//! All four are on by default. With `default-features = false` the library
//! depends on h2, http, bytes, tokio, quick-protobuf, futures, base64,
//! percent-encoding and the `tracing` facade only (and pastey, a
//! compile-time macro that `service!` names its methods with).
#![deny(missing_docs)]

pub mod codec;
pub mod defaults;
pub mod metadata;
pub mod rich_status;
pub mod rpc;
pub mod services;
pub mod status;
pub mod transport;

/// Parsers that are not public API, for the fuzz targets (feature `fuzzing`).
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use codec::compression::Encoding;
pub use codec::{DecodeError, Message};
pub use metadata::MetadataMap;
pub use rpc::{Client, ReplyStream, Request, Response, Server, Service, Streaming};
pub use status::{Code, Status};
pub use transport::Channel;
