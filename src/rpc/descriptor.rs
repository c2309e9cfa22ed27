//! The method table a [`service!`](crate::service) declaration records as
//! data: the service's full name, and per rpc its path, call kind, request
//! and response schemas and doc comment. It is everything a
//! `ServiceDescriptorProto` needs, so server reflection serves it and a test
//! holds `proto/*.proto` equal to it.

use super::service::MethodKind;
use crate::codec::MessageDescriptor;

/// One rpc of a declared service.
#[derive(Debug, Clone, Copy)]
pub struct MethodDescriptor {
    /// The rpc's name as declared, e.g. `SayHello`.
    pub name: &'static str,
    /// Its HTTP/2 `:path`, e.g. `/helloworld.Greeter/SayHello`.
    pub path: &'static str,
    /// Its call kind (which sides stream).
    pub kind: MethodKind,
    /// The request message's schema.
    pub input: fn() -> &'static MessageDescriptor,
    /// The response message's schema.
    pub output: fn() -> &'static MessageDescriptor,
    /// Its doc comment, one entry per line, as written after `///`.
    pub docs: &'static [&'static str],
}

impl MethodDescriptor {
    /// Whether the client sends a stream of requests.
    pub fn client_streaming(&self) -> bool {
        matches!(
            self.kind,
            MethodKind::ClientStreaming | MethodKind::BidiStreaming
        )
    }

    /// Whether the server sends a stream of responses.
    pub fn server_streaming(&self) -> bool {
        matches!(
            self.kind,
            MethodKind::ServerStreaming | MethodKind::BidiStreaming
        )
    }
}

/// A declared service: its names, rpcs and doc comment.
#[derive(Debug, Clone, Copy)]
pub struct ServiceDescriptor {
    /// The protobuf package, e.g. `helloworld` (empty when none).
    pub package: &'static str,
    /// The service's own name, e.g. `Greeter`.
    pub name: &'static str,
    /// Its full name, e.g. `helloworld.Greeter`.
    pub full_name: &'static str,
    /// The `.proto` file the declaration names (`file "helloworld.proto";`),
    /// if it names one.
    pub file: Option<&'static str>,
    /// Its rpcs, in declaration order.
    pub methods: &'static [MethodDescriptor],
    /// Its doc comment, one entry per line, as written after `///`.
    pub docs: &'static [&'static str],
}

impl ServiceDescriptor {
    /// The rpc called `name`, if the service declares one.
    pub fn method(&self, name: &str) -> Option<&'static MethodDescriptor> {
        self.methods.iter().find(|method| method.name == name)
    }
}
