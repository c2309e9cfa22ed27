//! `digestor.Digestor` (proto/digestor.proto): the SHA-256 service of the
//! "digestor" gRPC tutorial: its declaration (the [`Digestor`] trait,
//! [`DigestorServer`], [`DigestorClient`]) and the demo's implementation,
//! [`Sha256Digestor`].
//!
//! The field names are the tutorial's (`ToDigest`, `Digested`,
//! `WasDigested`), so the Rust fields keep them too: the Rust definition is
//! the schema that reflection serves.

use sha2::{Digest, Sha256};

use crate::rpc::{Request, Response, Service};
use crate::status::Status;

crate::message! {
    package "digestor";
    file "digestor.proto";

    /// The text to digest.
    #[allow(non_snake_case)]
    pub struct DigestMessage {
        /// Hashed as its UTF-8 bytes.
        ToDigest: string = 1,
    }

    /// The digest of a `DigestMessage`.
    #[allow(non_snake_case)]
    pub struct DigestedMessage {
        /// Lowercase hex SHA-256 of the text.
        Digested: string = 1,
        /// Always true in an answer.
        WasDigested: bool = 2,
    }
}

crate::service! {
    package "digestor";
    file "digestor.proto";

    /// The SHA-256 service.
    pub service Digestor {
        /// The lowercase hex SHA-256 of a text.
        rpc GetDigestor(DigestMessage) returns (DigestedMessage);
    }
}

/// Lowercase hex SHA-256 of `text`'s UTF-8 bytes.
pub fn sha256_hex(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

/// The demo's Digestor: SHA-256, lowercase hex.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sha256Digestor;

impl Digestor for Sha256Digestor {
    async fn get_digestor(
        &self,
        request: Request<DigestMessage>,
    ) -> Result<Response<DigestedMessage>, Status> {
        Ok(Response::new(DigestedMessage {
            Digested: sha256_hex(&request.get_ref().ToDigest),
            WasDigested: true,
        }))
    }
}

/// The Digestor service, ready to add to a server.
pub fn service() -> Service {
    DigestorServer::new(Sha256Digestor).into()
}
