//! Interceptors: code that runs around every call of a server (or of one
//! service), or before every call a client makes.
//!
//! A [`ServerInterceptor`] is async and runs after the request head arrived
//! and before the request body is read or the handler runs. It sees the
//! method path, the metadata and the peer (all on the [`Request<()>`] it
//! gets, see [`Request::context`]), may add metadata or extensions for the
//! handler, and may reject the call with a [`Status`] (the tutorials'
//! `ServerInterceptor` + `abort`). Interceptors run in the order they were
//! added, the server's before the service's; the first rejection ends the
//! call (as a trailers-only answer, since nothing was sent yet).
//!
//! A [`ClientInterceptor`] runs before each call leaves the client and may
//! add metadata (a token, a trace id) or refuse the call.
//!
//! Cost: a server or client without interceptors pays one `is_none` check
//! per call. Each installed server interceptor costs one boxed future per
//! call (the chain is type-erased so that a `Server` stays one type).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::request::Request;
use crate::metadata::MetadataMap;
use crate::status::Status;

/// Runs before a server handler: after the request head arrived, before the
/// body is read. It sees the method, metadata and peer on the
/// [`Request<()>`] it gets, may add metadata or extensions for the handler,
/// and may reject the call with a [`Status`]. Interceptors run in the order
/// they were added, the server's before the service's; the first rejection
/// ends the call.
///
/// Implement it with an `async fn`, or pass a closure
/// `Fn(&mut Request<()>) -> Result<(), Status>` for a synchronous check.
pub trait ServerInterceptor: Send + Sync + 'static {
    /// Inspects (and may extend) the call's request head; an `Err` rejects
    /// the call with that status before the handler runs.
    fn intercept(
        &self,
        request: &mut Request<()>,
    ) -> impl Future<Output = Result<(), Status>> + Send;
}

impl<F> ServerInterceptor for F
where
    F: Fn(&mut Request<()>) -> Result<(), Status> + Send + Sync + 'static,
{
    fn intercept(
        &self,
        request: &mut Request<()>,
    ) -> impl Future<Output = Result<(), Status>> + Send {
        std::future::ready(self(request))
    }
}

/// A boxed future borrowing the request it works on.
type InterceptFuture<'a> = Pin<Box<dyn Future<Output = Result<(), Status>> + Send + 'a>>;

/// [`ServerInterceptor`] with its future's type erased, so that different
/// interceptors fit in one chain.
trait ErasedInterceptor: Send + Sync + 'static {
    fn intercept_boxed<'a>(&'a self, request: &'a mut Request<()>) -> InterceptFuture<'a>;
}

impl<I: ServerInterceptor> ErasedInterceptor for I {
    fn intercept_boxed<'a>(&'a self, request: &'a mut Request<()>) -> InterceptFuture<'a> {
        Box::pin(self.intercept(request))
    }
}

/// Server interceptors in the order they run.
#[derive(Clone, Default)]
pub(crate) struct InterceptorChain {
    interceptors: Vec<Arc<dyn ErasedInterceptor>>,
}

impl std::fmt::Debug for InterceptorChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InterceptorChain")
            .field("len", &self.interceptors.len())
            .finish()
    }
}

impl InterceptorChain {
    /// Adds `interceptor` at the end of the chain.
    pub(crate) fn push(&mut self, interceptor: impl ServerInterceptor) {
        self.interceptors.push(Arc::new(interceptor));
    }

    /// This chain followed by `then`'s interceptors; `None` when both are
    /// empty, so a call without interceptors carries nothing.
    pub(crate) fn joined(&self, then: &InterceptorChain) -> Option<Arc<InterceptorChain>> {
        if self.interceptors.is_empty() && then.interceptors.is_empty() {
            return None;
        }
        let interceptors = self
            .interceptors
            .iter()
            .chain(&then.interceptors)
            .cloned()
            .collect();
        Some(Arc::new(InterceptorChain { interceptors }))
    }

    /// Runs every interceptor in order; the first rejection wins.
    pub(crate) async fn run(&self, request: &mut Request<()>) -> Result<(), Status> {
        for interceptor in &self.interceptors {
            interceptor.intercept_boxed(request).await?;
        }
        Ok(())
    }
}

/// Runs before every call a [`Client`](super::Client) makes: may add
/// metadata, or refuse the call (the client then fails it with that status
/// and sends nothing).
///
/// Closures `Fn(&str, &mut MetadataMap) -> Result<(), Status>` implement it.
pub trait ClientInterceptor: Send + Sync + 'static {
    /// Called with the method's path (`/package.Service/Method`) and the
    /// call's metadata, about to be sent.
    fn intercept(&self, method: &str, metadata: &mut MetadataMap) -> Result<(), Status>;
}

impl<F> ClientInterceptor for F
where
    F: Fn(&str, &mut MetadataMap) -> Result<(), Status> + Send + Sync + 'static,
{
    fn intercept(&self, method: &str, metadata: &mut MetadataMap) -> Result<(), Status> {
        self(method, metadata)
    }
}

/// Client interceptors in the order they run.
#[derive(Clone, Default)]
pub(crate) struct ClientInterceptors {
    interceptors: Vec<Arc<dyn ClientInterceptor>>,
}

impl std::fmt::Debug for ClientInterceptors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientInterceptors")
            .field("len", &self.interceptors.len())
            .finish()
    }
}

impl ClientInterceptors {
    /// Adds `interceptor` at the end.
    pub(crate) fn push(&mut self, interceptor: impl ClientInterceptor) {
        self.interceptors.push(Arc::new(interceptor));
    }

    /// Runs every interceptor in order; the first refusal wins.
    pub(crate) fn run(&self, method: &str, metadata: &mut MetadataMap) -> Result<(), Status> {
        self.interceptors
            .iter()
            .try_for_each(|interceptor| interceptor.intercept(method, metadata))
    }
}
