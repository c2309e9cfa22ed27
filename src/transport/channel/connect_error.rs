//! [`ConnectError`]: why a channel could not connect to its server.

use std::fmt;
use std::time::Duration;

/// Why a channel could not be opened.
#[derive(Debug)]
pub enum ConnectError {
    /// The address is not a URI like `http://host:port`.
    InvalidUri(String),
    /// Only `http` (h2c, prior knowledge) and, with feature `tls`, `https`
    /// are supported.
    UnsupportedScheme(String),
    /// The TCP connection failed.
    Io {
        /// The address we tried.
        address: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The TLS handshake failed: the server's certificate was not trusted
    /// or not for this name, the server refused ours, or it did not agree
    /// to ALPN `h2`.
    Tls {
        /// The address we tried.
        address: String,
        /// What rustls (or the check of the result) said.
        source: std::io::Error,
    },
    /// The peer did not complete the HTTP/2 handshake.
    Handshake {
        /// The address we tried.
        address: String,
        /// What h2 said.
        source: h2::Error,
    },
    /// The attempt (TCP, TLS and the HTTP/2 handshake together) did not
    /// finish within the connect timeout.
    Timeout {
        /// The address we tried.
        address: String,
        /// The time the attempt had.
        after: Duration,
    },
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::InvalidUri(uri) => {
                write!(f, "invalid address {uri:?}: expected http://host:port")
            }
            ConnectError::UnsupportedScheme(scheme) => {
                let supported = if cfg!(feature = "tls") {
                    "http (h2c) and https"
                } else {
                    "http (h2c; https needs feature `tls`)"
                };
                write!(f, "unsupported scheme {scheme:?}: only {supported}")
            }
            ConnectError::Io { address, source } => {
                write!(f, "cannot connect to {address}: {source}")
            }
            ConnectError::Tls { address, source } => {
                write!(f, "TLS handshake with {address} failed: {source}")
            }
            ConnectError::Handshake { address, source } => {
                write!(f, "HTTP/2 handshake with {address} failed: {source}")
            }
            ConnectError::Timeout { address, after } => {
                write!(
                    f,
                    "cannot connect to {address}: no connection within {after:?}"
                )
            }
        }
    }
}

impl std::error::Error for ConnectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConnectError::Io { source, .. } | ConnectError::Tls { source, .. } => Some(source),
            ConnectError::Handshake { source, .. } => Some(source),
            _ => None,
        }
    }
}
