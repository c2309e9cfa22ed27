//! HTTP/2 streams to gRPC calls and back: the server's accept loop and
//! connection tasks, the client [`Channel`], request and response heads,
//! trailers and trailers-only answers, flow-control release, GOAWAY on
//! shutdown. Knows nothing of message types or handlers: it hands each call
//! to a [`Dispatch`].

mod body;
mod channel;
mod config;
mod deadline;
mod head;
mod response;
mod send;
mod server;

pub use body::RecvBody;
pub use channel::{Channel, ConnectError, PendingResponse, ReceivedResponse, RequestSink};
pub use config::*;
pub use deadline::{format_timeout, parse_timeout, Deadline, TimeoutError};
pub use head::{Rejection, RequestHead, GRPC_ACCEPT_ENCODING, GRPC_ENCODING, GRPC_TIMEOUT};
pub use response::ResponseSink;
pub use server::{serve_connection, serve_incoming, serve_listener, Dispatch, ServerCall};
