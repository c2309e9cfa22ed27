//! The client side of what the interop cases need, over real sockets:
//! - a [`CancelToken`] ends a call CANCELLED wherever it is (waiting for
//!   the response, or reading a response stream), and the server sees the
//!   cancellation; a token cancelled before the call never starts it;
//! - a unary response says whether its message arrived compressed and
//!   carries the server's trailing metadata;
//! - client-streaming requests choose compression per message
//!   ([`Outgoing`]) within a compressed call.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::support::greeter::{HelloReply, HelloRequest};
use crate::support::{within_limit, TestServer};
use futures_util::stream;
#[cfg(feature = "gzip")]
use h2grpc::codec::compression::Encoding;
use h2grpc::rpc::{CancelToken, Client, Outgoing, Request, Response, Server, Service, Streaming};
use h2grpc::{Code, Status};
use tokio::sync::mpsc;

fn hello(name: &str) -> HelloRequest {
    HelloRequest { name: name.into() }
}

fn reply(message: impl Into<String>) -> HelloReply {
    HelloReply {
        message: message.into(),
    }
}

/// `test.Cancel`: `Wait` never answers, and reports its call's
/// cancellation (through the call context) on `cancelled`; `Echo` answers
/// each request, and reports there when its call context is cancelled or
/// its request stream ends CANCELLED. `Started` counts
/// the calls that reached a handler. `Flags` answers with its request's
/// compressed flags; `Shaped` answers compressed or not as its request's
/// name says, with a trailer.
fn service(cancelled: mpsc::UnboundedSender<&'static str>, started: Arc<AtomicUsize>) -> Service {
    let on_echo = cancelled.clone();
    Service::new("test.Cancel")
        .unary("Wait", move |request: Request<HelloRequest>| {
            started.fetch_add(1, Ordering::SeqCst);
            let context = request.context().clone();
            let report = cancelled.clone();
            tokio::spawn(async move {
                context.cancelled().await;
                let _ = report.send("Wait");
            });
            async move {
                std::future::pending::<()>().await;
                Ok(Response::new(reply("never")))
            }
        })
        .bidi_streaming("Echo", move |request: Request<Streaming<HelloRequest>>| {
            let context = request.context().clone();
            let on_context = on_echo.clone();
            tokio::spawn(async move {
                context.cancelled().await;
                let _ = on_context.send("Echo context");
            });
            let report = on_echo.clone();
            // The client's RST_STREAM ends the request stream with CANCELLED.
            let replies = futures_util::StreamExt::map(request.into_inner(), move |received| {
                if let Err(status) = &received {
                    if status.code() == Code::Cancelled {
                        let _ = report.send("Echo stream");
                    }
                }
                received.map(|hello| reply(hello.name))
            });
            async move { Ok(Response::new(replies)) }
        })
        .client_streaming(
            "Flags",
            |request: Request<Streaming<HelloRequest>>| async move {
                let mut requests = request.into_inner();
                let mut flags = Vec::new();
                while requests.message().await?.is_some() {
                    flags.push(requests.last_message_compressed().to_string());
                }
                Ok(Response::new(reply(flags.join(","))))
            },
        )
        .unary("Shaped", |request: Request<HelloRequest>| async move {
            let compress = request.get_ref().name == "compressed";
            let mut response = Response::new(Outgoing::new(reply("x".repeat(1000)), compress));
            #[cfg(feature = "gzip")]
            response.set_compression(Encoding::Gzip);
            response
                .trailers_mut()
                .insert("x-trail", "after")
                .map_err(|err| Status::internal(err.to_string()))?;
            Ok(response)
        })
}

async fn start() -> (
    TestServer,
    Client,
    mpsc::UnboundedReceiver<&'static str>,
    Arc<AtomicUsize>,
) {
    let (tx, rx) = mpsc::unbounded_channel();
    let started = Arc::new(AtomicUsize::new(0));
    let server =
        TestServer::start(Server::builder().add_service(service(tx, started.clone()))).await;
    let client = Client::new(server.channel().await);
    (server, client, rx, started)
}

#[tokio::test]
async fn a_token_cancels_a_call_waiting_for_its_response() {
    within_limit(async {
        let (_server, client, mut cancelled, _) = start().await;
        let token = CancelToken::new();
        let mut request = Request::new(hello("you"));
        request.set_cancel_token(token.clone());
        let call = tokio::spawn(async move {
            client
                .unary::<_, HelloReply>("/test.Cancel/Wait", request)
                .await
        });
        // Let the call reach the handler, then cancel it.
        tokio::time::sleep(Duration::from_millis(100)).await;
        token.cancel();
        let status = call.await.expect("call task").expect_err("cancelled");
        assert_eq!(status.code(), Code::Cancelled, "{status}");
        assert_eq!(cancelled.recv().await, Some("Wait"));
    })
    .await;
}

#[tokio::test]
async fn a_token_cancelled_before_the_call_never_starts_it() {
    within_limit(async {
        let (_server, client, _, started) = start().await;
        let token = CancelToken::new();
        token.cancel();
        assert!(token.is_cancelled());
        let mut request = Request::new(hello("you"));
        request.set_cancel_token(token);
        let status = client
            .unary::<_, HelloReply>("/test.Cancel/Wait", request)
            .await
            .expect_err("cancelled");
        assert_eq!(status.code(), Code::Cancelled, "{status}");
        // A call that did start would have reached the handler by now.
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(started.load(Ordering::SeqCst), 0);
    })
    .await;
}

#[tokio::test]
async fn a_token_cancels_a_response_stream_after_its_first_message() {
    within_limit(async {
        let (_server, client, mut cancelled, _) = start().await;
        let token = CancelToken::new();
        // One request, and the request stream left open.
        let requests =
            futures_util::StreamExt::chain(stream::iter([hello("first")]), stream::pending());
        let mut request = Request::new(requests);
        request.set_cancel_token(token.clone());
        let mut replies = client
            .bidi_streaming::<_, HelloReply, _>("/test.Cancel/Echo", request)
            .await
            .expect("call starts")
            .into_inner();
        let first = replies.message().await.expect("first reply");
        assert_eq!(first.map(|r| r.message).as_deref(), Some("first"));
        token.cancel();
        let status = replies.message().await.expect_err("cancelled");
        assert_eq!(status.code(), Code::Cancelled, "{status}");
        // The stream is over: no second error, no message.
        assert!(matches!(replies.message().await, Ok(None)));
        // The server learns of it one way or the other, whichever comes
        // first: its call context, or its request stream ending CANCELLED.
        let seen = cancelled.recv().await;
        assert!(
            matches!(seen, Some("Echo context" | "Echo stream")),
            "{seen:?}"
        );
    })
    .await;
}

#[tokio::test]
#[cfg(feature = "gzip")]
async fn unary_responses_carry_their_compressed_flag_and_trailers() {
    within_limit(async {
        let (_server, client, _, _) = start().await;
        for (name, compressed) in [("compressed", true), ("plain", false)] {
            let response = client
                .unary::<_, HelloReply>("/test.Cancel/Shaped", Request::new(hello(name)))
                .await
                .expect("call succeeds");
            assert_eq!(response.message_compressed(), compressed, "{name}");
            assert_eq!(response.get_ref().message.len(), 1000);
            assert_eq!(response.trailers().get("x-trail"), Some("after"));
        }
    })
    .await;
}

#[tokio::test]
#[cfg(feature = "gzip")]
async fn client_streams_choose_compression_per_message() {
    within_limit(async {
        let (_server, client, _, _) = start().await;
        let messages = stream::iter([
            Outgoing::compressed(hello("one")),
            Outgoing::uncompressed(hello("two")),
            Outgoing::from(hello("three")),
        ]);
        let mut request = Request::new(messages);
        request.set_compression(Encoding::Gzip);
        let response = client
            .client_streaming::<_, HelloReply, _>("/test.Cancel/Flags", request)
            .await
            .expect("call succeeds");
        assert_eq!(response.get_ref().message, "true,false,true");
    })
    .await;
}
