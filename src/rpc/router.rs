//! [`Router`]: the registry that maps `:path` to a method's handler; the
//! transport's [`Dispatch`].

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;

use super::interceptor::InterceptorChain;
use super::runner::CallSettings;
use super::service::{MethodHandler, Service};
use crate::status::{Code, Status};
use crate::transport::{Dispatch, ServerCall};

/// A method's handler and the interceptors that run before it.
struct Route {
    handler: MethodHandler,
    /// The server's interceptors then the service's; `None` when there are
    /// none, so such a call carries nothing extra.
    interceptors: Option<Arc<InterceptorChain>>,
}

/// Every method of every service, by path (`/package.Service/Method`).
pub struct Router {
    methods: HashMap<String, Route>,
    services: HashSet<String>,
    settings: Arc<CallSettings>,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut paths: Vec<&String> = self.methods.keys().collect();
        paths.sort();
        f.debug_struct("Router").field("paths", &paths).finish()
    }
}

impl Router {
    /// A router for `services`, every call of which first runs
    /// `interceptors`, then its service's own.
    pub(crate) fn new(
        services: Vec<Service>,
        settings: CallSettings,
        interceptors: &InterceptorChain,
    ) -> Router {
        let mut methods = HashMap::new();
        let mut names = HashSet::new();
        for service in services {
            let (name, service_methods, service_interceptors) = service.into_methods();
            let chain = interceptors.joined(&service_interceptors);
            for method in service_methods {
                let route = Route {
                    handler: method.handler,
                    interceptors: chain.clone(),
                };
                methods.insert(format!("/{name}/{}", method.name), route);
            }
            names.insert(name);
        }
        Router {
            methods,
            services: names,
            settings: Arc::new(settings),
        }
    }

    /// Why a path has no handler: the service or only the method is unknown.
    fn unknown(&self, path: &str) -> Status {
        let service = path
            .trim_start_matches('/')
            .rsplit_once('/')
            .map(|(service, _)| service);
        match service {
            Some(service) if self.services.contains(service) => {
                Status::new(Code::Unimplemented, format!("unknown method {path}"))
            }
            Some(service) => Status::new(Code::Unimplemented, format!("unknown service {service}")),
            None => Status::new(
                Code::Unimplemented,
                format!("malformed method path {path:?}"),
            ),
        }
    }
}

impl Dispatch for Router {
    fn dispatch(&self, mut call: ServerCall) -> impl Future<Output = ()> + Send + 'static {
        let path = call.head.path();
        let target = self
            .methods
            .get(path)
            .map(|route| (route.handler.clone(), route.interceptors.clone()))
            .ok_or_else(|| self.unknown(path));
        let settings = self.settings.clone();
        async move {
            match target {
                Ok((handler, interceptors)) => handler(call, settings, interceptors).await,
                Err(status) => {
                    tracing::debug!(path = call.head.path(), "unknown method");
                    // Nothing was sent yet: this is a trailers-only answer.
                    call.sink.finish(&status);
                }
            }
        }
    }
}
