"""Calls digestor.Digestor with grpcio and checks the answers exactly against
Python's hashlib.

Usage: digestor_client.py --target 127.0.0.1:PORT
Run against h2grpc by tests/interop/tutorials.rs, and against the grpcio
reference (tutorial_server.py) to prove the checks themselves.
"""

import argparse
import hashlib
import sys

import digestor_servicer as spec
from cases import CALL_TIMEOUT, expect, run_cases

pb2, pb2_grpc = spec.pb2, spec.pb2_grpc


def check(stub, text):
    reply = stub.GetDigestor(pb2.DigestMessage(ToDigest=text), timeout=CALL_TIMEOUT)
    expect(f"Digested of {text[:20]!r}", reply.Digested, hashlib.sha256(text.encode()).hexdigest())
    expect("WasDigested", reply.WasDigested, True)


def case_known_vector_abc(stub):
    reply = stub.GetDigestor(pb2.DigestMessage(ToDigest="abc"), timeout=CALL_TIMEOUT)
    expect(
        "Digested",
        reply.Digested,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    )
    expect("WasDigested", reply.WasDigested, True)


def case_empty_text(stub):
    check(stub, "")


def case_unicode_text_is_hashed_as_utf8(stub):
    check(stub, "h\u00e9llo w\u00f6rld \u2713 \u4e16\u754c \U0001f600")


def case_one_mib_text(stub):
    check(stub, "0123456789abcdef" * 65536)


CASES = [
    case_known_vector_abc,
    case_empty_text,
    case_unicode_text_is_hashed_as_utf8,
    case_one_mib_text,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="HOST:PORT of a Digestor server")
    args = parser.parse_args()
    return run_cases(args.target, pb2_grpc.DigestorStub, CASES)


if __name__ == "__main__":
    sys.exit(main())
