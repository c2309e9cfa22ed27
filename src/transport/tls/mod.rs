//! TLS for both sides (feature `tls`): rustls through tokio-rustls, with
//! ring's cryptography, TLS 1.2 and 1.3, ALPN `h2`.
//!
//! [`ServerTlsConfig`] holds the server's certificate chain and key and,
//! for mTLS, the CA that client certificates must chain to; the server's
//! handshakes run beside its accept loop, each bounded by a timeout.
//! [`ClientTlsConfig`] holds the roots a client trusts (given, or the
//! system's), its own certificate for mTLS, and a server-name override.
//! PROTOCOL-HTTP2.md leaves TLS to HTTP/2, and RFC 9113 §3.2 says "HTTP/2
//! over TLS uses the "h2" protocol identifier": both sides offer only
//! `h2`, and our client refuses a server that negotiates anything else.

mod client;
mod error;
mod pem;
mod server;

pub(crate) use client::connect;
pub use client::ClientTlsConfig;
pub use error::TlsError;
pub(crate) use server::handshakes;
pub use server::{ServerTlsConfig, DEFAULT_HANDSHAKE_TIMEOUT};

use std::sync::Arc;

use tokio_rustls::rustls::crypto::{ring, CryptoProvider};
use tokio_rustls::rustls::{SupportedProtocolVersion, ALL_VERSIONS};

/// The ALPN protocol both sides offer: HTTP/2 over TLS.
const ALPN_H2: &[u8] = b"h2";

/// TLS 1.3 and 1.2 (rustls speaks nothing older).
const VERSIONS: &[&SupportedProtocolVersion] = ALL_VERSIONS;

/// ring's algorithms, named explicitly so that no process-wide default
/// provider has to be installed.
fn provider() -> Arc<CryptoProvider> {
    Arc::new(ring::default_provider())
}
