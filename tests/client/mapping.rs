//! Our client against a scripted raw-h2 server: answers that are not
//! well-formed gRPC map to statuses by the spec (http-grpc-status-mapping.md,
//! PROTOCOL-HTTP2.md).

use crate::support::greeter::{HelloReply, HelloRequest};
use crate::support::wire::hello as hello_bytes;
use crate::support::{within_limit, Script, ScriptedServer, Step};
use h2grpc::rpc::{Client, Request};
use h2grpc::Code;
use http::StatusCode;

/// An HTTP status with no grpc-status, and no body.
fn http(code: u16) -> Script {
    Script::new([Step::head_only(code, &[])])
}

/// 200, application/grpc, one message, then END_STREAM without trailers.
fn no_trailers() -> Script {
    Script::new([Step::grpc_head(&[]), Step::data_end(hello_bytes("hi"))])
}

/// A grpc-status in the head (trailers-only), on an HTTP 500.
fn status_on_500() -> Script {
    Script::new([Step::head_only(
        500,
        &[
            ("content-type", "application/grpc"),
            ("grpc-status", "5"),
            ("grpc-message", "no such thing"),
        ],
    )])
}

/// 200 with content-type text/html, an HTML body and empty trailers.
fn html_body() -> Script {
    Script::new([
        Step::head(200, &[("content-type", "text/html")]),
        Step::data(&b"<html></html>"[..]),
        Step::trailers(&[]),
    ])
}

/// 200 with this content-type, one `HelloReply { message: "hi" }`, then
/// trailers with grpc-status 0: a good answer but for its content-type.
fn reply_as(content_type: &str) -> Script {
    Script::new([
        Step::head(200, &[("content-type", content_type)]),
        Step::data(hello_bytes("hi")),
        Step::trailers(&[("grpc-status", "0")]),
    ])
}

/// RST_STREAM with this reason.
fn reset(reason: u32) -> Script {
    Script::new([Step::Reset(h2::Reason::from(reason))])
}

/// Our client's SayHello on a server answering by `script`; its error.
async fn call(script: Script) -> h2grpc::Status {
    let server = ScriptedServer::start(script).await;
    Client::new(server.channel().await)
        .unary::<_, HelloReply>(
            "/helloworld.Greeter/SayHello",
            Request::new(HelloRequest::default()),
        )
        .await
        .unwrap_err()
}

#[tokio::test]
async fn http_errors_without_grpc_status_map_by_the_table() {
    within_limit(async {
        for (http_status, code) in [
            (400, Code::Internal),
            (401, Code::Unauthenticated),
            (403, Code::PermissionDenied),
            (404, Code::Unimplemented),
            (429, Code::Unavailable),
            (502, Code::Unavailable),
            (503, Code::Unavailable),
            (504, Code::Unavailable),
            (500, Code::Unknown),
        ] {
            let status = call(http(http_status)).await;
            assert_eq!(status.code(), code, "HTTP {http_status}: {status:?}");
            assert!(
                status
                    .message()
                    .contains(StatusCode::from_u16(http_status).unwrap().as_str()),
                "the message names the HTTP status: {}",
                status.message()
            );
        }
    })
    .await
}

#[tokio::test]
async fn a_grpc_status_present_wins_over_the_http_status() {
    within_limit(async {
        let status = call(status_on_500()).await;
        assert_eq!(status.code(), Code::NotFound);
        assert_eq!(status.message(), "no such thing");
    })
    .await
}

#[tokio::test]
async fn a_stream_ending_without_grpc_status_is_an_error() {
    within_limit(async {
        let status = call(no_trailers()).await;
        assert_eq!(status.code(), Code::Unknown, "{status:?}");
    })
    .await
}

#[tokio::test]
async fn a_non_grpc_content_type_is_an_error() {
    within_limit(async {
        let status = call(html_body()).await;
        assert_eq!(status.code(), Code::Unknown, "{status:?}");
    })
    .await
}

/// The client checks a response's content-type with the server's own rule
/// (PROTOCOL-HTTP2.md: "application/grpc" [("+proto" / "+json" /
/// {custom})]; RFC 9110: media types are case-insensitive).
#[tokio::test]
async fn response_content_type_is_checked_as_the_server_checks_requests() {
    within_limit(async {
        for good in [
            "application/grpc",
            "application/grpc+proto",
            "Application/GRPC",
            "application/grpc;charset=utf-8",
        ] {
            let server = ScriptedServer::start(reply_as(good)).await;
            let reply = Client::new(server.channel().await)
                .unary::<_, HelloReply>(
                    "/helloworld.Greeter/SayHello",
                    Request::new(HelloRequest::default()),
                )
                .await
                .unwrap_or_else(|status| panic!("{good}: {status:?}"));
            assert_eq!(reply.get_ref().message, "hi", "{good}");
        }
        for bad in ["application/grpcx", "application/grp", "text/plain"] {
            let status = call(reply_as(bad)).await;
            assert_eq!(status.code(), Code::Unknown, "{bad}: {status:?}");
            assert!(status.message().contains(bad), "{bad}: {status:?}");
        }
    })
    .await
}

#[tokio::test]
async fn stream_resets_map_by_their_reason() {
    within_limit(async {
        assert_eq!(
            call(reset(0x7)).await.code(),
            Code::Unavailable,
            "REFUSED_STREAM"
        );
        assert_eq!(call(reset(0x8)).await.code(), Code::Cancelled, "CANCEL");
        assert_eq!(
            call(reset(0xb)).await.code(),
            Code::ResourceExhausted,
            "ENHANCE_YOUR_CALM"
        );
        assert_eq!(
            call(reset(0xc)).await.code(),
            Code::PermissionDenied,
            "INADEQUATE_SECURITY"
        );
        assert_eq!(
            call(reset(0x2)).await.code(),
            Code::Internal,
            "INTERNAL_ERROR"
        );
    })
    .await
}
