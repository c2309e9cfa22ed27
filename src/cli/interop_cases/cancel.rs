//! The cases where the client ends a call early: cancel_after_begin and
//! cancel_after_first_response (cancelled through a [`CancelToken`], the
//! call must end CANCELLED), and timeout_on_sleeping_server (a 1 ms
//! deadline must end it DEADLINE_EXCEEDED).

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use futures_util::{stream, StreamExt};

use super::check;
use super::error::{CaseError, Site};
use super::requests::{ping, request, zeros, Feeder};
use super::Clients;
use h2grpc::rpc::{CancelToken, Request};
use h2grpc::services::interop::{StreamingInputCallRequest, StreamingOutputCallRequest};
use h2grpc::status::Code;

/// cancel_after_first_response's response size.
const FIRST_RESPONSE_SIZE: usize = 31_415;

/// cancel_after_first_response's request payload.
const FIRST_REQUEST_SIZE: usize = 27_182;

/// timeout_on_sleeping_server's deadline: "sets its timeout to 1ms".
pub const SLEEPING_TIMEOUT: Duration = Duration::from_millis(1);

/// timeout_on_sleeping_server's request payload.
const SLEEPING_PAYLOAD_SIZE: usize = 27_182;

/// Polls `future` once: `Ready` with its output if it finished, else
/// `Pending` (and it keeps what that poll started).
async fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    std::future::poll_fn(|cx| Poll::Ready(std::pin::Pin::new(&mut *future).poll(cx))).await
}

/// cancel_after_begin: start StreamingInputCall (its head sent, no
/// message), cancel it at once; it must end CANCELLED.
pub async fn cancel_after_begin(clients: &Clients) -> Result<(), CaseError> {
    let site = Site::call("StreamingInputCall");
    let token = CancelToken::new();
    // No message and no half-close: the call is begun and then waits.
    let mut begun = request(stream::pending::<StreamingInputCallRequest>());
    begun.set_cancel_token(token.clone());
    let mut call = pin!(clients.test.streaming_input_call(begun));
    // The first poll starts the call: the request head goes out as the
    // HTTP/2 stream opens, then the call waits for the response.
    if let Poll::Ready(outcome) = poll_once(&mut call).await {
        return check::failed_with(site, outcome, Code::Cancelled).map(drop);
    }
    token.cancel();
    check::failed_with(site, call.await, Code::Cancelled).map(drop)
}

/// cancel_after_first_response: FullDuplexCall with a request for 31415
/// bytes (payload 27182 zeros); after that response arrives, cancel; the
/// call must end CANCELLED.
pub async fn cancel_after_first_response(clients: &Clients) -> Result<(), CaseError> {
    const CALL: &str = "FullDuplexCall";
    let site = Site::call(CALL);
    let token = CancelToken::new();
    let (feeder, requests) = Feeder::new(CALL);
    // Queued before the call starts: a server may hold its response head
    // until its first response.
    feeder.send(ping(FIRST_RESPONSE_SIZE, FIRST_REQUEST_SIZE))?;
    let mut call = request(requests);
    call.set_cancel_token(token.clone());
    let response = check::succeeded(site, clients.test.full_duplex_call(call).await)?;
    let mut replies = response.into_inner();
    let first =
        check::succeeded(site, replies.message().await)?.ok_or(CaseError::ResponseCount {
            site,
            want: 1,
            got: 0,
        })?;
    check::zeros(
        Site::response(CALL, 0),
        first.payload.as_ref(),
        FIRST_RESPONSE_SIZE,
    )?;
    token.cancel();
    let outcome = replies.message().await;
    // The request stream stays open until the call is over: the
    // cancellation, not a half-close, must end it.
    drop(feeder);
    check::failed_with(site, outcome, Code::Cancelled).map(drop)
}

/// timeout_on_sleeping_server: FullDuplexCall with a 1 ms deadline, one
/// request (payload 27182 zeros, no response asked for), and no half-close;
/// the client waits, and the call must end DEADLINE_EXCEEDED.
pub async fn timeout_on_sleeping_server(clients: &Clients) -> Result<(), CaseError> {
    let site = Site::call("FullDuplexCall");
    let sleeper = StreamingOutputCallRequest {
        payload: Some(zeros(SLEEPING_PAYLOAD_SIZE)),
        ..StreamingOutputCallRequest::default()
    };
    let requests = stream::iter([sleeper]).chain(stream::pending());
    let mut call = Request::new(requests);
    call.set_timeout(SLEEPING_TIMEOUT);
    let ended = check::finish(clients.test.full_duplex_call(call).await).await;
    check::failed_with(site, ended, Code::DeadlineExceeded).map(drop)
}
