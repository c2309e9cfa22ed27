//! `h2grpc serve`'s connection-management options reach the server: the
//! limits show in its SETTINGS, the keepalive in its pings, and a malformed
//! duration is a usage error naming the option.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use std::time::Duration;

use crate::support::h2grpc_command;
use crate::support::h2grpc_server_with;
use crate::support::raw_frames::{
    FrameClient, END_STREAM_OR_ACK, GOAWAY, PING, SETTINGS, WINDOW_UPDATE,
};

/// SETTINGS_MAX_CONCURRENT_STREAMS, SETTINGS_INITIAL_WINDOW_SIZE,
/// SETTINGS_MAX_HEADER_LIST_SIZE.
const MAX_CONCURRENT_STREAMS: u16 = 0x3;
const INITIAL_WINDOW_SIZE: u16 = 0x4;
const MAX_HEADER_LIST_SIZE: u16 = 0x6;

#[tokio::test]
async fn serve_advertises_its_limits_and_pings_after_keepalive_time() {
    let server = h2grpc_server_with(&[
        "--max-concurrent-streams",
        "7",
        "--max-header-list-size",
        "5000",
        "--keepalive-time",
        "300ms",
        "--stream-window",
        "2097152",
        "--connection-window",
        "4194304",
    ]);
    let mut client = FrameClient::connect(server.addr()).await;
    let wait = Duration::from_secs(5);
    let settings = client.next_of(SETTINGS, wait).await.expect("SETTINGS");
    assert_eq!(settings.setting(MAX_CONCURRENT_STREAMS), Some(7));
    assert_eq!(settings.setting(MAX_HEADER_LIST_SIZE), Some(5000));
    assert_eq!(settings.setting(INITIAL_WINDOW_SIZE), Some(2_097_152));
    // The connection's window grows from RFC 9113's 65,535 by a
    // WINDOW_UPDATE on stream 0.
    let update = client
        .next_of(WINDOW_UPDATE, wait)
        .await
        .expect("WINDOW_UPDATE");
    assert_eq!(update.stream, 0);
    assert_eq!(update.window_increment(), 4_194_304 - 65_535);
    let ping = client.next_of(PING, wait).await.expect("a keepalive PING");
    assert_eq!(ping.flags & END_STREAM_OR_ACK, 0);
}

#[tokio::test]
async fn serve_sends_go_away_past_max_connection_idle() {
    let server = h2grpc_server_with(&["--max-connection-idle", "200ms"]);
    let mut client = FrameClient::connect(server.addr()).await;
    let go_away = client
        .next_of(GOAWAY, Duration::from_secs(5))
        .await
        .expect("GOAWAY");
    assert_eq!(go_away.error_code(), 0);
}

#[test]
fn a_malformed_duration_is_a_usage_error_naming_the_option() {
    let out = h2grpc_command(&["serve", "--addr", "127.0.0.1:0", "--keepalive-time", "5x"]);
    assert_eq!(out.status.code(), Some(2), "{}", out.describe());
    assert!(
        out.stderr.contains("--keepalive-time") && out.stderr.contains("unknown unit"),
        "{}",
        out.describe()
    );
}
