//! gRFC A9 over real sockets: a connection idle past `max_connection_idle`
//! or older than `max_connection_age` gets the double GOAWAY (last stream
//! 2^31-1, then the real one), calls in flight finish, and past
//! `max_connection_age_grace` the connection is closed.

mod support;

use std::time::Duration;

use support::raw_frames::{Frame, FrameClient, Next, END_STREAM_OR_ACK, GOAWAY, HEADERS};
use support::{greeter, wire, within_limit, TestServer};

const SAY_HELLO: &str = "/helloworld.Greeter/SayHello";
/// RFC 9113, 7: NO_ERROR.
const NO_ERROR: u32 = 0x0;
/// The first GOAWAY of a graceful close: "the last stream identifier set to
/// 2^31-1" (RFC 9113, 6.8).
const ANY_STREAM: u32 = 0x7fff_ffff;
/// HPACK's static entry 8, `:status 200`.
const STATUS_200: u8 = 0x88;
const WAIT: Duration = Duration::from_secs(3);

/// The next frame, PINGs answered; fails the test on close or silence.
async fn next_frame(client: &mut FrameClient) -> Frame {
    match client.next_acking(WAIT).await {
        Next::Frame(frame) => frame,
        other => panic!("expected a frame, got {other:?}"),
    }
}

/// Reads up to and including the second GOAWAY, checking the first.
async fn double_go_away(client: &mut FrameClient) -> Frame {
    let first = next_frame(client).await;
    assert_eq!(first.kind, GOAWAY, "{first:?}");
    assert_eq!(
        (first.last_stream_id(), first.error_code()),
        (ANY_STREAM, NO_ERROR)
    );
    let second = next_frame(client).await;
    assert_eq!(second.kind, GOAWAY, "{second:?}");
    assert_eq!(second.error_code(), NO_ERROR);
    second
}

#[tokio::test]
async fn an_idle_connection_gets_a_double_go_away_and_is_closed() {
    within_limit(async {
        let server = TestServer::start(
            greeter::server().max_connection_idle(Some(Duration::from_millis(200))),
        )
        .await;
        let mut client = FrameClient::connect(server.addr).await;
        let last = double_go_away(&mut client).await;
        assert_eq!(last.last_stream_id(), 0);
        assert_eq!(client.next_acking(WAIT).await, Next::Closed);
    })
    .await;
}

#[tokio::test]
async fn a_connection_with_a_call_in_flight_is_not_idle() {
    within_limit(async {
        let server = TestServer::start(
            greeter::server().max_connection_idle(Some(Duration::from_millis(100))),
        )
        .await;
        let mut client = FrameClient::connect(server.addr).await;
        client.open_grpc_stream(1, SAY_HELLO, &[]).await;
        // Five idle periods with the call open: no GOAWAY.
        assert_eq!(
            client.next_acking(Duration::from_millis(500)).await,
            Next::Quiet
        );
        client
            .send(0x0, END_STREAM_OR_ACK, 1, &wire::hello("a"))
            .await;
        let head = next_frame(&mut client).await;
        assert_eq!(
            (head.kind, head.stream, head.payload[0]),
            (HEADERS, 1, STATUS_200)
        );
        // Once the call is over, the idle clock runs.
        let go_away = loop {
            let frame = next_frame(&mut client).await;
            if frame.kind == GOAWAY {
                break frame;
            }
        };
        assert_eq!(go_away.last_stream_id(), ANY_STREAM);
    })
    .await;
}

/// gRFC A9: "outstanding RPCs should be permitted to complete".
#[tokio::test]
async fn at_max_connection_age_calls_in_flight_finish_then_the_connection_closes() {
    within_limit(async {
        let server = TestServer::start(
            greeter::server()
                .max_connection_age(Some(Duration::from_millis(200)))
                .max_connection_age_grace(Some(Duration::from_secs(10))),
        )
        .await;
        let mut client = FrameClient::connect(server.addr).await;
        client.open_grpc_stream(1, SAY_HELLO, &[]).await;
        let last = double_go_away(&mut client).await;
        assert_eq!(last.last_stream_id(), 1);
        // The call in flight still completes.
        client
            .send(0x0, END_STREAM_OR_ACK, 1, &wire::hello("a"))
            .await;
        let head = next_frame(&mut client).await;
        assert_eq!(
            (head.kind, head.stream, head.payload[0]),
            (HEADERS, 1, STATUS_200)
        );
        loop {
            match client.next_acking(WAIT).await {
                Next::Closed => break,
                Next::Frame(_) => {}
                Next::Quiet => panic!("still open after its last call"),
            }
        }
    })
    .await;
}

#[tokio::test]
async fn past_max_connection_age_grace_a_call_in_flight_is_cut_off() {
    within_limit(async {
        let server = TestServer::start(
            greeter::server()
                .max_connection_age(Some(Duration::from_millis(100)))
                .max_connection_age_grace(Some(Duration::from_millis(300))),
        )
        .await;
        let mut client = FrameClient::connect(server.addr).await;
        client.open_grpc_stream(1, SAY_HELLO, &[]).await;
        double_go_away(&mut client).await;
        // The call never ends; the grace does.
        let started = tokio::time::Instant::now();
        loop {
            match client.next_acking(WAIT).await {
                Next::Closed => break,
                Next::Frame(frame) => assert_ne!(frame.kind, HEADERS, "{frame:?}"),
                Next::Quiet => panic!("still open past the grace"),
            }
        }
        assert!(started.elapsed() < Duration::from_secs(2));
    })
    .await;
}
