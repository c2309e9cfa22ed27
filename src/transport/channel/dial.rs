//! Making one connection of a channel: the TCP connection (Nagle off), TLS
//! with ALPN `h2` for `https`, then the HTTP/2 handshake; what comes out is
//! the handle calls are sent on and the connection's own future, which a
//! task drives.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use h2::client::SendRequest;
use h2::{Ping, PingPong};
use http::uri::{Authority, Scheme};
use http::Uri;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::adaptive::{Counted, Windowed};
use super::ConnectError;
use crate::transport::bdp::AdaptiveWindow;
use crate::transport::config::TransportConfig;

/// An HTTP/2 connection's future: it runs the connection until it ends.
pub(super) type Driver = Pin<Box<dyn Future<Output = Result<(), h2::Error>> + Send>>;

/// A connection as it comes out of its handshake.
pub(super) struct Dialed {
    pub(super) send_request: SendRequest<Bytes>,
    pub(super) ping_pong: Option<PingPong>,
    pub(super) driver: Driver,
    /// The receive windows' estimate, when they are adaptive.
    pub(super) window: Option<Arc<AdaptiveWindow>>,
}

/// Where a channel connects: its parsed address and how to reach it.
#[derive(Debug, Clone)]
pub(super) struct Target {
    /// The address as given, for errors.
    pub(super) address: String,
    pub(super) scheme: Scheme,
    pub(super) authority: Authority,
    port: u16,
    /// TLS settings for `https`.
    #[cfg(feature = "tls")]
    pub(super) tls: Option<crate::transport::ClientTlsConfig>,
}

impl Target {
    /// Parses `http://host:port` (or, with feature `tls`, `https://...`).
    pub(super) fn parse(address: &str) -> Result<Target, ConnectError> {
        let invalid = || ConnectError::InvalidUri(address.to_owned());
        let uri: Uri = address.parse().map_err(|_| invalid())?;
        let (scheme, default_port) = match uri.scheme_str() {
            Some("http") => (Scheme::HTTP, 80),
            #[cfg(feature = "tls")]
            Some("https") => (Scheme::HTTPS, 443),
            Some(other) => return Err(ConnectError::UnsupportedScheme(other.to_owned())),
            None => return Err(invalid()),
        };
        let authority = uri.authority().cloned().ok_or_else(invalid)?;
        Ok(Target {
            address: address.to_owned(),
            port: authority.port_u16().unwrap_or(default_port),
            scheme,
            authority,
            #[cfg(feature = "tls")]
            tls: None,
        })
    }

    /// One connection attempt, unbounded in time (the caller bounds it).
    pub(super) async fn dial(&self, config: &TransportConfig) -> Result<Dialed, ConnectError> {
        let tcp = TcpStream::connect((bare_host(&self.authority), self.port))
            .await
            .map_err(|source| ConnectError::Io {
                address: self.address.clone(),
                source,
            })?;
        let _ = tcp.set_nodelay(true);
        #[cfg(feature = "tls")]
        if self.scheme == Scheme::HTTPS {
            let default_tls;
            let tls = match &self.tls {
                Some(tls) => tls,
                None => {
                    default_tls = crate::transport::ClientTlsConfig::new();
                    &default_tls
                }
            };
            let stream = crate::transport::tls::connect(tcp, bare_host(&self.authority), tls)
                .await
                .map_err(|source| ConnectError::Tls {
                    address: self.address.clone(),
                    source,
                })?;
            return self.handshake(stream, config).await;
        }
        self.handshake(tcp, config).await
    }

    async fn handshake<IO>(&self, io: IO, config: &TransportConfig) -> Result<Dialed, ConnectError>
    where
        IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        handshake(io, config)
            .await
            .map_err(|source| ConnectError::Handshake {
                address: self.address.clone(),
                source,
            })
    }
}

/// The HTTP/2 handshake over `io`, with `config`'s windows and limits,
/// complete only once the server has answered: h2 returns as soon as our
/// preface is written, so a PING is sent and its ACK awaited. A server's
/// first frame must be its SETTINGS (RFC 9113 §3.4), so the ACK proves the
/// peer speaks HTTP/2, as grpc-go's wait for the server preface does;
/// a peer that accepted the TCP connection and says nothing (a full
/// backlog, a hung process, not an HTTP/2 server) fails the attempt at its
/// connect timeout instead of making a READY channel whose calls hang.
pub(super) async fn handshake<IO>(io: IO, config: &TransportConfig) -> Result<Dialed, h2::Error>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = h2::client::Builder::new();
    builder
        .initial_window_size(config.stream_window)
        .initial_connection_window_size(config.connection_window)
        .max_frame_size(config.max_frame_size)
        .max_header_list_size(config.max_header_list_size)
        .max_send_buffer_size(config.max_send_buffer);
    if !config.adaptive_window {
        let (send_request, mut connection) = builder.handshake::<_, Bytes>(io).await?;
        let ping_pong = connection.ping_pong();
        return answered(send_request, ping_pong, Box::pin(connection), None).await;
    }
    let window = Arc::new(AdaptiveWindow::new(config.stream_window));
    let counted = Counted::new(io, Arc::clone(&window));
    let (send_request, mut connection) = builder.handshake::<_, Bytes>(counted).await?;
    let ping_pong = connection.ping_pong();
    let driver = Windowed::new(connection, Arc::clone(&window), config.connection_window);
    answered(send_request, ping_pong, Box::pin(driver), Some(window)).await
}

/// The connection once the server has answered our first PING.
async fn answered(
    send_request: SendRequest<Bytes>,
    mut ping_pong: Option<PingPong>,
    mut driver: Driver,
    window: Option<Arc<AdaptiveWindow>>,
) -> Result<Dialed, h2::Error> {
    if let Some(ping_pong) = ping_pong.as_mut() {
        tokio::select! {
            ended = &mut driver => {
                // The connection ended before the server said a word.
                return Err(ended.err().unwrap_or_else(|| h2::Reason::CONNECT_ERROR.into()));
            }
            pong = ping_pong.ping(Ping::opaque()) => {
                pong?;
            }
        }
    }
    Ok(Dialed {
        send_request,
        ping_pong,
        driver,
        window,
    })
}

/// The host of `authority` without an IPv6 literal's brackets.
fn bare_host(authority: &Authority) -> &str {
    authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']')
}
