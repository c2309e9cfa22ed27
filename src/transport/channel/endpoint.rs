//! [`Endpoint`]: where a [`Channel`] connects and how: connect timeout and
//! backoff, keepalive, TLS, user agent, HTTP/2 windows and message limits.

use std::time::Duration;

use http::uri::Scheme;
use http::HeaderValue;

use super::backoff::BackoffConfig;
use super::connection::{ClientKeepalive, Shared, SharedSettings};
use super::dial::Target;
use super::{user_agent, Channel, ConnectError, USER_AGENT_VALUE};
use crate::defaults::{DEFAULT_CLIENT_KEEPALIVE_TIME, DEFAULT_KEEPALIVE_TIMEOUT};
use crate::transport::config::TransportConfig;

/// A channel's server and settings; [`Endpoint::connect`] or
/// [`Endpoint::connect_lazy`] makes the [`Channel`].
///
/// ```no_run
/// # async fn example() -> Result<(), h2grpc::transport::ConnectError> {
/// use std::time::Duration;
/// use h2grpc::transport::Endpoint;
///
/// let channel = Endpoint::new("http://127.0.0.1:50051")?
///     .connect_timeout(Duration::from_secs(5))
///     .keepalive(Duration::from_secs(60))
///     .user_agent("my-app/1.0")
///     .connect_lazy();
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Endpoint {
    target: Target,
    config: TransportConfig,
    backoff: BackoffConfig,
    keepalive_time: Option<Duration>,
    keepalive_timeout: Duration,
    keepalive_while_idle: bool,
    user_agent: Option<String>,
}

impl Endpoint {
    /// The server at `address`: `http://host:port` (h2c, prior knowledge)
    /// or, with feature `tls`, `https://host:port` (the system's roots
    /// unless [`Endpoint::tls`] says otherwise).
    pub fn new(address: &str) -> Result<Endpoint, ConnectError> {
        Ok(Endpoint {
            target: Target::parse(address)?,
            config: TransportConfig::default(),
            backoff: BackoffConfig::default(),
            keepalive_time: DEFAULT_CLIENT_KEEPALIVE_TIME,
            keepalive_timeout: DEFAULT_KEEPALIVE_TIMEOUT,
            keepalive_while_idle: false,
            user_agent: None,
        })
    }

    /// The scheme of the address: `http` or `https`.
    pub fn scheme(&self) -> &Scheme {
        &self.target.scheme
    }

    /// The least time a connection attempt gets (TCP, TLS and the HTTP/2
    /// handshake together); an attempt also gets its backoff's length when
    /// that is longer (doc/connection-backoff.md's `MIN_CONNECT_TIMEOUT`,
    /// 20 s by default).
    pub fn connect_timeout(mut self, timeout: Duration) -> Endpoint {
        self.backoff.min_connect_timeout = timeout;
        self
    }

    /// The waits between failed connection attempts.
    pub fn backoff(mut self, backoff: BackoffConfig) -> Endpoint {
        self.backoff = backoff;
        self
    }

    /// Pings the server every `time` while calls are in flight (see
    /// [`Endpoint::keepalive_while_idle`]) and closes the connection when
    /// an ACK does not come within [`Endpoint::keepalive_timeout`] (gRFC
    /// A8). Off by default. Servers refuse pings more frequent than their
    /// policy (grpc-go's: one per 5 minutes); a server that answers GOAWAY
    /// `too_many_pings` makes the channel ping half as often from its next
    /// connection on, as grpc-go does.
    pub fn keepalive(mut self, time: Duration) -> Endpoint {
        self.keepalive_time = Some(time);
        self
    }

    /// How long a keepalive ping's ACK may take (20 s by default).
    pub fn keepalive_timeout(mut self, timeout: Duration) -> Endpoint {
        self.keepalive_timeout = timeout;
        self
    }

    /// Keepalive pings also with no call in flight (grpc-go's
    /// `PermitWithoutStream`; the server must permit it too).
    pub fn keepalive_while_idle(mut self, while_idle: bool) -> Endpoint {
        self.keepalive_while_idle = while_idle;
        self
    }

    /// Puts `product` (such as `my-app/1.2`) before our own token in the
    /// `user-agent` of every call.
    pub fn user_agent(mut self, product: impl Into<String>) -> Endpoint {
        self.user_agent = Some(product.into());
        self
    }

    /// The initial HTTP/2 receive windows of each stream and of the
    /// connection. Windows set here stay as set; the default ones grow with
    /// the connection's measured bandwidth-delay product, up to 16 MiB
    /// ([`DEFAULT_ADAPTIVE_WINDOW`](crate::defaults::DEFAULT_ADAPTIVE_WINDOW)),
    /// unless keepalive is on (it takes HTTP/2's one ping of ours).
    pub fn initial_windows(mut self, stream: u32, connection: u32) -> Endpoint {
        self.config.stream_window = stream;
        self.config.connection_window = connection;
        self.config.adaptive_window = false;
        self
    }

    /// All transport settings at once (windows, frame and message limits).
    pub fn transport_config(mut self, config: TransportConfig) -> Endpoint {
        self.config = config;
        self
    }

    /// TLS settings for an `https` address: roots, client certificate,
    /// server name (feature `tls`).
    #[cfg(feature = "tls")]
    pub fn tls(mut self, tls: crate::transport::ClientTlsConfig) -> Endpoint {
        self.target.tls = Some(tls);
        self
    }

    /// Connects now: fails if this first attempt fails or takes longer than
    /// the connect timeout. Later connections are made as calls need them.
    pub async fn connect(self) -> Result<Channel, ConnectError> {
        let timeout = self.backoff.min_connect_timeout;
        let shared = self.shared();
        let dialed = shared.attempt(timeout).await?;
        shared.install(dialed);
        Ok(Channel { shared })
    }

    /// A channel that connects when its first call needs it (IDLE until
    /// then); connection failures show as the calls' UNAVAILABLE.
    pub fn connect_lazy(self) -> Channel {
        Channel {
            shared: self.shared(),
        }
    }

    fn shared(self) -> std::sync::Arc<Shared> {
        let user_agent = match &self.user_agent {
            Some(product) => HeaderValue::from_str(product)
                .map(|product| user_agent(&product))
                .unwrap_or_else(|_| HeaderValue::from_static(USER_AGENT_VALUE)),
            None => HeaderValue::from_static(USER_AGENT_VALUE),
        };
        Shared::new(SharedSettings {
            scheme: self.target.scheme.clone(),
            authority: self.target.authority.clone(),
            target: Some(self.target),
            config: self.config,
            backoff: self.backoff,
            keepalive: self.keepalive_time.map(|time| ClientKeepalive {
                time,
                timeout: self.keepalive_timeout,
                while_idle: self.keepalive_while_idle,
            }),
            user_agent,
        })
    }
}
