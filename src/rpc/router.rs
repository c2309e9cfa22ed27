//! [`Router`]: the registry that maps `:path` to a method's handler; the
//! transport's [`Dispatch`].

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use super::interceptor::InterceptorChain;
use super::runner::CallSettings;
use super::service::{BoxFuture, MethodHandler, Service};
use crate::status::Status;
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
    methods: HashMap<String, Route, BuildHasherDefault<PathHasher>>,
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
        let mut methods = HashMap::default();
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
            Some(service) if self.services.contains(service) => Status::unknown_method(path),
            Some(service) => Status::unknown_service(service),
            None => Status::malformed_path(path),
        }
    }
}

impl Dispatch for Router {
    /// The method's boxed call future itself, so that the task spawned for
    /// the call holds a pointer to it rather than a copy of it; an unknown
    /// path is answered at once.
    fn dispatch(&self, call: ServerCall) -> impl Future<Output = ()> + Send + 'static {
        match self.methods.get(call.head.path()) {
            Some(route) => (route.handler)(call, self.settings.clone(), route.interceptors.clone()),
            None => {
                let status = self.unknown(call.head.path());
                tracing::debug!(path = call.head.path(), "unknown method");
                // Nothing was sent yet: this is a trailers-only answer.
                let mut sink = call.sink;
                sink.finish(&status);
                let answered: BoxFuture<()> = Box::pin(std::future::ready(()));
                answered
            }
        }
    }
}

/// The hash of the method table: a multiply-rotate hash taking eight bytes
/// a step (the scheme of rustc's FxHasher), where std's SipHash was a
/// visible share of a small call's instructions. SipHash's key defends a
/// table that attackers insert into; this one is fixed when the server
/// starts, and a path chosen to collide only costs its own lookup a few
/// more comparisons among the registered paths.
#[derive(Default)]
struct PathHasher(u64);

impl PathHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for PathHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut eight = [0; 8];
            eight.copy_from_slice(word);
            self.add(u64::from_le_bytes(eight));
        }
        let mut rest = [0; 8];
        let tail = words.remainder();
        rest[..tail.len()].copy_from_slice(tail);
        self.add(u64::from_le_bytes(rest) ^ tail.len() as u64);
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
