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
//!   [`Outgoing`]);
//! - UnimplementedCall answers UNIMPLEMENTED, as generated code does for a
//!   method the server leaves out; UnimplementedService is not served at
//!   all, so the router answers UNIMPLEMENTED for it.
//!
//! The client side: [`TestServiceClient`] and [`UnimplementedServiceClient`],
//! and the suite's client cases in [`cases`].

pub mod cases;
mod client;
mod echo;
pub mod limits;
mod messages;
mod payload;
mod streams;

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;

pub use client::{TestServiceClient, UnimplementedServiceClient};
pub use echo::{Echo, ECHO_INITIAL, ECHO_TRAILING_BIN};
pub use limits::InteropError;
pub use messages::{
    BoolValue, EchoStatus, Empty, GrpclbRouteType, Payload, PayloadType, ResponseParameters,
    SimpleRequest, SimpleResponse, StreamingInputCallRequest, StreamingInputCallResponse,
    StreamingOutputCallRequest, StreamingOutputCallResponse,
};

use payload::{body_len, check_compressed, echo_status, zeros, ResponseCompression};
use streams::{answer_all, full_duplex, half_duplex, Plan};

use crate::rpc::{Outgoing, Request, Response, Service, Streaming};
use crate::status::{Code, Status};

/// The service's full name.
pub const SERVICE_NAME: &str = "grpc.testing.TestService";

/// The full name of the service no server implements.
pub const UNIMPLEMENTED_SERVICE_NAME: &str = "grpc.testing.UnimplementedService";

/// TestService, ready to add to a server.
pub fn service() -> Service {
    Service::new(SERVICE_NAME)
        .unary("EmptyCall", |request: Request<Empty>| async move {
            let echo = Echo::from_request(request.metadata())?;
            Ok(echo.apply(Response::new(Empty {})))
        })
        .unary("UnaryCall", unary_call)
        .unary("CacheableUnaryCall", cacheable_unary_call)
        .server_streaming(
            "StreamingOutputCall",
            |request: Request<StreamingOutputCallRequest>| async move {
                let echo = Echo::from_request(request.metadata())?;
                let compression = ResponseCompression::for_request(request.compression());
                let plan = Plan::of(request.into_inner())?;
                let mut response = Response::new(plan.replies(compression));
                response.set_compression(compression.encoding);
                Ok(echo.apply(response))
            },
        )
        .client_streaming("StreamingInputCall", streaming_input_call)
        .bidi_streaming(
            "FullDuplexCall",
            |request: Request<Streaming<StreamingOutputCallRequest>>| async move {
                let echo = Echo::from_request(request.metadata())?;
                let compression = ResponseCompression::for_request(request.compression());
                let mut response = Response::new(full_duplex(request.into_inner(), compression));
                response.set_compression(compression.encoding);
                Ok(echo.apply(response))
            },
        )
        .bidi_streaming(
            "HalfDuplexCall",
            |request: Request<Streaming<StreamingOutputCallRequest>>| async move {
                let echo = Echo::from_request(request.metadata())?;
                let compression = ResponseCompression::for_request(request.compression());
                let plans = half_duplex(request.into_inner())
                    .await
                    .map_err(|status| echo.apply_to_status(status))?;
                let mut response = Response::new(answer_all(plans, compression));
                response.set_compression(compression.encoding);
                Ok(echo.apply(response))
            },
        )
        .unary("UnimplementedCall", |_: Request<Empty>| async move {
            Err::<Response<Empty>, _>(Status::new(
                Code::Unimplemented,
                "grpc.testing.TestService/UnimplementedCall is not implemented",
            ))
        })
}

/// UnaryCall: a payload of `response_size` zeros, or the echoed status.
async fn unary_call(
    request: Request<SimpleRequest>,
) -> Result<Response<Outgoing<SimpleResponse>>, Status> {
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
    let mut response = Response::new(Outgoing::new(reply, compress));
    response.set_compression(compression.encoding);
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
