//! What a message definition records about itself: full names, and per
//! field its name, number, label and type. Server reflection is served from
//! this, and a test holds `proto/*.proto` equal to it.

use std::fmt::Debug;

use bytes::Bytes;

use super::message::DecodeError;
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
}

/// A message type: its full name and fields, in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageDescriptor {
    full_name: &'static str,
    fields: Vec<FieldDescriptor>,
}

impl MessageDescriptor {
    /// A descriptor from its parts.
    pub fn new(full_name: &'static str, fields: Vec<FieldDescriptor>) -> MessageDescriptor {
        MessageDescriptor { full_name, fields }
    }

    /// The full name, e.g. `helloworld.HelloRequest`.
    pub fn full_name(&self) -> &'static str {
        self.full_name
    }

    /// The name without the package.
    pub fn name(&self) -> &'static str {
        self.full_name.rsplit('.').next().unwrap_or(self.full_name)
    }

    /// The package (empty when none).
    pub fn package(&self) -> &'static str {
        self.full_name
            .rsplit_once('.')
            .map(|(package, _)| package)
            .unwrap_or("")
    }

    /// The fields.
    pub fn fields(&self) -> &[FieldDescriptor] {
        &self.fields
    }
}

/// A message that records its schema (every `message!` type).
pub trait MessageSchema: Message + Default {
    /// The full name, e.g. `helloworld.HelloRequest`.
    const FULL_NAME: &'static str;
    /// The schema.
    fn schema() -> &'static MessageDescriptor;
    /// Merges the fields encoded in `bytes` into `self` (embedded messages
    /// merge, other singular fields: last wins); `depth` counts nesting.
    fn merge_from(&mut self, bytes: &Bytes, depth: u32) -> Result<(), DecodeError>;
}

/// A proto enum (every `enumeration!` type): a number that may or may not
/// be one of the declared values.
pub trait ProtoEnum: Copy + Default + PartialEq + Debug + Send + Sync + 'static {
    /// The full name, e.g. `grpc.testing.PayloadType`.
    fn full_name() -> &'static str;
    /// The declared values, by name.
    fn values() -> &'static [(&'static str, i32)];
    /// The value's number.
    fn number(&self) -> i32;
    /// The value for a number (declared or not).
    fn from_number(number: i32) -> Self;
}
