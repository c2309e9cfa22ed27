//! The connection-management options of `h2grpc serve` (issue 13): stream,
//! header-list and connection limits, the HTTP/2 receive windows, keepalive and ping enforcement, and
//! gRFC A9's idle and age limits. Each
//! left out keeps the library's default (`h2grpc::defaults`).

use std::time::Duration;

use h2grpc::defaults::{DEFAULT_CONNECTION_WINDOW, DEFAULT_STREAM_WINDOW};
use h2grpc::rpc::Server;

use super::duration::parse_duration;

/// Limits and keepalive settings of `h2grpc serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeLimits {
    /// Streams a client may open at once on a connection, advertised in
    /// SETTINGS; more are refused with REFUSED_STREAM (default 1000).
    #[arg(long, value_name = "N")]
    pub max_concurrent_streams: Option<u32>,
    /// Initial HTTP/2 window of each stream, in bytes (default 1048576).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u32).range(65535..=2147483647))]
    pub stream_window: Option<u32>,
    /// Initial HTTP/2 window of each connection, in bytes (default 1048576).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u32).range(65535..=2147483647))]
    pub connection_window: Option<u32>,
    /// Largest request head (header list) accepted, advertised in SETTINGS
    /// (default 16384).
    #[arg(long, value_name = "BYTES")]
    pub max_header_list_size: Option<u32>,
    /// Connections served at once; more are closed when accepted (default:
    /// no limit).
    #[arg(long, value_name = "N")]
    pub max_connections: Option<usize>,
    /// Ping a client after this long without a frame from it (default 2h).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub keepalive_time: Option<Duration>,
    /// Close a connection whose keepalive ping is not acknowledged within
    /// this (default 20s).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub keepalive_timeout: Option<Duration>,
    /// Shortest interval between a client's pings; a client that pings more
    /// often gets GOAWAY ENHANCE_YOUR_CALM (default 5m).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub keepalive_min_time: Option<Duration>,
    /// Let clients ping with no call in flight.
    #[arg(long)]
    pub permit_keepalive_without_calls: bool,
    /// GOAWAY a connection with no call in flight for this long (default:
    /// never).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub max_connection_idle: Option<Duration>,
    /// GOAWAY a connection this old, ±10% (default: never).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub max_connection_age: Option<Duration>,
    /// After the max-age GOAWAY, close the connection past this even with
    /// calls in flight (default: wait for them).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub max_connection_age_grace: Option<Duration>,
}

impl ServeLimits {
    /// `server` with every option given set on it.
    pub fn apply(&self, mut server: Server) -> Server {
        if let Some(limit) = self.max_concurrent_streams {
            server = server.max_concurrent_streams(Some(limit));
        }
        if self.stream_window.is_some() || self.connection_window.is_some() {
            server = server.initial_windows(
                self.stream_window.unwrap_or(DEFAULT_STREAM_WINDOW),
                self.connection_window.unwrap_or(DEFAULT_CONNECTION_WINDOW),
            );
        }
        if let Some(limit) = self.max_header_list_size {
            server = server.max_header_list_size(limit);
        }
        if let Some(limit) = self.max_connections {
            server = server.max_connections(Some(limit));
        }
        if let Some(time) = self.keepalive_time {
            server = server.keepalive_time(time);
        }
        if let Some(timeout) = self.keepalive_timeout {
            server = server.keepalive_timeout(timeout);
        }
        if let Some(min_time) = self.keepalive_min_time {
            server = server.keepalive_min_time(min_time);
        }
        if self.permit_keepalive_without_calls {
            server = server.permit_keepalive_without_calls(true);
        }
        if let Some(max_idle) = self.max_connection_idle {
            server = server.max_connection_idle(Some(max_idle));
        }
        if let Some(max_age) = self.max_connection_age {
            server = server.max_connection_age(Some(max_age));
        }
        if let Some(grace) = self.max_connection_age_grace {
            server = server.max_connection_age_grace(Some(grace));
        }
        server
    }
}
