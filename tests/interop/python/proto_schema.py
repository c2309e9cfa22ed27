"""Prints, as JSON, what protoc reads in every .proto under proto/ (subdirectories
included, e.g. proto/grpc/testing/): each message's
fields and each service's methods. tests/proto_schema.rs compares it with the
schema the Rust `message!` definitions record, so the two cannot drift.

Output: {"messages": {FULL_NAME: [FIELD...]}, "services": {FULL_NAME: [METHOD...]}}
where FIELD is {"name", "number", "label" ("singular" | "optional" |
"repeated"), "type" (e.g. "int32", or a full type name without the leading
dot), "map_key" (null, or the key type of a map field; "type" is then the
value's type), "oneof" (null, or the name of a real oneof)} and METHOD is
{"name", "input", "output", "client_streaming", "server_streaming"}.
Map entry messages are folded into their map fields, not listed.
"""

import glob
import json
import os
import shutil
import sys
import tempfile

from google.protobuf import descriptor_pb2
from grpc_tools import protoc

import stubs

SCALARS = {
    descriptor_pb2.FieldDescriptorProto.TYPE_DOUBLE: "double",
    descriptor_pb2.FieldDescriptorProto.TYPE_FLOAT: "float",
    descriptor_pb2.FieldDescriptorProto.TYPE_INT64: "int64",
    descriptor_pb2.FieldDescriptorProto.TYPE_UINT64: "uint64",
    descriptor_pb2.FieldDescriptorProto.TYPE_INT32: "int32",
    descriptor_pb2.FieldDescriptorProto.TYPE_FIXED64: "fixed64",
    descriptor_pb2.FieldDescriptorProto.TYPE_FIXED32: "fixed32",
    descriptor_pb2.FieldDescriptorProto.TYPE_BOOL: "bool",
    descriptor_pb2.FieldDescriptorProto.TYPE_STRING: "string",
    descriptor_pb2.FieldDescriptorProto.TYPE_BYTES: "bytes",
    descriptor_pb2.FieldDescriptorProto.TYPE_UINT32: "uint32",
    descriptor_pb2.FieldDescriptorProto.TYPE_SFIXED32: "sfixed32",
    descriptor_pb2.FieldDescriptorProto.TYPE_SFIXED64: "sfixed64",
    descriptor_pb2.FieldDescriptorProto.TYPE_SINT32: "sint32",
    descriptor_pb2.FieldDescriptorProto.TYPE_SINT64: "sint64",
}


def type_name(field):
    if field.type in SCALARS:
        return SCALARS[field.type]
    return field.type_name.lstrip(".")


def walk_messages(prefix, messages, out):
    for message in messages:
        full_name = f"{prefix}.{message.name}" if prefix else message.name
        if message.options.map_entry:
            continue
        entries = {
            f"{full_name}.{nested.name}": nested
            for nested in message.nested_type
            if nested.options.map_entry
        }
        fields = []
        for field in message.field:
            entry = entries.get(field.type_name.lstrip("."))
            synthetic = field.proto3_optional
            if entry is not None:
                key, value = entry.field[0], entry.field[1]
                label, ty, map_key = "repeated", type_name(value), type_name(key)
            else:
                if field.label == descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED:
                    label = "repeated"
                elif synthetic:
                    label = "optional"
                else:
                    label = "singular"
                ty, map_key = type_name(field), None
            oneof = None
            if field.HasField("oneof_index") and not synthetic:
                oneof = message.oneof_decl[field.oneof_index].name
            fields.append(
                {
                    "name": field.name,
                    "number": field.number,
                    "label": label,
                    "type": ty,
                    "map_key": map_key,
                    "oneof": oneof,
                }
            )
        out[full_name] = fields
        walk_messages(full_name, message.nested_type, out)


def main():
    out_dir = tempfile.mkdtemp(prefix="h2grpc-schema-")
    try:
        descriptor_set = os.path.join(out_dir, "all.pb")
        protos = sorted(
            glob.glob(os.path.join(stubs.PROTO_DIR, "**", "*.proto"), recursive=True)
        )
        args = [
            "grpc_tools.protoc",
            f"-I{stubs.PROTO_DIR}",
            f"--descriptor_set_out={descriptor_set}",
            *protos,
        ]
        if protoc.main(args) != 0:
            sys.exit(f"grpc_tools.protoc failed: {' '.join(args)}")
        with open(descriptor_set, "rb") as f:
            files = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)

    messages, services = {}, {}
    for file in files.file:
        walk_messages(file.package, file.message_type, messages)
        for service in file.service:
            full_name = f"{file.package}.{service.name}" if file.package else service.name
            services[full_name] = [
                {
                    "name": method.name,
                    "input": method.input_type.lstrip("."),
                    "output": method.output_type.lstrip("."),
                    "client_streaming": method.client_streaming,
                    "server_streaming": method.server_streaming,
                }
                for method in service.method
            ]
    json.dump({"messages": messages, "services": services}, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
