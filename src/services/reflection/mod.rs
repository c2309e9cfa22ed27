//! gRPC server reflection: the `.proto` files a server's services amount
//! to, derived from their Rust definitions ([`DescriptorPool`]), and the
//! descriptor.proto messages that carry them ([`descriptor_proto`]).

mod collect;
mod descriptor_pool;
pub mod descriptor_proto;
mod layout;
mod names;
mod symbols;
mod to_proto;

pub use descriptor_pool::{DescriptorPool, FileEntry};
pub use descriptor_proto::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto,
    FileDescriptorProto, FileDescriptorSet, MessageOptions, MethodDescriptorProto,
    OneofDescriptorProto, ServiceDescriptorProto,
};
pub use layout::{file_name, NO_PACKAGE_FILE};
