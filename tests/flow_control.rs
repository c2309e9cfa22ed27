//! Backpressure: a peer that does not read holds the sender back through
//! HTTP/2 flow control, so memory stays bounded on both sides.

mod harness;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use h2grpc::rpc::{Client, Request, Response, Server, Service, Streaming};
use h2grpc::Status;
use harness::greeter::{HelloReply, HelloRequest};
use harness::{within_limit, TestServer};

/// Size of each streamed message.
const MESSAGE_BYTES: usize = 1024;

/// What may be in flight at most: the 1 MiB stream window, h2's 400 KiB
/// send buffer, one coalesced batch, and slack, in messages. Without flow
/// control the producer would run unchecked into the millions.
const IN_FLIGHT_BOUND: usize = 3 * 1024 * 1024 / MESSAGE_BYTES;

#[tokio::test]
async fn a_client_that_does_not_read_holds_back_a_server_stream() {
    within_limit(async {
        let produced = Arc::new(AtomicUsize::new(0));
        let counter = produced.clone();
        let endless = Service::new("test.Endless").server_streaming(
            "Flood",
            move |_request: Request<HelloRequest>| {
                let counter = counter.clone();
                async move {
                    let replies = futures_util::stream::repeat_with(move || {
                        counter.fetch_add(1, Ordering::Relaxed);
                        Ok::<_, Status>(HelloReply {
                            message: "x".repeat(MESSAGE_BYTES),
                        })
                    });
                    Ok::<_, Status>(Response::new(replies))
                }
            },
        );
        let server = TestServer::start(Server::builder().add_service(endless)).await;
        let client = Client::new(server.channel().await);
        let mut replies: Streaming<HelloReply> = client
            .server_streaming("/test.Endless/Flood", Request::new(HelloRequest::default()))
            .await
            .unwrap()
            .into_inner();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let stalled_at = produced.load(Ordering::Relaxed);
        assert!(
            stalled_at < IN_FLIGHT_BOUND,
            "producer ran ahead to {stalled_at} messages"
        );
        // Reading frees window: the producer moves on.
        for _ in 0..2000 {
            replies.message().await.unwrap().unwrap();
        }
        assert!(produced.load(Ordering::Relaxed) > stalled_at);
    })
    .await
}

#[tokio::test]
async fn a_server_that_does_not_read_holds_back_a_client_stream() {
    within_limit(async {
        let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
        let started_tx = std::sync::Mutex::new(Some(started_tx));
        let lazy = Service::new("test.Lazy").client_streaming(
            "Ignore",
            move |request: Request<Streaming<HelloRequest>>| {
                if let Some(tx) = started_tx.lock().unwrap().take() {
                    let _ = tx.send(());
                }
                async move {
                    tokio::time::sleep(Duration::from_millis(700)).await;
                    drop(request);
                    Ok::<_, Status>(Response::new(HelloReply::default()))
                }
            },
        );
        let server = TestServer::start(Server::builder().add_service(lazy)).await;
        let client = Client::new(server.channel().await);
        let sent = Arc::new(AtomicUsize::new(0));
        let counter = sent.clone();
        let requests = futures_util::stream::repeat_with(move || {
            counter.fetch_add(1, Ordering::Relaxed);
            HelloRequest {
                name: "y".repeat(MESSAGE_BYTES),
            }
        });
        let call = tokio::spawn(async move {
            client
                .client_streaming::<_, HelloReply, _>("/test.Lazy/Ignore", Request::new(requests))
                .await
        });
        started_rx.await.unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        let stalled_at = sent.load(Ordering::Relaxed);
        assert!(
            stalled_at < IN_FLIGHT_BOUND,
            "client ran ahead to {stalled_at} messages"
        );
        let reply = call.await.unwrap();
        assert!(reply.is_ok(), "{reply:?}");
    })
    .await
}
