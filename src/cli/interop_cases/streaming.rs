//! The streaming cases: client_streaming, server_streaming, ping_pong and
//! empty_stream.

use futures_util::stream;

use super::check;
use super::error::{CaseError, Site};
use super::requests::{
    input, parameters, ping, request, Feeder, CLIENT_STREAM_SIZES, SERVER_STREAM_SIZES,
};
use super::Clients;
use h2grpc::services::interop::{StreamingOutputCallRequest, StreamingOutputCallResponse};

/// client_streaming: StreamingInputCall with payloads of 27182, 8, 1828
/// and 45904 zeros, then half-close; `aggregated_payload_size` must be 74922.
pub async fn client_streaming(clients: &Clients) -> Result<(), CaseError> {
    let site = Site::call("StreamingInputCall");
    let messages = stream::iter(CLIENT_STREAM_SIZES.map(input));
    let outcome = clients.test.streaming_input_call(request(messages)).await;
    let reply = check::succeeded(site, outcome)?;
    let want: usize = CLIENT_STREAM_SIZES.iter().sum();
    check::aggregated_size(site, reply.get_ref().aggregated_payload_size, want)
}

/// server_streaming: StreamingOutputCall asking for responses of 31415, 9,
/// 2653 and 58979 bytes; exactly four, in that order, of zeros, then OK.
pub async fn server_streaming(clients: &Clients) -> Result<(), CaseError> {
    const CALL: &str = "StreamingOutputCall";
    let asked = StreamingOutputCallRequest {
        response_parameters: SERVER_STREAM_SIZES
            .iter()
            .map(|&size| parameters(size, None))
            .collect(),
        ..StreamingOutputCallRequest::default()
    };
    let outcome = clients.test.streaming_output_call(request(asked)).await;
    let mut replies = check::succeeded(Site::call(CALL), outcome)?.into_inner();
    let replies = check::read_all(CALL, &mut replies).await?;
    sized_as(CALL, &replies, &SERVER_STREAM_SIZES)
}

/// Exactly `sizes.len()` responses, the `i`th of `sizes[i]` zeros.
fn sized_as(
    call: &'static str,
    replies: &[StreamingOutputCallResponse],
    sizes: &[usize],
) -> Result<(), CaseError> {
    check::count(Site::call(call), replies, sizes.len())?;
    for (index, (reply, &size)) in replies.iter().zip(sizes).enumerate() {
        check::zeros(Site::response(call, index), reply.payload.as_ref(), size)?;
    }
    Ok(())
}

/// ping_pong: FullDuplexCall, one request at a time (responses of 31415,
/// 9, 2653, 58979 bytes for payloads of 27182, 8, 1828, 45904), each sent
/// only after the reply to the one before; then half-close. Exactly four
/// responses, sized in order, then OK.
pub async fn ping_pong(clients: &Clients) -> Result<(), CaseError> {
    const CALL: &str = "FullDuplexCall";
    let mut pings = SERVER_STREAM_SIZES.iter().zip(&CLIENT_STREAM_SIZES);
    let (feeder, requests) = Feeder::new(CALL);
    // The first request is queued before the call starts: a server may
    // hold its response head until its first response.
    if let Some((&response_size, &payload_size)) = pings.next() {
        feeder.send(ping(response_size, payload_size))?;
    }
    let outcome = clients.test.full_duplex_call(request(requests)).await;
    let mut replies = check::succeeded(Site::call(CALL), outcome)?.into_inner();
    for (index, &size) in SERVER_STREAM_SIZES.iter().enumerate() {
        let site = Site::response(CALL, index);
        let reply =
            check::succeeded(site, replies.message().await)?.ok_or(CaseError::ResponseCount {
                site: Site::call(CALL),
                want: SERVER_STREAM_SIZES.len(),
                got: index,
            })?;
        check::zeros(site, reply.payload.as_ref(), size)?;
        // "After getting a reply, it sends" the next request.
        if let Some((&response_size, &payload_size)) = pings.next() {
            feeder.send(ping(response_size, payload_size))?;
        }
    }
    // "After getting a reply, client half-closes"; the server must end the
    // call OK with nothing more.
    drop(feeder);
    let rest = check::read_all(CALL, &mut replies).await?;
    if !rest.is_empty() {
        return Err(CaseError::ResponseCount {
            site: Site::call(CALL),
            want: SERVER_STREAM_SIZES.len(),
            got: SERVER_STREAM_SIZES.len() + rest.len(),
        });
    }
    Ok(())
}

/// empty_stream: FullDuplexCall that half-closes at once; exactly zero
/// responses, then OK.
pub async fn empty_stream(clients: &Clients) -> Result<(), CaseError> {
    const CALL: &str = "FullDuplexCall";
    let requests = stream::empty::<StreamingOutputCallRequest>();
    let outcome = clients.test.full_duplex_call(request(requests)).await;
    let mut replies = check::succeeded(Site::call(CALL), outcome)?.into_inner();
    let replies = check::read_all(CALL, &mut replies).await?;
    check::count(Site::call(CALL), &replies, 0)
}
