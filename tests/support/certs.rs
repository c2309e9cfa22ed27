//! Certificates made at test time (rcgen): a CA, a server certificate for
//! `localhost` and 127.0.0.1 signed by it, a client certificate signed by
//! it, and a second CA that signed neither. Every test run makes new keys;
//! nothing secret is in the repository.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, SanType,
};

/// The client certificate's URI name (a SPIFFE ID); its DNS name is
/// `client.test`.
pub const CLIENT_URI: &str = "spiffe://h2grpc.test/client";

/// One certificate and its key, as PEM, and the certificate as DER.
pub struct Issued {
    /// The certificate, PEM.
    pub cert_pem: String,
    /// Its private key, PEM (PKCS#8).
    pub key_pem: String,
    /// The certificate, DER.
    pub der: Vec<u8>,
}

/// The test PKI: [`Pki::new`] makes all of it.
pub struct Pki {
    /// The CA that signed `server` and `client`.
    pub ca: Issued,
    /// The server's certificate: DNS `localhost`, IP 127.0.0.1.
    pub server: Issued,
    /// A client certificate (CN `h2grpc test client`).
    pub client: Issued,
    /// A CA that signed nothing here.
    pub other_ca: Issued,
}

fn issued(cert: &Certificate, key: &KeyPair) -> Issued {
    Issued {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        der: cert.der().to_vec(),
    }
}

fn make_ca(name: &str) -> (Certificate, KeyPair) {
    let mut params = CertificateParams::new(Vec::new()).expect("CA params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::CrlSign,
    ];
    let key = KeyPair::generate().expect("CA key");
    let cert = params.self_signed(&key).expect("CA certificate");
    (cert, key)
}

fn make_leaf(
    name: &str,
    sans: Vec<SanType>,
    usage: ExtendedKeyUsagePurpose,
    ca: &(Certificate, KeyPair),
) -> Issued {
    let mut params = CertificateParams::new(Vec::new()).expect("leaf params");
    params.distinguished_name.push(DnType::CommonName, name);
    params.subject_alt_names = sans;
    params.extended_key_usages = vec![usage];
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let key = KeyPair::generate().expect("leaf key");
    let cert = params
        .signed_by(&key, &ca.0, &ca.1)
        .expect("leaf certificate");
    issued(&cert, &key)
}

impl Pki {
    /// A fresh CA, server and client certificate, and an unrelated CA.
    pub fn new() -> Pki {
        let ca = make_ca("h2grpc test CA");
        let server = make_leaf(
            "localhost",
            vec![
                SanType::DnsName("localhost".try_into().expect("a DNS name")),
                SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            ],
            ExtendedKeyUsagePurpose::ServerAuth,
            &ca,
        );
        let client = make_leaf(
            "h2grpc test client",
            vec![
                SanType::DnsName("client.test".try_into().expect("a DNS name")),
                SanType::URI(CLIENT_URI.try_into().expect("a URI")),
            ],
            ExtendedKeyUsagePurpose::ClientAuth,
            &ca,
        );
        let other = make_ca("another CA");
        Pki {
            ca: issued(&ca.0, &ca.1),
            server,
            client,
            other_ca: issued(&other.0, &other.1),
        }
    }

    /// Writes every PEM into `dir` (`ca.pem`, `server.pem`, `server.key`,
    /// `client.pem`, `client.key`, `other-ca.pem`).
    pub fn write_to(&self, dir: &Path) -> PemFiles {
        let write = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::write(&path, text).expect("write a PEM file");
            path
        };
        PemFiles {
            ca: write("ca.pem", &self.ca.cert_pem),
            server_cert: write("server.pem", &self.server.cert_pem),
            server_key: write("server.key", &self.server.key_pem),
            client_cert: write("client.pem", &self.client.cert_pem),
            client_key: write("client.key", &self.client.key_pem),
            other_ca: write("other-ca.pem", &self.other_ca.cert_pem),
        }
    }
}

/// Where [`Pki::write_to`] put each file.
pub struct PemFiles {
    pub ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
    pub other_ca: PathBuf,
}
