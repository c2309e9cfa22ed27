//! The compression cases: client_compressed_unary and
//! client_compressed_streaming (the server checks each request message's
//! compressed flag against `expect_compressed`, after a probe showing it
//! does), server_compressed_unary and server_compressed_streaming (we check
//! each response message's flag against what was asked).

use futures_util::stream;

use super::check;
use super::error::{CaseError, Site};
use super::requests::{flag, input, large_unary, parameters, request, LARGE_RESPONSE_SIZE};
use super::Clients;
use h2grpc::codec::compression::Encoding;
use h2grpc::rpc::Outgoing;
use h2grpc::services::interop::{
    SimpleRequest, StreamingInputCallRequest, StreamingInputCallResponse,
    StreamingOutputCallRequest, TestServiceServer,
};
use h2grpc::status::Code;

/// The encoding the client-compressed cases compress with.
const ENCODING: Encoding = Encoding::Gzip;

/// client_compressed_streaming's first payload (compressed).
const FIRST_SIZE: usize = 27_182;

/// client_compressed_streaming's second payload (uncompressed).
const SECOND_SIZE: usize = 45_904;

/// server_compressed_streaming's responses: whether each is compressed,
/// and its size.
const SERVER_STREAM: [(bool, usize); 2] = [(true, 31_415), (false, 92_653)];

/// large_unary's request with `expect_compressed` set to `expect`.
fn expecting(expect: bool) -> SimpleRequest {
    SimpleRequest {
        expect_compressed: flag(expect),
        ..large_unary()
    }
}

/// client_compressed_unary: the probe, an uncompressed UnaryCall with
/// `expect_compressed: true`, must fail INVALID_ARGUMENT ("the server
/// supports the CompressedRequest feature"); then the same message
/// compressed, and one with `expect_compressed: false` uncompressed, must
/// succeed with 314159 zeros.
pub async fn client_compressed_unary(clients: &Clients) -> Result<(), CaseError> {
    let probe = Site::call("probe UnaryCall");
    let outcome = clients.test.unary_call(request(expecting(true))).await;
    check::failed_with(probe, outcome, Code::InvalidArgument)?;

    for (expect, call) in [
        (true, "compressed UnaryCall"),
        (false, "uncompressed UnaryCall"),
    ] {
        let site = Site::call(call);
        let mut compressed = request(expecting(expect));
        compressed.set_compression(if expect { ENCODING } else { Encoding::Identity });
        let reply = check::succeeded(site, clients.test.unary_call(compressed).await)?;
        check::zeros(site, reply.get_ref().payload.as_ref(), LARGE_RESPONSE_SIZE)?;
    }
    Ok(())
}

/// server_compressed_unary: UnaryCall with `response_compressed` true,
/// then false; each response must have its compressed flag set as asked
/// and 314159 zeros.
pub async fn server_compressed_unary(clients: &Clients) -> Result<(), CaseError> {
    for (compress, call) in [
        (true, "UnaryCall response_compressed=true"),
        (false, "UnaryCall response_compressed=false"),
    ] {
        let site = Site::call(call);
        let asked = SimpleRequest {
            response_compressed: flag(compress),
            ..large_unary()
        };
        let reply = check::succeeded(site, clients.test.unary_call(request(asked)).await)?;
        check::compressed(site, reply.message_compressed(), compress)?;
        check::zeros(site, reply.get_ref().payload.as_ref(), LARGE_RESPONSE_SIZE)?;
    }
    Ok(())
}

/// A StreamingInputCall request of `size` zeros with `expect_compressed`.
fn expecting_input(expect: bool, size: usize) -> StreamingInputCallRequest {
    StreamingInputCallRequest {
        expect_compressed: flag(expect),
        ..input(size)
    }
}

/// client_compressed_streaming: the probe, a StreamingInputCall whose one
/// message is uncompressed with `expect_compressed: true`, must fail
/// INVALID_ARGUMENT; then a gzip call whose first message is compressed
/// (`expect_compressed: true`, 27182 zeros) and second is not
/// (`expect_compressed: false`, 45904 zeros) must sum them to 73086.
pub async fn client_compressed_streaming(clients: &Clients) -> Result<(), CaseError> {
    let probe = Site::call("probe StreamingInputCall");
    let probe_messages = stream::iter([expecting_input(true, FIRST_SIZE)]);
    let outcome = clients
        .test
        .streaming_input_call(request(probe_messages))
        .await;
    check::failed_with(probe, outcome, Code::InvalidArgument)?;

    let site = Site::call("StreamingInputCall");
    // Per message: the call compresses, the second message opts out.
    let messages = stream::iter([
        Outgoing::compressed(expecting_input(true, FIRST_SIZE)),
        Outgoing::uncompressed(expecting_input(false, SECOND_SIZE)),
    ]);
    let mut call = request(messages);
    call.set_compression(ENCODING);
    // The typed client sends plain messages: the generic one takes
    // `Outgoing`s, each with its own choice.
    let outcome = clients
        .client
        .client_streaming::<_, StreamingInputCallResponse, _>(
            TestServiceServer::STREAMING_INPUT_CALL,
            call,
        )
        .await;
    let reply = check::succeeded(site, outcome)?;
    let want = FIRST_SIZE + SECOND_SIZE;
    check::aggregated_size(site, reply.get_ref().aggregated_payload_size, want)
}

/// server_compressed_streaming: StreamingOutputCall asking for a
/// compressed response of 31415 bytes, then an uncompressed one of 92653;
/// exactly two responses, each flagged as asked, each of zeros.
pub async fn server_compressed_streaming(clients: &Clients) -> Result<(), CaseError> {
    const CALL: &str = "StreamingOutputCall";
    let asked = StreamingOutputCallRequest {
        response_parameters: SERVER_STREAM
            .iter()
            .map(|&(compress, size)| parameters(size, Some(compress)))
            .collect(),
        ..StreamingOutputCallRequest::default()
    };
    let outcome = clients.test.streaming_output_call(request(asked)).await;
    let mut replies = check::succeeded(Site::call(CALL), outcome)?.into_inner();
    let mut index = 0;
    loop {
        let message = check::succeeded(Site::call(CALL), replies.message().await)?;
        let Some(reply) = message else { break };
        let site = Site::response(CALL, index);
        let Some(&(compress, size)) = SERVER_STREAM.get(index) else {
            return Err(CaseError::ResponseCount {
                site: Site::call(CALL),
                want: SERVER_STREAM.len(),
                got: index + 1,
            });
        };
        check::compressed(site, replies.last_message_compressed(), compress)?;
        check::zeros(site, reply.payload.as_ref(), size)?;
        index += 1;
    }
    if index != SERVER_STREAM.len() {
        return Err(CaseError::ResponseCount {
            site: Site::call(CALL),
            want: SERVER_STREAM.len(),
            got: index,
        });
    }
    Ok(())
}
