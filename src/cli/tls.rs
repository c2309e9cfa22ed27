//! The command's TLS options: `serve --tls-cert FILE --tls-key FILE
//! [--client-ca FILE]` and the clients' `--tls-ca FILE [--tls-cert FILE
//! --tls-key FILE] [--tls-server-name NAME]`, read from their PEM files
//! into the library's TLS configurations.

use std::fmt;
use std::path::{Path, PathBuf};

use h2grpc::transport::{ClientTlsConfig, ServerTlsConfig, TlsError};

/// `h2grpc serve`'s TLS options. With them the server speaks TLS only.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeTlsArgs {
    /// Serve TLS only (ALPN h2, TLS 1.2 and 1.3) with this certificate
    /// chain (PEM, the server's certificate first). Needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// mTLS: refuse clients without a certificate signed by this CA (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub client_ca: Option<PathBuf>,
}

impl ServeTlsArgs {
    /// The server's TLS configuration, or `None` to serve plaintext h2c.
    pub fn config(&self) -> Result<Option<ServerTlsConfig>, TlsFileError> {
        let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else {
            return Ok(None);
        };
        let cert_pem = read(cert)?;
        let key_pem = read(key)?;
        let mut config =
            ServerTlsConfig::from_pem(&cert_pem, &key_pem).map_err(TlsFileError::config(cert))?;
        if let Some(ca) = &self.client_ca {
            config = config
                .client_ca_pem(&read(ca)?)
                .map_err(TlsFileError::config(ca))?;
        }
        Ok(Some(config))
    }
}

/// A client subcommand's TLS options. Any of them, or an `https://`
/// address, makes the connection TLS.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ClientTlsArgs {
    /// Connect over TLS, trusting the CA certificates in FILE (PEM) rather
    /// than the system's roots.
    #[arg(long, value_name = "FILE")]
    pub tls_ca: Option<PathBuf>,
    /// mTLS: present this certificate chain (PEM). Needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Check the server's certificate against NAME rather than the
    /// address's host.
    #[arg(long, value_name = "NAME")]
    pub tls_server_name: Option<String>,
}

impl ClientTlsArgs {
    /// True when an option asks for TLS.
    pub fn any(&self) -> bool {
        self.tls_ca.is_some() || self.tls_cert.is_some() || self.tls_server_name.is_some()
    }

    /// The client's TLS configuration.
    pub fn config(&self) -> Result<ClientTlsConfig, TlsFileError> {
        let mut config = ClientTlsConfig::new();
        if let Some(ca) = &self.tls_ca {
            config = config
                .ca_pem(&read(ca)?)
                .map_err(TlsFileError::config(ca))?;
        }
        if let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) {
            config = config
                .identity_pem(&read(cert)?, &read(key)?)
                .map_err(TlsFileError::config(cert))?;
        }
        if let Some(name) = &self.tls_server_name {
            config = config.server_name(name.clone());
        }
        Ok(config)
    }
}

/// A TLS option's file could not be read or used.
#[derive(Debug)]
pub enum TlsFileError {
    /// The file could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file's PEM could not be used.
    Config {
        /// The file.
        path: PathBuf,
        /// Why.
        source: TlsError,
    },
}

impl TlsFileError {
    /// A `map_err` adapter naming the file at fault.
    fn config(path: &Path) -> impl FnOnce(TlsError) -> TlsFileError + '_ {
        move |source| TlsFileError::Config {
            path: path.to_owned(),
            source,
        }
    }
}

impl fmt::Display for TlsFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsFileError::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            TlsFileError::Config { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for TlsFileError {}

/// The whole of `path`.
fn read(path: &Path) -> Result<Vec<u8>, TlsFileError> {
    std::fs::read(path).map_err(|source| TlsFileError::Read {
        path: path.to_owned(),
        source,
    })
}
