//! What a message definition records about itself: full names, and per
//! field its name, number, label and type. Server reflection is served from
//! this, and a test holds `proto/*.proto` equal to it. A declaration may
//! also name its `.proto` file and nest a type in a message; both are kept.

use std::fmt::{self, Debug};

use bytes::Bytes;

use super::message::DecodeError;
use super::wire::Input;
use super::Message;

/// A field's type, as a `.proto` file names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtoType {
    /// `double`
    Double,
    /// `float`
    Float,
    /// `int64`
    Int64,
    /// `uint64`
    Uint64,
    /// `int32`
    Int32,
    /// `fixed64`
    Fixed64,
    /// `fixed32`
    Fixed32,
    /// `bool`
    Bool,
    /// `string`
    String,
    /// `bytes`
    Bytes,
    /// `uint32`
    Uint32,
    /// `sfixed32`
    Sfixed32,
    /// `sfixed64`
    Sfixed64,
    /// `sint32`
    Sint32,
    /// `sint64`
    Sint64,
    /// A message type, by full name.
    Message(&'static str),
    /// An enum type, by full name.
    Enum(&'static str),
}

impl ProtoType {
    /// The name a `.proto` file uses: `int32`, or the full type name.
    pub fn proto_name(&self) -> &'static str {
        match self {
            ProtoType::Double => "double",
            ProtoType::Float => "float",
            ProtoType::Int64 => "int64",
            ProtoType::Uint64 => "uint64",
            ProtoType::Int32 => "int32",
            ProtoType::Fixed64 => "fixed64",
            ProtoType::Fixed32 => "fixed32",
            ProtoType::Bool => "bool",
            ProtoType::String => "string",
            ProtoType::Bytes => "bytes",
            ProtoType::Uint32 => "uint32",
            ProtoType::Sfixed32 => "sfixed32",
            ProtoType::Sfixed64 => "sfixed64",
            ProtoType::Sint32 => "sint32",
            ProtoType::Sint64 => "sint64",
            ProtoType::Message(name) | ProtoType::Enum(name) => name,
        }
    }
}

/// How many values a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// One value (proto3 implicit presence; messages always have presence).
    Singular,
    /// proto3 `optional`: one value with explicit presence.
    Optional,
    /// `repeated` (and maps, which are repeated entries).
    Repeated,
}

/// One field of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDescriptor {
    /// The field's name in the `.proto`.
    pub name: &'static str,
    /// The field number.
    pub number: u32,
    /// Singular, optional or repeated.
    pub label: Label,
    /// The value type (for a map: the value's type).
    pub ty: ProtoType,
    /// For a map field: its key type.
    pub map_key: Option<ProtoType>,
    /// For a member of a oneof: the oneof's name.
    pub oneof: Option<&'static str>,
    /// For a message- or enum-typed field (a map's value included): the
    /// definition of that type, so a walk from one message (server
    /// reflection) reaches every type it uses.
    pub type_ref: Option<TypeRef>,
}

impl FieldDescriptor {
    /// The schema of the field's message type, if it has one.
    pub fn message_type(&self) -> Option<&'static MessageDescriptor> {
        match self.type_ref {
            Some(TypeRef::Message(schema)) => Some(schema()),
            _ => None,
        }
    }

    /// The schema of the field's enum type, if it has one.
    pub fn enum_type(&self) -> Option<&'static EnumDescriptor> {
        match self.type_ref {
            Some(TypeRef::Enum(schema)) => Some(schema()),
            _ => None,
        }
    }
}

/// Where the definition of a field's message or enum type is found. A
/// function rather than a reference, so that a message can contain itself
/// (its schema is built lazily, on first use).
#[derive(Clone, Copy)]
pub enum TypeRef {
    /// A message type.
    Message(fn() -> &'static MessageDescriptor),
    /// An enum type.
    Enum(fn() -> &'static EnumDescriptor),
}

impl TypeRef {
    /// The full name of the type referred to.
    pub fn full_name(&self) -> &'static str {
        match self {
            TypeRef::Message(schema) => schema().full_name(),
            TypeRef::Enum(schema) => schema().full_name(),
        }
    }
}

/// Two references are equal when they name the same kind of type with the
/// same full name.
impl PartialEq for TypeRef {
    fn eq(&self, other: &TypeRef) -> bool {
        matches!(
            (self, other),
            (TypeRef::Message(_), TypeRef::Message(_)) | (TypeRef::Enum(_), TypeRef::Enum(_))
        ) && self.full_name() == other.full_name()
    }
}

impl Eq for TypeRef {}

impl Debug for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::Message(_) => write!(f, "Message({})", self.full_name()),
            TypeRef::Enum(_) => write!(f, "Enum({})", self.full_name()),
        }
    }
}

/// Where a type is declared: its package and the `.proto` file it belongs
/// to, when the declaration names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scope {
    package: &'static str,
    file: Option<&'static str>,
}

impl Scope {
    /// The scope a bare full name implies: everything before the last dot
    /// is the package, no file.
    const fn implied_by(full_name: &'static str) -> Scope {
        Scope {
            package: package_of(full_name),
            file: None,
        }
    }

    /// The full name of the message containing `full_name`, when that is
    /// nested (its parent is longer than the package).
    fn containing_type(&self, full_name: &'static str) -> Option<&'static str> {
        let (parent, _) = full_name.rsplit_once('.')?;
        (parent.len() > self.package.len()).then_some(parent)
    }
}

/// An enum type: its full name and declared values, in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumDescriptor {
    full_name: &'static str,
    values: &'static [(&'static str, i32)],
    scope: Scope,
}

impl EnumDescriptor {
    /// A descriptor from its parts (usable in a `static`): the package is
    /// what comes before the last dot of `full_name`, and no file is known
    /// until [`with_scope`](Self::with_scope) says otherwise.
    pub const fn new(
        full_name: &'static str,
        values: &'static [(&'static str, i32)],
    ) -> EnumDescriptor {
        EnumDescriptor {
            full_name,
            values,
            scope: Scope::implied_by(full_name),
        }
    }

    /// The same enum declared in `package` (so that a nested enum's
    /// containing message is not taken for its package) and, when given, in
    /// the `.proto` file `file`.
    pub const fn with_scope(
        mut self,
        package: &'static str,
        file: Option<&'static str>,
    ) -> EnumDescriptor {
        self.scope = Scope { package, file };
        self
    }

    /// The full name, e.g. `grpc.testing.PayloadType`.
    pub fn full_name(&self) -> &'static str {
        self.full_name
    }

    /// The name without the package or containing message.
    pub fn name(&self) -> &'static str {
        short_name(self.full_name)
    }

    /// The package (empty when none).
    pub fn package(&self) -> &'static str {
        self.scope.package
    }

    /// The `.proto` file the declaration names, if it names one.
    pub fn file(&self) -> Option<&'static str> {
        self.scope.file
    }

    /// For an enum nested in a message: that message's full name.
    pub fn containing_type(&self) -> Option<&'static str> {
        self.scope.containing_type(self.full_name)
    }

    /// The declared values: name and number.
    pub fn values(&self) -> &'static [(&'static str, i32)] {
        self.values
    }
}

fn short_name(full_name: &'static str) -> &'static str {
    full_name.rsplit('.').next().unwrap_or(full_name)
}

const fn package_of(full_name: &'static str) -> &'static str {
    let bytes = full_name.as_bytes();
    let mut end = bytes.len();
    while end > 0 {
        end -= 1;
        if bytes[end] == b'.' {
            let (package, _) = full_name.split_at(end);
            return package;
        }
    }
    ""
}

/// A message type: its full name and fields, in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageDescriptor {
    full_name: &'static str,
    fields: Vec<FieldDescriptor>,
    scope: Scope,
}

impl MessageDescriptor {
    /// A descriptor from its parts: the package is what comes before the
    /// last dot of `full_name`, and no file is known until
    /// [`with_scope`](Self::with_scope) says otherwise.
    pub fn new(full_name: &'static str, fields: Vec<FieldDescriptor>) -> MessageDescriptor {
        MessageDescriptor {
            full_name,
            fields,
            scope: Scope::implied_by(full_name),
        }
    }

    /// The same message declared in `package` (so that a nested message's
    /// containing message is not taken for its package) and, when given, in
    /// the `.proto` file `file`.
    pub fn with_scope(mut self, package: &'static str, file: Option<&'static str>) -> Self {
        self.scope = Scope { package, file };
        self
    }

    /// The full name, e.g. `helloworld.HelloRequest`.
    pub fn full_name(&self) -> &'static str {
        self.full_name
    }

    /// The name without the package or containing message.
    pub fn name(&self) -> &'static str {
        short_name(self.full_name)
    }

    /// The package (empty when none).
    pub fn package(&self) -> &'static str {
        self.scope.package
    }

    /// The `.proto` file the declaration names, if it names one.
    pub fn file(&self) -> Option<&'static str> {
        self.scope.file
    }

    /// For a message nested in another: the containing message's full name.
    pub fn containing_type(&self) -> Option<&'static str> {
        self.scope.containing_type(self.full_name)
    }

    /// The fields, in declaration order (oneof members in place).
    pub fn fields(&self) -> &[FieldDescriptor] {
        &self.fields
    }

    /// The field with number `number`.
    pub fn field(&self, number: u32) -> Option<&FieldDescriptor> {
        self.fields.iter().find(|f| f.number == number)
    }

    /// The oneofs, in order of first appearance (the order a
    /// `DescriptorProto` numbers them; proto3 `optional` fields are not
    /// listed: their synthetic oneofs are the reader's to add).
    pub fn oneofs(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = Vec::new();
        for name in self.fields.iter().filter_map(|f| f.oneof) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }
}

/// A message that records its schema (every `message!` type).
pub trait MessageSchema: Message + Default {
    /// The full name, e.g. `helloworld.HelloRequest`.
    const FULL_NAME: &'static str;
    /// The schema.
    fn schema() -> &'static MessageDescriptor;
    /// Reads every field left in `input` into `self`: singular fields
    /// already set are replaced (last wins), embedded messages merge,
    /// repeated fields and maps extend. `depth` is how deep this message is
    /// nested (0 for the top level).
    fn merge_fields(&mut self, input: &mut Input<'_>, depth: u32) -> Result<(), DecodeError>;
    /// Merges the message encoded in `buf` into `self`, as protobuf's
    /// `MergeFromString` does.
    fn merge(&mut self, buf: Bytes) -> Result<(), DecodeError> {
        self.merge_fields(&mut Input::new(&buf), 0)
    }
}

/// A proto enum (every `enumeration!` type): a number that may or may not
/// be one of the declared values.
pub trait ProtoEnum: Copy + Default + PartialEq + Debug + Send + Sync + 'static {
    /// The schema: full name and declared values.
    fn schema() -> &'static EnumDescriptor;
    /// The full name, e.g. `grpc.testing.PayloadType`.
    fn full_name() -> &'static str {
        Self::schema().full_name()
    }
    /// The declared values, by name.
    fn values() -> &'static [(&'static str, i32)] {
        Self::schema().values()
    }
    /// The value's number.
    fn number(&self) -> i32;
    /// The value for a number (declared or not).
    fn from_number(number: i32) -> Self;
}
