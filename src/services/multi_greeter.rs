//! `hellostreamingworld.MultiGreeter` (proto/hellostreamingworld.proto): the
//! streaming greeter of grpc's Python tutorial, and its typed client.
//!
//! `sayHello` answers `num_greetings` greetings, "Hello number I, NAME!" for
//! I from 1; the count is a string, as in the official proto; an empty one
//! means [`DEFAULT_GREETINGS`], anything but a decimal count is
//! INVALID_ARGUMENT. Replies are made one at a time as the stream has room for
//! them, so a large count costs no memory.

use crate::rpc::{Client, Request, Response, Service, Streaming};
use crate::status::Status;
use crate::transport::Channel;

crate::message! {
    package "hellostreamingworld";

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

/// The service's full name.
pub const SERVICE_NAME: &str = "hellostreamingworld.MultiGreeter";

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

/// The MultiGreeter service, ready to add to a server.
pub fn service() -> Service {
    Service::new(SERVICE_NAME).server_streaming(
        "sayHello",
        |request: Request<HelloRequest>| async move {
            let HelloRequest {
                name,
                num_greetings,
            } = request.into_inner();
            let count = parse_num_greetings(&num_greetings)?;
            let replies = (1..=count).map(move |number| Ok(greeting(number, &name)));
            Ok(Response::new(futures_util::stream::iter(replies)))
        },
    )
}

/// A typed client for `hellostreamingworld.MultiGreeter`.
#[derive(Debug, Clone)]
pub struct MultiGreeterClient {
    client: Client,
}

impl MultiGreeterClient {
    /// A client calling on `channel`.
    pub fn new(channel: Channel) -> MultiGreeterClient {
        MultiGreeterClient {
            client: Client::new(channel),
        }
    }

    /// `sayHello`: a stream of `num_greetings` greetings.
    pub async fn say_hello(
        &self,
        request: impl Into<Request<HelloRequest>>,
    ) -> Result<Response<Streaming<HelloReply>>, Status> {
        self.client
            .server_streaming("/hellostreamingworld.MultiGreeter/sayHello", request.into())
            .await
    }
}
