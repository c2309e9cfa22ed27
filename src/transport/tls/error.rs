//! [`TlsError`]: why a TLS configuration could not be built.

use std::fmt;

use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem;

/// Why a [`ServerTlsConfig`](super::ServerTlsConfig) or
/// [`ClientTlsConfig`](super::ClientTlsConfig) could not be built.
#[derive(Debug)]
pub enum TlsError {
    /// A PEM input could not be read.
    Pem {
        /// Which input: "certificate chain", "private key", "CA".
        what: &'static str,
        /// What the PEM reader said.
        source: pem::Error,
    },
    /// A PEM input held no certificate.
    NoCertificate(&'static str),
    /// A CA certificate could not be used as a trust anchor.
    BadCa(rustls::Error),
    /// The client-certificate verifier could not be built.
    ClientVerifier(rustls::server::VerifierBuilderError),
    /// rustls refused the configuration (e.g. a key that does not match
    /// the certificate, or of an unsupported type).
    Rustls(rustls::Error),
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsError::Pem { what, source } => write!(f, "cannot read the {what} PEM: {source}"),
            TlsError::NoCertificate(what) => write!(f, "the {what} PEM holds no certificate"),
            TlsError::BadCa(error) => write!(f, "unusable CA certificate: {error}"),
            TlsError::ClientVerifier(error) => {
                write!(f, "cannot verify client certificates: {error}")
            }
            TlsError::Rustls(error) => write!(f, "invalid TLS configuration: {error}"),
        }
    }
}

impl std::error::Error for TlsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TlsError::Pem { source, .. } => Some(source),
            TlsError::BadCa(error) | TlsError::Rustls(error) => Some(error),
            TlsError::ClientVerifier(error) => Some(error),
            TlsError::NoCertificate(_) => None,
        }
    }
}
