//! The two programs the ConnectRPC conformance runner (`connectconformance`)
//! starts: `h2grpc conformance-server` (server mode) and
//! `h2grpc conformance-client` (client mode). This module owns what they
//! share: the size-delimited messages they read from stdin and write to
//! stdout, and [`ConformanceError`].
//!
//! testing_servers.md: "The messages written to `stdin` are size-delimited.
//! This means that first you will need to read a fixed four-byte preface,
//! which returns a network-byte-order (i.e. big-endian) 32-bit integer.
//! This integer represents the size of the actual message."

pub mod client;
pub mod server;

use std::fmt;

use h2grpc::{DecodeError, Message};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The largest message we accept from the runner: a ClientCompatRequest
/// carries request messages, which the suite keeps well under this.
pub const MAX_COMPAT_MESSAGE: usize = 64 * 1024 * 1024;

/// Why a conformance program stopped.
#[derive(Debug)]
pub enum ConformanceError {
    /// Reading stdin or writing stdout failed.
    Io(std::io::Error),
    /// stdin ended inside a message.
    Truncated,
    /// A size prefix past [`MAX_COMPAT_MESSAGE`].
    TooLarge(usize),
    /// A message from the runner did not decode.
    Decode(DecodeError),
    /// Server mode: stdin ended before the ServerCompatRequest.
    NoRequest,
    /// Server mode: the runner asked for TLS, which we do not have yet.
    TlsUnsupported,
}

impl fmt::Display for ConformanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConformanceError::Io(error) => write!(f, "stdin/stdout: {error}"),
            ConformanceError::Truncated => f.write_str("stdin ended inside a message"),
            ConformanceError::TooLarge(size) => write!(
                f,
                "a message of {size} bytes on stdin (at most {MAX_COMPAT_MESSAGE})"
            ),
            ConformanceError::Decode(error) => write!(f, "a message on stdin: {error}"),
            ConformanceError::NoRequest => {
                f.write_str("stdin ended before the ServerCompatRequest")
            }
            ConformanceError::TlsUnsupported => {
                f.write_str("the runner asked for TLS: h2grpc serves h2c only")
            }
        }
    }
}

impl std::error::Error for ConformanceError {}

impl From<std::io::Error> for ConformanceError {
    fn from(error: std::io::Error) -> Self {
        ConformanceError::Io(error)
    }
}

/// Reads one size-delimited message; `None` at a clean end of input.
pub async fn read_message<M: Message>(
    input: &mut (impl AsyncRead + Unpin),
) -> Result<Option<M>, ConformanceError> {
    let mut prefix = [0u8; 4];
    let mut filled = 0;
    while filled < prefix.len() {
        let read = input.read(&mut prefix[filled..]).await?;
        if read == 0 {
            return if filled == 0 {
                Ok(None)
            } else {
                Err(ConformanceError::Truncated)
            };
        }
        filled += read;
    }
    let size = u32::from_be_bytes(prefix) as usize;
    if size > MAX_COMPAT_MESSAGE {
        return Err(ConformanceError::TooLarge(size));
    }
    let mut body = vec![0u8; size];
    input.read_exact(&mut body).await.map_err(|error| {
        if error.kind() == std::io::ErrorKind::UnexpectedEof {
            ConformanceError::Truncated
        } else {
            ConformanceError::Io(error)
        }
    })?;
    M::decode(body.into())
        .map(Some)
        .map_err(ConformanceError::Decode)
}

/// Writes one size-delimited message and flushes it.
pub async fn write_message<M: Message>(
    output: &mut (impl AsyncWrite + Unpin),
    message: &M,
) -> Result<(), ConformanceError> {
    let body = message.encode_to_bytes();
    let size = u32::try_from(body.len()).map_err(|_| ConformanceError::TooLarge(body.len()))?;
    let mut framed = Vec::with_capacity(4 + body.len());
    framed.extend_from_slice(&size.to_be_bytes());
    framed.extend_from_slice(&body);
    output.write_all(&framed).await?;
    output.flush().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use h2grpc::services::conformance::compat::ServerCompatResponse;

    #[tokio::test]
    async fn a_written_message_reads_back_and_then_the_input_ends() {
        let message = ServerCompatResponse {
            host: "127.0.0.1".into(),
            port: 8080,
            ..ServerCompatResponse::default()
        };
        let mut wire = Vec::new();
        write_message(&mut wire, &message).await.unwrap();
        assert_eq!(&wire[..4], &(wire.len() as u32 - 4).to_be_bytes());
        let mut input = &wire[..];
        let read: Option<ServerCompatResponse> = read_message(&mut input).await.unwrap();
        assert_eq!(read, Some(message));
        let end: Option<ServerCompatResponse> = read_message(&mut input).await.unwrap();
        assert_eq!(end, None);
    }

    #[tokio::test]
    async fn input_ending_inside_a_message_is_truncated() {
        let mut input: &[u8] = &[0, 0, 0, 9, 1, 2];
        let read = read_message::<ServerCompatResponse>(&mut input).await;
        assert!(matches!(read, Err(ConformanceError::Truncated)), "{read:?}");
        let mut input: &[u8] = &[0, 0];
        let read = read_message::<ServerCompatResponse>(&mut input).await;
        assert!(matches!(read, Err(ConformanceError::Truncated)), "{read:?}");
    }
}
