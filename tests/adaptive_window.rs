//! The receive windows grow to the connection's measured bandwidth-delay
//! product (grpc-go's BDP estimation), on the server and on a channel, and
//! stay as set when the embedder sets them. The peer is written by hand
//! (`raw_frames`) so that it decides when the measuring PING is answered:
//! the time it waits is the round trip measured.

mod support;

use std::time::Duration;

use h2grpc::defaults::{DEFAULT_CONNECTION_WINDOW, DEFAULT_STREAM_WINDOW};
use support::raw_frames::{
    Frame, FrameClient, Next, DATA, END_HEADERS, END_STREAM_OR_ACK, HEADERS, PING, SETTINGS,
    WINDOW_UPDATE,
};
use support::{greeter, within_limit, TestServer};

const SAY_HELLO: &str = "/helloworld.Greeter/SayHello";
/// SETTINGS_INITIAL_WINDOW_SIZE (RFC 9113, 6.5.2).
const INITIAL_WINDOW_SIZE: u16 = 0x4;
/// The request body: one gRPC message of 48 full DATA frames, 768 KiB,
/// three quarters of the default 1 MiB windows.
const FRAME: usize = 16 * 1024;
const FRAMES: usize = 48;
/// The round trip the client makes the server see.
const ROUND_TRIP: Duration = Duration::from_millis(100);
const WAIT: Duration = Duration::from_secs(2);

/// A HelloRequest framed as one gRPC message, exactly `FRAMES` frames long.
fn large_request() -> Vec<u8> {
    let total = FRAMES * FRAME;
    // prefix (5) + tag (1) + a 3-byte length varint + the name
    let name_len = total - 5 - 1 - 3;
    let message_len = (total - 5) as u32;
    let mut body = vec![0];
    body.extend_from_slice(&message_len.to_be_bytes());
    body.push(0x0a);
    body.extend_from_slice(&[
        (name_len as u8 & 0x7f) | 0x80,
        ((name_len >> 7) as u8 & 0x7f) | 0x80,
        (name_len >> 14) as u8,
    ]);
    body.resize(total, b'x');
    body
}

/// Connects, acknowledges the server's SETTINGS (h2 changes no setting
/// while one is unacknowledged), opens a SayHello and sends the large
/// request without ending it, then answers nothing for `ROUND_TRIP`; the
/// frames the server sent meanwhile and after its PING is answered.
async fn upload_with_a_slow_round_trip(server: &TestServer) -> Vec<Frame> {
    let mut client = FrameClient::connect(server.addr).await;
    loop {
        let settings = client.next_of(SETTINGS, WAIT).await.expect("SETTINGS");
        if settings.flags & END_STREAM_OR_ACK == 0 {
            break;
        }
    }
    client.send(SETTINGS, END_STREAM_OR_ACK, 0, &[]).await;
    client.open_grpc_stream(1, SAY_HELLO, &[]).await;
    for frame in large_request().chunks(FRAME) {
        client.send(DATA, 0, 1, frame).await;
    }
    tokio::time::sleep(ROUND_TRIP).await;
    let mut seen = Vec::new();
    loop {
        match client.next(WAIT).await {
            Next::Frame(frame) => {
                if frame.kind == PING && frame.flags & END_STREAM_OR_ACK == 0 {
                    client
                        .send(PING, END_STREAM_OR_ACK, 0, &frame.payload)
                        .await;
                }
                seen.push(frame);
            }
            Next::Quiet | Next::Closed => return seen,
        }
    }
}

fn initial_window_settings(frames: &[Frame]) -> Vec<u32> {
    frames
        .iter()
        .filter(|frame| frame.kind == SETTINGS)
        .filter_map(|frame| frame.setting(INITIAL_WINDOW_SIZE))
        .collect()
}

fn connection_window_updates(frames: &[Frame]) -> Vec<u32> {
    frames
        .iter()
        .filter(|frame| frame.kind == WINDOW_UPDATE && frame.stream == 0)
        .map(Frame::window_increment)
        .collect()
}

#[tokio::test]
async fn a_window_filled_within_a_round_trip_doubles_the_windows() {
    within_limit(async {
        let server = TestServer::start(greeter::server()).await;
        let frames = upload_with_a_slow_round_trip(&server).await;
        assert!(
            frames.iter().any(|frame| frame.kind == PING),
            "the server measures with a PING: {frames:?}"
        );
        // 768 KiB arrived within the measured round trip: past two thirds
        // of the 1 MiB window, so both windows become twice the sample.
        let grown = 2 * (FRAMES * FRAME) as u32;
        assert_eq!(initial_window_settings(&frames), vec![grown]);
        let increments: u32 = connection_window_updates(&frames).iter().sum();
        // The connection's window had room for the 768 KiB; h2 tops it up
        // to the new target as the call's data is consumed.
        assert!(
            increments >= grown - DEFAULT_CONNECTION_WINDOW,
            "connection window increments {increments} for a target of {grown}"
        );
    })
    .await;
}

#[tokio::test]
async fn windows_set_by_the_embedder_stay_as_set() {
    within_limit(async {
        let server = TestServer::start(
            greeter::server().initial_windows(DEFAULT_STREAM_WINDOW, DEFAULT_CONNECTION_WINDOW),
        )
        .await;
        let frames = upload_with_a_slow_round_trip(&server).await;
        assert!(
            !frames.iter().any(|frame| frame.kind == PING),
            "no measuring PING with fixed windows: {frames:?}"
        );
        assert_eq!(initial_window_settings(&frames), Vec::<u32>::new());
    })
    .await;
}

#[tokio::test]
async fn small_calls_start_no_measurement() {
    within_limit(async {
        let server = TestServer::start(greeter::server()).await;
        let mut client = FrameClient::connect(server.addr).await;
        for stream in (1..40).step_by(2) {
            client.open_grpc_stream(stream, SAY_HELLO, &[]).await;
            client
                .send(DATA, END_STREAM_OR_ACK, stream, &support::wire::hello("a"))
                .await;
        }
        let mut pings = 0;
        while let Next::Frame(frame) = client.next(Duration::from_millis(300)).await {
            pings += usize::from(frame.kind == PING);
        }
        assert_eq!(pings, 0, "small requests are no bulk transfer");
    })
    .await;
}

/// A channel's windows grow the same way. The server is written by hand:
/// it answers the channel's first PING at once (the handshake waits for
/// it), sends 768 KiB of a response in full DATA frames, and answers the
/// channel's measuring PING only after `ROUND_TRIP`; the channel then sends
/// SETTINGS with the grown stream window.
#[tokio::test]
async fn a_channels_windows_grow_the_same_way() {
    within_limit(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let client = tokio::spawn(async move {
            let channel = h2grpc::transport::Channel::connect(&format!("http://{addr}"))
                .await
                .expect("channel");
            let client = h2grpc::rpc::Client::new(channel);
            let request = h2grpc::rpc::Request::new(greeter::HelloRequest { name: "a".into() });
            // The answer is no gRPC response; only its DATA matters here.
            let _ = client
                .unary::<_, greeter::HelloReply>(SAY_HELLO, request)
                .await;
            std::future::pending::<()>().await;
        });
        let (tcp, _) = listener.accept().await.expect("accept");
        let mut server = FrameClient::accepted(tcp).await;
        let mut answered_at = None;
        let mut grown = None;
        while grown.is_none() {
            let Next::Frame(frame) = server.next(WAIT).await else {
                break;
            };
            match frame.kind {
                SETTINGS if frame.flags & END_STREAM_OR_ACK == 0 => {
                    if let Some(window) = frame.setting(INITIAL_WINDOW_SIZE) {
                        if window > DEFAULT_STREAM_WINDOW {
                            grown = Some(window);
                        }
                    }
                    server.send(SETTINGS, END_STREAM_OR_ACK, 0, &[]).await;
                }
                PING if frame.flags & END_STREAM_OR_ACK == 0 => {
                    if let Some(sent) = answered_at {
                        tokio::time::sleep_until(sent + ROUND_TRIP).await;
                    }
                    server
                        .send(PING, END_STREAM_OR_ACK, 0, &frame.payload)
                        .await;
                }
                HEADERS if answered_at.is_none() => {
                    // :status 200 (HPACK static entry 8), then the body.
                    server
                        .send(HEADERS, END_HEADERS, frame.stream, &[0x88])
                        .await;
                    for chunk in large_request().chunks(FRAME) {
                        server.send(DATA, 0, frame.stream, chunk).await;
                    }
                    answered_at = Some(tokio::time::Instant::now());
                }
                _ => {}
            }
        }
        client.abort();
        assert_eq!(grown, Some(2 * (FRAMES * FRAME) as u32));
    })
    .await;
}
