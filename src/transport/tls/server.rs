//! [`ServerTlsConfig`] and the server's handshakes: each accepted
//! connection completes its TLS handshake in its own future, beside the
//! accept loop and the other handshakes, within a timeout; one that fails
//! or stalls is dropped and costs nothing else.

use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::server::danger::ClientCertVerifier;
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

use super::{pem, provider, TlsError, ALPN_H2, VERSIONS};
use crate::transport::Peer;

/// How long a connection may take over its TLS handshake before it is
/// dropped: grpc-go's default connection timeout (`ConnectionTimeout`,
/// 120 s) is meant for slow links; 10 s bounds what a silent client holds
/// while leaving a real one on a slow link plenty.
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A server's TLS settings: its certificate chain and key, and for mTLS
/// the CA every client certificate must chain to. Give it to
/// [`Server::tls`](crate::Server::tls).
#[derive(Clone)]
pub struct ServerTlsConfig {
    chain: Vec<CertificateDer<'static>>,
    key: Arc<PrivateKeyDer<'static>>,
    client_verifier: Option<Arc<dyn ClientCertVerifier>>,
    handshake_timeout: Duration,
    /// Built from the fields above whenever one changes, so that a bad key
    /// fails when the configuration is made, not at the first handshake.
    config: Arc<ServerConfig>,
}

impl fmt::Debug for ServerTlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerTlsConfig")
            .field("certificates", &self.chain.len())
            .field("client_auth", &self.client_verifier.is_some())
            .field("handshake_timeout", &self.handshake_timeout)
            .finish_non_exhaustive()
    }
}

impl ServerTlsConfig {
    /// The server's certificate chain (PEM, its own certificate first)
    /// and private key (PEM: PKCS#8, PKCS#1 or SEC1). Client certificates
    /// are neither asked for nor verified; see
    /// [`ServerTlsConfig::client_ca_pem`].
    pub fn from_pem(cert_chain: &[u8], key: &[u8]) -> Result<ServerTlsConfig, TlsError> {
        let chain = pem::certificates(cert_chain, "certificate chain")?;
        let key = Arc::new(pem::private_key(key)?);
        let config = build(&chain, &key, None)?;
        Ok(ServerTlsConfig {
            chain,
            key,
            client_verifier: None,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            config,
        })
    }

    /// mTLS: every client must present a certificate that chains to a CA
    /// in `ca` (PEM, one or more certificates); a client without one, or
    /// with one from another CA, fails its handshake.
    pub fn client_ca_pem(mut self, ca: &[u8]) -> Result<ServerTlsConfig, TlsError> {
        let roots = Arc::new(pem::roots(ca, "client CA")?);
        let verifier = WebPkiClientVerifier::builder_with_provider(roots, provider())
            .build()
            .map_err(TlsError::ClientVerifier)?;
        self.config = build(&self.chain, &self.key, Some(verifier.clone()))?;
        self.client_verifier = Some(verifier);
        Ok(self)
    }

    /// How long a connection may take to complete its handshake (default
    /// [`DEFAULT_HANDSHAKE_TIMEOUT`]); past it the connection is closed.
    pub fn handshake_timeout(mut self, timeout: Duration) -> ServerTlsConfig {
        self.handshake_timeout = timeout;
        self
    }
}

/// The rustls configuration: TLS 1.2 and 1.3, ALPN `h2`.
fn build(
    chain: &[CertificateDer<'static>],
    key: &PrivateKeyDer<'static>,
    client_verifier: Option<Arc<dyn ClientCertVerifier>>,
) -> Result<Arc<ServerConfig>, TlsError> {
    let builder = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(VERSIONS)
        .map_err(TlsError::Rustls)?;
    let builder = match client_verifier {
        Some(verifier) => builder.with_client_cert_verifier(verifier),
        None => builder.with_no_client_auth(),
    };
    let mut config = builder
        .with_single_cert(chain.to_vec(), key.clone_key())
        .map_err(TlsError::Rustls)?;
    config.alpn_protocols = vec![ALPN_H2.to_vec()];
    Ok(Arc::new(config))
}

/// The connections of `incoming` that complete a TLS handshake, each with
/// its peer's verified certificates. Handshakes run concurrently while the
/// stream is polled (the accept loop polls it all the time); one that fails
/// or outlasts the timeout is logged and dropped.
pub(crate) fn handshakes<S, IO>(
    incoming: S,
    tls: ServerTlsConfig,
) -> impl Stream<Item = io::Result<(TlsStream<IO>, Peer)>>
where
    S: Stream<Item = io::Result<(IO, Peer)>>,
    IO: AsyncRead + AsyncWrite + Unpin,
{
    let acceptor = TlsAcceptor::from(tls.config);
    let timeout = tls.handshake_timeout;
    let state = (Box::pin(incoming), FuturesUnordered::new(), false);
    futures_util::stream::unfold(state, move |(mut incoming, mut pending, mut ended)| {
        let acceptor = acceptor.clone();
        async move {
            loop {
                if ended && pending.is_empty() {
                    return None;
                }
                tokio::select! {
                    next = incoming.next(), if !ended => match next {
                        Some(Ok((io, peer))) => pending.push(handshake(&acceptor, io, peer, timeout)),
                        Some(Err(err)) => return Some((Err(err), (incoming, pending, ended))),
                        None => ended = true,
                    },
                    Some(done) = pending.next(), if !pending.is_empty() => {
                        if let Some(connection) = done {
                            return Some((Ok(connection), (incoming, pending, ended)));
                        }
                    }
                }
            }
        }
    })
}

/// One server handshake within `timeout`: the TLS stream and the peer
/// with its certificates, or `None` (logged) when it failed or stalled.
fn handshake<IO>(
    acceptor: &TlsAcceptor,
    io: IO,
    mut peer: Peer,
    timeout: Duration,
) -> impl std::future::Future<Output = Option<(TlsStream<IO>, Peer)>>
where
    IO: AsyncRead + AsyncWrite + Unpin,
{
    let accept = acceptor.accept(io);
    async move {
        let stream = match tokio::time::timeout(timeout, accept).await {
            Ok(Ok(stream)) => stream,
            Ok(Err(err)) => {
                tracing::debug!(?peer, error = %err, "TLS handshake failed");
                return None;
            }
            Err(_) => {
                tracing::debug!(?peer, "TLS handshake timed out after {timeout:?}");
                return None;
            }
        };
        if let Some(certificates) = stream.get_ref().1.peer_certificates() {
            peer.certificates = certificates
                .iter()
                .map(|certificate| Bytes::copy_from_slice(certificate))
                .collect();
            // Verified by now: its names are the client's identity.
            if let Some(Ok(end_entity)) = certificates.first().map(webpki::EndEntityCert::try_from)
            {
                peer.alt_names = end_entity
                    .valid_dns_names()
                    .chain(end_entity.valid_uri_names())
                    .map(str::to_owned)
                    .collect();
            }
        }
        Some((stream, peer))
    }
}
