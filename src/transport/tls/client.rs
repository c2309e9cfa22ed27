//! [`ClientTlsConfig`] and the client's handshake: which roots the client
//! trusts, its own certificate for mTLS, the name it checks the server's
//! certificate against.

use std::fmt;
use std::io;
use std::sync::Arc;

use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

use super::{pem, provider, TlsError, ALPN_H2, VERSIONS};

/// A client's TLS settings for `https://` channels. The default trusts the
/// system's roots, presents no certificate, and checks the server's
/// certificate against the address's host.
#[derive(Clone, Default)]
pub struct ClientTlsConfig {
    /// `None`: the system's trust store, read at connect time.
    roots: Option<Arc<RootCertStore>>,
    identity: Option<(Vec<CertificateDer<'static>>, Arc<PrivateKeyDer<'static>>)>,
    server_name: Option<String>,
}

impl fmt::Debug for ClientTlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientTlsConfig")
            .field("system_roots", &self.roots.is_none())
            .field("client_certificate", &self.identity.is_some())
            .field("server_name", &self.server_name)
            .finish()
    }
}

impl ClientTlsConfig {
    /// Trusts the system's roots, presents no client certificate.
    pub fn new() -> ClientTlsConfig {
        ClientTlsConfig::default()
    }

    /// Trusts the CA certificates in `ca` (PEM) instead of the system's.
    pub fn ca_pem(mut self, ca: &[u8]) -> Result<ClientTlsConfig, TlsError> {
        self.roots = Some(Arc::new(pem::roots(ca, "CA")?));
        Ok(self)
    }

    /// Presents this certificate chain (PEM, its own first) and key (PEM)
    /// to servers that ask for one (mTLS).
    pub fn identity_pem(
        mut self,
        cert_chain: &[u8],
        key: &[u8],
    ) -> Result<ClientTlsConfig, TlsError> {
        let chain = pem::certificates(cert_chain, "certificate chain")?;
        let key = pem::private_key(key)?;
        // A key rustls cannot sign with fails here, not at the handshake.
        provider()
            .key_provider
            .load_private_key(key.clone_key())
            .map_err(TlsError::Rustls)?;
        self.identity = Some((chain, Arc::new(key)));
        Ok(self)
    }

    /// Checks the server's certificate against `name` rather than the
    /// address's host (an IP address or a test certificate's name); the
    /// `:authority` of calls stays the address's.
    pub fn server_name(mut self, name: impl Into<String>) -> ClientTlsConfig {
        self.server_name = Some(name.into());
        self
    }

    /// The rustls configuration: the roots, TLS 1.2 and 1.3, ALPN `h2`.
    fn build(&self) -> io::Result<ClientConfig> {
        let roots = match &self.roots {
            Some(roots) => roots.clone(),
            None => Arc::new(system_roots()?),
        };
        let builder = ClientConfig::builder_with_provider(provider())
            .with_protocol_versions(VERSIONS)
            .map_err(io::Error::other)?
            .with_root_certificates(roots);
        let mut config = match &self.identity {
            Some((chain, key)) => builder
                .with_client_auth_cert(chain.clone(), key.clone_key())
                .map_err(io::Error::other)?,
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = vec![ALPN_H2.to_vec()];
        Ok(config)
    }
}

/// The system's trust store; an error when it holds no usable root.
fn system_roots() -> io::Result<RootCertStore> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    let (added, _ignored) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        let why = found
            .errors
            .first()
            .map_or_else(|| "none found".to_owned(), ToString::to_string);
        return Err(io::Error::other(format!(
            "no usable system root certificates ({why}); give a CA"
        )));
    }
    Ok(roots)
}

/// The TLS handshake over `tcp` with the server `host` (or the configured
/// override); fails unless the server agrees to `h2`.
pub(crate) async fn connect(
    tcp: TcpStream,
    host: &str,
    tls: &ClientTlsConfig,
) -> io::Result<TlsStream<TcpStream>> {
    let name = tls.server_name.as_deref().unwrap_or(host);
    let name = ServerName::try_from(name.to_owned()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{name:?} is not a valid TLS server name"),
        )
    })?;
    let connector = TlsConnector::from(Arc::new(tls.build()?));
    let stream = connector.connect(name, tcp).await?;
    // RFC 9113 §3.2: "HTTP/2 over TLS uses the "h2" protocol identifier."
    if stream.get_ref().1.alpn_protocol() != Some(ALPN_H2) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the server did not negotiate ALPN h2",
        ));
    }
    Ok(stream)
}
