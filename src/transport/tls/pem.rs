//! Certificates, keys and trust anchors read from PEM text (rustls's
//! pki-types reader: no other PEM crate).

use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::RootCertStore;

use super::TlsError;

/// Every certificate in `pem`, in order; at least one.
pub(super) fn certificates(
    pem: &[u8],
    what: &'static str,
) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| TlsError::Pem { what, source })?;
    if certificates.is_empty() {
        return Err(TlsError::NoCertificate(what));
    }
    Ok(certificates)
}

/// The first private key in `pem` (PKCS#8, PKCS#1 or SEC1).
pub(super) fn private_key(pem: &[u8]) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_slice(pem).map_err(|source| TlsError::Pem {
        what: "private key",
        source,
    })
}

/// A trust store of every certificate in `pem`.
pub(super) fn roots(pem: &[u8], what: &'static str) -> Result<RootCertStore, TlsError> {
    let mut roots = RootCertStore::empty();
    for certificate in certificates(pem, what)? {
        roots.add(certificate).map_err(TlsError::BadCa)?;
    }
    Ok(roots)
}
