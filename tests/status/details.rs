//! The `google.rpc.Status` error model over a real socket: a handler fails
//! with detail messages, the client decodes the same details from
//! `grpc-status-details-bin`.

use std::time::Duration;

use crate::support::greeter::{HelloReply, HelloRequest};
use crate::support::{within_limit, TestServer};
use bytes::Bytes;
use h2grpc::metadata::MetadataMap;
use h2grpc::rich_status::{Any, BadRequest, ErrorDetail, ErrorInfo, FieldViolation, RetryInfo};
use h2grpc::rpc::{Client, Request, Response, Server, Service};
use h2grpc::{Code, Status};

fn details() -> Vec<ErrorDetail> {
    vec![
        BadRequest {
            field_violations: vec![FieldViolation {
                field: "name".into(),
                description: "must not be empty".into(),
            }],
        }
        .into(),
        ErrorInfo {
            reason: "EMPTY_NAME".into(),
            domain: "test.example.com".into(),
            metadata: [("limit".to_owned(), "1".to_owned())].into(),
        }
        .into(),
        RetryInfo {
            retry_delay: Some(Duration::from_millis(1500).into()),
        }
        .into(),
        Any {
            type_url: "type.example.com/custom.Detail".into(),
            value: Bytes::from_static(b"\x08\x2a"),
        }
        .into(),
    ]
}

#[tokio::test]
async fn error_details_survive_the_round_trip() {
    within_limit(async {
        let service = Service::new("test.Rich").unary("Fail", |_: Request<HelloRequest>| async {
            let mut status =
                Status::with_error_details(Code::InvalidArgument, "name is empty", details());
            status.metadata_mut().insert("x-extra", "kept").unwrap();
            Err::<Response<HelloReply>, _>(status)
        });
        let server = TestServer::start(Server::builder().add_service(service)).await;
        let client = Client::new(server.channel().await);
        let request = Request::new(HelloRequest::default());
        let status = client
            .unary::<_, HelloReply>("/test.Rich/Fail", request)
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument);
        assert_eq!(status.message(), "name is empty");
        assert_eq!(status.metadata().get("x-extra"), Some("kept"));
        let rpc_status = status.rpc_status().expect("details").expect("valid");
        assert_eq!(rpc_status.code, Code::InvalidArgument.as_i32());
        assert_eq!(rpc_status.message, "name is empty");
        let decoded = status.error_details().unwrap();
        assert_eq!(decoded, details());
        let ErrorDetail::RetryInfo(retry) = &decoded[2] else {
            panic!("{decoded:?}")
        };
        assert_eq!(
            retry.retry_delay.as_ref().and_then(|d| d.to_std()),
            Some(Duration::from_millis(1500))
        );
    })
    .await
}

#[test]
fn malformed_details_are_an_error_not_a_panic() {
    let status = Status::with_details(Code::Internal, "x", Bytes::from_static(b"\x1a\x05\x0a"));
    assert!(status.error_details().is_err());
    let no_details = Status::with_metadata(Code::Internal, "x", MetadataMap::new());
    assert!(no_details.rpc_status().is_none());
    assert_eq!(no_details.error_details().unwrap(), vec![]);
}
