//! One declaration as its descriptor, as protoc writes it for a proto3 file:
//! a message (`DescriptorProto`, with its map entry types and its oneofs,
//! proto3 `optional`'s synthetic ones after the real ones), an enum
//! (`EnumDescriptorProto`) and a service (`ServiceDescriptorProto`). Types
//! declared inside a message are the layout's to add.

use crate::codec::{EnumDescriptor, FieldDescriptor, Label, MessageDescriptor, ProtoType};
use crate::rpc::ServiceDescriptor;

use super::descriptor_proto::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto,
    Label as LabelProto, MessageOptions, MethodDescriptorProto, OneofDescriptorProto,
    ServiceDescriptorProto, Type,
};
use super::names::{json_name, map_entry_name, type_name};

/// A message's descriptor: its fields in declaration order, its oneofs, and
/// one nested entry type per map field (in field order).
pub(super) fn message_proto(message: &MessageDescriptor) -> DescriptorProto {
    let real_oneofs = message.oneofs();
    let mut proto = DescriptorProto {
        name: Some(message.name().to_string()),
        oneof_decl: real_oneofs.iter().map(|name| oneof(name)).collect(),
        ..DescriptorProto::default()
    };
    for field in message.fields() {
        let mut field_proto = field_proto(field.name, field.number, field.ty);
        if let Some(name) = field.oneof {
            field_proto.oneof_index = real_oneofs
                .iter()
                .position(|oneof| *oneof == name)
                .map(index);
        }
        match (field.label, field.map_key) {
            (_, Some(key)) => {
                // "map<K, V> f = N;" is "repeated FEntry f = N;" with FEntry
                // { K key = 1; V value = 2; } declared inside the message,
                // marked as a map entry (descriptor.proto, map_entry).
                let entry = map_entry(field, key);
                field_proto.label = Some(LabelProto::LABEL_REPEATED);
                field_proto.r#type = Some(Type::TYPE_MESSAGE);
                field_proto.type_name = Some(type_name(&format!(
                    "{}.{}",
                    message.full_name(),
                    entry.name.as_deref().unwrap_or_default()
                )));
                proto.nested_type.push(entry);
            }
            (Label::Repeated, None) => field_proto.label = Some(LabelProto::LABEL_REPEATED),
            (Label::Optional, None) => {
                // "proto3 optional fields are represented as a synthetic
                // oneof named `_<field>`", declared after every real oneof
                // (descriptor.proto, proto3_optional).
                field_proto.proto3_optional = Some(true);
                field_proto.oneof_index = Some(index(proto.oneof_decl.len()));
                proto.oneof_decl.push(oneof(&format!("_{}", field.name)));
            }
            (Label::Singular, None) => {}
        }
        proto.field.push(field_proto);
    }
    proto
}

/// An enum's descriptor: its values in declaration order.
pub(super) fn enum_proto(enumeration: &EnumDescriptor) -> EnumDescriptorProto {
    EnumDescriptorProto {
        name: Some(enumeration.name().to_string()),
        value: enumeration
            .values()
            .iter()
            .map(|(name, number)| EnumValueDescriptorProto {
                name: Some(name.to_string()),
                number: Some(*number),
            })
            .collect(),
        ..EnumDescriptorProto::default()
    }
}

/// A service's descriptor: its rpcs in declaration order. protoc sets
/// `client_streaming` and `server_streaming` only when true, so do we.
pub(super) fn service_proto(service: &ServiceDescriptor) -> ServiceDescriptorProto {
    ServiceDescriptorProto {
        name: Some(service.name.to_string()),
        method: service
            .methods
            .iter()
            .map(|method| MethodDescriptorProto {
                name: Some(method.name.to_string()),
                input_type: Some(type_name((method.input)().full_name())),
                output_type: Some(type_name((method.output)().full_name())),
                client_streaming: method.client_streaming().then_some(true),
                server_streaming: method.server_streaming().then_some(true),
            })
            .collect(),
    }
}

/// The entry type of a map field: `key = 1`, `value = 2`, `map_entry` set.
fn map_entry(field: &FieldDescriptor, key: ProtoType) -> DescriptorProto {
    DescriptorProto {
        name: Some(map_entry_name(field.name)),
        field: vec![
            field_proto("key", 1, key),
            field_proto("value", 2, field.ty),
        ],
        options: Some(MessageOptions {
            map_entry: Some(true),
        }),
        ..DescriptorProto::default()
    }
}

/// A singular (`LABEL_OPTIONAL`) field of type `ty`.
fn field_proto(name: &str, number: u32, ty: ProtoType) -> FieldDescriptorProto {
    let (ty, referenced) = type_of(ty);
    FieldDescriptorProto {
        name: Some(name.to_string()),
        // Field numbers are at most 2^29 - 1 (language guide), so they fit.
        number: i32::try_from(number).ok(),
        label: Some(LabelProto::LABEL_OPTIONAL),
        r#type: Some(ty),
        type_name: referenced.map(type_name),
        json_name: Some(json_name(name)),
        ..FieldDescriptorProto::default()
    }
}

fn oneof(name: &str) -> OneofDescriptorProto {
    OneofDescriptorProto {
        name: Some(name.to_string()),
    }
}

/// An index into `oneof_decl` (a message has far fewer than 2^31 oneofs).
fn index(position: usize) -> i32 {
    i32::try_from(position).unwrap_or(i32::MAX)
}

/// The descriptor's type for `ty`, and the full name of the message or enum
/// it refers to.
fn type_of(ty: ProtoType) -> (Type, Option<&'static str>) {
    let scalar = match ty {
        ProtoType::Message(name) => return (Type::TYPE_MESSAGE, Some(name)),
        ProtoType::Enum(name) => return (Type::TYPE_ENUM, Some(name)),
        ProtoType::Double => Type::TYPE_DOUBLE,
        ProtoType::Float => Type::TYPE_FLOAT,
        ProtoType::Int64 => Type::TYPE_INT64,
        ProtoType::Uint64 => Type::TYPE_UINT64,
        ProtoType::Int32 => Type::TYPE_INT32,
        ProtoType::Fixed64 => Type::TYPE_FIXED64,
        ProtoType::Fixed32 => Type::TYPE_FIXED32,
        ProtoType::Bool => Type::TYPE_BOOL,
        ProtoType::String => Type::TYPE_STRING,
        ProtoType::Bytes => Type::TYPE_BYTES,
        ProtoType::Uint32 => Type::TYPE_UINT32,
        ProtoType::Sfixed32 => Type::TYPE_SFIXED32,
        ProtoType::Sfixed64 => Type::TYPE_SFIXED64,
        ProtoType::Sint32 => Type::TYPE_SINT32,
        ProtoType::Sint64 => Type::TYPE_SINT64,
    };
    (scalar, None)
}
