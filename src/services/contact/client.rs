//! [`ContactClient`]: the typed client of `contact.Contact`.

use super::messages::{ClientMsg, Empty, Result as ResultMsg, ServerMsg};
use crate::rpc::{Client, IntoStreamingRequest, Request, Response, Streaming};
use crate::status::Status;
use crate::transport::Channel;

/// A typed client for `contact.Contact`.
#[derive(Debug, Clone)]
pub struct ContactClient {
    client: Client,
}

impl ContactClient {
    /// A client calling on `channel`.
    pub fn new(channel: Channel) -> ContactClient {
        ContactClient {
            client: Client::new(channel),
        }
    }

    /// `sendStatus`: reports statuses; the server answers each one as it
    /// arrives, so answers can be read while statuses are still being sent.
    pub async fn send_status(
        &self,
        statuses: impl IntoStreamingRequest<Message = ClientMsg>,
    ) -> Result<Response<Streaming<ResultMsg>>, Status> {
        self.client
            .bidi_streaming(
                "/contact.Contact/sendStatus",
                statuses.into_streaming_request(),
            )
            .await
    }

    /// `getTask`: subscribes to the server's tasks; the stream stays open,
    /// yielding each task pushed from now on, until it is dropped (which
    /// cancels the call and unsubscribes).
    pub async fn get_task(
        &self,
        request: impl Into<Request<Empty>>,
    ) -> Result<Response<Streaming<ServerMsg>>, Status> {
        self.client
            .server_streaming("/contact.Contact/getTask", request.into())
            .await
    }

    /// `tellResult`: acknowledges handled tasks; the server answers once the
    /// stream of acknowledgements ends.
    pub async fn tell_result(
        &self,
        results: impl IntoStreamingRequest<Message = ResultMsg>,
    ) -> Result<Response<Empty>, Status> {
        self.client
            .client_streaming(
                "/contact.Contact/tellResult",
                results.into_streaming_request(),
            )
            .await
    }
}
