"""A grpcio server with every tutorial service h2grpc serves, the same semantics.

The reference peer for the h2grpc client subcommands: `h2grpc greet`,
`multi-greet`, `route-guide`, `digest` and `contact` run against it in
tests/interop/ and their output is checked.

Each service lives in its own module with `register(server, args)` (and,
when it takes options, `add_arguments(parser)`).

With --reflection it also serves grpcio-reflection's v1alpha server
reflection, the reference for tests/interop/python/reflection_client.py.

Usage: tutorial_server.py [--host 127.0.0.1] [--port 0] [--reflection] [service options]
Prints `listening on HOST:PORT` (flushed) once it accepts calls; runs until killed.
"""

import argparse
from concurrent import futures

import grpc

import contact_servicer
import digestor_servicer
import greeter_server
import multi_greeter_servicer
import route_guide_servicer
import serving

SERVICES = [
    greeter_server,
    multi_greeter_servicer,
    route_guide_servicer,
    digestor_servicer,
    contact_servicer,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--reflection", action="store_true")
    for service in SERVICES:
        if hasattr(service, "add_arguments"):
            service.add_arguments(parser)
    args = parser.parse_args()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=32))
    for service in SERVICES:
        service.register(server, args)
    if args.reflection:
        from grpc_reflection.v1alpha import reflection

        names = [
            service_descriptor.full_name
            for service in SERVICES
            for service_descriptor in service.pb2.DESCRIPTOR.services_by_name.values()
        ]
        reflection.enable_server_reflection([*names, reflection.SERVICE_NAME], server)
    serving.serve(server, args.host, args.port)


if __name__ == "__main__":
    main()
