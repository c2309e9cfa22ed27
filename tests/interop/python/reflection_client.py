"""Reads a server's services through server reflection with grpcio-reflection,
builds dynamic stubs from what it learned, and calls them.

Checks that ProtoReflectionDescriptorDatabase (v1alpha, grpcio's reflection
client) finds every tutorial service and every method's message types, that
messages built from the reflected descriptors work on the wire (Greeter,
MultiGreeter and RouteGuide called through dynamic stubs), and, with --v1,
that grpc.reflection.v1 answers byte for byte what v1alpha answers to the
same requests on one stream (v1's stubs generated from
proto/grpc/reflection/v1/reflection.proto at run time).

Usage: reflection_client.py --target 127.0.0.1:PORT [--v1]
Run against h2grpc by tests/interop/reflection.rs (with --v1), and against
the grpcio reference (tutorial_server.py --reflection) to prove the checks.
"""

import argparse
import atexit
import importlib
import os
import shutil
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pool, message_factory
from grpc_reflection.v1alpha import reflection_pb2 as v1alpha_pb2
from grpc_reflection.v1alpha import reflection_pb2_grpc as v1alpha_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

import stubs
from cases import CALL_TIMEOUT, expect, run_cases

TUTORIAL_SERVICES = [
    "contact.Contact",
    "digestor.Digestor",
    "hellostreamingworld.MultiGreeter",
    "helloworld.Greeter",
    "routeguide.RouteGuide",
]

BERKSHIRE = "Berkshire Valley Management Area Trail, Jefferson, NJ, USA"


class Reflected:
    """What one channel's reflection service describes: a descriptor pool
    fed by ProtoReflectionDescriptorDatabase, and the channel to call on."""

    def __init__(self, channel):
        self.channel = channel
        self.database = ProtoReflectionDescriptorDatabase(channel)
        self.pool = descriptor_pool.DescriptorPool(self.database)

    def message_class(self, full_name):
        return message_factory.GetMessageClass(self.pool.FindMessageTypeByName(full_name))

    def method(self, full_name):
        """A callable for `package.Service.Method`, with (de)serializers of
        the reflected message classes, shaped by its streaming flags."""
        method = self.pool.FindMethodByName(full_name)
        path = f"/{method.containing_service.full_name}/{method.name}"
        request = message_factory.GetMessageClass(method.input_type)
        response = message_factory.GetMessageClass(method.output_type)
        shape = {
            (False, False): self.channel.unary_unary,
            (False, True): self.channel.unary_stream,
            (True, False): self.channel.stream_unary,
            (True, True): self.channel.stream_stream,
        }[(method.client_streaming, method.server_streaming)]
        call = shape(
            path,
            request_serializer=request.SerializeToString,
            response_deserializer=response.FromString,
        )
        return request, call


def case_every_tutorial_service_is_listed(reflected):
    services = set(reflected.database.get_services())
    expect("missing services", sorted(set(TUTORIAL_SERVICES) - services), [])
    expect("v1alpha reflection listed", "grpc.reflection.v1alpha.ServerReflection" in services, True)


def case_every_method_of_every_service_has_its_message_types(reflected):
    resolved = []
    for name in reflected.database.get_services():
        service = reflected.pool.FindServiceByName(name)
        for method in service.methods:
            message_factory.GetMessageClass(method.input_type)
            message_factory.GetMessageClass(method.output_type)
            resolved.append(method.full_name)
    expect("RouteChat resolved", "routeguide.RouteGuide.RouteChat" in resolved, True)
    expect("getTask resolved", "contact.Contact.getTask" in resolved, True)


def case_streaming_flags_are_reflected(reflected):
    flags = {}
    for method in reflected.pool.FindServiceByName("routeguide.RouteGuide").methods:
        flags[method.name] = (method.client_streaming, method.server_streaming)
    expect(
        "streaming flags",
        flags,
        {
            "GetFeature": (False, False),
            "ListFeatures": (False, True),
            "RecordRoute": (True, False),
            "RouteChat": (True, True),
        },
    )


def case_dynamic_greeter_says_hello(reflected):
    request, say_hello = reflected.method("helloworld.Greeter.SayHello")
    reply = say_hello(request(name="reflection"), timeout=CALL_TIMEOUT)
    expect("message", reply.message, "Hello, reflection!")


def case_dynamic_multi_greeter_streams_three_greetings(reflected):
    request, say_hello = reflected.method("hellostreamingworld.MultiGreeter.sayHello")
    replies = [r.message for r in say_hello(request(name="you", num_greetings="3"), timeout=CALL_TIMEOUT)]
    expect(
        "replies",
        replies,
        ["Hello number 1, you!", "Hello number 2, you!", "Hello number 3, you!"],
    )


def case_dynamic_route_guide_finds_the_berkshire_feature(reflected):
    point, get_feature = reflected.method("routeguide.RouteGuide.GetFeature")
    feature = get_feature(point(latitude=409146138, longitude=-746188906), timeout=CALL_TIMEOUT)
    expect("name", feature.name, BERKSHIRE)
    expect("location", (feature.location.latitude, feature.location.longitude), (409146138, -746188906))


def case_dynamic_route_guide_records_a_route(reflected):
    point, record_route = reflected.method("routeguide.RouteGuide.RecordRoute")
    points = [point(latitude=409146138, longitude=-746188906), point(latitude=0, longitude=0)]
    summary = record_route(iter(points), timeout=CALL_TIMEOUT)
    expect("point_count", summary.point_count, 2)
    expect("feature_count", summary.feature_count, 1)


def case_unknown_symbol_is_not_found(reflected):
    try:
        reflected.database.FindFileContainingSymbol("no.such.Symbol")
    except KeyError:
        return
    raise AssertionError("no.such.Symbol was found")


def v1_and_v1alpha_requests(module):
    """One stream's requests, built with a version's message classes."""
    request = module.ServerReflectionRequest
    return [
        request(list_services=""),
        request(file_containing_symbol="helloworld.Greeter"),
        request(file_containing_symbol="routeguide.RouteGuide.GetFeature"),
        request(file_by_filename="route_guide.proto"),
        request(file_containing_symbol="no.such.Symbol"),
        request(all_extension_numbers_of_type="routeguide.Point"),
        request(
            file_containing_extension=module.ExtensionRequest(
                containing_type="routeguide.Point", extension_number=100
            )
        ),
        request(host="example.com", file_containing_symbol="helloworld.HelloRequest"),
    ]


def load_v1_stubs():
    """v1's stubs, generated from a copy of proto/grpc/reflection/v1/
    reflection.proto named reflection_v1.proto: grpcio-reflection makes
    `grpc.reflection` an alias of its own package, so the generated modules
    cannot live at grpc.reflection.v1."""
    from grpc_tools import protoc

    out = tempfile.mkdtemp(prefix="h2grpc-reflection-v1-")
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    shutil.copy(os.path.join(stubs.PROTO_DIR, "grpc", "reflection", "v1", "reflection.proto"),
                os.path.join(out, "reflection_v1.proto"))
    args = ["grpc_tools.protoc", f"-I{out}", f"--python_out={out}", f"--grpc_python_out={out}",
            os.path.join(out, "reflection_v1.proto")]
    if protoc.main(args) != 0:
        raise SystemExit(f"grpc_tools.protoc failed: {' '.join(args)}")
    sys.path.insert(0, out)
    return importlib.import_module("reflection_v1_pb2"), importlib.import_module("reflection_v1_pb2_grpc")


def case_v1_answers_exactly_as_v1alpha(reflected):
    v1_pb2, v1_pb2_grpc = load_v1_stubs()
    answers = {}
    for name, pb2, pb2_grpc in [
        ("v1", v1_pb2, v1_pb2_grpc),
        ("v1alpha", v1alpha_pb2, v1alpha_pb2_grpc),
    ]:
        stub = pb2_grpc.ServerReflectionStub(reflected.channel)
        responses = stub.ServerReflectionInfo(iter(v1_and_v1alpha_requests(pb2)), timeout=CALL_TIMEOUT)
        answers[name] = [response.SerializeToString() for response in responses]
    expect("number of answers", len(answers["v1"]), len(v1_and_v1alpha_requests(v1_pb2)))
    expect("v1 answers == v1alpha answers", answers["v1"], answers["v1alpha"])
    first = v1_pb2.ServerReflectionResponse.FromString(answers["v1"][0])
    expect("v1 lists itself", "grpc.reflection.v1.ServerReflection" in [s.name for s in first.list_services_response.service], True)
    not_found = v1_pb2.ServerReflectionResponse.FromString(answers["v1"][4])
    expect("unknown symbol", not_found.error_response.error_code, grpc.StatusCode.NOT_FOUND.value[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True)
    parser.add_argument("--v1", action="store_true", help="also check grpc.reflection.v1")
    args = parser.parse_args()
    cases = [
        case_every_tutorial_service_is_listed,
        case_every_method_of_every_service_has_its_message_types,
        case_streaming_flags_are_reflected,
        case_dynamic_greeter_says_hello,
        case_dynamic_multi_greeter_streams_three_greetings,
        case_dynamic_route_guide_finds_the_berkshire_feature,
        case_dynamic_route_guide_records_a_route,
        case_unknown_symbol_is_not_found,
    ]
    if args.v1:
        cases.append(case_v1_answers_exactly_as_v1alpha)
    return run_cases(args.target, Reflected, cases)


if __name__ == "__main__":
    sys.exit(main())
