//! custom_metadata: ASCII and binary metadata sent as initial metadata,
//! echoed back as initial and trailing metadata, on a unary and a
//! full-duplex call.

use futures_util::stream;

use super::check;
use super::error::{CaseError, Site};
use super::requests::{large_unary, ping, request, LARGE_REQUEST_SIZE, LARGE_RESPONSE_SIZE};
use super::Clients;
use h2grpc::metadata::MetadataMap;
use h2grpc::rpc::Request;
use h2grpc::services::interop::{ECHO_INITIAL, ECHO_TRAILING_BIN};

/// The value sent (and echoed) under `x-grpc-test-echo-initial`.
pub const INITIAL_VALUE: &str = "test_initial_metadata_value";

/// The value sent (and echoed) under `x-grpc-test-echo-trailing-bin`.
pub const TRAILING_VALUE: [u8; 3] = [0xab, 0xab, 0xab];

/// `request` carrying both echo keys.
fn with_echo_keys<T>(mut request: Request<T>) -> Result<Request<T>, CaseError> {
    let metadata = request.metadata_mut();
    metadata.insert(ECHO_INITIAL, INITIAL_VALUE)?;
    metadata.insert_bin(ECHO_TRAILING_BIN, TRAILING_VALUE)?;
    Ok(request)
}

/// The echoed keys, each in its place.
fn echoed(site: Site, initial: &MetadataMap, trailing: &MetadataMap) -> Result<(), CaseError> {
    check::ascii_metadata(site, "initial", initial, &ECHO_INITIAL, INITIAL_VALUE)?;
    check::binary_metadata(
        site,
        "trailing",
        trailing,
        &ECHO_TRAILING_BIN,
        &TRAILING_VALUE,
    )
}

/// custom_metadata: a large_unary UnaryCall, then a FullDuplexCall asking
/// for 314159 bytes with a payload of 271828 (then half-closed), both with
/// `x-grpc-test-echo-initial: test_initial_metadata_value` and
/// `x-grpc-test-echo-trailing-bin: 0xababab`; both succeed, and each gets
/// the first key back in its initial metadata and the second in its
/// trailing metadata.
pub async fn custom_metadata(clients: &Clients) -> Result<(), CaseError> {
    let unary = Site::call("UnaryCall");
    let outcome = clients
        .test
        .unary_call(with_echo_keys(request(large_unary()))?)
        .await;
    let reply = check::succeeded(unary, outcome)?;
    check::zeros(unary, reply.get_ref().payload.as_ref(), LARGE_RESPONSE_SIZE)?;
    echoed(unary, reply.metadata(), reply.trailers())?;

    const CALL: &str = "FullDuplexCall";
    let duplex = Site::call(CALL);
    let requests = stream::iter([ping(LARGE_RESPONSE_SIZE, LARGE_REQUEST_SIZE)]);
    let outcome = clients
        .test
        .full_duplex_call(with_echo_keys(request(requests))?)
        .await;
    let response = check::succeeded(duplex, outcome)?;
    let initial = response.metadata().clone();
    let mut replies = response.into_inner();
    let messages = check::read_all(CALL, &mut replies).await?;
    check::count(duplex, &messages, 1)?;
    for (index, reply) in messages.iter().enumerate() {
        let site = Site::response(CALL, index);
        check::zeros(site, reply.payload.as_ref(), LARGE_RESPONSE_SIZE)?;
    }
    let trailing = replies.trailers().cloned().unwrap_or_default();
    echoed(duplex, &initial, &trailing)
}
