//! When the response head goes out, seen on the wire with the raw client.
//! PROTOCOL-HTTP2.md, "Responses": "Response → (Response-Headers
//! *Length-Prefixed-Message Trailers) / Trailers-Only", "Trailers-Only →
//! HTTP-Status Content-Type Trailers", and "Most responses are expected to
//! have both headers and trailers but Trailers-Only is permitted for calls
//! that produce an immediate error".
//!
//! The head is lazy, as grpc-go and C-core send it: with the first message,
//! or when the handler asks for it first
//! ([`Response::send_headers_first`]); a streamed call that fails before
//! its first message is answered Trailers-Only, one HEADERS frame with
//! END_STREAM, which clients that read the status from the call's first
//! answer need.

use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use h2grpc::rpc::{Request, Response, Server, Service, Streaming};
use h2grpc::{Code, Status};

use crate::support::greeter::{HelloReply, HelloRequest};
use crate::support::raw_client::{Answer, RawClient, RawRequest};
use crate::support::server::TestServer;
use crate::support::wire;
use crate::support::within_limit;

const SERVICE: &str = "test.Failing";

/// The message every failing method fails with (spaces and a `%` to check
/// it is percent-encoded as anywhere else).
const FAILURE: &str = "refused: 100% sure";

fn failure() -> Status {
    Status::new(Code::FailedPrecondition, FAILURE)
}

/// A stream whose first item is the failure.
fn failing() -> impl futures_util::Stream<Item = Result<HelloReply, Status>> + Send + 'static {
    stream::once(async { Err(failure()) })
}

/// One reply, then the failure.
fn one_reply_then_failing(
) -> impl futures_util::Stream<Item = Result<HelloReply, Status>> + Send + 'static {
    stream::iter([
        Ok(HelloReply {
            message: "first".into(),
        }),
        Err(failure()),
    ])
}

/// `test.Failing`, each method failing its own way.
fn service() -> Service {
    Service::new(SERVICE)
        // Fails before looking at the request stream.
        .bidi_streaming(
            "BidiFailsAtOnce",
            |_: Request<Streaming<HelloRequest>>| async { Ok(Response::new(failing())) },
        )
        // Reads the client's first request, works on it a while (the reply
        // stream is pending meanwhile), then fails: grpc's
        // status_code_and_message over FullDuplexCall.
        .bidi_streaming(
            "BidiFailsAfterFirstRequest",
            |request: Request<Streaming<HelloRequest>>| async move {
                let mut requests = request.into_inner();
                let replies = stream::once(async move {
                    let _first = requests.next().await;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Err::<HelloReply, _>(failure())
                });
                Ok(Response::new(replies))
            },
        )
        .server_streaming(
            "ServerStreamFailsAtOnce",
            |_: Request<HelloRequest>| async { Ok(Response::new(failing())) },
        )
        // Initial metadata set, then the stream fails before any message.
        .server_streaming(
            "FailsWithInitialMetadata",
            |_: Request<HelloRequest>| async {
                let mut response = Response::new(failing());
                response
                    .metadata_mut()
                    .insert("x-initial", "set-before")
                    .expect("valid metadata");
                Ok(response)
            },
        )
        .bidi_streaming(
            "BidiRepliesThenFails",
            |_: Request<Streaming<HelloRequest>>| async {
                Ok(Response::new(one_reply_then_failing()))
            },
        )
        .server_streaming(
            "ServerStreamRepliesThenFails",
            |_: Request<HelloRequest>| async { Ok(Response::new(one_reply_then_failing())) },
        )
        // The handler asks for the head first; then the stream fails.
        .server_streaming("HeadersFirstThenFails", |_: Request<HelloRequest>| async {
            let mut response = Response::new(failing());
            response.send_headers_first();
            Ok(response)
        })
}

async fn server() -> TestServer {
    TestServer::start(Server::builder().add_service(service())).await
}

/// Calls `method` with one `HelloRequest`; a bidi call's request side is
/// left open, as a client still sending would leave it.
async fn call(server: &TestServer, method: &str, bidi: bool) -> Answer {
    let mut client = RawClient::connect(server.addr).await;
    let mut request = RawRequest::grpc(&format!("/{SERVICE}/{method}"), wire::hello("ann"));
    if bidi {
        request = request.open();
    }
    client.call(&request).await
}

/// A Trailers-Only answer with the failure: one HEADERS frame with
/// END_STREAM, `:status 200`, the content-type, `grpc-status` and
/// `grpc-message`, and nothing else on the stream.
fn assert_trailers_only_failure(method: &str, answer: &Answer) {
    assert!(
        answer.trailers_only,
        "{method}: want one HEADERS frame with END_STREAM: {answer:?}"
    );
    assert_eq!(answer.status, 200, "{method}: {answer:?}");
    assert_eq!(
        answer.header("content-type"),
        Some("application/grpc"),
        "{method}"
    );
    assert_eq!(answer.header("grpc-status"), Some("9"), "{method}");
    assert_eq!(
        answer.header("grpc-message"),
        Some("refused: 100%25 sure"),
        "{method}"
    );
    assert!(answer.data.is_empty(), "{method}: {answer:?}");
    assert_eq!(answer.trailers, None, "{method}");
}

/// Headers, then the one reply, then trailers with the failure.
fn assert_reply_then_failure_trailers(method: &str, answer: &Answer) {
    assert!(!answer.trailers_only, "{method}: {answer:?}");
    assert_eq!(answer.status, 200, "{method}");
    assert_eq!(
        answer.header("content-type"),
        Some("application/grpc"),
        "{method}"
    );
    assert_eq!(answer.header("grpc-status"), None, "{method}: {answer:?}");
    assert_eq!(answer.data, wire::hello("first"), "{method}");
    let trailers = answer.trailers.as_ref().expect("trailers");
    assert_eq!(trailers["grpc-status"], "9", "{method}");
    assert_eq!(trailers["grpc-message"], "refused: 100%25 sure", "{method}");
}

#[tokio::test]
async fn bidi_failing_before_its_first_message_is_trailers_only() {
    within_limit(async {
        let server = server().await;
        let answer = call(&server, "BidiFailsAtOnce", true).await;
        assert_trailers_only_failure("BidiFailsAtOnce", &answer);
    })
    .await
}

#[tokio::test]
async fn bidi_failing_after_waiting_for_a_request_is_trailers_only() {
    within_limit(async {
        let server = server().await;
        let answer = call(&server, "BidiFailsAfterFirstRequest", true).await;
        assert_trailers_only_failure("BidiFailsAfterFirstRequest", &answer);
    })
    .await
}

#[tokio::test]
async fn server_stream_failing_before_its_first_message_is_trailers_only() {
    within_limit(async {
        let server = server().await;
        let answer = call(&server, "ServerStreamFailsAtOnce", false).await;
        assert_trailers_only_failure("ServerStreamFailsAtOnce", &answer);
    })
    .await
}

#[tokio::test]
async fn trailers_only_carries_the_initial_metadata_set_before() {
    within_limit(async {
        let server = server().await;
        let answer = call(&server, "FailsWithInitialMetadata", false).await;
        assert_trailers_only_failure("FailsWithInitialMetadata", &answer);
        assert_eq!(answer.header("x-initial"), Some("set-before"));
        // No message follows: no encoding is declared for one.
        assert_eq!(answer.header("grpc-encoding"), None);
    })
    .await
}

#[tokio::test]
async fn a_message_then_a_failure_is_headers_data_trailers() {
    within_limit(async {
        let server = server().await;
        for (method, bidi) in [
            ("BidiRepliesThenFails", true),
            ("ServerStreamRepliesThenFails", false),
        ] {
            let answer = call(&server, method, bidi).await;
            assert_reply_then_failure_trailers(method, &answer);
        }
    })
    .await
}

#[tokio::test]
async fn headers_asked_for_first_go_out_although_no_message_follows() {
    within_limit(async {
        let server = server().await;
        let answer = call(&server, "HeadersFirstThenFails", false).await;
        assert!(!answer.trailers_only, "{answer:?}");
        assert_eq!(answer.header("grpc-status"), None);
        assert!(answer.data.is_empty());
        let trailers = answer.trailers.as_ref().expect("trailers");
        assert_eq!(trailers["grpc-status"], "9");
    })
    .await
}
