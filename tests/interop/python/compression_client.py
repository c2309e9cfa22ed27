"""grpcio with message compression on, against a helloworld.Greeter server.

Usage: compression_client.py --target 127.0.0.1:PORT
Calls SayHello and SayHelloStreamReply with gzip and with deflate, set on the
channel (`compression=` of grpc.insecure_channel) and per call (`compression=`
of the stub method), and checks every answer exactly. Names are long and
repetitive so that C-core really compresses (it sends a message uncompressed
when compressing does not shrink it).

Each call carries the metadata `x-expect-encoding: gzip|deflate`: a server that
knows it (the checking server of tests/interop/compression.rs) fails the call
unless the request really arrived in that encoding; h2grpc serve and the grpcio
reference server ignore it.

Prints one line per case (PASS/FAIL), then `N passed, M failed`; exits 1 if any
case failed.
"""

import argparse
import sys
import traceback

import grpc

import greeter_spec as spec
import stubs

pb2, pb2_grpc = stubs.load()

CALL_TIMEOUT = 10.0
NAME = "compressible " * 200

ALGORITHMS = {"gzip": grpc.Compression.Gzip, "deflate": grpc.Compression.Deflate}


class CaseFailed(Exception):
    pass


def expect(what, got, want):
    if got != want:
        raise CaseFailed(f"{what}: got {got!r:.120}, want {want!r:.120}")


def cases(target):
    """Yields (name, function) for every case."""
    for name, algorithm in ALGORITHMS.items():
        metadata = (("x-expect-encoding", name),)

        def channel_unary(algorithm=algorithm, metadata=metadata):
            with grpc.insecure_channel(target, compression=algorithm) as channel:
                stub = pb2_grpc.GreeterStub(channel)
                reply = stub.SayHello(
                    pb2.HelloRequest(name=NAME), timeout=CALL_TIMEOUT, metadata=metadata
                )
                expect("SayHello", reply.message, spec.hello(NAME))

        def channel_stream(algorithm=algorithm, metadata=metadata):
            with grpc.insecure_channel(target, compression=algorithm) as channel:
                stub = pb2_grpc.GreeterStub(channel)
                replies = [
                    r.message
                    for r in stub.SayHelloStreamReply(
                        pb2.HelloRequest(name=NAME), timeout=CALL_TIMEOUT, metadata=metadata
                    )
                ]
                expect("SayHelloStreamReply", replies, [spec.hello(NAME)] * spec.STREAM_REPLIES)

        def per_call(algorithm=algorithm, metadata=metadata):
            with grpc.insecure_channel(target) as channel:
                stub = pb2_grpc.GreeterStub(channel)
                reply = stub.SayHello(
                    pb2.HelloRequest(name=NAME),
                    timeout=CALL_TIMEOUT,
                    metadata=metadata,
                    compression=algorithm,
                )
                expect("SayHello", reply.message, spec.hello(NAME))
                replies = [
                    r.message
                    for r in stub.SayHelloStreamReply(
                        pb2.HelloRequest(name=NAME),
                        timeout=CALL_TIMEOUT,
                        metadata=metadata,
                        compression=algorithm,
                    )
                ]
                expect("SayHelloStreamReply", replies, [spec.hello(NAME)] * spec.STREAM_REPLIES)

        yield f"channel {name}: SayHello", channel_unary
        yield f"channel {name}: SayHelloStreamReply", channel_stream
        yield f"per-call {name}: SayHello and SayHelloStreamReply", per_call


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True)
    args = parser.parse_args()
    passed = failed = 0
    for name, case in cases(args.target):
        try:
            case()
        except (CaseFailed, grpc.RpcError) as err:
            failed += 1
            detail = err if isinstance(err, CaseFailed) else f"{err.code()}: {err.details()}"
            print(f"FAIL {name}: {detail}", flush=True)
        except Exception:  # noqa: BLE001 - report, count, go on
            failed += 1
            print(f"FAIL {name}:\n{traceback.format_exc()}", flush=True)
        else:
            passed += 1
            print(f"PASS {name}", flush=True)
    print(f"{passed} passed, {failed} failed", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
