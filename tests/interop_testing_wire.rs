//! grpc.testing.TestService's compression features on the wire, seen by a
//! raw `h2` client (grpcio cannot see message flags):
//! - CompressedResponse: `response_compressed` and
//!   `ResponseParameters.compressed` set or clear each message's compressed
//!   flag (interop-test-descriptions.md, server_compressed_unary and
//!   server_compressed_streaming: "the response MUST have the compressed
//!   message flag set" / "MUST NOT");
//! - CompressedRequest: `expect_compressed` checks the message's own flag,
//!   not the call's `grpc-encoding`.
#![cfg(feature = "demo")] // h2grpc::services exists with the `demo` feature only.

mod harness;

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use h2grpc::rpc::Server;
use h2grpc::services::interop::{
    self, BoolValue, Payload, ResponseParameters, SimpleRequest, StreamingOutputCallRequest,
};
use h2grpc::Message;
use harness::{within_limit, TestServer};
use http::{HeaderMap, Method};
use tokio::net::TcpStream;

const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// One length-prefixed message of a response: its flag and payload length.
#[derive(Debug, PartialEq)]
struct Frame {
    compressed: bool,
    len: usize,
}

fn frames(mut data: &[u8]) -> Vec<Frame> {
    let mut out = Vec::new();
    while data.len() >= 5 {
        let len = u32::from_be_bytes([data[1], data[2], data[3], data[4]]) as usize;
        out.push(Frame {
            compressed: data[0] == 1,
            len,
        });
        data = &data[(5 + len).min(data.len())..];
    }
    out
}

fn framed(compressed: bool, message: &[u8]) -> Vec<u8> {
    let mut out = vec![u8::from(compressed)];
    out.extend_from_slice(&(message.len() as u32).to_be_bytes());
    out.extend_from_slice(message);
    out
}

struct Answer {
    headers: HeaderMap,
    data: Vec<u8>,
    status: Option<String>,
}

/// One call on a fresh connection; the client accepts gzip.
async fn call(addr: SocketAddr, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Answer {
    let tcp = TcpStream::connect(addr).await.expect("connect");
    let (client, connection) = h2::client::handshake(tcp).await.expect("handshake");
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let mut request = http::Request::builder()
        .method(Method::POST)
        .uri(format!("http://{addr}{path}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .header("grpc-accept-encoding", "gzip");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut client = client.ready().await.expect("ready");
    let (response, mut send) = client
        .send_request(request.body(()).expect("request"), false)
        .expect("send head");
    // Small requests: within the initial window.
    send.send_data(Bytes::from(body), true).expect("send body");
    let answer = async move {
        let (head, mut body) = response.await.expect("response head").into_parts();
        let mut data = Vec::new();
        while let Some(chunk) = body.data().await {
            let chunk = chunk.expect("response body");
            let _ = body.flow_control().release_capacity(chunk.len());
            data.extend_from_slice(&chunk);
        }
        let trailers = body.trailers().await.expect("trailers");
        let status = trailers
            .as_ref()
            .unwrap_or(&head.headers)
            .get("grpc-status")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        Answer {
            headers: head.headers,
            data,
            status,
        }
    };
    tokio::time::timeout(ANSWER_TIMEOUT, answer)
        .await
        .expect("answered in time")
}

async fn start() -> TestServer {
    TestServer::start(Server::builder().add_service(interop::service())).await
}

fn flag(value: bool) -> Option<BoolValue> {
    Some(BoolValue { value })
}

#[tokio::test]
async fn response_compressed_sets_or_clears_the_unary_flag() {
    within_limit(async {
        let server = start().await;
        for want in [true, false] {
            let request = SimpleRequest {
                response_size: 314_159,
                response_compressed: flag(want),
                ..SimpleRequest::default()
            };
            let body = framed(false, &request.encode_to_bytes());
            let answer = call(
                server.addr,
                "/grpc.testing.TestService/UnaryCall",
                &[],
                body,
            )
            .await;
            assert_eq!(answer.status.as_deref(), Some("0"));
            // A response that must not be compressed goes in identity: the
            // typed unary handler chooses compression per call.
            let want_encoding: Option<&[u8]> = if want { Some(b"gzip") } else { None };
            assert_eq!(
                answer.headers.get("grpc-encoding").map(|v| v.as_bytes()),
                want_encoding
            );
            let got = frames(&answer.data);
            assert_eq!(got.len(), 1, "response_compressed={want}");
            assert_eq!(got[0].compressed, want, "response_compressed={want}");
            if !want {
                assert!(got[0].len > 314_159);
            }
        }
    })
    .await;
}

#[tokio::test]
async fn response_parameters_compress_each_streamed_message_on_its_own() {
    within_limit(async {
        let server = start().await;
        let request = StreamingOutputCallRequest {
            response_parameters: vec![
                ResponseParameters {
                    size: 31_415,
                    compressed: flag(true),
                    ..ResponseParameters::default()
                },
                ResponseParameters {
                    size: 92_653,
                    compressed: flag(false),
                    ..ResponseParameters::default()
                },
            ],
            ..StreamingOutputCallRequest::default()
        };
        let body = framed(false, &request.encode_to_bytes());
        let answer = call(
            server.addr,
            "/grpc.testing.TestService/StreamingOutputCall",
            &[],
            body,
        )
        .await;
        assert_eq!(answer.status.as_deref(), Some("0"));
        let flags: Vec<bool> = frames(&answer.data).iter().map(|f| f.compressed).collect();
        assert_eq!(flags, [true, false]);
    })
    .await;
}

#[tokio::test]
async fn expect_compressed_checks_the_message_flag_not_the_call_encoding() {
    within_limit(async {
        let server = start().await;
        let request = SimpleRequest {
            response_size: 1,
            expect_compressed: flag(true),
            payload: Some(Payload::default()),
            ..SimpleRequest::default()
        };
        // The call says gzip, but this message goes uncompressed.
        let body = framed(false, &request.encode_to_bytes());
        let answer = call(
            server.addr,
            "/grpc.testing.TestService/UnaryCall",
            &[("grpc-encoding", "gzip")],
            body,
        )
        .await;
        assert_eq!(answer.status.as_deref(), Some("3"), "INVALID_ARGUMENT");
    })
    .await;
}
