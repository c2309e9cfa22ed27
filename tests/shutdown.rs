//! Graceful shutdown, as a client sees it:
//! - every connection gets GOAWAY with NO_ERROR, at last naming the last
//!   stream the server took (PROTOCOL-HTTP2.md: GOAWAY "includes the id of the
//!   last successfully accepted stream by the server. Clients should consider
//!   any stream initiated after the last successfully accepted stream as
//!   UNAVAILABLE");
//! - calls in flight finish ("Clients are free to continue working with the
//!   already accepted streams until they complete"), within the grace period;
//! - a call that outlives the grace period is cut off, and the server returns.
//!
//! The handler here holds each call until the test releases it, so that
//! "in flight" is a fact the test arranged, not a sleep it hoped was long
//! enough.

mod support;

use std::time::{Duration, Instant};

use h2::Reason;
use h2grpc::rpc::{Client, Request, Response, Server, Service};
use h2grpc::transport::DEFAULT_SHUTDOWN_GRACE;
use h2grpc::{Code, Status};
use support::greeter::{HelloReply, HelloRequest};
use support::raw_client::GoAway;
use support::wire::hello as hello_bytes;
use support::{within_limit, RawClient, RawRequest, TestServer};
use tokio::sync::{mpsc, watch};

/// The name of a call that [`holding`] never answers.
const FOREVER: &str = "forever";

/// RFC 9113, 6.8: "A server that is attempting to gracefully shut down a
/// connection SHOULD send an initial GOAWAY frame with the last stream
/// identifier set to 2^31-1 and a NO_ERROR code."
const ANY_STREAM: u32 = (1 << 31) - 1;

/// `test.Hold/Wait`: reports each call's name on `started`, then answers
/// `done NAME` once `release` turns true, or never for [`FOREVER`].
fn holding(started: mpsc::UnboundedSender<String>, release: watch::Receiver<bool>) -> Service {
    Service::new("test.Hold").unary("Wait", move |request: Request<HelloRequest>| {
        let name = request.into_inner().name;
        let _ = started.send(name.clone());
        let mut release = release.clone();
        async move {
            if name == FOREVER {
                std::future::pending::<()>().await;
            }
            let _ = release.wait_for(|&go| go).await;
            Ok::<_, Status>(Response::new(HelloReply {
                message: format!("done {name}"),
            }))
        }
    })
}

/// Our server with [`holding`] and `grace` as its shutdown grace period,
/// and its two handles.
async fn start(
    grace: Duration,
) -> (
    TestServer,
    mpsc::UnboundedReceiver<String>,
    watch::Sender<bool>,
) {
    let (started_tx, started) = mpsc::unbounded_channel();
    let (release, release_rx) = watch::channel(false);
    let server = Server::builder()
        .shutdown_grace(grace)
        .add_service(holding(started_tx, release_rx));
    (TestServer::start(server).await, started, release)
}

fn hold(name: &str) -> Request<HelloRequest> {
    Request::new(HelloRequest { name: name.into() })
}

/// Waits until the GOAWAY frames `client` has seen satisfy `enough`, and
/// returns them.
async fn go_aways_until(client: &RawClient, enough: impl Fn(&[GoAway]) -> bool) -> Vec<GoAway> {
    loop {
        let seen = client.go_aways();
        if enough(&seen) {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_call_in_flight_finishes_after_shutdown_starts() {
    within_limit(async {
        let (mut server, mut started, release) = start(DEFAULT_SHUTDOWN_GRACE).await;
        let client = Client::new(server.channel().await);
        let call = tokio::spawn(async move {
            client
                .unary::<_, HelloReply>("/test.Hold/Wait", hold("slow"))
                .await
        });
        assert_eq!(started.recv().await.as_deref(), Some("slow"));
        // An idle connection shows when the drain has begun: its GOAWAY.
        let idle = RawClient::connect(server.addr).await;
        let addr = server.addr;
        server.begin_shutdown();
        go_aways_until(&idle, |seen| !seen.is_empty()).await;
        release.send_replace(true);
        let reply = call.await.unwrap().expect("the call in flight completes");
        assert_eq!(reply.into_inner().message, "done slow");
        server.stopped().await.expect("server ends cleanly");
        assert!(
            tokio::net::TcpStream::connect(addr).await.is_err(),
            "the listener is closed after shutdown"
        );
    })
    .await
}

#[tokio::test]
async fn shutdown_says_goaway_no_error_naming_the_last_stream_it_took() {
    within_limit(async {
        let (mut server, mut started, release) = start(DEFAULT_SHUTDOWN_GRACE).await;
        let mut client = RawClient::connect(server.addr).await;
        // Stream 1: taken by the server, held in its handler.
        let (in_flight, _send) = client
            .send(&RawRequest::grpc("/test.Hold/Wait", hello_bytes("one")))
            .await
            .expect("stream 1 sent");
        assert_eq!(started.recv().await.as_deref(), Some("one"));

        server.begin_shutdown();
        // The GOAWAY that names the last stream taken comes second, once the
        // client has answered the PING sent with the first.
        let go_aways = go_aways_until(&client, |seen| {
            seen.iter()
                .any(|go_away| go_away.last_stream_id != ANY_STREAM)
        })
        .await;
        assert!(
            go_aways
                .iter()
                .all(|go_away| go_away.reason == Reason::NO_ERROR),
            "{go_aways:?}"
        );
        assert_eq!(
            go_aways.first().map(|go_away| go_away.last_stream_id),
            Some(ANY_STREAM),
            "first the warning: {go_aways:?}"
        );
        assert_eq!(
            go_aways.last().map(|go_away| go_away.last_stream_id),
            Some(1),
            "then the last stream taken: {go_aways:?}"
        );

        // A stream opened now is past the last one taken: h2 fails it with
        // the GOAWAY's reason, which a gRPC client maps to UNAVAILABLE.
        let late = client
            .try_call(&RawRequest::grpc("/test.Hold/Wait", hello_bytes("two")))
            .await
            .expect_err("a stream after the final GOAWAY");
        assert!(late.is_go_away(), "{late:?}");
        assert_eq!(late.reason(), Some(Reason::NO_ERROR), "{late:?}");
        assert_eq!(Status::from_h2_error(&late).code(), Code::Unavailable);

        // Stream 1 still completes.
        release.send_replace(true);
        let (head, mut body) = in_flight.await.expect("response head").into_parts();
        assert_eq!(head.status, 200);
        let mut data = Vec::new();
        while let Some(chunk) = body.data().await {
            data.extend_from_slice(&chunk.expect("data"));
        }
        assert_eq!(data, hello_bytes("done one"));
        let trailers = body.trailers().await.expect("trailers").expect("trailers");
        assert_eq!(
            trailers.get("grpc-status").map(|v| v.as_bytes()),
            Some(&b"0"[..])
        );
        server.stopped().await.expect("server ends cleanly");
    })
    .await
}

#[tokio::test]
async fn a_call_outliving_the_grace_period_is_cut_off_and_one_within_it_completes() {
    within_limit(async {
        let grace = Duration::from_millis(300);
        let (mut server, mut started, release) = start(grace).await;
        let client = Client::new(server.channel().await);
        let quick = tokio::spawn({
            let client = client.clone();
            async move {
                client
                    .unary::<_, HelloReply>("/test.Hold/Wait", hold("quick"))
                    .await
            }
        });
        let stuck = tokio::spawn(async move {
            let result = client
                .unary::<_, HelloReply>("/test.Hold/Wait", hold(FOREVER))
                .await;
            (result, Instant::now())
        });
        let mut names = [started.recv().await, started.recv().await];
        names.sort();
        assert_eq!(names, [Some(FOREVER.to_owned()), Some("quick".to_owned())]);

        let shutdown_began = Instant::now();
        server.begin_shutdown();
        // Within the grace period: released at once, it completes.
        release.send_replace(true);
        let reply = quick.await.unwrap().expect("the quick call completes");
        assert_eq!(reply.into_inner().message, "done quick");

        // Past it: the connection is closed under the call.
        let (result, ended) = stuck.await.unwrap();
        let status = result.expect_err("the call past the grace period is cut off");
        assert_eq!(status.code(), Code::Unavailable, "{status}");
        let lasted = ended - shutdown_began;
        assert!(
            lasted >= grace,
            "cut off after {lasted:?}, before the {grace:?} grace period was over"
        );
        // Far below the 10 s default: the configured grace is the one used.
        assert!(
            lasted < Duration::from_secs(5),
            "cut off only after {lasted:?}"
        );
        server.stopped().await.expect("server ends cleanly");
        assert!(shutdown_began.elapsed() >= grace);
    })
    .await
}
