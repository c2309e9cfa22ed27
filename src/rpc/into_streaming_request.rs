//! [`IntoStreamingRequest`]: what a typed client-streaming or bidi method
//! accepts as its requests, a bare stream of messages or one wrapped in a
//! [`Request`] that carries metadata, a timeout, compression or a cancel
//! token.
//!
//! Why not `impl Into<Request<S>>` with `S` a generic of the method: given a
//! `Request<St>`, both `From<T> for Request<T>` (with `S = Request<St>`) and
//! the identity `From<Request<St>>` (with `S = St`) fit, so the compiler
//! cannot pick `S` (E0283) and a wrapped stream does not compile without a
//! turbofish. Here the stream type is an associated type, fixed by the
//! argument's type alone: a stream maps to itself, a `Request<S>` to `S`.
//! The two impls cannot overlap because [`Request`] is this crate's type
//! and does not implement [`Stream`] (the same shape as tonic's trait of the
//! same name).

use futures_core::Stream;

use super::request::Request;

/// Requests for a client-streaming or bidi call: a stream of messages, or a
/// [`Request`] around one.
///
/// A bare stream becomes `Request::new(stream)`, with no metadata and no
/// timeout; a `Request<S>` is passed on as it is, so what was set on it
/// (metadata, [`Request::set_timeout`], compression, a cancel token) goes
/// with the call.
///
/// Sealed: implemented only for streams and requests of streams, so more
/// conversions can be added without breaking callers.
pub trait IntoStreamingRequest: sealed::Sealed {
    /// The stream of messages sent on the call.
    type Stream: Stream<Item = Self::Message> + Send + 'static;

    /// The type of each request message.
    type Message;

    /// The request the call is made with.
    fn into_streaming_request(self) -> Request<Self::Stream>;
}

/// A bare stream: sent with no metadata and no timeout.
impl<S> IntoStreamingRequest for S
where
    S: Stream + Send + 'static,
{
    type Stream = S;
    type Message = S::Item;

    fn into_streaming_request(self) -> Request<S> {
        Request::new(self)
    }
}

/// A stream in a [`Request`]: sent with the request's metadata, timeout,
/// compression and cancel token.
impl<S> IntoStreamingRequest for Request<S>
where
    S: Stream + Send + 'static,
{
    type Stream = S;
    type Message = S::Item;

    fn into_streaming_request(self) -> Request<S> {
        self
    }
}

/// Keeps [`IntoStreamingRequest`] to the two impls above: callers cannot
/// name `Sealed`, so they cannot implement it.
mod sealed {
    use futures_core::Stream;

    use super::Request;

    /// The types [`IntoStreamingRequest`](super::IntoStreamingRequest) is
    /// implemented for.
    pub trait Sealed {}

    impl<S: Stream + Send + 'static> Sealed for S {}

    impl<S: Stream + Send + 'static> Sealed for Request<S> {}
}
