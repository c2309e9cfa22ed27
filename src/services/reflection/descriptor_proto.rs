//! The messages of google/protobuf/descriptor.proto that server reflection
//! serves and a test decodes: a `.proto` file as data (`FileDescriptorProto`)
//! and everything inside it, with upstream's field names and numbers.
//!
//! descriptor.proto is proto2, so every scalar field is declared `optional`
//! (explicit presence): a set `oneof_index = 0` or `number = 0` is written,
//! as protoc writes it. The `options` of each descriptor are left out (their
//! fields are skipped on decode like any unknown field), except
//! `MessageOptions.map_entry`, which says that a nested type is a map's
//! entry; so are `source_code_info` and extensions, which the pool never
//! sets. Fields are listed by number, so that the encoding matches protoc's
//! byte order.

crate::message! {
    package "google.protobuf";
    file "google/protobuf/descriptor.proto";

    /// A set of `.proto` files, as `protoc --descriptor_set_out` writes it.
    pub struct FileDescriptorSet {
        /// The files, each after the files it imports.
        file: repeated message FileDescriptorProto = 1,
    }

    /// One `.proto` file.
    pub struct FileDescriptorProto {
        /// The file's name, relative to the root of the source tree.
        name: optional string = 1,
        /// Its package, e.g. `foo.bar` (absent when it declares none).
        package: optional string = 2,
        /// The names of the files it imports.
        dependency: repeated string = 3,
        /// Its top-level message types.
        message_type: repeated message DescriptorProto = 4,
        /// Its top-level enum types.
        enum_type: repeated message EnumDescriptorProto = 5,
        /// Its services.
        service: repeated message ServiceDescriptorProto = 6,
        /// Its top-level extensions.
        extension: repeated message FieldDescriptorProto = 7,
        /// Indexes into `dependency` of the public imports.
        public_dependency: repeated int32 = 10,
        /// Indexes into `dependency` of the weak imports.
        weak_dependency: repeated int32 = 11,
        /// `proto2`, `proto3` or `editions`.
        syntax: optional string = 12,
        /// For an editions file: its edition (upstream's `Edition` enum, as
        /// its number).
        edition: optional int32 = 14,
    }

    /// A message type.
    pub struct DescriptorProto {
        /// Its name, without package or containing message.
        name: optional string = 1,
        /// Its fields, in declaration order.
        field: repeated message FieldDescriptorProto = 2,
        /// Message types declared inside it (map entries included).
        nested_type: repeated message DescriptorProto = 3,
        /// Enum types declared inside it.
        enum_type: repeated message EnumDescriptorProto = 4,
        /// Its extension ranges.
        extension_range: repeated message ExtensionRange = 5,
        /// Extensions declared inside it.
        extension: repeated message FieldDescriptorProto = 6,
        /// Its options (only `map_entry` is kept).
        options: message MessageOptions = 7,
        /// Its oneofs: the real ones, then proto3 `optional`'s synthetic ones.
        oneof_decl: repeated message OneofDescriptorProto = 8,
        /// Field numbers it reserves.
        reserved_range: repeated message ReservedRange = 9,
        /// Field names it reserves.
        reserved_name: repeated string = 10,
    }

    /// A range of extension numbers, `start` inclusive, `end` exclusive.
    pub struct ExtensionRange in DescriptorProto {
        /// First number.
        start: optional int32 = 1,
        /// One past the last number.
        end: optional int32 = 2,
    }

    /// A range of reserved field numbers, `start` inclusive, `end` exclusive.
    pub struct ReservedRange in DescriptorProto {
        /// First number.
        start: optional int32 = 1,
        /// One past the last number.
        end: optional int32 = 2,
    }

    /// A field of a message (or an extension).
    pub struct FieldDescriptorProto {
        /// Its name.
        name: optional string = 1,
        /// For an extension: the message it extends.
        extendee: optional string = 2,
        /// Its number.
        number: optional int32 = 3,
        /// Optional, required or repeated.
        label: optional enum Label = 4,
        /// Its type; for a message or enum type, `type_name` names it.
        r#type: optional enum Type = 5,
        /// For a message or enum field: the type's full name with a leading
        /// dot (`.pkg.Msg`).
        type_name: optional string = 6,
        /// proto2's explicit default value, as text.
        default_value: optional string = 7,
        /// For a member of a oneof: its index in the message's `oneof_decl`.
        oneof_index: optional int32 = 9,
        /// Its JSON name (lowerCamelCase of `name`, as protoc computes it).
        json_name: optional string = 10,
        /// Whether it is a proto3 `optional` field (in a synthetic oneof).
        proto3_optional: optional bool = 17,
    }

    /// A oneof of a message.
    pub struct OneofDescriptorProto {
        /// Its name.
        name: optional string = 1,
    }

    /// An enum type.
    pub struct EnumDescriptorProto {
        /// Its name, without package or containing message.
        name: optional string = 1,
        /// Its values, in declaration order.
        value: repeated message EnumValueDescriptorProto = 2,
        /// Numbers it reserves.
        reserved_range: repeated message EnumReservedRange = 4,
        /// Value names it reserves.
        reserved_name: repeated string = 5,
    }

    /// A range of reserved enum numbers, both ends inclusive.
    pub struct EnumReservedRange in EnumDescriptorProto {
        /// First number.
        start: optional int32 = 1,
        /// Last number.
        end: optional int32 = 2,
    }

    /// A value of an enum.
    pub struct EnumValueDescriptorProto {
        /// Its name.
        name: optional string = 1,
        /// Its number.
        number: optional int32 = 2,
    }

    /// A service.
    pub struct ServiceDescriptorProto {
        /// Its name, without package.
        name: optional string = 1,
        /// Its rpcs, in declaration order.
        method: repeated message MethodDescriptorProto = 2,
    }

    /// An rpc of a service.
    pub struct MethodDescriptorProto {
        /// Its name.
        name: optional string = 1,
        /// The request type's full name with a leading dot.
        input_type: optional string = 2,
        /// The response type's full name with a leading dot.
        output_type: optional string = 3,
        /// Set (to true) when the client streams.
        client_streaming: optional bool = 5,
        /// Set (to true) when the server streams.
        server_streaming: optional bool = 6,
    }

    /// A message type's options: only `map_entry` is kept.
    pub struct MessageOptions {
        /// Set (to true) on the nested type protoc makes for a map field.
        map_entry: optional bool = 7,
    }
}

crate::enumeration! {
    package "google.protobuf";
    file "google/protobuf/descriptor.proto";

    /// A field's type, as `FieldDescriptorProto.type` numbers it.
    pub enum Type in FieldDescriptorProto {
        /// `double`
        TYPE_DOUBLE = 1,
        /// `float`
        TYPE_FLOAT = 2,
        /// `int64`
        TYPE_INT64 = 3,
        /// `uint64`
        TYPE_UINT64 = 4,
        /// `int32`
        TYPE_INT32 = 5,
        /// `fixed64`
        TYPE_FIXED64 = 6,
        /// `fixed32`
        TYPE_FIXED32 = 7,
        /// `bool`
        TYPE_BOOL = 8,
        /// `string`
        TYPE_STRING = 9,
        /// A proto2 group.
        TYPE_GROUP = 10,
        /// A message.
        TYPE_MESSAGE = 11,
        /// `bytes`
        TYPE_BYTES = 12,
        /// `uint32`
        TYPE_UINT32 = 13,
        /// An enum.
        TYPE_ENUM = 14,
        /// `sfixed32`
        TYPE_SFIXED32 = 15,
        /// `sfixed64`
        TYPE_SFIXED64 = 16,
        /// `sint32`
        TYPE_SINT32 = 17,
        /// `sint64`
        TYPE_SINT64 = 18,
    }

    /// How many values a field holds, as `FieldDescriptorProto.label`
    /// numbers it.
    pub enum Label in FieldDescriptorProto {
        /// At most one value (proto3 singular fields included).
        LABEL_OPTIONAL = 1,
        /// Repeated (maps included).
        LABEL_REPEATED = 3,
        /// proto2 `required`.
        LABEL_REQUIRED = 2,
    }
}
