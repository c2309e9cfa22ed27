//! The handler's view of its call over real sockets: method, peer,
//! deadline and time remaining, cancellation by the client (a dropped call
//! future, a dropped response stream), trailing metadata, and the
//! `user-agent` the client sends.

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use h2grpc::metadata::MetadataMap;
use h2grpc::rpc::{Client, Request, Response, Server, Service, Streaming};
use h2grpc::{Code, Status};
use support::greeter::{HelloReply, HelloRequest};
use support::{within_limit, TestServer};
use tokio::sync::mpsc;

fn reply(message: String) -> Response<HelloReply> {
    Response::new(HelloReply { message })
}

fn hello(name: &str) -> Request<HelloRequest> {
    Request::new(HelloRequest { name: name.into() })
}

/// `test.Context`: `Describe` reports what the context says; `Wait` and
/// `Watch` wait for cancellation, reporting it on `cancelled`; `Trailers`
/// sets trailing metadata and succeeds or fails as asked.
fn context_service(cancelled: mpsc::UnboundedSender<&'static str>) -> Service {
    let on_unary = cancelled.clone();
    let on_bidi = cancelled.clone();
    Service::new("test.Context")
        .unary("Describe", |request: Request<HelloRequest>| async move {
            let context = request.context();
            let remaining = context
                .time_remaining()
                .map_or("none".to_owned(), |left| left.as_millis().to_string());
            let peer_is_loopback = context.peer().is_some_and(|peer| peer.ip().is_loopback());
            let user_agent = request.metadata().get("user-agent").unwrap_or("-");
            Ok(reply(format!(
                "{} remaining={remaining} loopback={peer_is_loopback} deadline={} ua={user_agent}",
                context.method(),
                context.deadline().is_some(),
            )))
        })
        .unary("Wait", move |request: Request<HelloRequest>| {
            let context = request.context().clone();
            let report = on_unary.clone();
            // A task of the handler's own: it outlives the dropped handler
            // future and learns of the cancellation from the context.
            tokio::spawn(async move {
                context.cancelled().await;
                assert!(context.is_cancelled());
                let _ = report.send("unary");
            });
            async move {
                std::future::pending::<()>().await;
                Ok(reply(String::new()))
            }
        })
        .server_streaming("Watch", move |request: Request<HelloRequest>| {
            let context = request.context().clone();
            let report = cancelled.clone();
            let (tx, rx) = mpsc::channel::<Result<HelloReply, Status>>(1);
            // A producer that would run forever but for the cancellation.
            tokio::spawn(async move {
                let mut ticks = 0u32;
                loop {
                    tokio::select! {
                        _ = context.cancelled() => break,
                        _ = tokio::time::sleep(Duration::from_millis(10)) => ticks += 1,
                    }
                    if ticks == 1 {
                        let _ = tx
                            .send(Ok(HelloReply {
                                message: "tick".into(),
                            }))
                            .await;
                    }
                }
                let _ = report.send("stream");
            });
            let replies = tokio_stream_from(rx);
            async move { Ok(Response::new(replies)) }
        })
        .bidi_streaming("Chat", {
            let report = on_bidi;
            move |request: Request<Streaming<HelloRequest>>| {
                let context = request.context().clone();
                let report = report.clone();
                tokio::spawn(async move {
                    context.cancelled().await;
                    let _ = report.send("bidi");
                });
                let replies = request.into_inner().map(|received| {
                    received.map(|hello| HelloReply {
                        message: hello.name,
                    })
                });
                async move { Ok(Response::new(replies)) }
            }
        })
        .server_streaming("Trailers", |request: Request<HelloRequest>| {
            let context = request.context().clone();
            let fail = request.get_ref().name == "fail";
            async move {
                let mut trailers = MetadataMap::new();
                trailers.insert("x-trailer", "set-by-handler").unwrap();
                trailers.insert_bin("x-trailer-bin", [0u8, 255, 1]).unwrap();
                context.set_trailing_metadata(trailers);
                if fail {
                    let mut metadata = MetadataMap::new();
                    metadata.insert("x-status", "on-the-status").unwrap();
                    return Err(Status::with_metadata(Code::Aborted, "failed", metadata));
                }
                let one = HelloReply {
                    message: "only".into(),
                };
                Ok(Response::new(futures_util::stream::iter([Ok(one)])))
            }
        })
}

/// The receiving end of a channel as a stream of replies.
fn tokio_stream_from<T: Send + 'static>(
    rx: mpsc::Receiver<T>,
) -> impl futures_core::Stream<Item = T> + Send + 'static {
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|t| (t, rx)) })
}

async fn start() -> (TestServer, mpsc::UnboundedReceiver<&'static str>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let server = TestServer::start(Server::builder().add_service(context_service(tx))).await;
    (server, rx)
}

async fn describe(client: &Client, request: Request<HelloRequest>) -> String {
    client
        .unary::<_, HelloReply>("/test.Context/Describe", request)
        .await
        .unwrap()
        .into_inner()
        .message
}

#[tokio::test]
async fn the_handler_sees_its_method_peer_and_deadline() {
    within_limit(async {
        let (server, _) = start().await;
        let client = Client::new(server.channel().await);
        let without = describe(&client, hello("a")).await;
        assert!(
            without
                .starts_with("/test.Context/Describe remaining=none loopback=true deadline=false"),
            "{without}"
        );
        let mut request = hello("b");
        request.set_timeout(Duration::from_secs(5));
        let with = describe(&client, request).await;
        let remaining: u64 = with
            .split("remaining=")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|ms| ms.parse().ok())
            .unwrap_or_else(|| panic!("{with}"));
        assert!((3_000..=5_000).contains(&remaining), "{with}");
        assert!(with.contains("deadline=true"), "{with}");
    })
    .await
}

#[tokio::test]
async fn every_call_carries_our_user_agent_after_the_applications_own() {
    within_limit(async {
        let (server, _) = start().await;
        let client = Client::new(server.channel().await);
        let ours = concat!("grpc-rust-h2grpc/", env!("CARGO_PKG_VERSION"));
        let plain = describe(&client, hello("a")).await;
        assert!(plain.ends_with(&format!("ua={ours}")), "{plain}");
        let mut request = hello("b");
        request
            .metadata_mut()
            .insert("user-agent", "my-app/1.2")
            .unwrap();
        let custom = describe(&client, request).await;
        assert!(
            custom.ends_with(&format!("ua=my-app/1.2 {ours}")),
            "{custom}"
        );
    })
    .await
}

#[tokio::test]
async fn dropping_a_unary_call_cancels_the_handler() {
    within_limit(async {
        let (server, mut cancelled) = start().await;
        let client = Client::new(server.channel().await);
        let call = client.unary::<_, HelloReply>("/test.Context/Wait", hello("w"));
        // Dropped after 200 ms: h2 resets the stream with CANCEL.
        assert!(tokio::time::timeout(Duration::from_millis(200), call)
            .await
            .is_err());
        assert_eq!(cancelled.recv().await, Some("unary"));
    })
    .await
}

#[tokio::test]
async fn dropping_a_response_stream_stops_the_producer() {
    within_limit(async {
        let (server, mut cancelled) = start().await;
        let client = Client::new(server.channel().await);
        let mut replies = client
            .server_streaming::<_, HelloReply>("/test.Context/Watch", hello("w"))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(replies.next().await.unwrap().unwrap().message, "tick");
        drop(replies);
        assert_eq!(cancelled.recv().await, Some("stream"));
    })
    .await
}

#[tokio::test]
async fn dropping_a_bidi_call_cancels_its_context_every_time() {
    // The server may learn of the reset through the request stream before
    // the response side sees it: the context must be cancelled either way.
    within_limit(async {
        let (server, mut cancelled) = start().await;
        let client = Client::new(server.channel().await);
        for round in 0..20 {
            let (tx, rx) = mpsc::channel::<HelloRequest>(1);
            tx.send(HelloRequest {
                name: format!("round {round}"),
            })
            .await
            .unwrap();
            let mut replies = client
                .bidi_streaming::<_, HelloReply, _>(
                    "/test.Context/Chat",
                    Request::new(tokio_stream_from(rx)),
                )
                .await
                .unwrap()
                .into_inner();
            assert_eq!(
                replies.next().await.unwrap().unwrap().message,
                format!("round {round}")
            );
            drop(replies);
            drop(tx);
            assert_eq!(cancelled.recv().await, Some("bidi"), "round {round}");
        }
    })
    .await
}

#[tokio::test]
async fn trailing_metadata_goes_out_with_success_and_with_failure() {
    within_limit(async {
        let (server, _) = start().await;
        let client = Client::new(server.channel().await);
        let mut replies = client
            .server_streaming::<_, HelloReply>("/test.Context/Trailers", hello("ok"))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(replies.message().await.unwrap().unwrap().message, "only");
        assert!(replies.message().await.unwrap().is_none());
        let trailers = replies.trailers().expect("trailers after OK");
        assert_eq!(trailers.get("x-trailer"), Some("set-by-handler"));
        assert_eq!(
            trailers.get_bin("x-trailer-bin").as_deref(),
            Some(&[0u8, 255, 1][..])
        );

        let status = client
            .server_streaming::<_, HelloReply>("/test.Context/Trailers", hello("fail"))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::Aborted);
        assert_eq!(status.metadata().get("x-status"), Some("on-the-status"));
        assert_eq!(status.metadata().get("x-trailer"), Some("set-by-handler"));
    })
    .await
}
