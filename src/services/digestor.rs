//! `digestor.Digestor` (proto/digestor.proto): the SHA-256 service of the
//! "digestor" gRPC tutorial, and its typed client.
//!
//! The field names are the tutorial's (`ToDigest`, `Digested`,
//! `WasDigested`), so the Rust fields keep them too: the Rust definition is
//! the schema that reflection serves.

use sha2::{Digest, Sha256};

use crate::rpc::{Client, Request, Response, Service};
use crate::status::Status;
use crate::transport::Channel;

crate::message! {
    package "digestor";

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

/// The service's full name.
pub const SERVICE_NAME: &str = "digestor.Digestor";

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

/// The Digestor service, ready to add to a server.
pub fn service() -> Service {
    Service::new(SERVICE_NAME).unary(
        "GetDigestor",
        |request: Request<DigestMessage>| async move {
            Ok(Response::new(DigestedMessage {
                Digested: sha256_hex(&request.get_ref().ToDigest),
                WasDigested: true,
            }))
        },
    )
}

/// A typed client for `digestor.Digestor`.
#[derive(Debug, Clone)]
pub struct DigestorClient {
    client: Client,
}

impl DigestorClient {
    /// A client calling on `channel`.
    pub fn new(channel: Channel) -> DigestorClient {
        DigestorClient {
            client: Client::new(channel),
        }
    }

    /// `GetDigestor`: the SHA-256 of a text.
    pub async fn get_digestor(
        &self,
        request: impl Into<Request<DigestMessage>>,
    ) -> Result<Response<DigestedMessage>, Status> {
        self.client
            .unary("/digestor.Digestor/GetDigestor", request.into())
            .await
    }
}
