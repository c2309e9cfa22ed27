//! [`Request`] and [`Response`]: a message with its metadata, on either
//! side of a call.

use std::net::SocketAddr;
use std::time::Duration;

use http::Extensions;

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
    remote_addr: Option<SocketAddr>,
    compression: Option<Encoding>,
    context: CallContext,
    extensions: Extensions,
    message_compressed: bool,
}

impl<T> Request<T> {
    /// A request carrying `message` and no metadata.
    pub fn new(message: T) -> Request<T> {
        Request {
            message,
            metadata: RequestMetadata::default(),
            timeout: None,
            remote_addr: None,
            compression: None,
            context: CallContext::default(),
            extensions: Extensions::new(),
            message_compressed: false,
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

    /// Records whether the single request message arrived compressed.
    pub(crate) fn set_message_compressed(&mut self, compressed: bool) {
        self.message_compressed = compressed;
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
    /// the client gave the call, as received.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
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

    /// The encoding set by [`Request::set_compression`] (client side) or
    /// the client's `grpc-encoding` (server side); `None` when unset.
    pub fn compression(&self) -> Option<Encoding> {
        self.compression
    }

    /// Server side: the client's address, when the transport knows it.
    pub fn remote_addr(&self) -> Option<SocketAddr> {
        self.remote_addr
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
            remote_addr: self.remote_addr,
            compression: self.compression,
            context: self.context,
            extensions: self.extensions,
            message_compressed: self.message_compressed,
        }
    }

    /// Splits into metadata, message and timeout.
    pub(crate) fn into_parts(self) -> (MetadataMap, T, Option<Duration>) {
        (self.metadata.into_map(), self.message, self.timeout)
    }

    /// A server-side request as it arrived; `headers` is its head, filtered
    /// into metadata when first asked for.
    pub(crate) fn from_call(
        message: T,
        headers: http::HeaderMap,
        timeout: Option<Duration>,
        encoding: Encoding,
        context: CallContext,
    ) -> Request<T> {
        Request {
            message,
            metadata: RequestMetadata::received(headers),
            timeout,
            remote_addr: context.peer(),
            compression: Some(encoding),
            context,
            extensions: Extensions::new(),
            message_compressed: false,
        }
    }
}

impl<T> From<T> for Request<T> {
    fn from(message: T) -> Request<T> {
        Request::new(message)
    }
}

/// A response: the message (or a stream of them), the initial metadata
/// (response headers) and, server side, the trailing metadata and the
/// compression the handler asks for.
#[derive(Debug, Clone, Default)]
pub struct Response<T> {
    message: T,
    metadata: MetadataMap,
    trailers: MetadataMap,
    compression: Option<Encoding>,
}

impl<T> Response<T> {
    /// A response carrying `message` and no metadata.
    pub fn new(message: T) -> Response<T> {
        Response {
            message,
            metadata: MetadataMap::new(),
            trailers: MetadataMap::new(),
            compression: None,
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

    /// The trailing metadata set with [`Response::trailers_mut`].
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

    /// The same response around another message.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            message: f(self.message),
            metadata: self.metadata,
            trailers: self.trailers,
            compression: self.compression,
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
        }
    }
}
