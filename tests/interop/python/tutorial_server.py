"""A grpcio server with every tutorial service h2grpc serves, the same semantics.

The reference peer for the h2grpc client subcommands: `h2grpc greet`,
`multi-greet`, `route-guide`, `digest` and `contact` run against it in
tests/cli_*.rs and their output is checked.

Each service lives in its own module with `register(server, args)` (and,
when it takes options, `add_arguments(parser)`).

Usage: tutorial_server.py [--host 127.0.0.1] [--port 0] [service options]
Prints `listening on HOST:PORT` (flushed) once it accepts calls; runs until killed.
"""

import argparse
import signal
import sys
from concurrent import futures

import grpc

import contact_servicer
import digestor_servicer
import greeter_server
import multi_greeter_servicer
import route_guide_servicer

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
    for service in SERVICES:
        if hasattr(service, "add_arguments"):
            service.add_arguments(parser)
    args = parser.parse_args()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=32))
    for service in SERVICES:
        service.register(server, args)
    port = server.add_insecure_port(f"{args.host}:{args.port}")
    if port == 0:
        sys.exit(f"could not bind {args.host}:{args.port}")
    server.start()
    print(f"listening on {args.host}:{port}", flush=True)

    def stop(signum, frame):
        server.stop(grace=None)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
