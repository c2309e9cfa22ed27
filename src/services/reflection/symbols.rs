//! The symbols of a set of files, each leading to the file that declares
//! it, as server reflection's `file_containing_symbol` looks them up:
//! services, methods (`pkg.Service.Method`), messages (nested ones as
//! `pkg.Outer.Inner`, map entries included), fields (`pkg.Msg.field`),
//! oneofs (`pkg.Msg.choice`), enums, and enum values both as protobuf
//! scopes them, siblings of their enum (`pkg.VALUE`; "enum values use C++
//! scoping rules, meaning that enum values are siblings of their type, not
//! children of it", descriptor.proto), and inside their enum
//! (`pkg.Enum.VALUE`). When two symbols share a name the first file (in
//! name order) keeps it.

use std::collections::{HashMap, HashSet};

use super::descriptor_proto::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto};

/// Symbol to file index, and the full names of the message types.
#[derive(Debug, Default)]
pub(super) struct Symbols {
    /// Every symbol, to the index of its file.
    pub files: HashMap<String, usize>,
    /// The full name of every message type (map entries included).
    pub messages: HashSet<String>,
}

impl Symbols {
    /// Adds the symbols of `file`, the file at `index`.
    pub(super) fn add_file(&mut self, index: usize, file: &FileDescriptorProto) {
        let package = file.package.as_deref().unwrap_or_default();
        for service in &file.service {
            let service_name = join(package, service.name.as_deref());
            for method in &service.method {
                self.add(join(&service_name, method.name.as_deref()), index);
            }
            self.add(service_name, index);
        }
        for message in &file.message_type {
            self.add_message(package, message, index);
        }
        for enumeration in &file.enum_type {
            self.add_enum(package, enumeration, index);
        }
    }

    fn add_message(&mut self, scope: &str, message: &DescriptorProto, index: usize) {
        let name = join(scope, message.name.as_deref());
        for field in &message.field {
            self.add(join(&name, field.name.as_deref()), index);
        }
        for oneof in &message.oneof_decl {
            self.add(join(&name, oneof.name.as_deref()), index);
        }
        for nested in &message.nested_type {
            self.add_message(&name, nested, index);
        }
        for enumeration in &message.enum_type {
            self.add_enum(&name, enumeration, index);
        }
        self.messages.insert(name.clone());
        self.add(name, index);
    }

    fn add_enum(&mut self, scope: &str, enumeration: &EnumDescriptorProto, index: usize) {
        let name = join(scope, enumeration.name.as_deref());
        for value in &enumeration.value {
            self.add(join(scope, value.name.as_deref()), index);
            self.add(join(&name, value.name.as_deref()), index);
        }
        self.add(name, index);
    }

    fn add(&mut self, symbol: String, index: usize) {
        self.files.entry(symbol).or_insert(index);
    }
}

/// `scope.name`, or `name` in the empty scope.
fn join(scope: &str, name: Option<&str>) -> String {
    let name = name.unwrap_or_default();
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}
