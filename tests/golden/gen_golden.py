#!/usr/bin/env python3
"""Writes the golden vectors: demo messages and a message of every field kind,
encoded by Python's official `protobuf` package, one .bin file each.

Run from anywhere with the test venv's Python (tests/run-all.sh creates it):
    .venv/bin/python tests/golden/gen_golden.py
The .proto files are compiled into a temporary directory with grpcio-tools'
protoc; nothing generated is kept. tests/codec_golden.rs builds the same
values with `message!` types and checks our encoder writes these bytes and our
decoder reads them back equal.
"""
import importlib
import pathlib
import sys
import tempfile

from grpc_tools import protoc

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
    m.r_enum.extend([0, 1, 2, 99])
    m.r_string.extend(["", "a", "ünï"])
    m.r_bytes.extend([b"", b"\x00\xff"])
    for i in range(3):
        inner = m.r_message.add()
        inner.id = i
        inner.label = f"n{i}"
    # One entry per map: protobuf leaves the order of map entries unspecified
    # (Python's "deterministic" order is not key order), so byte equality is
    # checked on single entries and multi-entry maps by value (below). The
    # default key and value show that map entries write both.
    m.m_string_int32[""] = 0
    m.m_int64_message[-5].id = 5
    m.m_uint32_enum[1] = 2
    m.o_int32 = 0  # optional set to its default: still written
    m.o_string = ""
    m.c_inner.id = 77
    m.r_fixed32.extend([1, 0xFFFFFFFF])
    m.r_uint64.extend([0, 1 << 63])
    return m


def main():
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
        hello = rg.Hello(
            name="a name", d=4.55332, f=232.3, b=True, n=32, l=444325235223, c1="ofcouse"
        )
        hello.pets.add(name="Bolo", color=rg.WHITE)
        hello.pets.add(name="Luna", color=rg.BLACK)
        vectors["complex"] = rg.ComplexRequest(request=hello)
        vectors["kitchen_sink"] = kitchen_sink(ks)
        vectors["kitchen_sink_empty"] = ks.KitchenSink()

        maps = ks.KitchenSink()
        maps.m_string_int32.update({"b": 2, "a": 1, "": 0})
        maps.m_int64_message[-5].id = 5
        maps.m_int64_message[10].label = "ten"
        maps.m_uint32_enum.update({1: 2, 2: 0})
        data = maps.SerializeToString(deterministic=True)
        (HERE / "kitchen_sink_maps.bin").write_bytes(data)
        print(f"kitchen_sink_maps.bin: {len(data)} bytes (several entries per map)")

        sink = vectors["kitchen_sink"]
        unpacked = up.KitchenSinkUnpacked(
            r_int32=sink.r_int32,
            r_sint64=sink.r_sint64,
            r_double=sink.r_double,
            r_bool=sink.r_bool,
            r_enum=sink.r_enum,
            r_fixed32=sink.r_fixed32,
            r_uint64=sink.r_uint64,
        )

        for name, message in vectors.items():
            data = message.SerializeToString(deterministic=True)
            (HERE / f"{name}.bin").write_bytes(data)
            print(f"{name}.bin: {len(data)} bytes")
        data = unpacked.SerializeToString(deterministic=True)
        (HERE / "kitchen_sink_unpacked.bin").write_bytes(data)
        print(f"kitchen_sink_unpacked.bin: {len(data)} bytes (repeated scalars unpacked)")


if __name__ == "__main__":
    main()
