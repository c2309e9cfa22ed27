"""A grpcio helloworld.Greeter server with the semantics h2grpc serves.

It is the reference peer of the interop tests: h2grpc's GreeterClient calls it,
and greeter_client.py is checked against it as well as against h2grpc.

Usage: greeter_server.py [--host 127.0.0.1] [--port 0]
Prints `listening on HOST:PORT` (flushed) once it accepts calls; runs until killed.
"""

import argparse
from concurrent import futures

import grpc

import greeter_spec as spec
import serving
import stubs

pb2, pb2_grpc = stubs.load()


class Greeter(pb2_grpc.GreeterServicer):
    def SayHello(self, request, context):
        return pb2.HelloReply(message=spec.hello(request.name))

    def SayHelloAgain(self, request, context):
        return pb2.HelloReply(message=spec.hello_again(request.name))

    def SayHello2(self, request, context):
        return pb2.HelloReply(message=spec.hello2(request.name))

    def SayHelloStreamReply(self, request, context):
        for _ in range(spec.STREAM_REPLIES):
            yield pb2.HelloReply(message=spec.hello(request.name))

    def SayHelloBidiStream(self, request_iterator, context):
        # One reply per request, as each request arrives.
        for request in request_iterator:
            yield pb2.HelloReply(message=spec.hello(request.name))


def register(server, args=None):
    """Adds the Greeter to `server` (tutorial_server.py calls this)."""
    pb2_grpc.add_GreeterServicer_to_server(Greeter(), server)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    register(server)
    serving.serve(server, args.host, args.port)


if __name__ == "__main__":
    main()
