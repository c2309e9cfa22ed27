//! [`Catalog`]: what a server's reflection service knows, fixed when the
//! server starts: the names of every service it offers, and the file
//! descriptors of those declared with [`service!`](crate::service).

use super::descriptor_pool::DescriptorPool;
use crate::rpc::{Service, ServiceDescriptor};

/// The services a server offers and their descriptors.
#[derive(Debug)]
pub(crate) struct Catalog {
    service_names: Vec<String>,
    pool: DescriptorPool,
}

impl Catalog {
    /// The catalog of `services` (each listed by name; those declared with
    /// `service!` also described) plus the `extra` declared services (the
    /// reflection services themselves, which are built from the catalog).
    pub(crate) fn new(services: &[Service], extra: &[&'static ServiceDescriptor]) -> Catalog {
        let mut service_names: Vec<String> = services
            .iter()
            .map(|service| service.name().to_owned())
            .chain(extra.iter().map(|declared| declared.full_name.to_owned()))
            .collect();
        service_names.sort();
        service_names.dedup();
        let declared: Vec<&'static ServiceDescriptor> = services
            .iter()
            .filter_map(Service::descriptor)
            .chain(extra.iter().copied())
            .collect();
        Catalog {
            service_names,
            pool: DescriptorPool::from_services(&declared),
        }
    }

    /// Every service's full name, sorted.
    pub(crate) fn service_names(&self) -> &[String] {
        &self.service_names
    }

    /// The descriptors of the declared services and the types they use.
    pub(crate) fn pool(&self) -> &DescriptorPool {
        &self.pool
    }
}
