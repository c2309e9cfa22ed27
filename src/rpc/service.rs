//! [`Service`]: a named gRPC service and its methods, built from plain async
//! functions or closures, one builder method per call type.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use futures_core::Stream;
use futures_util::FutureExt;

use super::descriptor::ServiceDescriptor;
use super::interceptor::{InterceptorChain, ServerInterceptor};
use super::request::{Request, Response};
use super::runner::{
    run, CallSettings, FromRequestBody, IntoResponseBody, OneReply, OneRequest, StreamedReplies,
};
use super::streaming::Streaming;
use crate::codec::{Message, MessageDescriptor};
use crate::status::Status;
use crate::transport::ServerCall;

/// A boxed future, `Send`, owning everything it uses.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// A method's handler with its types erased: runs one call to its end,
/// after the interceptors, if any.
pub(crate) type MethodHandler = Arc<
    dyn Fn(ServerCall, Arc<CallSettings>, Option<Arc<InterceptorChain>>) -> BoxFuture<()>
        + Send
        + Sync,
>;

/// The four gRPC call types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    /// One request, one response.
    Unary,
    /// One request, a stream of responses.
    ServerStreaming,
    /// A stream of requests, one response.
    ClientStreaming,
    /// Streams both ways.
    BidiStreaming,
}

/// What a service says about one of its methods (server reflection and the
/// proto agreement tests read it).
#[derive(Debug, Clone, Copy)]
pub struct MethodInfo<'a> {
    /// The method's name, as in `/package.Service/Name`.
    pub name: &'a str,
    /// Its call type.
    pub kind: MethodKind,
    /// The request message's schema, if its type records one.
    pub input: Option<&'static MessageDescriptor>,
    /// The response message's schema, if its type records one.
    pub output: Option<&'static MessageDescriptor>,
}

/// One method of a service.
#[derive(Clone)]
pub(crate) struct Method {
    pub(crate) name: String,
    pub(crate) kind: MethodKind,
    pub(crate) input: Option<&'static MessageDescriptor>,
    pub(crate) output: Option<&'static MessageDescriptor>,
    pub(crate) handler: MethodHandler,
}

/// A gRPC service: its full name (`package.Service`) and its methods.
#[derive(Clone)]
pub struct Service {
    name: String,
    /// The method table of a [`service!`](crate::service) declaration.
    descriptor: Option<&'static ServiceDescriptor>,
    methods: Vec<Method>,
    interceptors: InterceptorChain,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let methods: Vec<(&str, MethodKind)> = self
            .methods
            .iter()
            .map(|m| (m.name.as_str(), m.kind))
            .collect();
        f.debug_struct("Service")
            .field("name", &self.name)
            .field("methods", &methods)
            .field("interceptors", &self.interceptors)
            .finish()
    }
}

impl Service {
    /// A service with no methods yet; `name` is its full name, e.g.
    /// `helloworld.Greeter`.
    pub fn new(name: impl Into<String>) -> Service {
        Service {
            name: name.into(),
            descriptor: None,
            methods: Vec::new(),
            interceptors: InterceptorChain::default(),
        }
    }

    /// The service a [`service!`](crate::service) adapter fills in: no
    /// methods yet, named and described by its declaration.
    pub(crate) fn declared(descriptor: &'static ServiceDescriptor) -> Service {
        Service {
            descriptor: Some(descriptor),
            ..Service::new(descriptor.full_name)
        }
    }

    /// The method table of a service declared with
    /// [`service!`](crate::service) (`None` for one built method by method).
    pub fn descriptor(&self) -> Option<&'static ServiceDescriptor> {
        self.descriptor
    }

    /// Runs `interceptor` before every call of this service's methods,
    /// after the server's own interceptors and those added to this service
    /// before it (see [`ServerInterceptor`]).
    pub fn intercept(mut self, interceptor: impl ServerInterceptor) -> Service {
        self.interceptors.push(interceptor);
        self
    }

    /// The service's full name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its methods, in the order they were added.
    pub fn methods(&self) -> impl Iterator<Item = MethodInfo<'_>> {
        self.methods.iter().map(|m| MethodInfo {
            name: &m.name,
            kind: m.kind,
            input: m.input,
            output: m.output,
        })
    }

    pub(crate) fn into_methods(self) -> (String, Vec<Method>, InterceptorChain) {
        (self.name, self.methods, self.interceptors)
    }

    /// Adds a unary method: one request in, one response out.
    pub fn unary<Req, Resp, F, Fut>(self, method: &str, handler: F) -> Service
    where
        Req: Message,
        Resp: Message + Sync,
        F: Fn(Request<Req>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response<Resp>, Status>> + Send + 'static,
    {
        let adapted = move |request: Request<OneRequest<Req>>| {
            handler(request.map(|single| single.message))
                .map(|reply| reply.map(|response| response.map(OneReply)))
        };
        let types = (Req::descriptor(), Resp::descriptor());
        self.add(method, MethodKind::Unary, types, adapted)
    }

    /// Adds a server-streaming method: one request in, a stream of
    /// responses out.
    pub fn server_streaming<Req, Resp, S, F, Fut>(self, method: &str, handler: F) -> Service
    where
        Req: Message,
        Resp: Message,
        S: Stream<Item = Result<Resp, Status>> + Send + 'static,
        F: Fn(Request<Req>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response<S>, Status>> + Send + 'static,
    {
        let adapted = move |request: Request<OneRequest<Req>>| {
            handler(request.map(|single| single.message))
                .map(|replies| replies.map(|response| response.map(StreamedReplies)))
        };
        let types = (Req::descriptor(), Resp::descriptor());
        self.add(method, MethodKind::ServerStreaming, types, adapted)
    }

    /// Adds a client-streaming method: a stream of requests in, one
    /// response out.
    pub fn client_streaming<Req, Resp, F, Fut>(self, method: &str, handler: F) -> Service
    where
        Req: Message,
        Resp: Message + Sync,
        F: Fn(Request<Streaming<Req>>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response<Resp>, Status>> + Send + 'static,
    {
        let adapted = move |request: Request<Streaming<Req>>| {
            handler(request).map(|reply| reply.map(|response| response.map(OneReply)))
        };
        let types = (Req::descriptor(), Resp::descriptor());
        self.add(method, MethodKind::ClientStreaming, types, adapted)
    }

    /// Adds a bidirectional-streaming method: streams both ways.
    pub fn bidi_streaming<Req, Resp, S, F, Fut>(self, method: &str, handler: F) -> Service
    where
        Req: Message,
        Resp: Message,
        S: Stream<Item = Result<Resp, Status>> + Send + 'static,
        F: Fn(Request<Streaming<Req>>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response<S>, Status>> + Send + 'static,
    {
        let adapted = move |request: Request<Streaming<Req>>| {
            handler(request).map(|replies| replies.map(|response| response.map(StreamedReplies)))
        };
        let types = (Req::descriptor(), Resp::descriptor());
        self.add(method, MethodKind::BidiStreaming, types, adapted)
    }

    /// Registers a method whose input and output kinds are already decided.
    fn add<In, Out, F, Fut>(
        mut self,
        method: &str,
        kind: MethodKind,
        (input, output): (
            Option<&'static MessageDescriptor>,
            Option<&'static MessageDescriptor>,
        ),
        handler: F,
    ) -> Service
    where
        In: FromRequestBody,
        Out: IntoResponseBody,
        F: Fn(Request<In>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response<Out>, Status>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        let erased: MethodHandler = Arc::new(move |call, settings, interceptors| {
            Box::pin(run(call, &settings, interceptors, handler.clone()))
        });
        self.methods.retain(|m| m.name != method);
        self.methods.push(Method {
            name: method.to_owned(),
            kind,
            input,
            output,
            handler: erased,
        });
        self
    }
}
