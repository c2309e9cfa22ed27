//! The streamed answers: one StreamingOutputCallResponse per
//! ResponseParameters, each after its `interval_us`, compressed as it asks;
//! and HalfDuplexCall's buffer of requests, answered after half-close.

use futures_core::Stream;
use futures_util::{stream, StreamExt};

use super::limits::{interval, InteropError, MAX_RESPONSES};
use super::messages::{
    EchoStatus, PayloadType, ResponseParameters, StreamingOutputCallRequest,
    StreamingOutputCallResponse,
};
use super::payload::{echo_status, zeros, ResponseCompression};
use crate::rpc::{Outgoing, Streaming};
use crate::status::Status;

/// A streamed response, with its own compression choice.
pub type Reply = Outgoing<StreamingOutputCallResponse>;

/// What one request asks to be answered with, its payload dropped (a
/// request may carry megabytes the answer never needs).
#[derive(Debug, Clone)]
pub struct Plan {
    response_type: PayloadType,
    parameters: Vec<ResponseParameters>,
    status: Option<EchoStatus>,
}

impl Plan {
    /// The plan of `request`, refused when it asks for more than
    /// [`MAX_RESPONSES`] responses.
    pub fn of(request: StreamingOutputCallRequest) -> Result<Plan, InteropError> {
        let count = request.response_parameters.len();
        if count > MAX_RESPONSES {
            return Err(InteropError::TooManyResponses(count));
        }
        Ok(Plan {
            response_type: request.response_type,
            parameters: request.response_parameters,
            status: request.response_status,
        })
    }

    /// The number of responses it asks for.
    pub fn response_count(&self) -> usize {
        self.parameters.len()
    }

    /// The replies, each made and sent after its interval, lazily; then the
    /// echoed status, if one was asked for. Echo Status: "The server will
    /// not process any further messages on the stream sent by the client":
    /// the error ends the call.
    ///
    /// StreamingOutputCall: "replying, in order, with one
    /// StreamingOutputCallResponse for each ResponseParameters". With an
    /// echoed status, the status is all there is (the interop clients send
    /// it with no ResponseParameters).
    pub fn replies(
        self,
        compression: ResponseCompression,
    ) -> impl Stream<Item = Result<Reply, Status>> + Send + 'static {
        if let Some(status) = echo_status(self.status.as_ref()) {
            return stream::once(async move { Err(status) }).left_stream();
        }
        let response_type = self.response_type;
        stream::iter(self.parameters)
            .then(move |parameters| reply(response_type, parameters, compression))
            .right_stream()
    }
}

/// One reply: waits `interval_us`, then a payload of `size` zeros.
/// "`interval_us` acts like a sleep *before* sending the response and
/// accumulates from one response to the next."
async fn reply(
    response_type: PayloadType,
    parameters: ResponseParameters,
    compression: ResponseCompression,
) -> Result<Reply, Status> {
    let wait = interval(parameters.interval_us)?;
    let payload = zeros(response_type, parameters.size)?;
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let response = StreamingOutputCallResponse {
        payload: Some(payload),
    };
    Ok(Outgoing::new(
        response,
        compression.compress(parameters.compressed.as_ref()),
    ))
}

/// FullDuplexCall: each request is answered as it arrives, in order.
pub fn full_duplex(
    requests: Streaming<StreamingOutputCallRequest>,
    compression: ResponseCompression,
) -> impl Stream<Item = Result<Reply, Status>> + Send + 'static {
    requests
        .map(
            move |request| match request.and_then(|r| Plan::of(r).map_err(Status::from)) {
                Ok(plan) => plan.replies(compression).left_stream(),
                Err(status) => stream::once(async move { Err(status) }).right_stream(),
            },
        )
        .flatten()
}

/// HalfDuplexCall: every request is read (only its plan kept, at most
/// [`MAX_RESPONSES`] responses over the whole call) until the client
/// half-closes; then the plans are answered in order.
pub async fn half_duplex(
    mut requests: Streaming<StreamingOutputCallRequest>,
) -> Result<Vec<Plan>, Status> {
    let mut plans = Vec::new();
    let mut total = 0usize;
    while let Some(request) = requests.message().await? {
        let plan = Plan::of(request)?;
        total = total.saturating_add(plan.response_count().max(1));
        if total > MAX_RESPONSES {
            return Err(InteropError::TooManyResponses(total).into());
        }
        plans.push(plan);
    }
    Ok(plans)
}

/// The replies to buffered `plans`, in order.
pub fn answer_all(
    plans: Vec<Plan>,
    compression: ResponseCompression,
) -> impl Stream<Item = Result<Reply, Status>> + Send + 'static {
    stream::iter(plans)
        .map(move |plan| plan.replies(compression))
        .flatten()
}
