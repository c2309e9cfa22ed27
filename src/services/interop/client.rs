//! Typed clients for `grpc.testing.TestService` and
//! `grpc.testing.UnimplementedService` (proto/grpc/testing/test.proto), as
//! `GreeterClient` is for the Greeter: each method names its path and
//! message types over the generic [`Client`].

use futures_util::StreamExt;

use super::messages::{
    Empty, SimpleRequest, SimpleResponse, StreamingInputCallRequest, StreamingInputCallResponse,
    StreamingOutputCallRequest, StreamingOutputCallResponse,
};
use crate::rpc::{Client, IntoStreamingRequest, Outgoing, Request, Response, Streaming};
use crate::status::Status;
use crate::transport::Channel;

/// A typed client for `grpc.testing.TestService`. The streaming-request
/// methods take a [`Request`] around the stream (`Request::new(stream)`
/// when there is nothing else to set).
#[derive(Debug, Clone)]
pub struct TestServiceClient {
    client: Client,
}

impl TestServiceClient {
    /// A client calling on `channel`.
    pub fn new(channel: Channel) -> TestServiceClient {
        TestServiceClient::from_client(Client::new(channel))
    }

    /// A client making its calls through `client` (its compression and
    /// interceptors apply).
    pub fn from_client(client: Client) -> TestServiceClient {
        TestServiceClient { client }
    }

    /// `EmptyCall`: one empty request, one empty response.
    pub async fn empty_call(
        &self,
        request: impl Into<Request<Empty>>,
    ) -> Result<Response<Empty>, Status> {
        self.client
            .unary("/grpc.testing.TestService/EmptyCall", request.into())
            .await
    }

    /// `UnaryCall`: one request, one response shaped by it.
    pub async fn unary_call(
        &self,
        request: impl Into<Request<SimpleRequest>>,
    ) -> Result<Response<SimpleResponse>, Status> {
        self.client
            .unary("/grpc.testing.TestService/UnaryCall", request.into())
            .await
    }

    /// `CacheableUnaryCall`: the server's current time, with cache headers.
    pub async fn cacheable_unary_call(
        &self,
        request: impl Into<Request<SimpleRequest>>,
    ) -> Result<Response<SimpleResponse>, Status> {
        self.client
            .unary(
                "/grpc.testing.TestService/CacheableUnaryCall",
                request.into(),
            )
            .await
    }

    /// `StreamingOutputCall`: one request, one response per
    /// `ResponseParameters`.
    pub async fn streaming_output_call(
        &self,
        request: impl Into<Request<StreamingOutputCallRequest>>,
    ) -> Result<Response<Streaming<StreamingOutputCallResponse>>, Status> {
        self.client
            .server_streaming(
                "/grpc.testing.TestService/StreamingOutputCall",
                request.into(),
            )
            .await
    }

    /// `StreamingInputCall`: a stream of requests, then the size of their
    /// payloads together. Each request may be a plain
    /// `StreamingInputCallRequest` or an [`Outgoing`] one that opts out of
    /// the call's compression.
    pub async fn streaming_input_call<M>(
        &self,
        requests: impl IntoStreamingRequest<Message = M>,
    ) -> Result<Response<StreamingInputCallResponse>, Status>
    where
        M: Into<Outgoing<StreamingInputCallRequest>> + Send + 'static,
    {
        let requests = requests
            .into_streaming_request()
            .map(|messages| messages.map(Into::<Outgoing<StreamingInputCallRequest>>::into));
        self.client
            .client_streaming("/grpc.testing.TestService/StreamingInputCall", requests)
            .await
    }

    /// `FullDuplexCall`: each request answered as it arrives.
    pub async fn full_duplex_call(
        &self,
        requests: impl IntoStreamingRequest<Message = StreamingOutputCallRequest>,
    ) -> Result<Response<Streaming<StreamingOutputCallResponse>>, Status> {
        self.client
            .bidi_streaming(
                "/grpc.testing.TestService/FullDuplexCall",
                requests.into_streaming_request(),
            )
            .await
    }

    /// `HalfDuplexCall`: every request read first, then all answered in order.
    pub async fn half_duplex_call(
        &self,
        requests: impl IntoStreamingRequest<Message = StreamingOutputCallRequest>,
    ) -> Result<Response<Streaming<StreamingOutputCallResponse>>, Status> {
        self.client
            .bidi_streaming(
                "/grpc.testing.TestService/HalfDuplexCall",
                requests.into_streaming_request(),
            )
            .await
    }

    /// `UnimplementedCall`: a method the test servers leave unimplemented.
    pub async fn unimplemented_call(
        &self,
        request: impl Into<Request<Empty>>,
    ) -> Result<Response<Empty>, Status> {
        self.client
            .unary(
                "/grpc.testing.TestService/UnimplementedCall",
                request.into(),
            )
            .await
    }
}

/// A typed client for `grpc.testing.UnimplementedService`, the service no
/// test server implements.
#[derive(Debug, Clone)]
pub struct UnimplementedServiceClient {
    client: Client,
}

impl UnimplementedServiceClient {
    /// A client calling on `channel`.
    pub fn new(channel: Channel) -> UnimplementedServiceClient {
        UnimplementedServiceClient {
            client: Client::new(channel),
        }
    }

    /// `UnimplementedCall`.
    pub async fn unimplemented_call(
        &self,
        request: impl Into<Request<Empty>>,
    ) -> Result<Response<Empty>, Status> {
        self.client
            .unary(
                "/grpc.testing.UnimplementedService/UnimplementedCall",
                request.into(),
            )
            .await
    }
}
