//! The client side of the transport: [`Channel`], one HTTP/2 connection
//! (h2c with prior knowledge, or TLS with ALPN `h2` under feature `tls`)
//! on which many calls are multiplexed.

use std::fmt;

use bytes::Bytes;
use h2::client::SendRequest;
use http::header::{CONTENT_TYPE, TE, USER_AGENT};
use http::uri::{Authority, PathAndQuery, Scheme};
use http::{HeaderMap, HeaderValue, Method, Request, Uri};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::body::RecvBody;
use super::config::TransportConfig;
use super::deadline::Deadline;
use super::head::{
    is_grpc_content_type, read_encoding, GRPC_ACCEPT_ENCODING, GRPC_ENCODING, GRPC_TIMEOUT,
};
use crate::codec::compression::{Encoding, ACCEPT_ENCODING};
use crate::status::Status;

/// `user-agent` of our calls (PROTOCOL-HTTP2.md: "grpc-LANGUAGE-TRANSPORT/VERSION").
const USER_AGENT_VALUE: &str = concat!("grpc-rust-h2grpc/", env!("CARGO_PKG_VERSION"));

/// The `user-agent` of a call: ours, after the application's own when its
/// metadata has one, as grpc-go (`WithUserAgent`), grpc-java and C-core
/// (`grpc.primary_user_agent`) do: `my-app/1.2 grpc-rust-h2grpc/0.1.0`.
/// PROTOCOL-HTTP2.md only asks for a "structured user-agent string"; product
/// tokens listed most significant first is RFC 9110 §10.1.5's structure.
fn user_agent(application: Option<&HeaderValue>) -> HeaderValue {
    let ours = HeaderValue::from_static(USER_AGENT_VALUE);
    let Some(application) = application.filter(|value| !value.is_empty()) else {
        return ours;
    };
    let mut value = Vec::with_capacity(application.len() + 1 + USER_AGENT_VALUE.len());
    value.extend_from_slice(application.as_bytes());
    value.push(b' ');
    value.extend_from_slice(USER_AGENT_VALUE.as_bytes());
    HeaderValue::from_bytes(&value).unwrap_or(ours)
}

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

/// A client connection to one server. Cheap to clone: clones share the
/// connection, and every call is a new HTTP/2 stream on it.
#[derive(Clone)]
pub struct Channel {
    send_request: SendRequest<Bytes>,
    scheme: Scheme,
    authority: Authority,
    config: std::sync::Arc<TransportConfig>,
}

impl fmt::Debug for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channel")
            .field("authority", &self.authority)
            .finish_non_exhaustive()
    }
}

/// The request half of a client call: framed messages go out through it.
#[derive(Debug)]
pub struct RequestSink {
    stream: h2::SendStream<Bytes>,
}

impl RequestSink {
    /// Sends framed messages within the server's flow-control window.
    pub async fn send(&mut self, frames: Bytes) -> Result<(), Status> {
        super::send::send_within_window(&mut self.stream, frames, false)
            .await
            .map_err(|err| Status::from_h2_error(&err))
    }

    /// Sends the last framed messages and half-closes the request with them
    /// (one DATA frame with END_STREAM for a small unary request).
    pub async fn send_last(&mut self, frames: Bytes) -> Result<(), Status> {
        super::send::send_within_window(&mut self.stream, frames, true)
            .await
            .map_err(|err| Status::from_h2_error(&err))
    }

    /// Half-closes the request: no more messages.
    pub fn finish(&mut self) -> Result<(), Status> {
        self.stream
            .send_data(Bytes::new(), true)
            .map_err(|err| Status::from_h2_error(&err))
    }

    /// Cancels the call: RST_STREAM(CANCEL).
    pub fn cancel(&mut self) {
        self.stream.send_reset(h2::Reason::CANCEL);
    }
}

/// A server's answer as it starts: its head, and the body its messages and
/// trailers will come on (or, for a trailers-only answer, the final status).
#[derive(Debug)]
pub struct ReceivedResponse {
    /// Response headers (initial metadata, with reserved ones still in).
    pub headers: HeaderMap,
    /// The response's frames; its trailers carry the status.
    pub body: RecvBody,
    /// Set when the answer was trailers-only: the call's final status.
    pub trailers_only: Option<Status>,
}

/// A response on its way: resolves to a [`ReceivedResponse`] once its head
/// arrives.
#[derive(Debug)]
pub struct PendingResponse {
    response: h2::client::ResponseFuture,
    max_message_size: usize,
}

impl PendingResponse {
    /// Waits for the response head and checks it is a gRPC answer.
    pub async fn received(self) -> Result<ReceivedResponse, Status> {
        let response = self
            .response
            .await
            .map_err(|err| Status::from_h2_error(&err))?;
        let (parts, body) = response.into_parts();
        // PROTOCOL-HTTP2.md: "Trailers-Only is permitted for calls that
        // produce an immediate error", and a Trailers-Only response is one
        // HEADERS frame that ends the stream. A `grpc-status` among headers
        // that do not end the stream is not the call's status: the
        // trailers will carry it (grpc-go and connect-go ignore it too).
        // http-grpc-status-mapping.md: "If grpc-status was provided, it
        // _must_ be used."
        let status = if body.is_end_stream() {
            Status::from_header_map(&parts.headers)
        } else {
            None
        };
        if let Some(status) = status {
            return Ok(ReceivedResponse {
                headers: parts.headers,
                body: RecvBody::new(body, self.max_message_size, Encoding::Identity),
                trailers_only: Some(status),
            });
        }
        // "This table is to be used _only_ for clients that received a
        // response that did not include grpc-status."
        if parts.status != http::StatusCode::OK {
            return Err(Status::from_http_status(parts.status));
        }
        let content_type = parts.headers.get(CONTENT_TYPE);
        if !content_type.is_some_and(|value| is_grpc_content_type(value.as_bytes())) {
            return Err(Status::response_content_type(content_type));
        }
        // A response encoding we cannot decompress: INTERNAL (grpc-go).
        let encoding = read_encoding(&parts.headers, false)?;
        Ok(ReceivedResponse {
            headers: parts.headers,
            body: RecvBody::new(body, self.max_message_size, encoding),
            trailers_only: None,
        })
    }
}

impl Channel {
    /// Connects to `http://host:port` (HTTP/2 over cleartext TCP, prior
    /// knowledge) with default settings; with feature `tls`, also to
    /// `https://host:port`, trusting the system's roots (see
    /// `Channel::connect_tls` for other roots or a client certificate).
    pub async fn connect(address: &str) -> Result<Channel, ConnectError> {
        Channel::connect_with(address, TransportConfig::default()).await
    }

    /// Connects with explicit transport settings.
    pub async fn connect_with(
        address: &str,
        config: TransportConfig,
    ) -> Result<Channel, ConnectError> {
        let uri: Uri = address
            .parse()
            .map_err(|_| ConnectError::InvalidUri(address.to_owned()))?;
        match uri.scheme_str() {
            Some("http") => {}
            #[cfg(feature = "tls")]
            Some("https") => {
                return Channel::connect_tls(address, super::ClientTlsConfig::new(), config).await
            }
            Some(other) => return Err(ConnectError::UnsupportedScheme(other.to_owned())),
            None => return Err(ConnectError::InvalidUri(address.to_owned())),
        }
        let (tcp, authority) = connect_tcp(address, &uri, 80).await?;
        Channel::from_io(tcp, authority, config)
            .await
            .map_err(|source| ConnectError::Handshake {
                address: address.to_owned(),
                source,
            })
    }

    /// Connects to `https://host:port` (feature `tls`): TLS 1.2 or 1.3 with
    /// ALPN `h2`, trusting the roots of `tls`, presenting its client
    /// certificate when the server asks, checking the server's certificate
    /// against its server name (the host by default).
    #[cfg(feature = "tls")]
    pub async fn connect_tls(
        address: &str,
        tls: super::ClientTlsConfig,
        config: TransportConfig,
    ) -> Result<Channel, ConnectError> {
        let uri: Uri = address
            .parse()
            .map_err(|_| ConnectError::InvalidUri(address.to_owned()))?;
        match uri.scheme_str() {
            Some("https") => {}
            Some(other) => return Err(ConnectError::UnsupportedScheme(other.to_owned())),
            None => return Err(ConnectError::InvalidUri(address.to_owned())),
        }
        let (tcp, authority) = connect_tcp(address, &uri, 443).await?;
        let host = bare_host(&authority).to_owned();
        let stream = super::tls::connect(tcp, &host, &tls)
            .await
            .map_err(|source| ConnectError::Tls {
                address: address.to_owned(),
                source,
            })?;
        Channel::from_io_with_scheme(stream, Scheme::HTTPS, authority, config)
            .await
            .map_err(|source| ConnectError::Handshake {
                address: address.to_owned(),
                source,
            })
    }

    /// Runs a channel over an established connection (any
    /// `AsyncRead + AsyncWrite`: TCP, Unix socket, in-memory duplex).
    pub async fn from_io<IO>(
        io: IO,
        authority: Authority,
        config: TransportConfig,
    ) -> Result<Channel, h2::Error>
    where
        IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        Channel::from_io_with_scheme(io, Scheme::HTTP, authority, config).await
    }

    /// [`Channel::from_io`] for calls whose `:scheme` is `scheme`.
    async fn from_io_with_scheme<IO>(
        io: IO,
        scheme: Scheme,
        authority: Authority,
        config: TransportConfig,
    ) -> Result<Channel, h2::Error>
    where
        IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let (send_request, connection) = h2::client::Builder::new()
            .initial_window_size(config.stream_window)
            .initial_connection_window_size(config.connection_window)
            .max_frame_size(config.max_frame_size)
            .max_header_list_size(config.max_header_list_size)
            .max_send_buffer_size(config.max_send_buffer)
            .handshake::<_, Bytes>(io)
            .await?;
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "client connection ended");
            }
        });
        Ok(Channel {
            send_request,
            scheme,
            authority,
            config: std::sync::Arc::new(config),
        })
    }

    /// The channel's transport settings.
    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    /// Starts a call: sends the request head (`metadata` added to the
    /// required headers, `deadline` as `grpc-timeout`) and returns the
    /// request half and the pending response. With `end_of_stream`, the
    /// request ends with its head (no messages). The request messages are
    /// not compressed; see [`Channel::start_call_encoded`].
    pub async fn start_call(
        &self,
        path: PathAndQuery,
        metadata: HeaderMap,
        deadline: Option<&Deadline>,
        end_of_stream: bool,
    ) -> Result<(RequestSink, PendingResponse), Status> {
        self.start_call_encoded(path, metadata, deadline, Encoding::Identity, end_of_stream)
            .await
    }

    /// [`Channel::start_call`] for request messages compressed with
    /// `encoding` (sent as `grpc-encoding` unless identity). Every request
    /// head carries our `grpc-accept-encoding`.
    pub async fn start_call_encoded(
        &self,
        path: PathAndQuery,
        metadata: HeaderMap,
        deadline: Option<&Deadline>,
        encoding: Encoding,
        end_of_stream: bool,
    ) -> Result<(RequestSink, PendingResponse), Status> {
        let mut send_request = self
            .send_request
            .clone()
            .ready()
            .await
            .map_err(|err| Status::from_h2_error(&err))?;
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        parts.path_and_query = Some(path);
        let uri = Uri::from_parts(parts).map_err(Status::invalid_request_uri)?;
        let mut request = Request::new(());
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        *headers = metadata;
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/grpc"));
        headers.insert(TE, HeaderValue::from_static("trailers"));
        let user_agent = user_agent(headers.get(USER_AGENT));
        headers.insert(USER_AGENT, user_agent);
        if let Some(deadline) = deadline {
            headers.insert(GRPC_TIMEOUT, deadline.grpc_timeout());
        }
        if !encoding.is_identity() {
            headers.insert(GRPC_ENCODING, HeaderValue::from_static(encoding.as_str()));
        }
        headers.insert(
            GRPC_ACCEPT_ENCODING,
            HeaderValue::from_static(ACCEPT_ENCODING),
        );
        let (response, stream) = send_request
            .send_request(request, end_of_stream)
            .map_err(|err| Status::from_h2_error(&err))?;
        Ok((
            RequestSink { stream },
            PendingResponse {
                response,
                max_message_size: self.config.max_receive_message_size,
            },
        ))
    }
}

/// The host of `authority` without an IPv6 literal's brackets.
fn bare_host(authority: &Authority) -> &str {
    authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']')
}

/// The TCP connection to `uri`'s host and port (`default_port` without
/// one), with Nagle off, and the authority the calls will carry.
async fn connect_tcp(
    address: &str,
    uri: &Uri,
    default_port: u16,
) -> Result<(TcpStream, Authority), ConnectError> {
    let authority = uri
        .authority()
        .cloned()
        .ok_or_else(|| ConnectError::InvalidUri(address.to_owned()))?;
    let port = authority.port_u16().unwrap_or(default_port);
    let tcp = TcpStream::connect((bare_host(&authority), port))
        .await
        .map_err(|source| ConnectError::Io {
            address: address.to_owned(),
            source,
        })?;
    let _ = tcp.set_nodelay(true);
    Ok((tcp, authority))
}
