//! `hellostreamingworld.MultiGreeter` (proto/hellostreamingworld.proto): the
//! streaming greeter of grpc's Python tutorial: its declaration (the
//! [`MultiGreeter`] trait, [`MultiGreeterServer`], [`MultiGreeterClient`])
//! and the demo's implementation, [`CountingGreeter`].
//!
//! `sayHello` answers `num_greetings` greetings, "Hello number I, NAME!" for
//! I from 1; the count is a string, as in the official proto; an empty one
//! means [`DEFAULT_GREETINGS`], anything but a decimal count is
//! INVALID_ARGUMENT. Replies are made one at a time as the stream has room for
//! them, so a large count costs no memory.

use crate::rpc::{ReplyStream, Request, Response, Service};
use crate::status::Status;

crate::message! {
    package "hellostreamingworld";
    file "hellostreamingworld.proto";

    /// The request message containing the user's name and how many greetings
    /// they want.
    pub struct HelloRequest {
        /// The name to greet.
        name: string = 1,
        /// How many greetings to send, as a decimal string ("" means 10).
        num_greetings: string = 2,
    }

    /// A response message containing a greeting.
    pub struct HelloReply {
        /// The greeting.
        message: string = 1,
    }
}

crate::service! {
    package "hellostreamingworld";
    file "hellostreamingworld.proto";

    /// The greeting service, streaming.
    pub service MultiGreeter {
        /// Sends `num_greetings` greetings.
        rpc sayHello(HelloRequest) returns (stream HelloReply);
    }
}

/// How many greetings an empty `num_greetings` asks for.
pub const DEFAULT_GREETINGS: u32 = 10;

/// "Hello number NUMBER, NAME!": the NUMBER-th reply (from 1).
pub fn greeting(number: u32, name: &str) -> HelloReply {
    HelloReply {
        message: format!("Hello number {number}, {name}!"),
    }
}

/// Reads `num_greetings`: empty is [`DEFAULT_GREETINGS`]; otherwise ASCII
/// digits only (no sign, no spaces) that fit a `u32`.
pub fn parse_num_greetings(text: &str) -> Result<u32, Status> {
    if text.is_empty() {
        return Ok(DEFAULT_GREETINGS);
    }
    let digits_only = text.bytes().all(|byte| byte.is_ascii_digit());
    match text.parse::<u32>() {
        Ok(count) if digits_only => Ok(count),
        _ => Err(Status::invalid_argument(format!(
            "num_greetings must be a whole number from 0 to {}, not {text:?}",
            u32::MAX
        ))),
    }
}

/// The demo's MultiGreeter: "Hello number I, NAME!" for I from 1 to the count.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingGreeter;

impl MultiGreeter for CountingGreeter {
    async fn say_hello(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<impl ReplyStream<HelloReply> + use<>>, Status> {
        let HelloRequest {
            name,
            num_greetings,
        } = request.into_inner();
        let count = parse_num_greetings(&num_greetings)?;
        let replies = (1..=count).map(move |number| Ok(greeting(number, &name)));
        Ok(Response::new(futures_util::stream::iter(replies)))
    }
}

/// The MultiGreeter service, ready to add to a server.
pub fn service() -> Service {
    MultiGreeterServer::new(CountingGreeter).into()
}
