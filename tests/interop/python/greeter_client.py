"""Calls every helloworld.Greeter method with grpcio and checks the answers exactly.

Usage: greeter_client.py --target 127.0.0.1:PORT
Prints one line per case (PASS/FAIL), then `N passed, M failed`; exits 1 if any
case failed. Run against h2grpc by tests/interop/grpcio_greeter.rs, and against the
grpcio reference server greeter_server.py to prove the checks themselves.
"""

import argparse
import queue
import sys
import threading
import traceback

import grpc

import greeter_spec as spec
import stubs

pb2, pb2_grpc = stubs.load()

# Every call gets a deadline, so a server that never answers fails a case
# instead of hanging the run.
CALL_TIMEOUT = 10.0
# How long the bidi case waits for the reply to one request before it calls the
# server out for waiting on the next request (or on the end of the stream).
BIDI_REPLY_WAIT = 5.0
# grpcio's default receive limit is 4 MiB, the same as h2grpc's: a request over it
# must come back RESOURCE_EXHAUSTED.
OVER_LIMIT = 4 * 1024 * 1024 + 1


class CaseFailed(Exception):
    pass


def expect(what, got, want):
    if got != want:
        raise CaseFailed(f"{what}: got {shorten(got)}, want {shorten(want)}")


def shorten(value):
    text = repr(value)
    return text if len(text) <= 200 else text[:120] + f"... ({len(text)} chars)"


def expect_code(what, call, want):
    """Runs `call()`, which must raise an RpcError with status `want`."""
    try:
        result = call()
    except grpc.RpcError as err:
        expect(f"{what} status", err.code(), want)
        return err
    raise CaseFailed(f"{what}: succeeded with {shorten(result)}, want {want}")


# ---- cases -----------------------------------------------------------------


def case_say_hello(stub, channel):
    reply = stub.SayHello(pb2.HelloRequest(name="world"), timeout=CALL_TIMEOUT)
    expect("message", reply.message, spec.hello("world"))


def case_say_hello_again(stub, channel):
    reply = stub.SayHelloAgain(pb2.HelloRequest(name="world"), timeout=CALL_TIMEOUT)
    expect("message", reply.message, spec.hello_again("world"))


def case_say_hello2(stub, channel):
    reply = stub.SayHello2(pb2.HelloRequest(name="world"), timeout=CALL_TIMEOUT)
    expect("message", reply.message, spec.hello2("world"))


def case_say_hello_empty_name(stub, channel):
    # proto3: an empty string is the default, sent as an empty message.
    reply = stub.SayHello(pb2.HelloRequest(name=""), timeout=CALL_TIMEOUT)
    expect("message", reply.message, spec.hello(""))


def case_say_hello_unicode_name(stub, channel):
    name = "w\u00f6rld \u2713 \u4e16\u754c \U0001f600"
    reply = stub.SayHello(pb2.HelloRequest(name=name), timeout=CALL_TIMEOUT)
    expect("message", reply.message, spec.hello(name))


def case_say_hello_one_mib_name(stub, channel):
    # Far larger than one DATA frame and than the default 64 KiB windows both ways.
    name = "x" * (1024 * 1024)
    reply = stub.SayHello(pb2.HelloRequest(name=name), timeout=CALL_TIMEOUT)
    expect("message", reply.message, spec.hello(name))


def case_say_hello_stream_reply(stub, channel):
    call = stub.SayHelloStreamReply(pb2.HelloRequest(name="world"), timeout=CALL_TIMEOUT)
    replies = [reply.message for reply in call]
    expect("replies", replies, [spec.hello("world")] * spec.STREAM_REPLIES)
    expect("status", call.code(), grpc.StatusCode.OK)


def case_say_hello_bidi_stream_replies_as_requests_arrive(stub, channel):
    names = ["alice", "bob", "carol", "dave", "eve"]
    requests = queue.Queue()
    replies = queue.Queue()
    end = object()

    def request_iterator():
        # Each request is released only once the main thread has seen the reply
        # to the previous one: a server that waits for more requests (or for the
        # end of the stream) before it answers never gets them.
        while True:
            item = requests.get()
            if item is end:
                return
            yield item

    call = stub.SayHelloBidiStream(request_iterator(), timeout=CALL_TIMEOUT)

    def read_replies():
        try:
            for reply in call:
                replies.put(("reply", reply.message))
            replies.put(("end", call.code()))
        except grpc.RpcError as err:
            replies.put(("end", err.code()))

    reader = threading.Thread(target=read_replies, daemon=True)
    reader.start()
    try:
        for i, name in enumerate(names):
            requests.put(pb2.HelloRequest(name=name))
            try:
                kind, value = replies.get(timeout=BIDI_REPLY_WAIT)
            except queue.Empty:
                raise CaseFailed(
                    f"no reply to request {i} ({name!r}) within {BIDI_REPLY_WAIT}s: "
                    "the server does not answer each request as it arrives"
                )
            if kind != "reply":
                raise CaseFailed(f"stream ended with {value} after {i} replies")
            expect(f"reply {i}", value, spec.hello(name))
        requests.put(end)
        kind, value = replies.get(timeout=CALL_TIMEOUT)
        expect("after the last reply", (kind, value), ("end", grpc.StatusCode.OK))
    finally:
        requests.put(end)
        call.cancel()
        reader.join(timeout=CALL_TIMEOUT)


def case_say_hello_bidi_stream_no_requests(stub, channel):
    call = stub.SayHelloBidiStream(iter([]), timeout=CALL_TIMEOUT)
    expect("replies", [reply.message for reply in call], [])
    expect("status", call.code(), grpc.StatusCode.OK)


def case_concurrent_unary_calls(stub, channel):
    names = [f"caller-{i}" for i in range(32)]
    pending = [
        stub.SayHello.future(pb2.HelloRequest(name=name), timeout=CALL_TIMEOUT) for name in names
    ]
    got = [future.result().message for future in pending]
    expect("messages", got, [spec.hello(name) for name in names])


def case_unknown_method_is_unimplemented(stub, channel):
    nope = channel.unary_unary(
        "/helloworld.Greeter/Nope",
        request_serializer=pb2.HelloRequest.SerializeToString,
        response_deserializer=pb2.HelloReply.FromString,
    )
    expect_code(
        "Nope",
        lambda: nope(pb2.HelloRequest(name="world"), timeout=CALL_TIMEOUT),
        grpc.StatusCode.UNIMPLEMENTED,
    )


def case_unknown_service_is_unimplemented(stub, channel):
    nope = channel.unary_unary(
        "/helloworld.NoSuchService/SayHello",
        request_serializer=pb2.HelloRequest.SerializeToString,
        response_deserializer=pb2.HelloReply.FromString,
    )
    expect_code(
        "NoSuchService",
        lambda: nope(pb2.HelloRequest(name="world"), timeout=CALL_TIMEOUT),
        grpc.StatusCode.UNIMPLEMENTED,
    )


def case_request_over_4_mib_is_resource_exhausted(stub, channel):
    name = "x" * OVER_LIMIT
    expect_code(
        "SayHello with a name over 4 MiB",
        lambda: stub.SayHello(pb2.HelloRequest(name=name), timeout=CALL_TIMEOUT),
        grpc.StatusCode.RESOURCE_EXHAUSTED,
    )


def case_channel_still_serves_after_errors(stub, channel):
    reply = stub.SayHello(pb2.HelloRequest(name="again"), timeout=CALL_TIMEOUT)
    expect("message", reply.message, spec.hello("again"))


CASES = [
    case_say_hello,
    case_say_hello_again,
    case_say_hello2,
    case_say_hello_empty_name,
    case_say_hello_unicode_name,
    case_say_hello_one_mib_name,
    case_say_hello_stream_reply,
    case_say_hello_bidi_stream_replies_as_requests_arrive,
    case_say_hello_bidi_stream_no_requests,
    case_concurrent_unary_calls,
    case_unknown_method_is_unimplemented,
    case_unknown_service_is_unimplemented,
    case_request_over_4_mib_is_resource_exhausted,
    # Last: the same channel (one HTTP/2 connection) after every error above.
    case_channel_still_serves_after_errors,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="HOST:PORT of a Greeter server")
    args = parser.parse_args()

    passed = failed = 0
    with grpc.insecure_channel(args.target) as channel:
        try:
            grpc.channel_ready_future(channel).result(timeout=CALL_TIMEOUT)
        except grpc.FutureTimeoutError:
            print(f"FAIL connect: no connection to {args.target} within {CALL_TIMEOUT}s")
            print("0 passed, 1 failed", flush=True)
            return 1
        stub = pb2_grpc.GreeterStub(channel)
        for case in CASES:
            name = case.__name__[len("case_"):]
            try:
                case(stub, channel)
            except CaseFailed as err:
                failed += 1
                print(f"FAIL {name}: {err}", flush=True)
            except grpc.RpcError as err:
                failed += 1
                print(f"FAIL {name}: {err.code()} {err.details()!r}", flush=True)
            except Exception:  # noqa: BLE001 - a bug in a case is a failed case
                failed += 1
                print(f"FAIL {name}: {traceback.format_exc()}", flush=True)
            else:
                passed += 1
                print(f"PASS {name}", flush=True)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
