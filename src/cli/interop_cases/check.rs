//! The client asserts the cases share: a call succeeded, or failed with a
//! given code and message; a payload is the asked number of zeros; a
//! response's compressed flag; echoed metadata; an aggregated payload size;
//! a stream read to its end.

use super::error::{CaseError, Site};
use h2grpc::codec::Message;
use h2grpc::metadata::{AsciiMetadataKey, BinaryMetadataKey, MetadataMap};
use h2grpc::rpc::{Response, Streaming};
use h2grpc::services::interop::Payload;
use h2grpc::status::{Code, Status};

/// The outcome of a call that must succeed.
pub fn succeeded<T>(site: Site, outcome: Result<T, Status>) -> Result<T, CaseError> {
    outcome.map_err(|status| CaseError::Failed { site, status })
}

/// The status of a call that must fail with `want`.
pub fn failed_with<T>(
    site: Site,
    outcome: Result<T, Status>,
    want: Code,
) -> Result<Status, CaseError> {
    match outcome {
        Ok(_) => Err(CaseError::Succeeded { site, want }),
        Err(status) if status.code() == want => Ok(status),
        Err(status) => Err(CaseError::WrongCode { site, want, status }),
    }
}

/// A status whose message must be exactly `want`, whitespace included.
pub fn message_is(site: Site, status: &Status, want: &str) -> Result<(), CaseError> {
    if status.message() == want {
        return Ok(());
    }
    Err(CaseError::WrongMessage {
        site,
        want: want.to_owned(),
        got: status.message().to_owned(),
    })
}

/// A payload of exactly `size` bytes, all zeros ("clients are free to
/// assert that the response payload body contents are zero").
pub fn zeros(site: Site, payload: Option<&Payload>, size: usize) -> Result<(), CaseError> {
    let payload = payload.ok_or(CaseError::NoPayload { site })?;
    let got = payload.body.len();
    if got != size {
        return Err(CaseError::PayloadSize {
            site,
            want: size,
            got,
        });
    }
    if payload.body.iter().any(|&byte| byte != 0) {
        return Err(CaseError::PayloadNotZeros { site });
    }
    Ok(())
}

/// A response whose compressed flag must be `want`.
pub fn compressed(site: Site, got: bool, want: bool) -> Result<(), CaseError> {
    if got == want {
        Ok(())
    } else {
        Err(CaseError::CompressedFlag { site, want })
    }
}

/// ASCII metadata `key` must be `want`.
pub fn ascii_metadata(
    site: Site,
    part: &'static str,
    metadata: &MetadataMap,
    key: &AsciiMetadataKey,
    want: &str,
) -> Result<(), CaseError> {
    let got = metadata.get(key);
    if got == Some(want) {
        return Ok(());
    }
    Err(CaseError::Metadata {
        site,
        part,
        key: key.to_string(),
        want: format!("{want:?}"),
        got: got.map(|value| format!("{value:?}")),
    })
}

/// Binary metadata `key` must be `want`.
pub fn binary_metadata(
    site: Site,
    part: &'static str,
    metadata: &MetadataMap,
    key: &BinaryMetadataKey,
    want: &[u8],
) -> Result<(), CaseError> {
    let got = metadata.get_bin(key);
    if got.as_deref() == Some(want) {
        return Ok(());
    }
    Err(CaseError::Metadata {
        site,
        part,
        key: key.to_string(),
        want: hex(want),
        got: got.map(|value| hex(&value)),
    })
}

/// `0xababab`, as the spec writes binary values.
fn hex(bytes: &[u8]) -> String {
    let digits: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("0x{digits}")
}

/// Every message of a response stream that must end OK.
pub async fn read_all<T: Message>(
    call: &'static str,
    stream: &mut Streaming<T>,
) -> Result<Vec<T>, CaseError> {
    let mut messages = Vec::new();
    loop {
        match succeeded(Site::call(call), stream.message().await)? {
            Some(message) => messages.push(message),
            None => return Ok(messages),
        }
    }
}

/// A StreamingInputCall response that counted `want` payload bytes in all.
pub fn aggregated_size(site: Site, got: i32, want: usize) -> Result<(), CaseError> {
    if usize::try_from(got) == Ok(want) {
        Ok(())
    } else {
        Err(CaseError::AggregatedSize {
            site,
            want: i32::try_from(want).unwrap_or(i32::MAX),
            got,
        })
    }
}

/// A stream of exactly `want` messages.
pub fn count<T>(site: Site, messages: &[T], want: usize) -> Result<(), CaseError> {
    if messages.len() == want {
        Ok(())
    } else {
        Err(CaseError::ResponseCount {
            site,
            want,
            got: messages.len(),
        })
    }
}

/// How a streaming call ended: all its messages, or the status it failed
/// with, whether the call failed at once (a trailers-only answer) or its
/// stream did after the response head.
pub async fn finish<T: Message>(
    outcome: Result<Response<Streaming<T>>, Status>,
) -> Result<Vec<T>, Status> {
    let mut stream = outcome?.into_inner();
    let mut messages = Vec::new();
    while let Some(message) = stream.message().await? {
        messages.push(message);
    }
    Ok(messages)
}
