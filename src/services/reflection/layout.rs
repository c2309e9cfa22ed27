//! The reached declarations laid out in files, as protoc would have them:
//! each type and service in its declaration's file (or, when it names none,
//! in the file named after its package), types declared inside a message
//! nested in that message's descriptor, and each file's imports (every
//! other file whose types it uses).
//!
//! Two things protoc would refuse cannot be refused here, so they are made
//! as sensible as they can be, and logged:
//! - a type nested in a message that no service reaches: the container is
//!   still needed to hold it, so it is served as a message without fields
//!   (in the nested type's file);
//! - an import cycle (files that use each other's types, which happens with
//!   package-named files when two packages refer to each other both ways):
//!   every file keeps all of its imports, the cycle included, so a symbol
//!   still leads to the file that declares it, and a warning names the
//!   files; a client that links descriptors (protoc's DescriptorPool, as in
//!   grpcurl) will refuse those files. Naming the files (`file "x.proto";`)
//!   as the `.proto` sources do avoids it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::codec::EnumDescriptor;

use super::collect::Reached;
use super::descriptor_proto::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto};
use super::to_proto::{enum_proto, message_proto, service_proto};

/// The file of the declarations of the empty package that name no file.
pub const NO_PACKAGE_FILE: &str = "default.proto";

/// The file a declaration belongs to: the one it names, else
/// `{package}.proto` with the package as is (`my.pkg.proto`), else, for no
/// package, [`NO_PACKAGE_FILE`].
pub fn file_name(package: &str, file: Option<&str>) -> String {
    match file {
        Some(file) => file.to_string(),
        None if package.is_empty() => NO_PACKAGE_FILE.to_string(),
        None => format!("{package}.proto"),
    }
}

/// One file's descriptor, its imports filled in and sorted.
pub(super) fn lay_out(reached: &Reached) -> Vec<FileDescriptorProto> {
    let mut tree = Tree::default();
    for message in &reached.messages {
        let name = message.full_name();
        tree.nodes.insert(
            name.to_string(),
            Node::new(
                message_proto(message),
                file_name(message.package(), message.file()),
                message.containing_type().map(str::to_string),
            ),
        );
        tree.order.push(name.to_string());
    }
    for message in &reached.messages {
        if let Some(container) = message.containing_type() {
            let file = file_name(message.package(), message.file());
            tree.ensure(container, message.package(), &file);
            tree.node(container)
                .nested
                .push(message.full_name().to_string());
        }
    }
    let mut top_enums: Vec<&'static EnumDescriptor> = Vec::new();
    for enumeration in &reached.enums {
        match enumeration.containing_type() {
            Some(container) => {
                let file = file_name(enumeration.package(), enumeration.file());
                tree.ensure(container, enumeration.package(), &file);
                tree.node(container).enums.push(enum_proto(enumeration));
            }
            None => top_enums.push(enumeration),
        }
    }

    // Where each type ends up: its outermost container's file.
    let mut type_file: HashMap<String, String> = HashMap::new();
    for name in &tree.order {
        type_file.insert(name.clone(), tree.file_of(name));
    }
    for enumeration in &reached.enums {
        let file = match enumeration.containing_type() {
            Some(container) => tree.file_of(container),
            None => file_name(enumeration.package(), enumeration.file()),
        };
        type_file.insert(enumeration.full_name().to_string(), file);
    }

    let mut files = Files::default();
    for name in &tree.order {
        let node = &tree.nodes[name];
        if node.parent.is_none() {
            let package = package_of(name);
            files.file(&node.file, package);
        }
    }
    let tops: Vec<String> = tree
        .order
        .iter()
        .filter(|name| tree.nodes[*name].parent.is_none())
        .cloned()
        .collect();
    for name in tops {
        let file = tree.nodes[&name].file.clone();
        let proto = tree.assemble(&name);
        files
            .file(&file, package_of(&name))
            .message_type
            .push(proto);
    }
    for enumeration in top_enums {
        let file = &type_file[enumeration.full_name()];
        files
            .file(file, enumeration.package())
            .enum_type
            .push(enum_proto(enumeration));
    }
    for service in &reached.services {
        let file = file_name(service.package, service.file);
        files
            .file(&file, service.package)
            .service
            .push(service_proto(service));
        for method in service.methods {
            for used in [(method.input)(), (method.output)()] {
                files.import(&file, type_file.get(used.full_name()));
            }
        }
    }
    for message in &reached.messages {
        let file = &type_file[message.full_name()];
        for field in message.fields() {
            if let Some(used) = field.type_ref {
                files.import(file, type_file.get(used.full_name()));
            }
        }
    }
    files.finish()
}

/// A message type, before its nested types are put inside it.
struct Node {
    proto: DescriptorProto,
    /// The file it was declared in (for a nested type, its outermost
    /// container's file is the one that counts).
    file: String,
    /// Its container's full name.
    parent: Option<String>,
    /// Full names of the messages declared inside it, in order reached.
    nested: Vec<String>,
    /// The enums declared inside it.
    enums: Vec<EnumDescriptorProto>,
}

impl Node {
    fn new(proto: DescriptorProto, file: String, parent: Option<String>) -> Node {
        Node {
            proto,
            file,
            parent,
            nested: Vec::new(),
            enums: Vec::new(),
        }
    }
}

/// Every message type by full name, and the order they were met in.
#[derive(Default)]
struct Tree {
    nodes: HashMap<String, Node>,
    order: Vec<String>,
}

impl Tree {
    fn node(&mut self, name: &str) -> &mut Node {
        self.nodes
            .get_mut(name)
            .unwrap_or_else(|| unreachable!("{name} was ensured before use"))
    }

    /// Makes sure the message `name` (of `package`) exists: one no service
    /// reaches is made without fields, in `file`, inside its own container.
    fn ensure(&mut self, name: &str, package: &str, file: &str) {
        if self.nodes.contains_key(name) {
            return;
        }
        tracing::warn!(
            name,
            "a reached type is declared inside a message nothing reaches: reflection serves that message without fields"
        );
        let parent = name
            .rsplit_once('.')
            .map(|(parent, _)| parent)
            .filter(|parent| parent.len() > package.len());
        let short = name.rsplit('.').next().unwrap_or(name);
        let proto = DescriptorProto {
            name: Some(short.to_string()),
            ..DescriptorProto::default()
        };
        self.nodes.insert(
            name.to_string(),
            Node::new(proto, file.to_string(), parent.map(str::to_string)),
        );
        self.order.push(name.to_string());
        if let Some(parent) = parent {
            self.ensure(parent, package, file);
            self.node(parent).nested.push(name.to_string());
        }
    }

    /// The file of the outermost message containing `name` (or `name`'s own).
    fn file_of(&self, name: &str) -> String {
        let mut node = &self.nodes[name];
        while let Some(parent) = node.parent.as_deref() {
            node = &self.nodes[parent];
        }
        node.file.clone()
    }

    /// `name`'s descriptor with its nested types inside it (taken out of the
    /// tree).
    fn assemble(&mut self, name: &str) -> DescriptorProto {
        let Some(node) = self.nodes.remove(name) else {
            return DescriptorProto::default();
        };
        let mut proto = node.proto;
        for nested in node.nested {
            let nested = self.assemble(&nested);
            proto.nested_type.push(nested);
        }
        proto.enum_type.extend(node.enums);
        proto
    }
}

/// What comes before a top-level name's last dot.
fn package_of(full_name: &str) -> &str {
    full_name
        .rsplit_once('.')
        .map(|(package, _)| package)
        .unwrap_or("")
}

/// The files being built, by name.
#[derive(Default)]
struct Files {
    files: BTreeMap<String, FileDescriptorProto>,
    imports: BTreeMap<String, BTreeSet<String>>,
}

impl Files {
    /// The file `name`; a new one gets `package` (so a file's package is
    /// that of the first declaration placed in it).
    fn file(&mut self, name: &str, package: &str) -> &mut FileDescriptorProto {
        self.files
            .entry(name.to_string())
            .or_insert_with(|| FileDescriptorProto {
                name: Some(name.to_string()),
                package: (!package.is_empty()).then(|| package.to_string()),
                syntax: Some("proto3".to_string()),
                ..FileDescriptorProto::default()
            })
    }

    /// Records that `file` uses a type of `used` (when another file).
    fn import(&mut self, file: &str, used: Option<&String>) {
        if let Some(used) = used.filter(|used| used.as_str() != file) {
            self.imports
                .entry(file.to_string())
                .or_default()
                .insert(used.clone());
        }
    }

    fn finish(mut self) -> Vec<FileDescriptorProto> {
        warn_about_cycles(&self.imports);
        for (name, file) in &mut self.files {
            if let Some(imports) = self.imports.remove(name) {
                file.dependency = imports.into_iter().collect();
            }
        }
        self.files.into_values().collect()
    }
}

/// Logs every file that imports itself through other files.
fn warn_about_cycles(imports: &BTreeMap<String, BTreeSet<String>>) {
    for start in imports.keys() {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack: Vec<&str> = imports[start].iter().map(String::as_str).collect();
        while let Some(file) = stack.pop() {
            if file == start {
                tracing::warn!(
                    file = start.as_str(),
                    "the file imports itself through its imports (an import cycle): \
                     name the files of the types involved to break it"
                );
                break;
            }
            if seen.insert(file) {
                if let Some(next) = imports.get(file) {
                    stack.extend(next.iter().map(String::as_str));
                }
            }
        }
    }
}
