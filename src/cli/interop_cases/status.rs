//! The status cases: status_code_and_message and special_status_message
//! (the server echoes the status asked for, code and message intact), and
//! unimplemented_method and unimplemented_service (UNIMPLEMENTED).

use futures_util::stream;

use super::check;
use super::error::{CaseError, Site};
use super::requests::request;
use super::Clients;
use h2grpc::services::interop::{EchoStatus, Empty, SimpleRequest, StreamingOutputCallRequest};
use h2grpc::status::Code;

/// The code both echo-status cases ask for: 2, UNKNOWN.
const ECHOED_CODE: Code = Code::Unknown;

/// status_code_and_message's message.
pub const PLAIN_MESSAGE: &str = "test status message";

/// special_status_message's message: whitespace, a BMP and a non-BMP
/// character, which must come back byte for byte.
pub const SPECIAL_MESSAGE: &str =
    "\t\ntest with whitespace\r\nand Unicode BMP \u{263a} and non-BMP \u{1f608}\t\n";

/// `response_status` asking for [`ECHOED_CODE`] and `message`.
fn echo_status(message: &str) -> Option<EchoStatus> {
    Some(EchoStatus {
        code: ECHOED_CODE.as_i32(),
        message: message.to_owned(),
    })
}

/// A UnaryCall asking for `message` back must end with it and the code.
async fn unary_echo(clients: &Clients, message: &str) -> Result<(), CaseError> {
    let site = Site::call("UnaryCall");
    let asked = SimpleRequest {
        response_status: echo_status(message),
        ..SimpleRequest::default()
    };
    let outcome = clients.test.unary_call(request(asked)).await;
    let status = check::failed_with(site, outcome, ECHOED_CODE)?;
    check::message_is(site, &status, message)
}

/// status_code_and_message: UnaryCall, then FullDuplexCall (one request,
/// then half-close), each with `response_status {code: 2, message: "test
/// status message"}`; each must end with that code and message.
pub async fn status_code_and_message(clients: &Clients) -> Result<(), CaseError> {
    unary_echo(clients, PLAIN_MESSAGE).await?;

    let site = Site::call("FullDuplexCall");
    let asked = StreamingOutputCallRequest {
        response_status: echo_status(PLAIN_MESSAGE),
        ..StreamingOutputCallRequest::default()
    };
    let requests = stream::iter([asked]);
    let ended = check::finish(clients.test.full_duplex_call(request(requests)).await).await;
    let status = check::failed_with(site, ended, ECHOED_CODE)?;
    check::message_is(site, &status, PLAIN_MESSAGE)
}

/// special_status_message: UnaryCall with `response_status {code: 2,
/// message: "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP
/// 😈\t\n"}`; it must end with that code and exactly that message.
pub async fn special_status_message(clients: &Clients) -> Result<(), CaseError> {
    unary_echo(clients, SPECIAL_MESSAGE).await
}

/// unimplemented_method: `grpc.testing.TestService/UnimplementedCall` with
/// an Empty must end UNIMPLEMENTED.
pub async fn unimplemented_method(clients: &Clients) -> Result<(), CaseError> {
    let site = Site::call("TestService/UnimplementedCall");
    let outcome = clients.test.unimplemented_call(request(Empty {})).await;
    check::failed_with(site, outcome, Code::Unimplemented).map(drop)
}

/// unimplemented_service: `grpc.testing.UnimplementedService/UnimplementedCall`
/// with an Empty must end UNIMPLEMENTED.
pub async fn unimplemented_service(clients: &Clients) -> Result<(), CaseError> {
    let site = Site::call("UnimplementedService/UnimplementedCall");
    let outcome = clients
        .unimplemented
        .unimplemented_call(request(Empty {}))
        .await;
    check::failed_with(site, outcome, Code::Unimplemented).map(drop)
}
