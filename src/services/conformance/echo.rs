//! What the conformance service echoes and how it answers: the request
//! info (headers, timeout, requests), response headers and trailers from
//! [`Header`] lists, and a definition's [`Error`] as a [`Status`] carrying
//! its details in `grpc-status-details-bin`.
//!
//! testing_servers.md: "servers must also echo back the received request
//! data in their responses [...] either by setting the information into a
//! `ConformancePayload` message in their response or by setting the
//! information into the details of an `Error` message."

use std::time::Duration;

use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;

use super::messages::{Code as ConformanceCode, Error, Header, RequestInfo};
use crate::codec::Message;
use crate::metadata::MetadataMap;
use crate::rich_status::{Any, RpcStatus};
use crate::rpc::CallContext;
use crate::status::{Code, Status};

/// The facts of a call the request info repeats: its headers and the time
/// it had left when it arrived.
#[derive(Debug, Clone, Default)]
pub struct CallFacts {
    headers: Vec<Header>,
    timeout_ms: Option<i64>,
}

impl CallFacts {
    /// The facts of a call with request `metadata`, running in `context`.
    pub fn of(metadata: &MetadataMap, context: &CallContext) -> CallFacts {
        CallFacts {
            headers: to_headers(metadata.as_headers()),
            timeout_ms: context.time_remaining().map(millis),
        }
    }

    /// The request info: these facts and `requests`.
    pub fn info(&self, requests: Vec<Any>) -> RequestInfo {
        RequestInfo {
            request_headers: self.headers.clone(),
            timeout_ms: self.timeout_ms,
            requests,
            connect_get_info: None,
        }
    }
}

/// Whole milliseconds of `duration`, saturating.
fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// The entries of `headers`, one [`Header`] per name with its values in
/// order (names in their first appearance's order).
pub fn to_headers(headers: &HeaderMap) -> Vec<Header> {
    let mut out: Vec<Header> = Vec::new();
    for name in headers.keys() {
        let values = headers
            .get_all(name)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect();
        out.push(Header {
            name: name.as_str().to_owned(),
            value: values,
        });
    }
    out
}

/// Appends `headers` to `map`, each value as given (a `-bin` key's value is
/// already base64 in the definition). A name or value HTTP cannot carry is
/// an INVALID_ARGUMENT: the definition asked for something impossible.
pub fn add_headers(map: &mut MetadataMap, headers: &[Header]) -> Result<(), Status> {
    if headers.is_empty() {
        return Ok(());
    }
    let mut raw = HeaderMap::new();
    for header in headers {
        let name = HeaderName::from_bytes(header.name.to_ascii_lowercase().as_bytes())
            .map_err(|_| invalid_header(&header.name))?;
        for value in &header.value {
            let value = HeaderValue::from_str(value).map_err(|_| invalid_header(&header.name))?;
            raw.append(name.clone(), value);
        }
    }
    map.extend(&MetadataMap::from_headers(raw));
    Ok(())
}

fn invalid_header(name: &str) -> Status {
    Status::invalid_argument(format!("header {name:?} cannot be sent over HTTP"))
}

/// The status `error` asks for, with `extra` details after its own (the
/// request info, when no response carried it), all in the
/// `google.rpc.Status` of `grpc-status-details-bin`.
pub fn to_status(error: &Error, extra: Option<RequestInfo>) -> Status {
    let code = Code::from_i32(error.code.0);
    let message = error.message.clone().unwrap_or_default();
    let mut details = error.details.clone();
    details.extend(extra.as_ref().map(Any::pack));
    if details.is_empty() {
        return Status::new(code, message);
    }
    let rpc_status = RpcStatus {
        code: code.as_i32(),
        message: message.clone(),
        details,
    };
    Status::with_details(code, message, rpc_status.encode_to_bytes())
}

/// The [`Error`] a client reports for `status`: its code, message and
/// the details of its `grpc-status-details-bin` (none when they are not a
/// valid `google.rpc.Status`).
pub fn to_error(status: &Status) -> Error {
    let details = match status.rpc_status() {
        Some(Ok(rpc_status)) => rpc_status.details,
        _ => Vec::new(),
    };
    Error {
        code: ConformanceCode(status.code().as_i32()),
        message: Some(status.message().to_owned()),
        details,
    }
}
