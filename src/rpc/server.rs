//! [`Server`]: services plus settings, served over TCP or any stream of
//! connections, with graceful shutdown.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_core::Stream;
use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;

use super::interceptor::{InterceptorChain, ServerInterceptor};
use super::router::Router;
use super::runner::CallSettings;
use super::service::Service;
use crate::codec::compression::Encoding;
use crate::services::health::{self, HealthReporter};
use crate::services::reflection::reflection_services;
use crate::transport::{self, Peer, TransportConfig};

/// A gRPC server: build it with [`Server::builder`], add services, serve.
#[derive(Debug, Default)]
pub struct Server {
    services: Vec<Service>,
    config: TransportConfig,
    send_compression: Option<Encoding>,
    interceptors: InterceptorChain,
    reflection: bool,
    health: Option<HealthReporter>,
    /// Set by [`Server::tls`]: every connection is TLS, none plaintext.
    #[cfg(feature = "tls")]
    tls: Option<transport::ServerTlsConfig>,
}

impl Server {
    /// A server with no services and default settings.
    pub fn builder() -> Server {
        Server::default()
    }

    /// Adds a service (a [`Service`] or a [`service!`](crate::service)
    /// adapter such as `GreeterServer`); a later service with the same
    /// method paths wins.
    pub fn add_service(mut self, service: impl Into<Service>) -> Server {
        self.services.push(service.into());
        self
    }

    /// Serves `grpc.health.v1.Health` (see [`health`](crate::services::health)):
    /// when serving starts, `""` (the whole server) and every service added
    /// to the server, by its full name, are SERVING; on graceful shutdown all
    /// are set NOT_SERVING before GOAWAY is sent, and Watch calls end, so
    /// they do not hold up the shutdown. To change statuses while serving,
    /// use [`health_with`](Self::health_with) and keep the reporter.
    pub fn health(self) -> Server {
        self.health_with(HealthReporter::new())
    }

    /// [`health`](Self::health), reporting what `reporter` holds: the
    /// embedder sets statuses through it (names it already has a status for
    /// when serving starts keep theirs).
    pub fn health_with(mut self, reporter: HealthReporter) -> Server {
        self.services.push(health::service(reporter.clone()));
        self.health = Some(reporter);
        self
    }

    /// Serves server reflection (`grpc.reflection.v1` and `v1alpha`,
    /// grpc/grpc doc/server-reflection.md) describing every service the
    /// server offers, these two included, so that grpcurl and other tools
    /// list, describe and call them with no `.proto` files. Services
    /// declared with [`service!`](crate::service) are described in full,
    /// from what their declarations and messages record; others are only
    /// listed.
    pub fn reflection(mut self) -> Server {
        self.reflection = true;
        self
    }

    /// Runs `interceptor` before every call to any service, after the
    /// interceptors added before it and before each service's own (see
    /// [`ServerInterceptor`]); it may reject the call.
    pub fn intercept(mut self, interceptor: impl ServerInterceptor) -> Server {
        self.interceptors.push(interceptor);
        self
    }

    /// Largest request message accepted (default 4 MiB); larger ones fail
    /// with RESOURCE_EXHAUSTED.
    pub fn max_receive_message_size(mut self, limit: usize) -> Server {
        self.config.max_receive_message_size = limit;
        self
    }

    /// Largest response message sent (default: no limit); larger ones fail
    /// with RESOURCE_EXHAUSTED.
    pub fn max_send_message_size(mut self, limit: usize) -> Server {
        self.config.max_send_message_size = limit;
        self
    }

    /// Grace period for in-flight calls on graceful shutdown: after it,
    /// calls still running are cut off (default
    /// [`DEFAULT_SHUTDOWN_GRACE`](crate::transport::DEFAULT_SHUTDOWN_GRACE)).
    pub fn shutdown_grace(mut self, grace: Duration) -> Server {
        self.config.shutdown_grace = grace;
        self
    }

    /// The initial HTTP/2 receive windows, of each stream and of each
    /// connection: how much a client may send before the server has read
    /// it. One stream's throughput is at most its window per round trip
    /// (1 MiB over a 10 ms RTT is about 100 MB/s), and under a slow handler
    /// each stream may hold its window in memory. Defaults
    /// [`DEFAULT_STREAM_WINDOW`](crate::defaults::DEFAULT_STREAM_WINDOW) and
    /// [`DEFAULT_CONNECTION_WINDOW`](crate::defaults::DEFAULT_CONNECTION_WINDOW);
    /// values past HTTP/2's largest window, 2^31-1, are taken as it.
    /// Windows set here stay as set: the default windows grow with the
    /// connection's bandwidth-delay product
    /// ([`DEFAULT_ADAPTIVE_WINDOW`](crate::defaults::DEFAULT_ADAPTIVE_WINDOW)),
    /// these do not, as grpc-go does for windows its user sets.
    pub fn initial_windows(mut self, stream: u32, connection: u32) -> Server {
        const MAX_WINDOW: u32 = (1 << 31) - 1;
        self.config.stream_window = stream.min(MAX_WINDOW);
        self.config.connection_window = connection.min(MAX_WINDOW);
        self.config.adaptive_window = false;
        self
    }

    /// Streams a client may open at once on one connection, advertised in
    /// SETTINGS_MAX_CONCURRENT_STREAMS; a stream past it is refused with
    /// RST_STREAM(REFUSED_STREAM). `None` advertises no limit. Default
    /// [`DEFAULT_MAX_CONCURRENT_STREAMS`](crate::defaults::DEFAULT_MAX_CONCURRENT_STREAMS).
    pub fn max_concurrent_streams(mut self, limit: Option<u32>) -> Server {
        self.config.max_concurrent_streams = limit;
        self
    }

    /// Largest request head (header list, as RFC 9113 counts it) accepted,
    /// advertised in SETTINGS_MAX_HEADER_LIST_SIZE; a larger head is refused
    /// on its stream only (h2 answers 431). Default
    /// [`DEFAULT_MAX_HEADER_LIST_SIZE`](crate::defaults::DEFAULT_MAX_HEADER_LIST_SIZE).
    pub fn max_header_list_size(mut self, limit: u32) -> Server {
        self.config.max_header_list_size = limit;
        self
    }

    /// Connections served at once; one past the limit is closed as soon as
    /// it is accepted. `None` (the default,
    /// [`DEFAULT_MAX_CONNECTIONS`](crate::defaults::DEFAULT_MAX_CONNECTIONS))
    /// is no limit.
    pub fn max_connections(mut self, limit: Option<usize>) -> Server {
        self.config.max_connections = limit;
        self
    }

    /// Pings a client after `time` without a frame from it (default
    /// [`DEFAULT_KEEPALIVE_TIME`](crate::defaults::DEFAULT_KEEPALIVE_TIME), 2 h).
    pub fn keepalive_time(mut self, time: Duration) -> Server {
        self.config.keepalive_time = time;
        self
    }

    /// Closes a connection whose keepalive ping is not acknowledged within
    /// `timeout` (default
    /// [`DEFAULT_KEEPALIVE_TIMEOUT`](crate::defaults::DEFAULT_KEEPALIVE_TIMEOUT), 20 s).
    pub fn keepalive_timeout(mut self, timeout: Duration) -> Server {
        self.config.keepalive_timeout = timeout;
        self
    }

    /// Ping enforcement: a client ping sooner than `min_time` after its
    /// previous one is a strike; past
    /// [`MAX_PING_STRIKES`](crate::defaults::MAX_PING_STRIKES) the
    /// connection gets GOAWAY ENHANCE_YOUR_CALM (default
    /// [`DEFAULT_KEEPALIVE_MIN_TIME`](crate::defaults::DEFAULT_KEEPALIVE_MIN_TIME), 5 min).
    pub fn keepalive_min_time(mut self, min_time: Duration) -> Server {
        self.config.keepalive_min_time = min_time;
        self
    }

    /// Ping enforcement: whether a client may ping with no call in flight
    /// (default no: such pings are strikes unless 2 h apart).
    pub fn permit_keepalive_without_calls(mut self, permit: bool) -> Server {
        self.config.permit_keepalive_without_calls = permit;
        self
    }

    /// Sends GOAWAY on a connection that has had no call in flight for
    /// `max_idle` (gRFC A9's `MAX_CONNECTION_IDLE`); `None` (the default) is
    /// never.
    pub fn max_connection_idle(mut self, max_idle: Option<Duration>) -> Server {
        self.config.max_connection_idle = max_idle;
        self
    }

    /// Sends GOAWAY on a connection once it is `max_age` old, with a random
    /// ±10% per connection (gRFC A9's `MAX_CONNECTION_AGE`), so clients
    /// behind an L4 load balancer reconnect and spread out; calls in flight
    /// finish (see [`max_connection_age_grace`](Self::max_connection_age_grace)).
    /// `None` (the default) is never.
    pub fn max_connection_age(mut self, max_age: Option<Duration>) -> Server {
        self.config.max_connection_age = max_age;
        self
    }

    /// How long calls in flight get after the max-age GOAWAY before the
    /// connection is closed (gRFC A9's `MAX_CONNECTION_AGE_GRACE`); `None`
    /// (the default) waits for them.
    pub fn max_connection_age_grace(mut self, grace: Option<Duration>) -> Server {
        self.config.max_connection_age_grace = grace;
        self
    }

    /// Compresses response messages with `encoding` whenever the client's
    /// `grpc-accept-encoding` lists it. Without this (or for a client that
    /// does not accept it), a response is compressed with the request's own
    /// encoding when the client accepts that, as grpc-go does, and sent
    /// uncompressed otherwise. Requests in gzip, deflate (feature `gzip`) or
    /// identity are always accepted.
    pub fn send_compressed(mut self, encoding: Encoding) -> Server {
        self.send_compression = Some(encoding);
        self
    }

    /// Serves TLS only (feature `tls`): every connection, on every `serve*`
    /// method, must complete a TLS handshake with `tls` (ALPN `h2`, TLS 1.2
    /// or 1.3, and a client certificate when it asks for one) before any
    /// HTTP/2. Plaintext and TLS are never served on the same listener: a
    /// plaintext client's connection fails its handshake and is closed. A
    /// handshake that fails or stalls past
    /// [`ServerTlsConfig::handshake_timeout`](transport::ServerTlsConfig::handshake_timeout)
    /// costs that connection alone; handlers see the client's verified
    /// certificates in [`CallContext::peer_certificates`](super::CallContext::peer_certificates).
    #[cfg(feature = "tls")]
    pub fn tls(mut self, tls: transport::ServerTlsConfig) -> Server {
        self.tls = Some(tls);
        self
    }

    /// Serves on `addr` until the process ends.
    pub async fn serve(self, addr: SocketAddr) -> io::Result<()> {
        self.serve_with_shutdown(addr, std::future::pending()).await
    }

    /// Serves on `addr` until `signal` resolves, then stops gracefully:
    /// GOAWAY to every client, in-flight calls get the grace period.
    pub async fn serve_with_shutdown(
        self,
        addr: SocketAddr,
        signal: impl Future<Output = ()>,
    ) -> io::Result<()> {
        let listener = TcpListener::bind(addr).await?;
        self.serve_with_listener(listener, signal).await
    }

    /// Serves on a listener the caller bound (e.g. to port 0, reading the
    /// port back with `local_addr`), until `signal` resolves.
    pub async fn serve_with_listener(
        self,
        listener: TcpListener,
        signal: impl Future<Output = ()>,
    ) -> io::Result<()> {
        self.serve_peers(transport::tcp_incoming(listener), signal)
            .await
    }

    /// Serves on every connection `incoming` yields: any
    /// `AsyncRead + AsyncWrite` (Unix sockets, TLS streams, in-memory
    /// duplex pipes), with the peer's address when there is one.
    pub async fn serve_with_incoming<S, IO>(
        self,
        incoming: S,
        signal: impl Future<Output = ()>,
    ) -> io::Result<()>
    where
        S: Stream<Item = io::Result<(IO, Option<SocketAddr>)>>,
        IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let incoming = incoming.map(|accepted| accepted.map(|(io, addr)| (io, Peer::from(addr))));
        self.serve_peers(incoming, signal).await
    }

    /// Serves every connection `incoming` yields, through a TLS handshake
    /// first when [`Server::tls`] set one.
    async fn serve_peers<S, IO>(
        self,
        incoming: S,
        signal: impl Future<Output = ()>,
    ) -> io::Result<()>
    where
        S: Stream<Item = io::Result<(IO, Peer)>>,
        IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let signal = health::then_shut_down(self.health.clone(), signal);
        #[cfg(feature = "tls")]
        let tls = self.tls.clone();
        let (router, config) = self.into_router();
        #[cfg(feature = "tls")]
        if let Some(tls) = tls {
            let incoming = transport::tls::handshakes(incoming, tls);
            return transport::serve_incoming(incoming, Arc::new(router), config, signal).await;
        }
        transport::serve_incoming(incoming, Arc::new(router), config, signal).await
    }

    fn into_router(self) -> (Router, TransportConfig) {
        let mut services = self.services;
        if self.reflection {
            let reflection = reflection_services(&services);
            services.extend(reflection);
        }
        if let Some(reporter) = &self.health {
            reporter.set_serving_unless_known(health::SERVER);
            for service in &services {
                reporter.set_serving_unless_known(service.name());
            }
        }
        let settings = CallSettings {
            limits: self.config.message_limits(),
            send_compression: self.send_compression,
        };
        let router = Router::new(services, settings, &self.interceptors);
        (router, self.config)
    }
}
