//! `connectrpc.conformance.v1.ConformanceService`, the service the
//! ConnectRPC conformance suite (connectrpc/conformance) drives, answering
//! as its docs/testing_servers.md describes: each call's request says how
//! to answer (response headers, data, an error, trailers, a delay), and
//! every answer echoes what the server saw (request headers, timeout, the
//! requests themselves).
//!
//! Split by job:
//! - [`messages`]: the service's messages and the suite's enums;
//! - [`compat`]: what the runner and the programs under test exchange over
//!   stdin and stdout (`h2grpc conformance-server` and
//!   `conformance-client`);
//! - `echo`: request info, headers from definitions, errors as statuses;
//! - `streams`: the ServerStream and BidiStream answers.
//!
//! Unimplemented is left out of [`Conformance`], the implementation, so
//! it answers UNIMPLEMENTED as any method an implementation leaves out.
//! IdempotentUnary is served as Unary is (over gRPC it is an ordinary
//! POST; Connect's GET form comes with the Connect protocol).

pub mod compat;
mod echo;
pub mod messages;
mod streams;

use std::time::Duration;

use bytes::Bytes;

pub use echo::{add_headers, to_error, to_headers};
pub use messages::{
    BidiStreamRequest, BidiStreamResponse, ClientStreamRequest, ClientStreamResponse,
    ConformancePayload, IdempotentUnaryRequest, IdempotentUnaryResponse, ServerStreamRequest,
    ServerStreamResponse, UnaryAnswer, UnaryRequest, UnaryResponse, UnaryResponseDefinition,
    UnimplementedRequest, UnimplementedResponse,
};

use echo::{to_status, CallFacts};
use streams::{bidi_replies, server_replies};

use crate::rich_status::Any;
use crate::rpc::{Request, Response, Service, Streaming};
use crate::status::Status;

crate::service! {
    package "connectrpc.conformance.v1";
    file "connectrpc/conformance/v1/service.proto";

    /// The service under test: each request describes its own answer.
    pub service ConformanceService {
        /// One request, one response or an error.
        rpc Unary(UnaryRequest) returns (UnaryResponse);
        /// One request, zero or more responses, maybe an error at the end.
        rpc ServerStream(ServerStreamRequest) returns (stream ServerStreamResponse);
        /// Zero or more requests, one response or an error.
        rpc ClientStream(stream ClientStreamRequest) returns (ClientStreamResponse);
        /// Requests and responses, half or full duplex.
        rpc BidiStream(stream BidiStreamRequest) returns (stream BidiStreamResponse);
        /// Never implemented: answers UNIMPLEMENTED.
        rpc Unimplemented(UnimplementedRequest) returns (UnimplementedResponse);
        /// Unary, side-effect free (Connect may call it with GET).
        rpc IdempotentUnary(IdempotentUnaryRequest) returns (IdempotentUnaryResponse);
    }
}

/// The conformance service's implementation (see the module's docs).
#[derive(Debug, Clone, Copy, Default)]
pub struct Conformance;

impl ConformanceService for Conformance {
    async fn unary(
        &self,
        request: Request<UnaryRequest>,
    ) -> Result<Response<UnaryResponse>, Status> {
        let facts = CallFacts::of(request.metadata(), request.context());
        let message = request.into_inner();
        let echoed = vec![Any::pack(&message)];
        let response = unary_answer(&facts, message.response_definition, echoed).await?;
        Ok(response.map(|payload| UnaryResponse {
            payload: Some(payload),
        }))
    }

    async fn server_stream(
        &self,
        request: Request<ServerStreamRequest>,
    ) -> Result<Response<impl crate::rpc::ReplyStream<ServerStreamResponse> + use<>>, Status> {
        let facts = CallFacts::of(request.metadata(), request.context());
        let message = request.into_inner();
        let echoed = Any::pack(&message);
        server_replies(facts, message.response_definition, echoed)
    }

    async fn client_stream(
        &self,
        request: Request<Streaming<ClientStreamRequest>>,
    ) -> Result<Response<ClientStreamResponse>, Status> {
        let facts = CallFacts::of(request.metadata(), request.context());
        let mut requests = request.into_inner();
        // testing_servers.md: "the response definition will only be
        // specified in the first request on the stream and should be
        // ignored in all subsequent requests".
        let mut definition = None;
        let mut echoed = Vec::new();
        while let Some(message) = requests.message().await? {
            if echoed.is_empty() {
                definition = message.response_definition.clone();
            }
            echoed.push(Any::pack(&message));
        }
        let response = unary_answer(&facts, definition, echoed).await?;
        Ok(response.map(|payload| ClientStreamResponse {
            payload: Some(payload),
        }))
    }

    async fn bidi_stream(
        &self,
        request: Request<Streaming<BidiStreamRequest>>,
    ) -> Result<Response<impl crate::rpc::ReplyStream<BidiStreamResponse> + use<>>, Status> {
        let facts = CallFacts::of(request.metadata(), request.context());
        bidi_replies(facts, request.into_inner()).await
    }

    async fn idempotent_unary(
        &self,
        request: Request<IdempotentUnaryRequest>,
    ) -> Result<Response<IdempotentUnaryResponse>, Status> {
        let facts = CallFacts::of(request.metadata(), request.context());
        let message = request.into_inner();
        let echoed = vec![Any::pack(&message)];
        let response = unary_answer(&facts, message.response_definition, echoed).await?;
        Ok(response.map(|payload| IdempotentUnaryResponse {
            payload: Some(payload),
        }))
    }
}

/// ConformanceService, ready to add to a server.
pub fn service() -> Service {
    ConformanceServiceServer::new(Conformance).into()
}

/// The answer of Unary, IdempotentUnary and ClientStream: the payload
/// echoing `requests`, with the definition's data, headers, trailers and
/// delay; or its error, the request info in its details. Without a
/// definition: "they should set no response headers or trailers and return
/// no response data. The returned conformance payload should only contain
/// the observed request information."
///
/// An error's headers and trailers all go out with the status: over gRPC
/// a call that fails before any message is answered Trailers-Only, so
/// they arrive as one set (the suite accepts that for unary and
/// client-stream calls: "a server API may not provide a way to set headers
/// and trailers separately on error"). As the reference server, an error
/// is sent without the delay.
async fn unary_answer(
    facts: &CallFacts,
    definition: Option<UnaryResponseDefinition>,
    requests: Vec<Any>,
) -> Result<Response<ConformancePayload>, Status> {
    let info = facts.info(requests);
    let Some(definition) = definition else {
        return Ok(Response::new(ConformancePayload {
            data: Bytes::new(),
            request_info: Some(info),
        }));
    };
    let data = match definition.response {
        Some(UnaryAnswer::error(error)) => {
            let mut status = to_status(&error, Some(info));
            add_headers(status.metadata_mut(), &definition.response_headers)?;
            add_headers(status.metadata_mut(), &definition.response_trailers)?;
            return Err(status);
        }
        Some(UnaryAnswer::response_data(data)) => data,
        None => Bytes::new(),
    };
    let mut response = Response::new(ConformancePayload {
        data,
        request_info: Some(info),
    });
    add_headers(response.metadata_mut(), &definition.response_headers)?;
    add_headers(response.trailers_mut(), &definition.response_trailers)?;
    let delay = Duration::from_millis(definition.response_delay_ms.into());
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    Ok(response)
}
