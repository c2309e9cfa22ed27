//! Server reflection (grpc/grpc doc/server-reflection.md), derived from the
//! Rust declarations: `grpcurl list`, `describe` and calls with JSON work
//! against any server that turns it on with
//! [`Server::reflection`](crate::Server::reflection), with no `.proto` file
//! on either side.
//!
//! What [`message!`](crate::message), [`enumeration!`](crate::enumeration)
//! and [`service!`](crate::service) record is the single source of truth: a
//! [`DescriptorPool`] builds, once when the server starts, the
//! `FileDescriptorProto` ([`descriptor_proto`]) of every file the declared
//! services and the types they reach belong to. Both protocol versions are
//! served, [`v1`] and [`v1alpha`]; [`ReflectionClient`] asks v1.

mod catalog;
mod client;
mod collect;
mod descriptor_pool;
pub mod descriptor_proto;
mod layout;
mod names;
mod protocol;
mod session;
mod symbols;
mod to_proto;
pub mod v1;
pub mod v1alpha;

use std::sync::Arc;

pub use client::{ReflectionClient, ReflectionError};
pub use descriptor_pool::{DescriptorPool, FileEntry};
pub use descriptor_proto::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto,
    FileDescriptorProto, FileDescriptorSet, MessageOptions, MethodDescriptorProto,
    OneofDescriptorProto, ServiceDescriptorProto,
};
pub use layout::{file_name, NO_PACKAGE_FILE};

use crate::rpc::Service;
use catalog::Catalog;

/// The v1 and v1alpha reflection services describing `services` and
/// themselves.
pub(crate) fn reflection_services(services: &[Service]) -> [Service; 2] {
    let own = [
        v1::ServerReflectionServer::DESCRIPTOR,
        v1alpha::ServerReflectionServer::DESCRIPTOR,
    ];
    let catalog = Arc::new(Catalog::new(services, &own));
    [
        v1::ServerReflectionServer::new(v1::Reflector::new(Arc::clone(&catalog))).into(),
        v1alpha::ServerReflectionServer::new(v1alpha::Reflector::new(catalog)).into(),
    ]
}
