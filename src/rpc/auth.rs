//! [`BearerAuth`]: bearer-token authentication, one value for both sides.
//! On a server it is a [`ServerInterceptor`] that admits only calls carrying
//! `authorization: Bearer TOKEN`; on a client, a [`ClientInterceptor`] that
//! adds that header to every call.

use std::fmt;
use std::future::Future;

use super::interceptor::{ClientInterceptor, ServerInterceptor};
use super::request::Request;
use crate::metadata::{AsciiMetadataKey, AsciiMetadataValue, MetadataError, MetadataMap};
use crate::status::Status;

/// The metadata key carrying the credentials (RFC 6750 §2.1, as grpc-go's
/// and grpcio's token credentials send it).
pub const AUTHORIZATION: AsciiMetadataKey = AsciiMetadataKey::from_static("authorization");

/// The authentication scheme (RFC 6750 §2.1: `credentials = "Bearer" 1*SP
/// b64token`); RFC 9110 §11.1: "It uses a case-insensitive token to
/// identify the authentication scheme".
const SCHEME: &str = "Bearer";

/// Bearer-token authentication, one value for both sides: on a server, a
/// [`ServerInterceptor`] that admits only calls carrying
/// `authorization: Bearer TOKEN` (UNAUTHENTICATED otherwise); on a client, a
/// [`ClientInterceptor`] that adds that header to every call.
#[derive(Clone)]
pub struct BearerAuth {
    /// `Bearer TOKEN`, the whole header value, checked once.
    header: AsciiMetadataValue,
}

impl fmt::Debug for BearerAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the token.
        f.debug_struct("BearerAuth").finish_non_exhaustive()
    }
}

impl BearerAuth {
    /// Authentication with `token`, which must be a valid metadata value
    /// (printable ASCII): [`MetadataError::InvalidValue`] otherwise.
    pub fn new(token: impl AsRef<str>) -> Result<BearerAuth, MetadataError> {
        // Checked once, here, rather than at every call.
        let header = AsciiMetadataValue::try_from(format!("{SCHEME} {}", token.as_ref()))?;
        Ok(BearerAuth { header })
    }

    /// Checks a request's credentials.
    fn check(&self, metadata: &MetadataMap) -> Result<(), Status> {
        let Some(value) = metadata.get(AUTHORIZATION) else {
            return Err(Status::unauthenticated(
                "missing credentials: expected metadata \"authorization: Bearer <token>\"",
            ));
        };
        let scheme_ok = value
            .get(..SCHEME.len())
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case(SCHEME))
            && value.as_bytes().get(SCHEME.len()) == Some(&b' ');
        if !scheme_ok {
            return Err(Status::unauthenticated(
                "unsupported credentials: the authorization metadata must use the Bearer scheme",
            ));
        }
        let offered = value[SCHEME.len() + 1..].trim_start_matches(' ');
        let expected = &self.header.as_str()[SCHEME.len() + 1..];
        if !constant_time_eq(offered.as_bytes(), expected.as_bytes()) {
            return Err(Status::unauthenticated("invalid bearer token"));
        }
        Ok(())
    }
}

/// Compares two byte strings in time that depends only on their lengths,
/// not on where they first differ, so the token cannot be guessed byte by
/// byte from response times. (The length may leak; tokens should be long
/// and random.)
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // Keep the optimiser from turning the fold back into an early exit.
    std::hint::black_box(diff) == 0
}

impl ServerInterceptor for BearerAuth {
    fn intercept(
        &self,
        request: &mut Request<()>,
    ) -> impl Future<Output = Result<(), Status>> + Send {
        std::future::ready(self.check(request.metadata()))
    }
}

impl ClientInterceptor for BearerAuth {
    fn intercept(&self, _method: &str, metadata: &mut MetadataMap) -> Result<(), Status> {
        // A typed key and value: the insertion cannot fail.
        metadata
            .insert(AUTHORIZATION, &self.header)
            .map_err(|err| Status::internal(err.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Code;

    #[test]
    fn constant_time_eq_matches_only_equal_strings() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret1"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn bearer_scheme_is_case_insensitive_and_the_token_is_not() {
        let auth = BearerAuth::new("t0k3n").unwrap();
        let mut metadata = MetadataMap::new();
        for (value, ok) in [
            ("Bearer t0k3n", true),
            ("bearer t0k3n", true),
            ("BEARER  t0k3n", true),
            ("Bearer T0K3N", false),
            ("Basic t0k3n", false),
            ("Bearert0k3n", false),
            ("Bearer", false),
        ] {
            metadata.insert(AUTHORIZATION, value).unwrap();
            assert_eq!(auth.check(&metadata).is_ok(), ok, "{value}");
        }
        assert!(metadata.remove(AUTHORIZATION));
        let missing = auth.check(&metadata).unwrap_err();
        assert_eq!(missing.code(), Code::Unauthenticated);
        assert!(
            missing.message().contains("missing"),
            "{}",
            missing.message()
        );
    }
}
