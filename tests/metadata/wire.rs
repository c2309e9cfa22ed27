//! Metadata on the wire, from a raw HTTP/2 client to an in-process server
//! that re-emits, value by value, the metadata it decoded, in its response
//! head and trailers (PROTOCOL-HTTP2.md, "Custom-Metadata"):
//! - "Implementations MUST accept padded and un-padded values and should
//!   emit un-padded values";
//! - "Implementations must split Binary-Headers on "," before decoding";
//! - reserved `grpc-*` headers are not user metadata.

use crate::support::greeter::{HelloReply, HelloRequest};
use crate::support::{within_limit, RawClient, RawRequest, TestServer};
use h2grpc::metadata::{MetadataEntry, MetadataMap};
use h2grpc::rpc::{Request, Response, Server, Service};
use http::HeaderMap;

/// Re-encodes every value the handler decoded into a fresh map.
fn reencoded(metadata: &MetadataMap) -> MetadataMap {
    let mut out = MetadataMap::new();
    for entry in metadata.iter() {
        match entry {
            MetadataEntry::Ascii { key, value } if key.starts_with("x-") => {
                out.append(key, value).unwrap()
            }
            MetadataEntry::Binary { key, value } => out.append_bin(key, value).unwrap(),
            _ => {}
        }
    }
    out
}

fn echo() -> Service {
    Service::new("test.Meta").unary("Echo", |request: Request<HelloRequest>| {
        let metadata = reencoded(request.metadata());
        request.context().set_trailing_metadata(metadata.clone());
        async move {
            let mut response = Response::new(HelloReply::default());
            *response.metadata_mut() = metadata;
            Ok(response)
        }
    })
}

fn values<'a>(headers: &'a HeaderMap, key: &str) -> Vec<&'a str> {
    headers
        .get_all(key)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

#[tokio::test]
async fn binary_values_are_accepted_padded_unpadded_and_joined_and_emitted_unpadded() {
    within_limit(async {
        let server = TestServer::start(Server::builder().add_service(echo())).await;
        let mut client = RawClient::connect(server.addr).await;
        let request = RawRequest::grpc("/test.Meta/Echo", b"\x00\x00\x00\x00\x00".to_vec())
            .header("x-a", "1")
            .header("x-a", "2")
            .header("trace-bin", "AAEC/w==") // padded
            .header("trace-bin", "AAEC/w,AQ") // unpadded, two values joined
            .header("grpc-custom", "reserved");
        let answer = client.call(&request).await;
        let head = answer.headers.clone();
        let trailers = answer.trailers.expect("trailers");
        assert_eq!(values(&trailers, "grpc-status"), ["0"]);
        for headers in [&head, &trailers] {
            assert_eq!(values(headers, "x-a"), ["1", "2"]);
            assert_eq!(values(headers, "trace-bin"), ["AAEC/w", "AAEC/w", "AQ"]);
            assert!(!headers.contains_key("grpc-custom"));
        }
    })
    .await
}
