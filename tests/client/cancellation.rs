//! Client deadlines and cancellation against a scripted raw-h2 server that
//! ignores `grpc-timeout`, so only our client can end the call: at the
//! deadline the client fails DEADLINE_EXCEEDED locally and resets the stream
//! with CANCEL (PROTOCOL-HTTP2.md: "RST_STREAM ... CANCEL(8) Mapped to call
//! cancellation when sent by a client"); dropping a call resets it too; a
//! server's CANCEL is CANCELLED on the client.

use std::time::{Duration, Instant};

use crate::support::greeter::{HelloReply, HelloRequest};
use crate::support::wire::hello as hello_bytes;
use crate::support::{within_limit, Script, ScriptedServer, Step};
use futures_util::StreamExt;
use h2grpc::rpc::{Client, Request};
use h2grpc::Code;

/// Answers nothing; waits for the client to reset the call.
fn silent() -> Script {
    Script::new([Step::AwaitReset])
}

/// Sends the head and one message `hi`, then nothing; waits for the
/// client to reset the call.
fn one_then_silence() -> Script {
    Script::new([
        Step::grpc_head(&[]),
        Step::data(hello_bytes("hi")),
        Step::AwaitReset,
    ])
}

/// Sends the head and one message `hi`, then RST_STREAM(CANCEL).
fn one_then_cancel() -> Script {
    Script::new([
        Step::grpc_head(&[]),
        Step::data(hello_bytes("hi")),
        Step::Pause(Duration::from_millis(50)),
        Step::Reset(h2::Reason::CANCEL),
    ])
}

/// A scripted server that ignores `grpc-timeout`, and our client to it.
async fn client_for(script: Script) -> (Client, ScriptedServer) {
    let server = ScriptedServer::start(script).await;
    (Client::new(server.channel().await), server)
}

fn hello(timeout: Option<Duration>) -> Request<HelloRequest> {
    let mut request = Request::new(HelloRequest { name: "x".into() });
    if let Some(timeout) = timeout {
        request.set_timeout(timeout);
    }
    request
}

#[tokio::test]
async fn a_unary_deadline_fails_locally_and_cancels_the_stream() {
    within_limit(async {
        let (client, mut server) = client_for(silent()).await;
        let started = Instant::now();
        let status = client
            .unary::<_, HelloReply>("/t.S/M", hello(Some(Duration::from_millis(300))))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::DeadlineExceeded);
        assert!(started.elapsed() < Duration::from_secs(3));
        let seen = server.next_seen().await;
        assert_eq!(seen.header("grpc-timeout"), Some("300000u"));
        assert_eq!(seen.reset, Some(h2::Reason::CANCEL));
    })
    .await
}

#[tokio::test]
async fn a_response_stream_fails_at_the_deadline_and_cancels_the_stream() {
    within_limit(async {
        let (client, mut server) = client_for(one_then_silence()).await;
        let started = Instant::now();
        let mut replies = client
            .server_streaming::<_, HelloReply>("/t.S/M", hello(Some(Duration::from_millis(300))))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(replies.message().await.unwrap().unwrap().message, "hi");
        let status = replies.message().await.unwrap_err();
        assert_eq!(status.code(), Code::DeadlineExceeded);
        let elapsed = started.elapsed();
        assert!(
            elapsed >= Duration::from_millis(290) && elapsed < Duration::from_secs(3),
            "{elapsed:?}"
        );
        assert!(replies.next().await.is_none(), "the stream is over");
        assert_eq!(server.next_seen().await.reset, Some(h2::Reason::CANCEL));
    })
    .await
}

#[tokio::test]
async fn dropping_a_bidi_response_stream_cancels_the_call() {
    within_limit(async {
        let (client, mut server) = client_for(one_then_silence()).await;
        let requests = futures_util::stream::pending::<HelloRequest>();
        let mut replies = client
            .bidi_streaming::<_, HelloReply, _>("/t.S/M", Request::new(requests))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(replies.message().await.unwrap().unwrap().message, "hi");
        drop(replies);
        let seen = server.next_seen().await;
        assert_eq!(seen.header("grpc-timeout"), None);
        assert_eq!(seen.reset, Some(h2::Reason::CANCEL));
    })
    .await
}

#[tokio::test]
async fn a_server_cancel_mid_stream_is_cancelled_on_the_client() {
    within_limit(async {
        let (client, _server) = client_for(one_then_cancel()).await;
        let mut replies = client
            .server_streaming::<_, HelloReply>("/t.S/M", hello(None))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(replies.message().await.unwrap().unwrap().message, "hi");
        let status = replies.message().await.unwrap_err();
        assert_eq!(status.code(), Code::Cancelled, "{status:?}");
    })
    .await
}
