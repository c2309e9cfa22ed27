//! Client deadlines and cancellation against a scripted raw-h2 server that
//! ignores `grpc-timeout`, so only our client can end the call: at the
//! deadline the client fails DEADLINE_EXCEEDED locally and resets the stream
//! with CANCEL (PROTOCOL-HTTP2.md: "RST_STREAM ... CANCEL(8) Mapped to call
//! cancellation when sent by a client"); dropping a call resets it too; a
//! server's CANCEL is CANCELLED on the client.

mod harness;

use std::future::poll_fn;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt;
use h2grpc::rpc::{Client, Request};
use h2grpc::transport::Channel;
use h2grpc::Code;
use harness::greeter::{HelloReply, HelloRequest};
use harness::within_limit;
use http::Response;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// One framed `HelloReply { message: "hi" }`.
const HI: &[u8] = b"\x00\x00\x00\x00\x04\x0a\x02hi";

/// How the scripted server answers.
#[derive(Clone, Copy, Debug)]
enum Script {
    /// Never answers.
    Silent,
    /// Sends the head and one message, then nothing.
    OneThenSilence,
    /// Sends the head and one message, then RST_STREAM(CANCEL).
    OneThenCancel,
}

/// What the server saw of one call: its `grpc-timeout` and how the client
/// ended it.
#[derive(Debug)]
struct Seen {
    timeout: Option<String>,
    reset: Option<h2::Reason>,
}

/// Serves one connection by `script`, reporting each call on the channel.
async fn scripted_server(script: Script) -> (String, mpsc::UnboundedReceiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (seen_tx, seen_rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let mut connection = h2::server::handshake(socket).await.unwrap();
        while let Some(Ok((request, mut respond))) = connection.accept().await {
            let seen_tx = seen_tx.clone();
            tokio::spawn(async move {
                let timeout = request
                    .headers()
                    .get("grpc-timeout")
                    .map(|v| v.to_str().unwrap().to_owned());
                // Keep the request body open: the client is the one to end it.
                let _body = request.into_body();
                let reset = match script {
                    Script::Silent => poll_fn(|cx| respond.poll_reset(cx)).await.ok(),
                    Script::OneThenSilence | Script::OneThenCancel => {
                        let head = Response::builder()
                            .status(200)
                            .header("content-type", "application/grpc")
                            .body(())
                            .unwrap();
                        let mut stream = respond.send_response(head, false).unwrap();
                        stream.send_data(Bytes::from_static(HI), false).unwrap();
                        if let Script::OneThenCancel = script {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            stream.send_reset(h2::Reason::CANCEL);
                            None
                        } else {
                            poll_fn(|cx| stream.poll_reset(cx)).await.ok()
                        }
                    }
                };
                let _ = seen_tx.send(Seen { timeout, reset });
            });
        }
    });
    (format!("http://{addr}"), seen_rx)
}

async fn client_for(script: Script) -> (Client, mpsc::UnboundedReceiver<Seen>) {
    let (uri, seen) = scripted_server(script).await;
    (Client::new(Channel::connect(&uri).await.unwrap()), seen)
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
        let (client, mut seen) = client_for(Script::Silent).await;
        let started = Instant::now();
        let status = client
            .unary::<_, HelloReply>("/t.S/M", hello(Some(Duration::from_millis(300))))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::DeadlineExceeded);
        assert!(started.elapsed() < Duration::from_secs(3));
        let seen = seen.recv().await.unwrap();
        assert_eq!(seen.timeout.as_deref(), Some("300000u"));
        assert_eq!(seen.reset, Some(h2::Reason::CANCEL));
    })
    .await
}

#[tokio::test]
async fn a_response_stream_fails_at_the_deadline_and_cancels_the_stream() {
    within_limit(async {
        let (client, mut seen) = client_for(Script::OneThenSilence).await;
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
        assert_eq!(seen.recv().await.unwrap().reset, Some(h2::Reason::CANCEL));
    })
    .await
}

#[tokio::test]
async fn dropping_a_bidi_response_stream_cancels_the_call() {
    within_limit(async {
        let (client, mut seen) = client_for(Script::OneThenSilence).await;
        let requests = futures_util::stream::pending::<HelloRequest>();
        let mut replies = client
            .bidi_streaming::<_, HelloReply, _>("/t.S/M", Request::new(requests))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(replies.message().await.unwrap().unwrap().message, "hi");
        drop(replies);
        let seen = seen.recv().await.unwrap();
        assert_eq!(seen.timeout, None);
        assert_eq!(seen.reset, Some(h2::Reason::CANCEL));
    })
    .await
}

#[tokio::test]
async fn a_server_cancel_mid_stream_is_cancelled_on_the_client() {
    within_limit(async {
        let (client, _seen) = client_for(Script::OneThenCancel).await;
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
