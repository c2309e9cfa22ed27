"""Calls helloworld.Greeter over TLS with grpcio (grpc.ssl_channel_credentials),
trusting the CA in --ca, with a client certificate when --cert and --key are
given (mTLS), and checks the answers exactly. With --expect-refused the
handshake must fail instead: no call may get through.

Usage: tls_client.py --target 127.0.0.1:PORT --ca CA.pem [--cert C.pem --key K.pem]
                     [--server-name NAME] [--expect-refused]
Prints one line per case (PASS/FAIL), then `N passed, M failed`; exits 1 if any
case failed. Run against `h2grpc serve --tls-...` by tests/interop/tls.rs.
"""

import argparse
import sys

import grpc

import greeter_spec as spec
import stubs

pb2, pb2_grpc = stubs.load()

# Every wait has a limit, so a server that never answers fails a case
# instead of hanging the run.
CALL_TIMEOUT = 10.0


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="HOST:PORT of a TLS Greeter server")
    parser.add_argument("--ca", required=True, help="the CA that signed the server's certificate")
    parser.add_argument("--cert", help="the client certificate (mTLS)")
    parser.add_argument("--key", help="the client certificate's key")
    parser.add_argument("--server-name", default="localhost",
                        help="the name the server's certificate is checked against")
    parser.add_argument("--expect-refused", action="store_true",
                        help="the handshake must fail: no call gets through")
    args = parser.parse_args()

    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(args.ca),
        private_key=read(args.key) if args.key else None,
        certificate_chain=read(args.cert) if args.cert else None,
    )
    options = [("grpc.ssl_target_name_override", args.server_name)]
    results = []

    def case(name, ok, why=""):
        results.append(ok)
        print(f"PASS {name}" if ok else f"FAIL {name}: {why}", flush=True)

    with grpc.secure_channel(args.target, credentials, options) as channel:
        stub = pb2_grpc.GreeterStub(channel)
        if args.expect_refused:
            try:
                reply = stub.SayHello(pb2.HelloRequest(name="refused"), timeout=CALL_TIMEOUT)
                case("refused", False, f"the call succeeded: {reply.message!r}")
            except grpc.RpcError as err:
                case("refused", err.code() == grpc.StatusCode.UNAVAILABLE,
                     f"{err.code()} {err.details()!r}")
        else:
            try:
                reply = stub.SayHello(pb2.HelloRequest(name="tls"), timeout=CALL_TIMEOUT)
                want = spec.hello("tls")
                case("unary", reply.message == want, f"got {reply.message!r}, want {want!r}")
                replies = [r.message for r in stub.SayHelloStreamReply(
                    pb2.HelloRequest(name="stream"), timeout=CALL_TIMEOUT)]
                want = [spec.hello("stream")] * spec.STREAM_REPLIES
                case("server_streaming", replies == want, f"got {replies!r}")
            except grpc.RpcError as err:
                case("calls", False, f"{err.code()} {err.details()!r}")
    passed = sum(results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
