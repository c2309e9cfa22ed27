//! `grpc.testing.TestService` (proto/grpc/testing/test.proto): the service
//! of gRPC's interop suite (doc/interop-test-descriptions.md, "Server"), with
//! every server feature that does not need TLS or a proxy:
//! - EmptyCall, UnaryCall, CacheableUnaryCall (the current time in
//!   nanoseconds as its payload, `cache-control: max-age=60`),
//!   StreamingOutputCall, StreamingInputCall, FullDuplexCall, HalfDuplexCall
//!   (requests buffered until half-close, then answered in order);
//! - payloads of zeros of the requested size ([`limits`] bounds sizes,
//!   response counts and intervals), `interval_us` before each streamed
//!   response;
//! - Echo Metadata (`echo`) and Echo Status (`response_status` ends the
//!   call with that code and message);
//! - CompressedRequest (`expect_compressed` checks the message's own
//!   compressed flag) and CompressedResponse (`response_compressed` and
//!   `ResponseParameters.compressed` choose per message, through
//!   [`Outgoing`](crate::rpc::Outgoing));
//! - UnimplementedCall is left out of [`InteropTestService`], so it answers
//!   UNIMPLEMENTED as any method an implementation leaves out does;
//!   UnimplementedService is not served at all, so the router answers
//!   UNIMPLEMENTED for it.
//!
//! Both services are declared with [`service!`](crate::service), which gives
//! the clients too: [`TestServiceClient`] and [`UnimplementedServiceClient`]
//! (the suite's client cases are the `h2grpc interop-client` command's).

mod echo;
pub mod limits;
mod messages;
mod payload;
mod streams;

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;

pub use echo::{Echo, ECHO_INITIAL, ECHO_TRAILING_BIN};
pub use limits::InteropError;
pub use messages::{
    BoolValue, EchoStatus, Empty, GrpclbRouteType, Payload, PayloadType, ResponseParameters,
    SimpleRequest, SimpleResponse, StreamingInputCallRequest, StreamingInputCallResponse,
    StreamingOutputCallRequest, StreamingOutputCallResponse,
};

use payload::{body_len, check_compressed, echo_status, zeros, ResponseCompression};
use streams::{answer_all, full_duplex, half_duplex, Plan};

use crate::codec::compression::Encoding;
use crate::rpc::{ReplyStream, Request, Response, Service, Streaming};
use crate::status::Status;

crate::service! {
    package "grpc.testing";
    file "grpc/testing/test.proto";

    /// A simple service to test the various types of RPCs and experiment
    /// with performance with various types of payload.
    pub service TestService {
        /// One empty request followed by one empty response.
        rpc EmptyCall(Empty) returns (Empty);
        /// One request followed by one response.
        rpc UnaryCall(SimpleRequest) returns (SimpleResponse);
        /// One request followed by one response. Response has cache control
        /// headers set such that a caching HTTP proxy (such as GFE) can
        /// satisfy subsequent requests.
        rpc CacheableUnaryCall(SimpleRequest) returns (SimpleResponse);
        /// One request followed by a sequence of responses (streamed
        /// download). The server returns the payload with client desired
        /// type and sizes.
        rpc StreamingOutputCall(StreamingOutputCallRequest) returns (stream StreamingOutputCallResponse);
        /// A sequence of requests followed by one response (streamed
        /// upload). The server returns the aggregated size of client
        /// payload as the result.
        rpc StreamingInputCall(stream StreamingInputCallRequest) returns (StreamingInputCallResponse);
        /// A sequence of requests with each request served by the server
        /// immediately. As one request could lead to multiple responses,
        /// this interface demonstrates the idea of full duplexing.
        rpc FullDuplexCall(stream StreamingOutputCallRequest) returns (stream StreamingOutputCallResponse);
        /// A sequence of requests followed by a sequence of responses. The
        /// server buffers all the client requests and then serves them in
        /// order. A stream of responses are returned to the client when the
        /// server starts with first request.
        rpc HalfDuplexCall(stream StreamingOutputCallRequest) returns (stream StreamingOutputCallResponse);
        /// The test server will not implement this method. It will be used
        /// to test the behavior when clients call unimplemented methods.
        rpc UnimplementedCall(Empty) returns (Empty);
    }

    /// A simple service NOT implemented at servers so clients can test for
    /// that case.
    pub service UnimplementedService {
        /// A call that no server should implement.
        rpc UnimplementedCall(Empty) returns (Empty);
    }
}

/// The interop suite's TestService: every server feature that needs no TLS
/// (see the module's docs); UnimplementedCall is left out.
#[derive(Debug, Clone, Copy, Default)]
pub struct InteropTestService;

impl TestService for InteropTestService {
    async fn empty_call(&self, request: Request<Empty>) -> Result<Response<Empty>, Status> {
        let echo = Echo::from_request(request.metadata())?;
        Ok(echo.apply(Response::new(Empty {})))
    }

    async fn unary_call(
        &self,
        request: Request<SimpleRequest>,
    ) -> Result<Response<SimpleResponse>, Status> {
        unary_call(request).await
    }

    async fn cacheable_unary_call(
        &self,
        request: Request<SimpleRequest>,
    ) -> Result<Response<SimpleResponse>, Status> {
        cacheable_unary_call(request).await
    }

    async fn streaming_output_call(
        &self,
        request: Request<StreamingOutputCallRequest>,
    ) -> Result<Response<impl ReplyStream<StreamingOutputCallResponse> + use<>>, Status> {
        let echo = Echo::from_request(request.metadata())?;
        let compression = ResponseCompression::for_request(request.compression());
        let plan = Plan::of(request.into_inner())?;
        let mut response = Response::new(plan.replies(compression));
        response.set_compression(compression.encoding);
        Ok(echo.apply(response))
    }

    async fn streaming_input_call(
        &self,
        request: Request<Streaming<StreamingInputCallRequest>>,
    ) -> Result<Response<StreamingInputCallResponse>, Status> {
        streaming_input_call(request).await
    }

    async fn full_duplex_call(
        &self,
        request: Request<Streaming<StreamingOutputCallRequest>>,
    ) -> Result<Response<impl ReplyStream<StreamingOutputCallResponse> + use<>>, Status> {
        let echo = Echo::from_request(request.metadata())?;
        let compression = ResponseCompression::for_request(request.compression());
        let mut response = Response::new(full_duplex(request.into_inner(), compression));
        response.set_compression(compression.encoding);
        Ok(echo.apply(response))
    }

    async fn half_duplex_call(
        &self,
        request: Request<Streaming<StreamingOutputCallRequest>>,
    ) -> Result<Response<impl ReplyStream<StreamingOutputCallResponse> + use<>>, Status> {
        let echo = Echo::from_request(request.metadata())?;
        let compression = ResponseCompression::for_request(request.compression());
        let plans = half_duplex(request.into_inner())
            .await
            .map_err(|status| echo.apply_to_status(status))?;
        let mut response = Response::new(answer_all(plans, compression));
        response.set_compression(compression.encoding);
        Ok(echo.apply(response))
    }
}

/// TestService, ready to add to a server.
pub fn service() -> Service {
    TestServiceServer::new(InteropTestService).into()
}

/// UnaryCall: a payload of `response_size` zeros, or the echoed status.
/// A response that must not be compressed (`response_compressed: false`)
/// goes uncompressed, `grpc-encoding` left out.
async fn unary_call(request: Request<SimpleRequest>) -> Result<Response<SimpleResponse>, Status> {
    let echo = Echo::from_request(request.metadata())?;
    let compression = ResponseCompression::for_request(request.compression());
    let compressed = request.message_compressed();
    let simple = request.into_inner();
    let answer = (|| {
        check_compressed(simple.expect_compressed.as_ref(), compressed)?;
        if let Some(status) = echo_status(simple.response_status.as_ref()) {
            return Err(status);
        }
        Ok(zeros(simple.response_type, simple.response_size)?)
    })()
    .map_err(|status: Status| echo.apply_to_status(status))?;
    let reply = SimpleResponse {
        payload: Some(answer),
        ..SimpleResponse::default()
    };
    let compress = compression.compress(simple.response_compressed.as_ref());
    let mut response = Response::new(reply);
    response.set_compression(if compress {
        compression.encoding
    } else {
        Encoding::Identity
    });
    Ok(echo.apply(response))
}

/// CacheableUnaryCall: "returns the SimpleResponse proto with the payload set
/// to current timestamp [...] formated as ASCII decimal", with cache-control
/// headers (max-age 60 s) so that a caching proxy may answer repeats.
async fn cacheable_unary_call(
    request: Request<SimpleRequest>,
) -> Result<Response<SimpleResponse>, Status> {
    let echo = Echo::from_request(request.metadata())?;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    let reply = SimpleResponse {
        payload: Some(Payload {
            r#type: PayloadType::COMPRESSABLE,
            body: Bytes::from(nanos.to_string()),
        }),
        ..SimpleResponse::default()
    };
    let mut response = Response::new(reply);
    response
        .metadata_mut()
        .insert("cache-control", "max-age=60")
        .map_err(|err| Status::from(InteropError::Echo(err.to_string())))?;
    Ok(echo.apply(response))
}

/// StreamingInputCall: "upon half close immediately returns a
/// StreamingInputCallResponse where aggregated_payload_size is the sum of all
/// request payload bodies received", each message checked against its
/// `expect_compressed`.
async fn streaming_input_call(
    request: Request<Streaming<StreamingInputCallRequest>>,
) -> Result<Response<StreamingInputCallResponse>, Status> {
    let echo = Echo::from_request(request.metadata())?;
    let mut requests = request.into_inner();
    let mut total: i32 = 0;
    let summed = async {
        while let Some(message) = requests.message().await? {
            check_compressed(
                message.expect_compressed.as_ref(),
                requests.last_message_compressed(),
            )?;
            let len = i32::try_from(body_len(message.payload.as_ref()))
                .map_err(|_| InteropError::AggregateOverflow)?;
            total = total
                .checked_add(len)
                .ok_or(InteropError::AggregateOverflow)?;
        }
        Ok::<_, Status>(())
    };
    summed
        .await
        .map_err(|status| echo.apply_to_status(status))?;
    Ok(echo.apply(Response::new(StreamingInputCallResponse {
        aggregated_payload_size: total,
    })))
}
