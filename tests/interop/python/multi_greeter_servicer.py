"""hellostreamingworld.MultiGreeter for the grpcio reference server, with the
semantics h2grpc serves (src/services/multi_greeter.rs): num_greetings replies
("" means 10), "Hello number I, NAME!", INVALID_ARGUMENT for anything but a
decimal count."""

import grpc

import stubs

pb2, pb2_grpc = stubs.load("hellostreamingworld.proto")

DEFAULT_GREETINGS = 10


def greeting(number, name):
    return f"Hello number {number}, {name}!"


def parse_num_greetings(text):
    """The count, or None when it is not ASCII digits fitting a u32."""
    if text == "":
        return DEFAULT_GREETINGS
    if not (text.isascii() and text.isdigit()) or int(text) > 0xFFFFFFFF:
        return None
    return int(text)


class MultiGreeter(pb2_grpc.MultiGreeterServicer):
    def sayHello(self, request, context):
        count = parse_num_greetings(request.num_greetings)
        if count is None:
            context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"num_greetings must be a whole number, not {request.num_greetings!r}",
            )
        for number in range(1, count + 1):
            yield pb2.HelloReply(message=greeting(number, request.name))


def register(server, args=None):
    pb2_grpc.add_MultiGreeterServicer_to_server(MultiGreeter(), server)
