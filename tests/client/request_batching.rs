//! The client gathers the request messages a stream has ready into one
//! DATA frame. Sent one 12-byte frame each, a fast request stream trips
//! h2's budget for buffered small DATA frames on the server, which ends the
//! connection with GOAWAY(ENHANCE_YOUR_CALM, "too_many_data_frames"): the
//! call fails UNAVAILABLE part-way. These tests fail that way without the
//! batching.

use crate::support::greeter::{GreeterClient, HelloRequest};
use crate::support::{within_limit, TestServer};
use futures_util::StreamExt;

/// Far more messages than h2's small-frame budget lets a server buffer
/// (about 2,000 frames of under 256 bytes with a 1 MiB connection window).
const MESSAGES: usize = 100_000;

fn world() -> HelloRequest {
    HelloRequest {
        name: "world".into(),
    }
}

#[tokio::test]
async fn a_fast_bidi_request_stream_is_not_cut_off_by_the_small_frame_budget() {
    within_limit(async {
        let server = TestServer::start(crate::support::greeter::server()).await;
        let client = GreeterClient::new(server.channel().await);
        let requests = futures_util::stream::iter((0..MESSAGES).map(|_| world()));
        let mut replies = client
            .say_hello_bidi_stream(requests)
            .await
            .expect("call starts")
            .into_inner();
        let mut got = 0;
        while let Some(reply) = replies.next().await {
            let reply = reply.unwrap_or_else(|status| panic!("after {got} replies: {status}"));
            assert_eq!(reply.message, "Hello, world!");
            got += 1;
        }
        assert_eq!(got, MESSAGES);
    })
    .await;
}

#[tokio::test]
async fn every_message_of_an_all_ready_request_stream_is_answered() {
    within_limit(async {
        // Every message is ready at once: they go out together with the
        // end of the stream; the server must still see each of them.
        let server = TestServer::start(crate::support::greeter::server()).await;
        let client = GreeterClient::new(server.channel().await);
        for count in [0, 1, 10] {
            let requests = futures_util::stream::iter((0..count).map(|_| world()));
            let replies: Vec<_> = client
                .say_hello_bidi_stream(requests)
                .await
                .expect("call starts")
                .into_inner()
                .collect()
                .await;
            assert_eq!(replies.len(), count);
            assert!(replies.iter().all(|reply| reply.is_ok()), "{replies:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_message_goes_out_as_soon_as_the_stream_has_no_more_ready() {
    within_limit(async {
        // Ping-pong: the next request is produced only after the reply to
        // the previous one, so a batch held back for more messages would
        // never be answered.
        let server = TestServer::start(crate::support::greeter::server()).await;
        let client = GreeterClient::new(server.channel().await);
        let (requests, queued) = tokio::sync::mpsc::channel(1);
        let mut queued = queued;
        let stream = futures_util::stream::poll_fn(move |cx| queued.poll_recv(cx));
        requests.send(world()).await.expect("queued");
        let mut replies = client
            .say_hello_bidi_stream(stream)
            .await
            .expect("call starts")
            .into_inner();
        for round in 0..5 {
            let reply = replies.next().await.expect("a reply").expect("OK");
            assert_eq!(reply.message, "Hello, world!", "round {round}");
            requests.send(world()).await.expect("queued");
        }
        drop(requests);
        assert!(replies.next().await.expect("the last reply").is_ok());
        assert!(replies.next().await.is_none());
    })
    .await;
}
