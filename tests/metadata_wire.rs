//! Metadata on the wire, from a raw HTTP/2 client to an in-process server
//! that re-emits, value by value, the metadata it decoded, in its response
//! head and trailers (PROTOCOL-HTTP2.md, "Custom-Metadata"):
//! - "Implementations MUST accept padded and un-padded values and should
//!   emit un-padded values";
//! - "Implementations must split Binary-Headers on "," before decoding";
//! - reserved `grpc-*` headers are not user metadata.

mod harness;

use std::future::poll_fn;

use bytes::Bytes;
use h2grpc::metadata::{MetadataEntry, MetadataMap};
use h2grpc::rpc::{Request, Response, Server, Service};
use harness::greeter::{HelloReply, HelloRequest};
use harness::{within_limit, TestServer};
use http::{HeaderMap, Method};
use tokio::net::TcpStream;

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
        let tcp = TcpStream::connect(server.addr).await.unwrap();
        let (client, connection) = h2::client::handshake(tcp).await.unwrap();
        tokio::spawn(connection);
        let mut client = client.ready().await.unwrap();
        let request = http::Request::builder()
            .method(Method::POST)
            .uri(format!("http://{}/test.Meta/Echo", server.addr))
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .header("x-a", "1")
            .header("x-a", "2")
            .header("trace-bin", "AAEC/w==") // padded
            .header("trace-bin", "AAEC/w,AQ") // unpadded, two values joined
            .header("grpc-custom", "reserved")
            .body(())
            .unwrap();
        let (response, mut body) = client.send_request(request, false).unwrap();
        body.send_data(Bytes::from_static(b"\x00\x00\x00\x00\x00"), true)
            .unwrap();
        let response = response.await.unwrap();
        let head = response.headers().clone();
        let mut recv = response.into_body();
        while let Some(data) = recv.data().await {
            let data = data.unwrap();
            let _ = recv.flow_control().release_capacity(data.len());
        }
        let trailers = poll_fn(|cx| recv.poll_trailers(cx))
            .await
            .unwrap()
            .expect("trailers");
        assert_eq!(values(&trailers, "grpc-status"), ["0"]);
        for headers in [&head, &trailers] {
            assert_eq!(values(headers, "x-a"), ["1", "2"]);
            assert_eq!(values(headers, "trace-bin"), ["AAEC/w", "AAEC/w", "AQ"]);
            assert!(!headers.contains_key("grpc-custom"));
        }
    })
    .await
}
