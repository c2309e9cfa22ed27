//! Every default setting, pinned: the named constants of `h2grpc::defaults`,
//! the configurations built from them, and what the send default means to a
//! user (a large reply the client asked for goes out).

mod support;

use std::time::Duration;

use h2grpc::__private::framing::DEFAULT_MAX_MESSAGE_LEN;
use h2grpc::codec::MessageLimits;
use h2grpc::defaults::*;
use h2grpc::rpc::{Client, Request, Response, Server, Service};
use h2grpc::transport::{BackoffConfig, Channel, Endpoint, TransportConfig};
use h2grpc::Status;
use support::greeter::{HelloReply, HelloRequest};
use support::{within_limit, TestServer};

const MIB: usize = 1024 * 1024;

#[test]
fn message_size_defaults_are_4_mib_received_and_unlimited_sent() {
    // The default of grpc-go, C-core and tonic on both counts.
    assert_eq!(DEFAULT_MAX_RECEIVE_MESSAGE_SIZE, 4 * MIB);
    assert_eq!(DEFAULT_MAX_SEND_MESSAGE_SIZE, usize::MAX);
    assert_eq!(DEFAULT_MAX_MESSAGE_LEN, DEFAULT_MAX_RECEIVE_MESSAGE_SIZE);
    assert_eq!(
        MessageLimits::default(),
        MessageLimits {
            max_receive: 4 * MIB,
            max_send: usize::MAX,
        }
    );
}

#[test]
fn http2_defaults_are_pinned() {
    assert_eq!(DEFAULT_STREAM_WINDOW, 1024 * 1024);
    assert_eq!(DEFAULT_CONNECTION_WINDOW, 1024 * 1024);
    const { assert!(DEFAULT_ADAPTIVE_WINDOW) };
    // RFC 9113 §6.5.2: SETTINGS_MAX_FRAME_SIZE's initial value, 2^14.
    assert_eq!(DEFAULT_MAX_FRAME_SIZE, 16_384);
    assert_eq!(DEFAULT_MAX_HEADER_LIST_SIZE, 16 * 1024);
    assert_eq!(DEFAULT_MAX_SEND_BUFFER, 400 * 1024);
    assert_eq!(DEFAULT_MAX_CONCURRENT_STREAMS, Some(1000));
    assert_eq!(DEFAULT_SHUTDOWN_GRACE, Duration::from_secs(10));
}

/// doc/connection-backoff.md's parameters, and the client's keepalive off
/// (grpc-go's `keepalive.ClientParameters` is opt-in), as an `Endpoint`
/// starts with them.
#[test]
fn client_channel_defaults_are_the_specs() {
    assert_eq!(DEFAULT_BACKOFF_INITIAL, Duration::from_secs(1));
    assert_eq!(DEFAULT_BACKOFF_MULTIPLIER, 1.6);
    assert_eq!(DEFAULT_BACKOFF_JITTER, 0.2);
    assert_eq!(DEFAULT_BACKOFF_MAX, Duration::from_secs(120));
    assert_eq!(DEFAULT_MIN_CONNECT_TIMEOUT, Duration::from_secs(20));
    assert_eq!(DEFAULT_CLIENT_KEEPALIVE_TIME, None);
    assert_eq!(
        BackoffConfig::default(),
        BackoffConfig {
            initial: Duration::from_secs(1),
            multiplier: 1.6,
            jitter: 0.2,
            max: Duration::from_secs(120),
            min_connect_timeout: Duration::from_secs(20),
        }
    );
    let channel = Endpoint::new("http://127.0.0.1:1")
        .expect("endpoint")
        .connect_lazy();
    assert_eq!(channel.keepalive_time(), None);
}

/// grpc-go's keepalive defaults (keepalive.ServerParameters and
/// EnforcementPolicy, doc/keepalive.md); no connection limit, as grpc-go.
#[test]
fn connection_management_defaults_are_grpc_gos() {
    assert_eq!(DEFAULT_MAX_CONNECTIONS, None);
    assert_eq!(DEFAULT_KEEPALIVE_TIME, Duration::from_secs(2 * 60 * 60));
    assert_eq!(DEFAULT_KEEPALIVE_TIMEOUT, Duration::from_secs(20));
    assert_eq!(DEFAULT_KEEPALIVE_MIN_TIME, Duration::from_secs(5 * 60));
    const { assert!(!DEFAULT_PERMIT_KEEPALIVE_WITHOUT_CALLS) };
    assert_eq!(MAX_PING_STRIKES, 2);
    // gRFC A9: "MAX_CONNECTION_IDLE, defaulting to infinite", and so
    // MAX_CONNECTION_AGE and MAX_CONNECTION_AGE_GRACE.
    assert_eq!(DEFAULT_MAX_CONNECTION_IDLE, None);
    assert_eq!(DEFAULT_MAX_CONNECTION_AGE, None);
    assert_eq!(DEFAULT_MAX_CONNECTION_AGE_GRACE, None);
}

#[test]
fn the_default_transport_config_is_made_of_the_named_defaults() {
    let config = TransportConfig::default();
    assert_eq!(
        config.max_receive_message_size,
        DEFAULT_MAX_RECEIVE_MESSAGE_SIZE
    );
    assert_eq!(config.max_send_message_size, DEFAULT_MAX_SEND_MESSAGE_SIZE);
    assert_eq!(config.stream_window, DEFAULT_STREAM_WINDOW);
    assert_eq!(config.connection_window, DEFAULT_CONNECTION_WINDOW);
    assert_eq!(config.adaptive_window, DEFAULT_ADAPTIVE_WINDOW);
    assert_eq!(config.max_frame_size, DEFAULT_MAX_FRAME_SIZE);
    assert_eq!(config.max_header_list_size, DEFAULT_MAX_HEADER_LIST_SIZE);
    assert_eq!(config.max_send_buffer, DEFAULT_MAX_SEND_BUFFER);
    assert_eq!(
        config.max_concurrent_streams,
        DEFAULT_MAX_CONCURRENT_STREAMS
    );
    assert_eq!(config.shutdown_grace, DEFAULT_SHUTDOWN_GRACE);
    assert_eq!(config.max_connections, DEFAULT_MAX_CONNECTIONS);
    assert_eq!(config.keepalive_time, DEFAULT_KEEPALIVE_TIME);
    assert_eq!(config.keepalive_timeout, DEFAULT_KEEPALIVE_TIMEOUT);
    assert_eq!(config.keepalive_min_time, DEFAULT_KEEPALIVE_MIN_TIME);
    assert_eq!(
        config.permit_keepalive_without_calls,
        DEFAULT_PERMIT_KEEPALIVE_WITHOUT_CALLS
    );
    assert_eq!(config.max_connection_idle, DEFAULT_MAX_CONNECTION_IDLE);
    assert_eq!(config.max_connection_age, DEFAULT_MAX_CONNECTION_AGE);
    assert_eq!(
        config.max_connection_age_grace,
        DEFAULT_MAX_CONNECTION_AGE_GRACE
    );
    assert_eq!(config.message_limits(), MessageLimits::default());
}

/// A server with default settings sends a 5 MiB reply to a client that
/// raised its own receive limit to 8 MiB: the server's send limit does not
/// second-guess the receiver's.
#[tokio::test]
async fn a_default_server_sends_a_reply_over_4_mib_to_a_client_that_accepts_it() {
    within_limit(async {
        let big = Service::new("test.Big").unary("Get", |request: Request<HelloRequest>| {
            let size: usize = request.into_inner().name.parse().unwrap_or(0);
            async move {
                Ok::<_, Status>(Response::new(HelloReply {
                    message: "x".repeat(size),
                }))
            }
        });
        let server = TestServer::start(Server::builder().add_service(big)).await;
        let config = TransportConfig {
            max_receive_message_size: 8 * MIB,
            ..TransportConfig::default()
        };
        let channel = Channel::connect_with(&server.uri(), config)
            .await
            .expect("connect");
        let reply = Client::new(channel)
            .unary::<_, HelloReply>(
                "/test.Big/Get",
                Request::new(HelloRequest {
                    name: (5 * MIB).to_string(),
                }),
            )
            .await
            .expect("a 5 MiB reply within the client's 8 MiB limit");
        assert_eq!(reply.get_ref().message.len(), 5 * MIB);
    })
    .await
}
