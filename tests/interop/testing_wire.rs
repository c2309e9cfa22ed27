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

use crate::support::wire::length_prefixed;
use crate::support::{within_limit, Answer, RawClient, RawRequest, TestServer};
use h2grpc::rpc::Server;
use h2grpc::services::interop::{
    self, BoolValue, Payload, ResponseParameters, SimpleRequest, StreamingOutputCallRequest,
};
use h2grpc::Message;

/// One call on a fresh connection; the client accepts gzip.
async fn call(server: &TestServer, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Answer {
    let mut client = RawClient::connect(server.addr).await;
    let request = RawRequest::grpc(path, body)
        .header("grpc-accept-encoding", "gzip")
        .headers(headers);
    client.call(&request).await
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
            let body = length_prefixed(false, &request.encode_to_bytes());
            let answer = call(&server, "/grpc.testing.TestService/UnaryCall", &[], body).await;
            assert_eq!(answer.grpc_status(), Some("0"), "{answer:?}");
            // A response that must not be compressed goes in identity: the
            // typed unary handler chooses compression per call.
            let want_encoding: Option<&[u8]> = if want { Some(b"gzip") } else { None };
            assert_eq!(
                answer.headers.get("grpc-encoding").map(|v| v.as_bytes()),
                want_encoding
            );
            let got = answer.messages();
            assert_eq!(got.len(), 1, "response_compressed={want}");
            assert_eq!(got[0].compressed, want, "response_compressed={want}");
            if !want {
                assert!(got[0].payload.len() > 314_159);
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
        let body = length_prefixed(false, &request.encode_to_bytes());
        let answer = call(
            &server,
            "/grpc.testing.TestService/StreamingOutputCall",
            &[],
            body,
        )
        .await;
        assert_eq!(answer.grpc_status(), Some("0"), "{answer:?}");
        let flags: Vec<bool> = answer.messages().iter().map(|m| m.compressed).collect();
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
        let body = length_prefixed(false, &request.encode_to_bytes());
        let answer = call(
            &server,
            "/grpc.testing.TestService/UnaryCall",
            &[("grpc-encoding", "gzip")],
            body,
        )
        .await;
        assert_eq!(
            answer.grpc_status(),
            Some("3"),
            "INVALID_ARGUMENT: {answer:?}"
        );
    })
    .await;
}
