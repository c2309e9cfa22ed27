#!/usr/bin/env python3
"""Writes the golden vectors: demo messages and a message of every field kind,
encoded by Python's official `protobuf` package, one .bin file each, and
MANIFEST.txt saying which value each file holds.

Run from anywhere with the test venv's Python (tests/run-all.sh creates it):
    .venv/bin/python tests/golden/gen_golden.py
The .proto files are compiled into a temporary directory with grpcio-tools'
protoc; nothing generated is kept. tests/codec/golden.rs builds the same
values with `message!` types and checks our encoder writes these bytes and our
decoder reads them back equal.

Why the pure-Python implementation of `protobuf` (not the default upb one):
with `SerializeToString(deterministic=True)` it writes map entries in key
order, which is the order our `BTreeMap` fields are written in, so maps with
several entries compare byte for byte. upb's "deterministic" order is not key
order (protobuf 7.x: uint32 keys came out descending, "" after "a"); the wire
format leaves map entry order unspecified, so both are valid encodings. Apart
from map order the two implementations write the same bytes.
"""
import os

# Must be set before google.protobuf is first imported (grpc_tools imports it).
os.environ["PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION"] = "python"

import importlib  # noqa: E402
import pathlib  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

from google.protobuf import text_format  # noqa: E402
from google.protobuf.internal import api_implementation  # noqa: E402
from grpc_tools import protoc  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
PROTO_ROOT = HERE.parent.parent / "proto"
PROTOS = [
    (PROTO_ROOT, "helloworld.proto"),
    (HERE, "route_guide_golden.proto"),
    (HERE, "kitchen_sink.proto"),
    (HERE, "unpacked.proto"),
]


def compile_protos(out: pathlib.Path):
    for include, name in PROTOS:
        args = ["protoc", f"-I{include}", f"--python_out={out}", str(include / name)]
        if protoc.main(args) != 0:
            sys.exit(f"protoc failed on {name}")
    sys.path.insert(0, str(out))
    return {
        name: importlib.import_module(name.removesuffix(".proto") + "_pb2")
        for _, name in PROTOS
    }


def kitchen_sink(ks):
    """golden.KitchenSink with every field kind set (tests/codec/golden.rs,
    `kitchen_sink()`, builds the same value)."""
    m = ks.KitchenSink()
    m.f_int32 = -42  # negative int32: a ten-byte varint
    m.f_int64 = -9_000_000_000
    m.f_uint32 = 4_294_967_295
    m.f_uint64 = 18_446_744_073_709_551_615
    m.f_sint32 = -2_147_483_648
    m.f_sint64 = -9_223_372_036_854_775_808
    m.f_fixed32 = 0xDEADBEEF
    m.f_fixed64 = 0x0123456789ABCDEF
    m.f_sfixed32 = -7
    m.f_sfixed64 = -8_000_000_000_000
    m.f_float = 3.5
    m.f_double = -1.0e300
    m.f_bool = True
    m.f_string = "héllo, wörld ✓ 🦀"
    m.f_bytes = bytes(range(256))
    m.f_enum = 7  # a value the enum does not declare: must survive
    m.f_message.id = 9
    m.f_message.label = "inner"
    m.f_message.values.extend([1, -1, 300])
    m.r_int32.extend([0, 1, -1, 2_147_483_647, -2_147_483_648])
    m.r_sint64.extend([0, -1, 1, -9_223_372_036_854_775_808, 9_223_372_036_854_775_807])
    m.r_double.extend([0.0, -0.0, 1.5, float("inf")])
    m.r_bool.extend([True, False, True])
    m.r_enum.extend([0, 1, 2, 99, -1])  # undeclared values, one negative
    m.r_string.extend(["", "a", "ünï"])
    m.r_bytes.extend([b"", b"\x00\xff"])
    for i in range(3):
        inner = m.r_message.add()
        inner.id = i
        inner.label = f"n{i}"
    # Several entries per map, default keys and values included (a map entry
    # writes both): written in key order (see the module doc).
    m.m_string_int32.update({"b": 2, "a": 1, "": 0, "ζ": -1})
    m.m_int64_message[-5].id = 5
    m.m_int64_message[10].label = "ten"
    m.m_int64_message[0].CopyFrom(ks.Inner())
    m.m_uint32_enum.update({1: 2, 2: 0, 4_294_967_295: 42})
    m.o_int32 = 0  # optional set to its default: still written
    m.o_string = ""
    m.c_inner.id = 77  # the oneof, set to its message member
    m.r_fixed32.extend([1, 0xFFFFFFFF])
    m.r_uint64.extend([0, 1 << 63])
    m.r_int64.extend([-1, 9_223_372_036_854_775_807, 0])
    m.r_uint32.extend([4_294_967_295, 128])
    m.r_sint32.extend([-1, 2_147_483_647, -2_147_483_648])
    m.r_fixed64.extend([18_446_744_073_709_551_615, 0])
    m.r_sfixed32.extend([-2_147_483_648, 5])
    m.r_sfixed64.extend([-9_223_372_036_854_775_808, 6])
    m.r_float.extend([-2.5, 1e-45, float("-inf")])
    return m


def main():
    assert api_implementation.Type() == "python", api_implementation.Type()
    with tempfile.TemporaryDirectory() as tmp:
        pb = compile_protos(pathlib.Path(tmp))
        hw, rg, ks, up = (pb[n] for _, n in PROTOS)

        vectors = {}
        vectors["hello_request"] = hw.HelloRequest(name="world")
        vectors["hello_reply"] = hw.HelloReply(message="Hello, world!")
        vectors["hello_request_empty"] = hw.HelloRequest()
        vectors["point"] = rg.Point(latitude=409146138, longitude=-746188906)
        vectors["feature"] = rg.Feature(
            name="Berkshire Valley Management Area Trail, Jefferson, NJ, USA",
            location=rg.Point(latitude=409146138, longitude=-746188906),
        )
        vectors["feature_unnamed"] = rg.Feature(location=rg.Point())
        vectors["rectangle"] = rg.Rectangle(
            lo=rg.Point(latitude=400000000, longitude=-750000000),
            hi=rg.Point(latitude=420000000, longitude=-730000000),
        )
        vectors["route_note"] = rg.RouteNote(
            location=rg.Point(latitude=0, longitude=1), message="First message"
        )
        vectors["route_summary"] = rg.RouteSummary(
            point_count=10, feature_count=3, distance=123456, elapsed_time=7
        )
        # grpc_bench's complex_proto payload (the prost yardstick's values).
        hello = rg.Hello(
            name="a name", d=4.55332, f=232.3, b=True, n=32, l=444325235223, c1="ofcouse"
        )
        hello.pets.add(name="Bolo", color=rg.WHITE)
        hello.pets.add(name="Luna", color=rg.BLACK)
        vectors["complex"] = rg.ComplexRequest(request=hello)
        vectors["kitchen_sink"] = kitchen_sink(ks)
        vectors["kitchen_sink_empty"] = ks.KitchenSink()
        other = ks.KitchenSink()
        other.c_text = "oneof text"
        other.o_int32 = -1
        vectors["kitchen_sink_oneof_text"] = other

        # The same KitchenSink with every repeated scalar unpacked: parsed
        # into the proto2 mirror (unpacked.proto) and written again.
        packed = vectors["kitchen_sink"].SerializeToString(deterministic=True)
        unpacked = up.KitchenSink()
        unpacked.ParseFromString(packed)
        vectors["kitchen_sink_unpacked"] = unpacked

        manifest = [
            "Golden vectors written by gen_golden.py with the pure-Python `protobuf`",
            "implementation. One block per file: name, size, message type, then the",
            "value in protobuf text format.",
            "",
        ]
        for name, message in vectors.items():
            data = message.SerializeToString(deterministic=True)
            (HERE / f"{name}.bin").write_bytes(data)
            text = text_format.MessageToString(message, as_utf8=True).strip()
            manifest.append(f"{name}.bin: {len(data)} bytes, {message.DESCRIPTOR.full_name}")
            manifest.extend("    " + line for line in (text or "(every field default)").splitlines())
            manifest.append("")
            print(f"{name}.bin: {len(data)} bytes")
        assert len(vectors["kitchen_sink_unpacked"].SerializeToString()) > len(packed)
        (HERE / "MANIFEST.txt").write_text("\n".join(manifest))


if __name__ == "__main__":
    main()
