//! [`Request`] and [`Response`]: a message with its metadata, on either
//! side of a call.

use std::net::SocketAddr;
use std::time::Duration;

use http::Extensions;

use super::cancel::CancelToken;
use super::context::CallContext;
use super::request_metadata::RequestMetadata;
use crate::codec::compression::Encoding;
use crate::metadata::MetadataMap;

/// A request: the message (or a stream of them) and the call's metadata.
#[derive(Debug, Clone, Default)]
pub struct Request<T> {
    message: T,
    metadata: RequestMetadata,
    timeout: Option<Duration>,
    compression: Option<Encoding>,
    context: CallContext,
    extensions: Extensions,
    message_compressed: bool,
    cancel: Option<CancelToken>,
    wait_for_ready: Option<bool>,
}

/// A client request taken apart to start its call.
#[derive(Debug)]
pub(crate) struct CallParts<T> {
    /// The request metadata.
    pub(crate) metadata: MetadataMap,
    /// The message, or the stream of them.
    pub(crate) message: T,
    /// The call's timeout.
    pub(crate) timeout: Option<Duration>,
    /// What cancels the call, if anything.
    pub(crate) cancel: Option<CancelToken>,
    /// Whether the call waits for a connection (`None`: the client's
    /// default).
    pub(crate) wait_for_ready: Option<bool>,
}

impl<T> Request<T> {
    /// A request carrying `message` and no metadata.
    pub fn new(message: T) -> Request<T> {
        Request {
            message,
            metadata: RequestMetadata::default(),
            timeout: None,
            compression: None,
            context: CallContext::default(),
            extensions: Extensions::new(),
            message_compressed: false,
            cancel: None,
            wait_for_ready: None,
        }
    }

    /// The message.
    pub fn get_ref(&self) -> &T {
        &self.message
    }

    /// The message, mutably.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.message
    }

    /// The message, consuming the request.
    pub fn into_inner(self) -> T {
        self.message
    }

    /// Server side, unary and server-streaming calls: whether the request
    /// message arrived compressed (its frame's compressed flag; a client may
    /// send some messages of a compressed call uncompressed). Streamed
    /// requests say it per message:
    /// [`Streaming::last_message_compressed`](crate::rpc::Streaming::last_message_compressed).
    pub fn message_compressed(&self) -> bool {
        self.message_compressed
    }

    /// The same request, with whether its message arrived compressed.
    pub(crate) fn with_message_compressed(mut self, compressed: bool) -> Request<T> {
        self.message_compressed = compressed;
        self
    }

    /// The request metadata (custom headers).
    pub fn metadata(&self) -> &MetadataMap {
        self.metadata.get()
    }

    /// The request metadata, mutably (client side: sent with the call).
    pub fn metadata_mut(&mut self) -> &mut MetadataMap {
        self.metadata.get_mut()
    }

    /// Client side: the call's timeout, sent as `grpc-timeout`; the call
    /// fails with DEADLINE_EXCEEDED when it runs out. Server side: the time
    /// the client gave the call, as received (the call's deadline is
    /// [`CallContext::deadline`]).
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout.or_else(|| {
            self.context
                .call_deadline()
                .map(|deadline| deadline.timeout())
        })
    }

    /// Sets the call's timeout (client side).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// Client side: compresses this call's request messages with
    /// `encoding` (sent as `grpc-encoding`), overriding the client's
    /// setting; [`Encoding::Identity`] sends them uncompressed. Server side:
    /// the encoding the client's messages came in.
    pub fn set_compression(&mut self, encoding: Encoding) {
        self.compression = Some(encoding);
    }

    /// Client side: cancels the call when `token` is cancelled: it then
    /// fails with CANCELLED and its stream is reset (see [`CancelToken`]).
    pub fn set_cancel_token(&mut self, token: CancelToken) {
        self.cancel = Some(token);
    }

    /// Client side: when the channel cannot connect (TRANSIENT_FAILURE),
    /// this call waits for a connection, until its deadline, instead of
    /// failing at once with UNAVAILABLE (doc/wait-for-ready.md). Overrides
    /// [`Client::wait_for_ready`](crate::Client::wait_for_ready).
    pub fn set_wait_for_ready(&mut self, wait: bool) {
        self.wait_for_ready = Some(wait);
    }

    /// The setting of [`Request::set_wait_for_ready`], if any.
    pub fn wait_for_ready(&self) -> Option<bool> {
        self.wait_for_ready
    }

    /// The token set by [`Request::set_cancel_token`], if any.
    pub fn cancel_token(&self) -> Option<&CancelToken> {
        self.cancel.as_ref()
    }

    /// The encoding set by [`Request::set_compression`] (client side) or
    /// the client's `grpc-encoding` (server side); `None` when unset.
    pub fn compression(&self) -> Option<Encoding> {
        self.compression
    }

    /// Server side: the client's address, when the transport knows it.
    pub fn remote_addr(&self) -> Option<SocketAddr> {
        self.context.peer()
    }

    /// Server side: the call this request belongs to (method, peer,
    /// deadline, cancellation, trailing metadata). Clone it to keep it past
    /// the request, e.g. in a task producing replies.
    pub fn context(&self) -> &CallContext {
        &self.context
    }

    /// Values of any type that travel with the request: a server
    /// interceptor can leave one here (say, the authenticated user) for
    /// the handler to read. Never sent on the wire.
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }

    /// The extensions, mutably.
    pub fn extensions_mut(&mut self) -> &mut Extensions {
        &mut self.extensions
    }

    /// The same request around another message.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Request<U> {
        Request {
            message: f(self.message),
            metadata: self.metadata,
            timeout: self.timeout,
            compression: self.compression,
            context: self.context,
            extensions: self.extensions,
            message_compressed: self.message_compressed,
            cancel: self.cancel,
            wait_for_ready: self.wait_for_ready,
        }
    }

    /// Splits a client request into what starting its call needs.
    pub(crate) fn into_call_parts(self) -> CallParts<T> {
        CallParts {
            metadata: self.metadata.into_map(),
            message: self.message,
            timeout: self.timeout,
            cancel: self.cancel,
            wait_for_ready: self.wait_for_ready,
        }
    }

    /// A server-side request as it arrived; `headers` is its head, filtered
    /// into metadata when first asked for. Its timeout is the context's
    /// deadline's.
    pub(crate) fn from_call(
        message: T,
        headers: http::HeaderMap,
        encoding: Encoding,
        context: CallContext,
    ) -> Request<T> {
        Request {
            message,
            metadata: RequestMetadata::received(headers),
            timeout: None,
            compression: Some(encoding),
            context,
            extensions: Extensions::new(),
            message_compressed: false,
            cancel: None,
            wait_for_ready: None,
        }
    }
}

impl<T> From<T> for Request<T> {
    fn from(message: T) -> Request<T> {
        Request::new(message)
    }
}

/// A response: the message (or a stream of them), the initial metadata
/// (response headers), the trailing metadata and, server side, the
/// compression the handler asks for and when the response head goes out.
#[derive(Debug, Clone, Default)]
pub struct Response<T> {
    message: T,
    metadata: MetadataMap,
    trailers: MetadataMap,
    compression: Option<Encoding>,
    message_compressed: bool,
    headers_first: bool,
}

impl<T> Response<T> {
    /// A response carrying `message` and no metadata.
    pub fn new(message: T) -> Response<T> {
        Response {
            message,
            metadata: MetadataMap::new(),
            trailers: MetadataMap::new(),
            compression: None,
            message_compressed: false,
            headers_first: false,
        }
    }

    /// The message.
    pub fn get_ref(&self) -> &T {
        &self.message
    }

    /// The message, mutably.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.message
    }

    /// The message, consuming the response.
    pub fn into_inner(self) -> T {
        self.message
    }

    /// The initial metadata (response headers).
    pub fn metadata(&self) -> &MetadataMap {
        &self.metadata
    }

    /// The initial metadata, mutably (server side: sent with the response head).
    pub fn metadata_mut(&mut self) -> &mut MetadataMap {
        &mut self.metadata
    }

    /// Server side: the trailing metadata, sent with the call's final
    /// status, OK or not (merged with the metadata of an error status the
    /// response stream ends with).
    pub fn trailers_mut(&mut self) -> &mut MetadataMap {
        &mut self.trailers
    }

    /// Server side: the trailing metadata set with
    /// [`Response::trailers_mut`]. Client side, unary and client-streaming
    /// calls: the trailing metadata the server sent with its OK status (a
    /// streamed response has its own:
    /// [`Streaming::trailers`](crate::rpc::Streaming::trailers); a failed
    /// call's come with its [`Status::metadata`](crate::Status::metadata),
    /// after the response headers' metadata when headers came first).
    pub fn trailers(&self) -> &MetadataMap {
        &self.trailers
    }

    /// Server side: compresses this call's response messages with
    /// `encoding` when the client accepts it (its `grpc-accept-encoding`),
    /// overriding the server's setting; [`Encoding::Identity`] sends them
    /// uncompressed. A message may still opt out on its own: see
    /// [`Outgoing`](crate::rpc::Outgoing).
    pub fn set_compression(&mut self, encoding: Encoding) {
        self.compression = Some(encoding);
    }

    /// The encoding set by [`Response::set_compression`]; `None` when unset.
    pub fn compression(&self) -> Option<Encoding> {
        self.compression
    }

    /// Client side, unary and client-streaming calls: whether the response
    /// message arrived compressed (its frame's compressed flag; a server
    /// may send any message of a compressed call uncompressed). Streamed
    /// responses say it per message:
    /// [`Streaming::last_message_compressed`](crate::rpc::Streaming::last_message_compressed).
    pub fn message_compressed(&self) -> bool {
        self.message_compressed
    }

    /// Server side: sends the response head (`:status`, content-type and
    /// the initial metadata) as soon as the handler returns, before the
    /// first message exists, the way grpc-go's `SendHeader` does.
    ///
    /// By default the head goes out with the first message, and a call
    /// that ends before any message is answered Trailers-Only (one HEADERS
    /// frame with the status), as grpc-go and C-core answer. Ask for the
    /// head first in a streamed response whose first message may be long
    /// in coming (replies to other calls' events, a subscription), so that
    /// a client waiting for the call's head is not held until then; such a
    /// call ends with headers and trailers even when it sends no message.
    pub fn send_headers_first(&mut self) {
        self.headers_first = true;
    }

    /// Whether [`Response::send_headers_first`] was asked for.
    pub fn headers_first(&self) -> bool {
        self.headers_first
    }

    /// The same response around another message.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            message: f(self.message),
            metadata: self.metadata,
            trailers: self.trailers,
            compression: self.compression,
            message_compressed: self.message_compressed,
            headers_first: self.headers_first,
        }
    }

    /// Takes the trailing metadata out, leaving it empty.
    pub(crate) fn take_trailers(&mut self) -> MetadataMap {
        std::mem::take(&mut self.trailers)
    }

    /// Splits into metadata and message.
    pub(crate) fn into_parts(self) -> (MetadataMap, T) {
        (self.metadata, self.message)
    }

    /// A response from its parts.
    pub(crate) fn from_parts(metadata: MetadataMap, message: T) -> Response<T> {
        Response {
            message,
            metadata,
            trailers: MetadataMap::new(),
            compression: None,
            message_compressed: false,
            headers_first: false,
        }
    }

    /// Client side: a single response message as it arrived, with the
    /// initial and trailing metadata around it.
    pub(crate) fn received(
        metadata: MetadataMap,
        message: T,
        trailers: MetadataMap,
        message_compressed: bool,
    ) -> Response<T> {
        Response {
            message,
            metadata,
            trailers,
            compression: None,
            message_compressed,
            headers_first: false,
        }
    }
}
