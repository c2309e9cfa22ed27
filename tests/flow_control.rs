//! Backpressure through HTTP/2 flow control (RFC 9113, 5.2: "Flow control
//! ... is used to limit the amount of data that a sender can send"): a
//! reader that stops makes the sender stop *at its window*. Each test checks
//! both ends of that: the window really filled (a lower bound: the sender
//! did not stop early, or for some other reason), and the sender stopped
//! there (an upper bound: no unbounded buffering behind the window).
//!
//! The producers count the messages they made; a test waits for the count to
//! settle, which is what a producer held back by flow control does, instead
//! of sleeping a fixed time and hoping the stall has happened by then.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use h2grpc::rpc::{Client, Request, Response, Server, Service, Streaming};
use h2grpc::transport::DEFAULT_STREAM_WINDOW;
use h2grpc::Status;
use support::greeter::{HelloReply, HelloRequest};
use support::wire::hello as hello_bytes;
use support::{within_limit, RawClient, RawRequest, Script, ScriptedServer, Step, TestServer};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The text of each streamed message.
const TEXT_BYTES: usize = 1024;

/// One streamed message on the wire: the 5-byte prefix, the field's tag and
/// 2-byte length, the text.
const WIRE_BYTES: usize = 5 + 1 + 2 + TEXT_BYTES;

/// What may sit between a producer and the window besides the window itself:
/// the 16 KiB batch the server runner (`COALESCE_LIMIT`) and the client
/// (`REQUEST_BATCH_BYTES`) gather before writing, the message being encoded,
/// and a margin. Far below what an unchecked producer makes in the time a
/// test waits (hundreds of thousands of messages).
const SLACK_BYTES: usize = 64 * 1024;

/// The window h2 gives a stream when no one changes it: RFC 9113's
/// "initial value for the flow-control window is 65,535 octets", for the
/// stream and for the connection alike.
const RFC_INITIAL_WINDOW: usize = 65_535;

/// The messages a sender must have produced to fill `window` (the last one
/// may straddle its end), and the most it may have produced if it stopped
/// there.
fn bounds(window: usize) -> (usize, usize) {
    (
        window.div_ceil(WIRE_BYTES),
        (window + SLACK_BYTES).div_ceil(WIRE_BYTES),
    )
}

fn text() -> String {
    "x".repeat(TEXT_BYTES)
}

/// Waits for the producer's `count` to settle and asserts that it filled
/// `window` and stopped there; returns where it stopped.
async fn assert_stops_at_window(count: &AtomicUsize, window: usize) -> usize {
    let stalled_at = settled(count).await;
    let (least, most) = bounds(window);
    assert!(
        (least..=most).contains(&stalled_at),
        "the producer stopped at {stalled_at} messages; filling the {window}-byte window \
         takes {least}, and at most {most} may be made"
    );
    stalled_at
}

/// Waits until `count` stops moving (unchanged for 300 ms) and returns it.
/// A producer held back by flow control settles for good; one that is
/// merely slow does not stay unchanged that long in a test that does nothing
/// else.
async fn settled(count: &AtomicUsize) -> usize {
    let mut last = count.load(Ordering::Relaxed);
    let mut unchanged = 0;
    while unchanged < 6 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = count.load(Ordering::Relaxed);
        if now == last {
            unchanged += 1;
        } else {
            (last, unchanged) = (now, 0);
        }
    }
    last
}

/// `test.Endless/Flood`: a server stream of 1 KiB replies that never ends,
/// counting each reply it makes.
fn endless(produced: Arc<AtomicUsize>) -> Service {
    Service::new("test.Endless").server_streaming(
        "Flood",
        move |_request: Request<HelloRequest>| {
            let produced = produced.clone();
            async move {
                let replies = futures_util::stream::repeat_with(move || {
                    produced.fetch_add(1, Ordering::Relaxed);
                    Ok::<_, Status>(HelloReply { message: text() })
                });
                Ok::<_, Status>(Response::new(replies))
            }
        },
    )
}

/// Starts a client-streaming call of `path` whose requests, 1 KiB names,
/// never end, counting each one it makes in `produced`.
fn endless_client_stream(
    client: Client,
    path: &'static str,
    produced: Arc<AtomicUsize>,
) -> JoinHandle<Result<Response<HelloReply>, Status>> {
    let requests = futures_util::stream::repeat_with(move || {
        produced.fetch_add(1, Ordering::Relaxed);
        HelloRequest { name: text() }
    });
    tokio::spawn(async move {
        client
            .client_streaming::<_, HelloReply, _>(path, Request::new(requests))
            .await
    })
}

#[tokio::test]
async fn a_client_that_does_not_read_holds_back_a_server_stream() {
    within_limit(async {
        let produced = Arc::new(AtomicUsize::new(0));
        let server =
            TestServer::start(Server::builder().add_service(endless(produced.clone()))).await;
        let client = Client::new(server.channel().await);
        let mut replies: Streaming<HelloReply> = client
            .server_streaming("/test.Endless/Flood", Request::new(HelloRequest::default()))
            .await
            .unwrap()
            .into_inner();
        // Our client gives the window back only as the application reads: the
        // server fills the client's 1 MiB stream window and stops there.
        let stalled_at = assert_stops_at_window(&produced, DEFAULT_STREAM_WINDOW as usize).await;
        // Reading frees window: the producer moves on.
        for _ in 0..2000 {
            replies.message().await.unwrap().unwrap();
        }
        assert!(settled(&produced).await > stalled_at + 1000);
    })
    .await
}

#[tokio::test]
async fn a_raw_reader_that_stops_gets_exactly_its_window_and_the_server_stops_there() {
    within_limit(async {
        let produced = Arc::new(AtomicUsize::new(0));
        let server =
            TestServer::start(Server::builder().add_service(endless(produced.clone()))).await;
        // h2's defaults: a 65,535-byte window for the stream and the connection.
        let mut client = RawClient::connect(server.addr).await;
        let request = RawRequest::grpc("/test.Endless/Flood", hello_bytes(""));
        let (response, _send) = client.send(&request).await.expect("request sent");
        let mut body = response.await.expect("response head").into_body();
        // Read without giving any window back: exactly one window arrives.
        let mut received = 0;
        while received < RFC_INITIAL_WINDOW {
            let chunk = body.data().await.expect("more data").expect("data");
            received += chunk.len();
        }
        assert_eq!(received, RFC_INITIAL_WINDOW, "DATA past the window");
        let stalled_at = assert_stops_at_window(&produced, RFC_INITIAL_WINDOW).await;
        // Giving the window back lets exactly that much more through.
        body.flow_control()
            .release_capacity(received)
            .expect("release");
        let mut more = 0;
        while more < RFC_INITIAL_WINDOW {
            let chunk = body.data().await.expect("more data").expect("data");
            more += chunk.len();
        }
        assert_eq!(more, RFC_INITIAL_WINDOW, "DATA past the window");
        assert!(settled(&produced).await >= stalled_at + RFC_INITIAL_WINDOW / WIRE_BYTES);
    })
    .await
}

#[tokio::test]
async fn a_server_that_does_not_read_holds_back_a_client_stream() {
    within_limit(async {
        // The handler keeps its request stream unread until the test says so.
        let (go_tx, go_rx) = oneshot::channel::<()>();
        let go_rx = std::sync::Mutex::new(Some(go_rx));
        let lazy = Service::new("test.Lazy").client_streaming(
            "Ignore",
            move |request: Request<Streaming<HelloRequest>>| {
                let go = go_rx.lock().unwrap().take();
                async move {
                    if let Some(go) = go {
                        let _ = go.await;
                    }
                    drop(request);
                    Ok::<_, Status>(Response::new(HelloReply::default()))
                }
            },
        );
        let server = TestServer::start(Server::builder().add_service(lazy)).await;
        let client = Client::new(server.channel().await);
        let produced = Arc::new(AtomicUsize::new(0));
        let call = endless_client_stream(client, "/test.Lazy/Ignore", produced.clone());
        // Our server gives the window back only as the handler reads: the
        // client fills the server's 1 MiB stream window and stops there.
        assert_stops_at_window(&produced, DEFAULT_STREAM_WINDOW as usize).await;
        go_tx.send(()).unwrap();
        let reply = call.await.unwrap();
        assert!(reply.is_ok(), "{reply:?}");
    })
    .await
}

#[tokio::test]
async fn a_raw_server_that_stops_reading_gets_exactly_its_window_from_our_client() {
    within_limit(async {
        // h2's defaults: a 65,535-byte window. The server reads one window
        // without giving it back, then waits for the client to give up.
        let mut server = ScriptedServer::start(Script::new([
            Step::ReadHoldingWindow(RFC_INITIAL_WINDOW),
            Step::AwaitReset,
        ]))
        .await;
        let client = Client::new(server.channel().await);
        let produced = Arc::new(AtomicUsize::new(0));
        let call = endless_client_stream(client, "/test.Raw/Hold", produced.clone());
        assert_stops_at_window(&produced, RFC_INITIAL_WINDOW).await;
        // Dropping the call resets the stream; the server then reports what
        // it read: the whole window, not a byte more (h2 would have failed
        // the connection with FLOW_CONTROL_ERROR).
        call.abort();
        let seen = server.next_seen().await;
        assert_eq!(seen.body.len(), RFC_INITIAL_WINDOW);
        assert_eq!(seen.reset, Some(h2::Reason::CANCEL));
    })
    .await
}
