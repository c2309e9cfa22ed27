//! The `.proto` files a server's services amount to, derived from their
//! Rust definitions (what `service!`, `message!` and `enumeration!` record;
//! no `.proto` source, no protoc): one `FileDescriptorProto` per file, as
//! protoc would make it from the sources, each encoded once, and an index
//! from every symbol to its file. Server reflection answers from it.
//!
//! Built once when the server starts ([`DescriptorPool::from_services`]),
//! then only read: it is immutable, and `Send + Sync`.
//!
//! Where each declaration goes: the file it names (`file "x.proto";`), else
//! `{package}.proto` (the package as is: `my.pkg.proto`), else, for the
//! empty package, [`NO_PACKAGE_FILE`](super::NO_PACKAGE_FILE). Types
//! declared inside a message go inside its descriptor, in its file. A
//! file's package is that of the first declaration placed in it. See
//! `layout` for what is served when the declarations are not what protoc
//! would accept (a nested type whose container nothing reaches, an import
//! cycle), and `collect` for two definitions of one full name (the first
//! wins).

use std::collections::HashMap;

use bytes::Bytes;

use super::collect::reach;
use super::descriptor_proto::FileDescriptorProto;
use super::layout::lay_out;
use super::symbols::Symbols;
use crate::codec::Message;
use crate::rpc::ServiceDescriptor;

/// Every file the given services use, and every symbol they declare.
#[derive(Debug)]
pub struct DescriptorPool {
    /// In name order.
    files: Vec<FileEntry>,
    by_name: HashMap<String, usize>,
    symbols: Symbols,
}

/// One file of the pool: its descriptor, decoded and encoded.
#[derive(Debug, Clone, PartialEq)]
pub struct FileEntry {
    name: String,
    encoded: Bytes,
    descriptor: FileDescriptorProto,
}

impl DescriptorPool {
    /// The files of `services` and of every type their rpcs reach.
    pub fn from_services(services: &[&'static ServiceDescriptor]) -> DescriptorPool {
        let files: Vec<FileEntry> = lay_out(&reach(services))
            .into_iter()
            .map(FileEntry::new)
            .collect();
        let mut symbols = Symbols::default();
        let mut by_name = HashMap::new();
        for (index, file) in files.iter().enumerate() {
            symbols.add_file(index, &file.descriptor);
            by_name.insert(file.name.clone(), index);
        }
        DescriptorPool {
            files,
            by_name,
            symbols,
        }
    }

    /// The file called `name` (e.g. `helloworld.proto`).
    pub fn file_by_name(&self, name: &str) -> Option<&FileEntry> {
        self.by_name.get(name).map(|&index| &self.files[index])
    }

    /// The file that declares `symbol`: a service, method, message, field,
    /// oneof, enum or enum value, by its full name without a leading dot
    /// (`helloworld.Greeter.SayHello`).
    pub fn file_containing_symbol(&self, symbol: &str) -> Option<&FileEntry> {
        self.symbols
            .files
            .get(symbol)
            .map(|&index| &self.files[index])
    }

    /// Whether the pool declares a message type called `full_name` (no
    /// leading dot; nested types and map entries included).
    pub fn contains_message(&self, full_name: &str) -> bool {
        self.symbols.messages.contains(full_name)
    }

    /// Every file, in name order.
    pub fn files(&self) -> impl Iterator<Item = &FileEntry> {
        self.files.iter()
    }
}

impl FileEntry {
    fn new(descriptor: FileDescriptorProto) -> FileEntry {
        FileEntry {
            name: descriptor.name.clone().unwrap_or_default(),
            encoded: descriptor.encode_to_bytes(),
            descriptor,
        }
    }

    /// The file's name, e.g. `grpc/testing/test.proto`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The serialized `FileDescriptorProto`, as reflection sends it.
    pub fn encoded(&self) -> &Bytes {
        &self.encoded
    }

    /// The files it imports, by name, sorted.
    pub fn dependencies(&self) -> &[String] {
        &self.descriptor.dependency
    }

    /// The decoded `FileDescriptorProto`.
    pub fn descriptor(&self) -> &FileDescriptorProto {
        &self.descriptor
    }
}
