//! Server connection management over real sockets: the stream and
//! header-list limits advertised in SETTINGS and enforced, the connection
//! limit, keepalive pings and ping enforcement (doc/keepalive.md). The
//! clients that break the rules write frames by hand (`raw_frames`).

mod support;

use std::time::Duration;

use h2grpc::defaults::{DEFAULT_MAX_CONCURRENT_STREAMS, DEFAULT_MAX_HEADER_LIST_SIZE};
use support::raw_frames::{
    FrameClient, Next, END_STREAM_OR_ACK, GOAWAY, HEADERS, PING, RST_STREAM, SETTINGS,
};
use support::{greeter, wire, within_limit, RawClient, RawRequest, TestServer};

const SAY_HELLO: &str = "/helloworld.Greeter/SayHello";
/// SETTINGS_MAX_CONCURRENT_STREAMS and SETTINGS_MAX_HEADER_LIST_SIZE
/// (RFC 9113, 6.5.2).
const MAX_CONCURRENT_STREAMS: u16 = 0x3;
const MAX_HEADER_LIST_SIZE: u16 = 0x6;
/// Error codes (RFC 9113, 7).
const REFUSED_STREAM: u32 = 0x7;
const ENHANCE_YOUR_CALM: u32 = 0xb;
/// HPACK's static entry 8, `:status 200` (RFC 7541, appendix A).
const STATUS_200: u8 = 0x88;
/// Long enough for any frame the server sends at once; short enough that a
/// test of a missing frame stays fast.
const WAIT: Duration = Duration::from_secs(2);

/// The server's first SETTINGS frame (not an ACK).
async fn server_settings(client: &mut FrameClient) -> support::raw_frames::Frame {
    loop {
        let frame = client.next_of(SETTINGS, WAIT).await.expect("SETTINGS");
        if frame.flags & END_STREAM_OR_ACK == 0 {
            return frame;
        }
    }
}

/// A SayHello call through h2's client, expected to succeed.
async fn say_hello(client: &mut RawClient) {
    let request = RawRequest::grpc(SAY_HELLO, wire::hello("a"));
    let answer = client.call(&request).await;
    assert_eq!(answer.grpc_status(), Some("0"), "{answer:?}");
}

#[tokio::test]
async fn a_default_server_advertises_its_stream_and_header_list_limits() {
    within_limit(async {
        let server = TestServer::start(greeter::server()).await;
        let mut client = FrameClient::connect(server.addr).await;
        let settings = server_settings(&mut client).await;
        assert_eq!(
            settings.setting(MAX_CONCURRENT_STREAMS),
            DEFAULT_MAX_CONCURRENT_STREAMS
        );
        assert_eq!(
            settings.setting(MAX_HEADER_LIST_SIZE),
            Some(DEFAULT_MAX_HEADER_LIST_SIZE)
        );
    })
    .await;
}

/// RFC 9113, 5.1.2: "An endpoint that receives a HEADERS frame that causes
/// its advertised concurrent stream limit to be exceeded MUST treat this as
/// a stream error of type PROTOCOL_ERROR or REFUSED_STREAM."
#[tokio::test]
async fn a_stream_past_max_concurrent_streams_is_refused_with_refused_stream() {
    within_limit(async {
        let server = TestServer::start(greeter::server().max_concurrent_streams(Some(2))).await;
        let mut client = FrameClient::connect(server.addr).await;
        let settings = server_settings(&mut client).await;
        assert_eq!(settings.setting(MAX_CONCURRENT_STREAMS), Some(2));
        // Two calls left open (no END_STREAM), then a third.
        for stream in [1, 3, 5] {
            client.open_grpc_stream(stream, SAY_HELLO, &[]).await;
        }
        let reset = client.next_of(RST_STREAM, WAIT).await.expect("RST_STREAM");
        assert_eq!((reset.stream, reset.error_code()), (5, REFUSED_STREAM));
        // The first two are still open: ending one gets its answer.
        let hello = wire::hello("a");
        client.send(0x0, END_STREAM_OR_ACK, 1, &hello).await;
        let head = client.next_of(HEADERS, WAIT).await.expect("HEADERS");
        assert_eq!((head.stream, head.payload[0]), (1, STATUS_200));
    })
    .await;
}

/// An oversized request head costs its stream, not the connection.
#[tokio::test]
async fn a_request_head_past_max_header_list_size_is_refused_on_its_stream_only() {
    within_limit(async {
        let server = TestServer::start(greeter::server().max_header_list_size(4096)).await;
        let mut client = FrameClient::connect(server.addr).await;
        let settings = server_settings(&mut client).await;
        assert_eq!(settings.setting(MAX_HEADER_LIST_SIZE), Some(4096));
        let big = "x".repeat(6000);
        client
            .open_grpc_stream(1, SAY_HELLO, &[("x-big", big.as_str())])
            .await;
        // h2 answers 431 (a HEADERS frame that is not `:status 200`) or
        // resets the stream; either way stream 1 only.
        let refused = loop {
            match client.next(WAIT).await {
                Next::Frame(frame) if frame.kind == HEADERS || frame.kind == RST_STREAM => {
                    break frame
                }
                Next::Frame(frame) => assert_ne!(frame.kind, GOAWAY, "{frame:?}"),
                other => panic!("no answer to the oversized head: {other:?}"),
            }
        };
        assert_eq!(refused.stream, 1);
        if refused.kind == HEADERS {
            assert_ne!(refused.payload[0], STATUS_200);
        }
        // The connection still serves calls.
        client.open_grpc_stream(3, SAY_HELLO, &[]).await;
        let hello = wire::hello("a");
        client.send(0x0, END_STREAM_OR_ACK, 3, &hello).await;
        let head = loop {
            let frame = client.next_of(HEADERS, WAIT).await.expect("HEADERS");
            if frame.stream == 3 {
                break frame;
            }
        };
        assert_eq!(head.payload[0], STATUS_200);
    })
    .await;
}

#[tokio::test]
async fn a_connection_past_max_connections_is_closed_and_the_others_keep_serving() {
    within_limit(async {
        let server = TestServer::start(greeter::server().max_connections(Some(1))).await;
        let mut first = RawClient::connect(server.addr).await;
        say_hello(&mut first).await;
        // The second connection is closed before any frame.
        let mut second = FrameClient::connect(server.addr).await;
        assert_eq!(second.next(WAIT).await, Next::Closed);
        say_hello(&mut first).await;
        // Once the first has gone, its slot is free again.
        drop(first);
        let mut third = loop {
            let mut probe = FrameClient::connect(server.addr).await;
            match probe.next(WAIT).await {
                Next::Frame(_) => break probe,
                _ => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        };
        assert_eq!(
            third.next_of(GOAWAY, Duration::from_millis(200)).await,
            None
        );
    })
    .await;
}

/// doc/keepalive.md: "If the ping is not acknowledged by the other side
/// within a certain period, the connection will be closed."
#[tokio::test]
async fn a_client_that_does_not_acknowledge_the_keepalive_ping_is_disconnected() {
    within_limit(async {
        let server = TestServer::start(
            greeter::server()
                .keepalive_time(Duration::from_millis(200))
                .keepalive_timeout(Duration::from_millis(200)),
        )
        .await;
        let mut client = FrameClient::connect(server.addr).await;
        let ping = client.next_of(PING, WAIT).await.expect("a keepalive PING");
        assert_eq!(ping.flags & END_STREAM_OR_ACK, 0);
        // No ACK from us: the server closes the connection.
        loop {
            match client.next(WAIT).await {
                Next::Closed => break,
                Next::Frame(frame) => assert_ne!(frame.kind, HEADERS, "{frame:?}"),
                Next::Quiet => panic!("still open after the keepalive timeout"),
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_client_that_acknowledges_keepalive_pings_stays_connected() {
    within_limit(async {
        let server = TestServer::start(
            greeter::server()
                .keepalive_time(Duration::from_millis(100))
                .keepalive_timeout(Duration::from_millis(500)),
        )
        .await;
        let mut client = RawClient::connect(server.addr).await;
        // Ten keepalive periods, each ping answered by h2's client.
        tokio::time::sleep(Duration::from_secs(1)).await;
        say_hello(&mut client).await;
        assert!(client.go_aways().is_empty());
    })
    .await;
}

/// Four pings at once with a call in flight: the first is no strike, the
/// next two are forgiven (grpc-go's `maxPingStrikes`, 2), the fourth gets
/// GOAWAY ENHANCE_YOUR_CALM ("Server sends GOAWAY with ENHANCE_YOUR_CALM
/// and close the connection when ... Client sends too frequent pings").
#[tokio::test]
async fn a_client_that_pings_more_often_than_keepalive_min_time_gets_enhance_your_calm() {
    within_limit(async {
        let server = TestServer::start(greeter::server()).await;
        let mut client = FrameClient::connect(server.addr).await;
        client.open_grpc_stream(1, SAY_HELLO, &[]).await;
        for i in 0..4 {
            client.ping([i; 8]).await;
        }
        let go_away = client.next_of(GOAWAY, WAIT).await.expect("GOAWAY");
        assert_eq!(go_away.error_code(), ENHANCE_YOUR_CALM);
        // grpc-go's debug data, which its client reads to back off.
        assert_eq!(&go_away.payload[8..], b"too_many_pings");
        assert_eq!(go_away.last_stream_id(), 1);
        // The one GOAWAY, as grpc-go sends: a client that keeps only the
        // last GOAWAY (h2's does) still reads `too_many_pings`.
        assert_eq!(
            client.next_of(GOAWAY, Duration::from_millis(300)).await,
            None
        );
    })
    .await;
}

#[tokio::test]
async fn three_pings_too_soon_are_forgiven() {
    within_limit(async {
        let server = TestServer::start(greeter::server()).await;
        let mut client = FrameClient::connect(server.addr).await;
        client.open_grpc_stream(1, SAY_HELLO, &[]).await;
        for i in 0..3 {
            client.ping([i; 8]).await;
        }
        assert_eq!(
            client.next_of(GOAWAY, Duration::from_millis(300)).await,
            None
        );
    })
    .await;
}

#[tokio::test]
async fn pings_without_calls_are_strikes_unless_permitted() {
    within_limit(async {
        let strict = TestServer::start(greeter::server().keepalive_min_time(Duration::ZERO)).await;
        let mut client = FrameClient::connect(strict.addr).await;
        for i in 0..4 {
            client.ping([i; 8]).await;
        }
        let go_away = client.next_of(GOAWAY, WAIT).await.expect("GOAWAY");
        assert_eq!(go_away.error_code(), ENHANCE_YOUR_CALM);
        assert_eq!(&go_away.payload[8..], b"too_many_pings");
        assert_eq!(go_away.last_stream_id(), 0);

        let lenient = TestServer::start(
            greeter::server()
                .keepalive_min_time(Duration::ZERO)
                .permit_keepalive_without_calls(true),
        )
        .await;
        let mut client = FrameClient::connect(lenient.addr).await;
        for i in 0..10 {
            client.ping([i; 8]).await;
        }
        let mut acks = 0;
        while acks < 10 {
            let frame = client.next_of(PING, WAIT).await.expect("PING ACK");
            assert_eq!(frame.flags, END_STREAM_OR_ACK);
            acks += 1;
        }
        assert_eq!(
            client.next_of(GOAWAY, Duration::from_millis(300)).await,
            None
        );
    })
    .await;
}
