//! The client side of the transport: [`Channel`], a client's way to one
//! server, over HTTP/2 (h2c with prior knowledge, or TLS with ALPN `h2`
//! under feature `tls`), on which many calls are multiplexed; made by an
//! [`Endpoint`]. A channel connects when first needed, reconnects after
//! its connection ends (doc/connection-backoff.md), and says where it
//! stands ([`ConnectivityState`], doc/connectivity-semantics-and-api.md).
//!
//! - `endpoint`: the builder and its settings;
//! - `connection`: the connecting and connection tasks;
//! - `dial`: one connection attempt (TCP, TLS, HTTP/2 handshake);
//! - `backoff`, `state`, `connect_error`: what their names say;
//! - `call`: a call's request sink and pending response.

mod adaptive;
mod backoff;
mod call;
mod connect_error;
mod connection;
mod dial;
mod endpoint;
mod state;

use std::fmt;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use bytes::Bytes;
use h2::client::SendRequest;

use http::header::{CONTENT_TYPE, TE, USER_AGENT};
use http::uri::{Authority, PathAndQuery, Scheme};
use http::{HeaderMap, HeaderValue, Method, Request, Uri};
use tokio::io::{AsyncRead, AsyncWrite};

pub use backoff::BackoffConfig;
pub(crate) use call::{NotAnswered, PendingResponse, ReceivedResponse, RequestSink};
pub use connect_error::ConnectError;
pub(crate) use connection::CallInFlight;
pub use endpoint::Endpoint;
pub use state::ConnectivityState;

use super::config::TransportConfig;
use super::deadline::Deadline;
use super::head::{GRPC_ACCEPT_ENCODING, GRPC_ENCODING, GRPC_TIMEOUT};
use crate::codec::compression::{Encoding, ACCEPT_ENCODING};
use crate::status::Status;
use connection::{Shared, SharedSettings};
use state::{Connection, Slot};

/// `user-agent` of our calls (PROTOCOL-HTTP2.md: "grpc-LANGUAGE-TRANSPORT/VERSION").
const USER_AGENT_VALUE: &str = concat!("grpc-rust-h2grpc/", env!("CARGO_PKG_VERSION"));

/// How many times a call is sent again when its connection turns out to
/// be gone before the call left (a GOAWAY or a dropped connection h2 had
/// not told us of yet): such a call "never left the client" (gRFC A6) and
/// may go again on the next connection.
const UNSENT_ATTEMPTS: usize = 3;

/// The `user-agent` of a call: ours, after the application's own when its
/// metadata has one, as grpc-go (`WithUserAgent`), grpc-java and C-core
/// (`grpc.primary_user_agent`) do: `my-app/1.2 grpc-rust-h2grpc/0.1.0`.
/// PROTOCOL-HTTP2.md only asks for a "structured user-agent string"; product
/// tokens listed most significant first is RFC 9110 §10.1.5's structure.
fn user_agent(application: &HeaderValue) -> HeaderValue {
    let ours = HeaderValue::from_static(USER_AGENT_VALUE);
    if application.is_empty() {
        return ours;
    }
    let mut value = Vec::with_capacity(application.len() + 1 + USER_AGENT_VALUE.len());
    value.extend_from_slice(application.as_bytes());
    value.push(b' ');
    value.extend_from_slice(USER_AGENT_VALUE.as_bytes());
    HeaderValue::from_bytes(&value).unwrap_or(ours)
}

/// A client's channel to one server. Cheap to clone: clones share the
/// channel's connection, and every call is a new HTTP/2 stream on it.
///
/// A channel made by [`Channel::connect`] or an [`Endpoint`] outlives its
/// connections: when one ends (the server restarted, a GOAWAY, a network
/// failure), the next call connects again, with doc/connection-backoff.md's
/// backoff between failed attempts. While the last attempt has failed
/// ([`ConnectivityState::TransientFailure`]) calls fail at once with
/// UNAVAILABLE, unless they wait for ready
/// ([`Request::set_wait_for_ready`](crate::Request::set_wait_for_ready)).
#[derive(Clone)]
pub struct Channel {
    shared: Arc<Shared>,
}

impl fmt::Debug for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channel")
            .field("authority", &self.shared.authority)
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

impl Channel {
    /// Connects to `http://host:port` (HTTP/2 over cleartext TCP, prior
    /// knowledge) with default settings; with feature `tls`, also to
    /// `https://host:port`, trusting the system's roots. Fails if the
    /// first connection cannot be made (see [`Endpoint`] for a lazy
    /// channel, timeouts, keepalive and TLS settings).
    pub async fn connect(address: &str) -> Result<Channel, ConnectError> {
        Endpoint::new(address)?.connect().await
    }

    /// [`Channel::connect`] with explicit transport settings.
    pub async fn connect_with(
        address: &str,
        config: TransportConfig,
    ) -> Result<Channel, ConnectError> {
        Endpoint::new(address)?
            .transport_config(config)
            .connect()
            .await
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
        let endpoint = Endpoint::new(address)?;
        if endpoint.scheme() != &Scheme::HTTPS {
            return Err(ConnectError::UnsupportedScheme(
                endpoint.scheme().as_str().to_owned(),
            ));
        }
        endpoint.tls(tls).transport_config(config).connect().await
    }

    /// Runs a channel over an established connection (any
    /// `AsyncRead + AsyncWrite`: TCP, Unix socket, in-memory duplex). Such
    /// a channel cannot reconnect: once its connection ends, its calls fail
    /// with UNAVAILABLE.
    pub async fn from_io<IO>(
        io: IO,
        authority: Authority,
        config: TransportConfig,
    ) -> Result<Channel, h2::Error>
    where
        IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let dialed = dial::handshake(io, &config).await?;
        let shared = Shared::new(SharedSettings {
            target: None,
            scheme: Scheme::HTTP,
            authority,
            config,
            backoff: BackoffConfig::default(),
            keepalive: None,
            user_agent: HeaderValue::from_static(USER_AGENT_VALUE),
        });
        shared.install(dialed);
        Ok(Channel { shared })
    }

    /// The channel's transport settings.
    pub fn config(&self) -> &TransportConfig {
        &self.shared.config
    }

    /// Where the channel stands now.
    pub fn state(&self) -> ConnectivityState {
        self.shared.slot.borrow().state()
    }

    /// Starts connecting if the channel is IDLE (gRPC's
    /// `GetState(try_to_connect=true)`), then says where it stands.
    pub fn connect_now(&self) -> ConnectivityState {
        self.shared.connect_if_idle();
        self.state()
    }

    /// Waits until the channel leaves state `from`, and says its new state
    /// (gRPC's `WaitForStateChange`); at once if it is not in `from`.
    pub async fn state_changed(&self, from: ConnectivityState) -> ConnectivityState {
        let mut changes = self.shared.slot.subscribe();
        loop {
            let now = changes.borrow_and_update().state();
            if now != from {
                return now;
            }
            // The sender lives as long as `self`: this cannot fail.
            if changes.changed().await.is_err() {
                return ConnectivityState::Shutdown;
            }
        }
    }

    /// The keepalive interval of the channel's next connection (see
    /// [`Endpoint::keepalive`]): doubled each time a server answered the
    /// pings with GOAWAY `too_many_pings`. `None` without keepalive.
    pub fn keepalive_time(&self) -> Option<std::time::Duration> {
        self.shared.keepalive().map(|keepalive| keepalive.time)
    }

    /// Shuts the channel down, for every clone: calls in flight go on on
    /// their connection, which closes once they are done; new calls fail
    /// with UNAVAILABLE.
    pub fn shutdown(&self) {
        self.shared.slot.send_replace(Slot::Shutdown);
    }

    /// Starts a call: sends the request head (`metadata` added to the
    /// required headers, `deadline` as `grpc-timeout`) and returns the
    /// request half and the pending response. With `end_of_stream`, the
    /// request ends with its head (no messages). The request messages are
    /// not compressed, and the call fails fast; see
    /// [`Channel::start_call_encoded`].
    pub async fn start_call(
        &self,
        path: PathAndQuery,
        metadata: HeaderMap,
        deadline: Option<&Deadline>,
        end_of_stream: bool,
    ) -> Result<(RequestSink, PendingResponse), Status> {
        let options = CallOptions {
            deadline,
            ..CallOptions::default()
        };
        self.start_call_encoded(path, metadata, options, end_of_stream)
            .await
    }

    /// [`Channel::start_call`] with [`CallOptions`]: request messages
    /// compressed with `options.encoding` (sent as `grpc-encoding` unless
    /// identity), and waiting for a connection when `options.wait_for_ready`.
    /// Every request head carries our `grpc-accept-encoding`.
    pub async fn start_call_encoded(
        &self,
        path: PathAndQuery,
        metadata: HeaderMap,
        options: CallOptions<'_>,
        end_of_stream: bool,
    ) -> Result<(RequestSink, PendingResponse), Status> {
        let request = self.request_head(path, metadata, &options)?;
        let (mut send_request, calls) = self.ready_sender(options.wait_for_ready).await?;
        let (response, stream) = send_request
            .send_request(request, end_of_stream)
            .map_err(|err| Status::from_h2_error(&err))?;
        Ok((
            RequestSink { stream },
            PendingResponse {
                response,
                max_message_size: self.shared.config.max_receive_message_size,
                in_flight: calls.as_ref().map(CallInFlight::start),
            },
        ))
    }

    /// A connection ready for a new stream. One that refuses new streams
    /// (after a GOAWAY) or is gone, unknown to us until now, is given up
    /// and the next one tried: the call has not left yet.
    async fn ready_sender(
        &self,
        wait_for_ready: bool,
    ) -> Result<(SendRequest<Bytes>, Option<Arc<AtomicUsize>>), Status> {
        let mut last_failure = None;
        for _ in 0..UNSENT_ATTEMPTS {
            let connection = self.pick(wait_for_ready).await?;
            match connection.send_request.ready().await {
                Ok(send_request) => return Ok((send_request, connection.calls)),
                Err(err) => {
                    tracing::debug!(error = %err, "connection unusable; trying the next one");
                    self.shared.connection_lost(connection.number);
                    last_failure = Some(Status::from_h2_error(&err));
                }
            }
        }
        Err(last_failure.unwrap_or_else(Status::no_usable_connection))
    }

    /// The request head of a call.
    fn request_head(
        &self,
        path: PathAndQuery,
        metadata: HeaderMap,
        options: &CallOptions<'_>,
    ) -> Result<Request<()>, Status> {
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(self.shared.scheme.clone());
        parts.authority = Some(self.shared.authority.clone());
        parts.path_and_query = Some(path);
        let uri = Uri::from_parts(parts).map_err(Status::invalid_request_uri)?;
        let mut request = Request::new(());
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        *headers = metadata;
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/grpc"));
        headers.insert(TE, HeaderValue::from_static("trailers"));
        let user_agent = match headers.get(USER_AGENT) {
            Some(application) => user_agent(application),
            None => self.shared.user_agent.clone(),
        };
        headers.insert(USER_AGENT, user_agent);
        if let Some(deadline) = options.deadline {
            headers.insert(GRPC_TIMEOUT, deadline.grpc_timeout());
        }
        if !options.encoding.is_identity() {
            headers.insert(
                GRPC_ENCODING,
                HeaderValue::from_static(options.encoding.as_str()),
            );
        }
        headers.insert(
            GRPC_ACCEPT_ENCODING,
            HeaderValue::from_static(ACCEPT_ENCODING),
        );
        Ok(request)
    }

    /// The connection to send a call on: at once when READY; otherwise the
    /// channel connects (from IDLE) and the call waits through CONNECTING.
    /// In TRANSIENT_FAILURE it fails with the last attempt's UNAVAILABLE,
    /// or, `wait_for_ready`, waits on (its deadline bounds it: the caller's).
    async fn pick(&self, wait_for_ready: bool) -> Result<Connection, Status> {
        if let Some(connection) = self.ready_connection() {
            return Ok(connection);
        }
        let mut changes = self.shared.slot.subscribe();
        loop {
            let idle = {
                let slot = changes.borrow_and_update();
                match &*slot {
                    Slot::Ready(connection) => return Ok(connection.clone()),
                    Slot::TransientFailure(status) if !wait_for_ready => return Err(status.clone()),
                    Slot::Shutdown => return Err(Status::channel_shut_down()),
                    Slot::Idle => true,
                    Slot::Connecting | Slot::TransientFailure(_) => false,
                }
            };
            if idle {
                self.shared.connect_if_idle();
                continue;
            }
            if changes.changed().await.is_err() {
                return Err(Status::channel_shut_down());
            }
        }
    }

    /// The connection, when READY.
    fn ready_connection(&self) -> Option<Connection> {
        match &*self.shared.slot.borrow() {
            Slot::Ready(connection) => Some(connection.clone()),
            _ => None,
        }
    }
}

/// How a call starts: its deadline, the compression of its request
/// messages, and whether it waits for a connection.
#[derive(Debug, Clone, Copy, Default)]
pub struct CallOptions<'a> {
    /// Sent as `grpc-timeout`.
    pub deadline: Option<&'a Deadline>,
    /// The request messages' encoding (`grpc-encoding` unless identity).
    pub encoding: Encoding,
    /// Wait through TRANSIENT_FAILURE for a connection instead of failing
    /// at once with UNAVAILABLE (doc/wait-for-ready.md).
    pub wait_for_ready: bool,
}
