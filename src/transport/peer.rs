//! [`Peer`]: what the transport knows of the other end of a server
//! connection — its address and, over TLS with client certificates, the
//! certificate chain the handshake verified. It travels with every call of
//! the connection into the call context.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;

/// The other end of one server connection, shared by all its calls.
#[derive(Clone, Default)]
pub(crate) struct Peer {
    /// The client's address, when the transport knows it.
    pub addr: Option<SocketAddr>,
    /// The client's certificate chain (DER, end entity first) as the TLS
    /// handshake verified it; empty without TLS or without a client
    /// certificate.
    pub certificates: Arc<[Bytes]>,
    /// The DNS names and URIs among the subject alternative names of the
    /// client's verified certificate; empty without one.
    pub alt_names: Arc<[String]>,
}

impl From<Option<SocketAddr>> for Peer {
    fn from(addr: Option<SocketAddr>) -> Peer {
        // `Arc::default()` of an empty slice shares one static allocation;
        // `Arc::new([])` would be two allocations per connection.
        Peer {
            addr,
            certificates: Arc::default(),
            alt_names: Arc::default(),
        }
    }
}

/// The address and the number of certificates: the DER bytes are noise in
/// a log line.
impl fmt::Debug for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.addr {
            Some(addr) => write!(f, "{addr}")?,
            None => f.write_str("?")?,
        }
        if !self.certificates.is_empty() {
            write!(f, " ({} certificates)", self.certificates.len())?;
        }
        Ok(())
    }
}
