//! Our client against a scripted raw-h2 server: answers that are not
//! well-formed gRPC map to statuses by the spec (http-grpc-status-mapping.md,
//! PROTOCOL-HTTP2.md).

mod harness;

use bytes::Bytes;
use h2grpc::rpc::{Client, Request};
use h2grpc::transport::Channel;
use h2grpc::Code;
use harness::greeter::{HelloReply, HelloRequest};
use harness::within_limit;
use http::{HeaderMap, Response, StatusCode};
use tokio::net::TcpListener;

/// How the scripted server answers every request.
#[derive(Clone, Copy, Debug)]
enum Script {
    /// An HTTP status with no grpc-status, and no body.
    Http(u16),
    /// 200, application/grpc, one message, then END_STREAM without trailers.
    NoTrailers,
    /// 200 with a grpc-status in the head (trailers-only), on an HTTP 500.
    StatusOn500,
    /// 200 with content-type text/html.
    HtmlBody,
    /// 200 with this content-type, one `HelloReply { message: "hi" }`, then
    /// trailers with grpc-status 0: a good answer but for its content-type.
    ReplyAs(&'static str),
    /// RST_STREAM with this reason.
    Reset(u32),
}

/// Serves one connection that answers every request by `script`.
async fn scripted_server(script: Script) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let mut connection = h2::server::handshake(socket).await.unwrap();
        while let Some(Ok((_request, mut respond))) = connection.accept().await {
            match script {
                Script::Http(code) => {
                    let head = Response::builder().status(code).body(()).unwrap();
                    respond.send_response(head, true).unwrap();
                }
                Script::NoTrailers => {
                    let head = Response::builder()
                        .status(200)
                        .header("content-type", "application/grpc")
                        .body(())
                        .unwrap();
                    let mut stream = respond.send_response(head, false).unwrap();
                    stream
                        .send_data(Bytes::from_static(b"\x00\x00\x00\x00\x04\x0a\x02hi"), true)
                        .unwrap();
                }
                Script::StatusOn500 => {
                    let head = Response::builder()
                        .status(500)
                        .header("content-type", "application/grpc")
                        .header("grpc-status", "5")
                        .header("grpc-message", "no such thing")
                        .body(())
                        .unwrap();
                    respond.send_response(head, true).unwrap();
                }
                Script::HtmlBody => {
                    let head = Response::builder()
                        .status(200)
                        .header("content-type", "text/html")
                        .body(())
                        .unwrap();
                    let mut stream = respond.send_response(head, false).unwrap();
                    stream
                        .send_data(Bytes::from_static(b"<html></html>"), false)
                        .unwrap();
                    stream.send_trailers(HeaderMap::new()).unwrap();
                }
                Script::ReplyAs(content_type) => {
                    let head = Response::builder()
                        .status(200)
                        .header("content-type", content_type)
                        .body(())
                        .unwrap();
                    let mut stream = respond.send_response(head, false).unwrap();
                    stream
                        .send_data(Bytes::from_static(b"\x00\x00\x00\x00\x04\x0a\x02hi"), false)
                        .unwrap();
                    let mut trailers = HeaderMap::new();
                    trailers.insert("grpc-status", "0".parse().unwrap());
                    stream.send_trailers(trailers).unwrap();
                }
                Script::Reset(reason) => respond.send_reset(h2::Reason::from(reason)),
            }
        }
    });
    format!("http://{addr}")
}

async fn call(script: Script) -> h2grpc::Status {
    let channel = Channel::connect(&scripted_server(script).await)
        .await
        .unwrap();
    Client::new(channel)
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
        for (http, code) in [
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
            let status = call(Script::Http(http)).await;
            assert_eq!(status.code(), code, "HTTP {http}: {status:?}");
            assert!(
                status
                    .message()
                    .contains(StatusCode::from_u16(http).unwrap().as_str()),
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
        let status = call(Script::StatusOn500).await;
        assert_eq!(status.code(), Code::NotFound);
        assert_eq!(status.message(), "no such thing");
    })
    .await
}

#[tokio::test]
async fn a_stream_ending_without_grpc_status_is_an_error() {
    within_limit(async {
        let status = call(Script::NoTrailers).await;
        assert_eq!(status.code(), Code::Unknown, "{status:?}");
    })
    .await
}

#[tokio::test]
async fn a_non_grpc_content_type_is_an_error() {
    within_limit(async {
        let status = call(Script::HtmlBody).await;
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
            let channel = Channel::connect(&scripted_server(Script::ReplyAs(good)).await)
                .await
                .unwrap();
            let reply = Client::new(channel)
                .unary::<_, HelloReply>(
                    "/helloworld.Greeter/SayHello",
                    Request::new(HelloRequest::default()),
                )
                .await
                .unwrap_or_else(|status| panic!("{good}: {status:?}"));
            assert_eq!(reply.get_ref().message, "hi", "{good}");
        }
        for bad in ["application/grpcx", "application/grp", "text/plain"] {
            let status = call(Script::ReplyAs(bad)).await;
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
            call(Script::Reset(0x7)).await.code(),
            Code::Unavailable,
            "REFUSED_STREAM"
        );
        assert_eq!(
            call(Script::Reset(0x8)).await.code(),
            Code::Cancelled,
            "CANCEL"
        );
        assert_eq!(
            call(Script::Reset(0xb)).await.code(),
            Code::ResourceExhausted,
            "ENHANCE_YOUR_CALM"
        );
        assert_eq!(
            call(Script::Reset(0xc)).await.code(),
            Code::PermissionDenied,
            "INADEQUATE_SECURITY"
        );
        assert_eq!(
            call(Script::Reset(0x2)).await.code(),
            Code::Internal,
            "INTERNAL_ERROR"
        );
    })
    .await
}
