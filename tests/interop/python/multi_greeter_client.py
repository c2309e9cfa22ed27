"""Calls hellostreamingworld.MultiGreeter with grpcio and checks the answers exactly.

Usage: multi_greeter_client.py --target 127.0.0.1:PORT
Run against h2grpc by tests/interop/tutorials.rs, and against the grpcio
reference (tutorial_server.py) to prove the checks themselves.
"""

import argparse
import sys

import grpc

import multi_greeter_servicer as spec
from cases import CALL_TIMEOUT, expect, expect_code, run_cases

pb2, pb2_grpc = spec.pb2, spec.pb2_grpc


def greetings(stub, name, num_greetings):
    call = stub.sayHello(
        pb2.HelloRequest(name=name, num_greetings=num_greetings), timeout=CALL_TIMEOUT
    )
    replies = [reply.message for reply in call]
    expect("status", call.code(), grpc.StatusCode.OK)
    return replies


def case_three_greetings_numbered_from_one(stub):
    expect(
        "replies",
        greetings(stub, "you", "3"),
        ["Hello number 1, you!", "Hello number 2, you!", "Hello number 3, you!"],
    )


def case_empty_count_means_ten(stub):
    want = [spec.greeting(number, "ann") for number in range(1, 11)]
    expect("replies", greetings(stub, "ann", ""), want)


def case_zero_greetings_is_an_empty_ok_stream(stub):
    expect("replies", greetings(stub, "ann", "0"), [])


def case_a_thousand_greetings(stub):
    want = [spec.greeting(number, "\u4e16\u754c") for number in range(1, 1001)]
    expect("replies", greetings(stub, "\u4e16\u754c", "1000"), want)


def case_bad_counts_are_invalid_argument(stub):
    for bad in ["abc", "-1", " 3", "3.0", "99999999999"]:
        expect_code(
            f"num_greetings={bad!r}",
            lambda: greetings(stub, "x", bad),
            grpc.StatusCode.INVALID_ARGUMENT,
        )


CASES = [
    case_three_greetings_numbered_from_one,
    case_empty_count_means_ten,
    case_zero_greetings_is_an_empty_ok_stream,
    case_a_thousand_greetings,
    case_bad_counts_are_invalid_argument,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="HOST:PORT of a MultiGreeter server")
    args = parser.parse_args()
    return run_cases(args.target, pb2_grpc.MultiGreeterStub, CASES)


if __name__ == "__main__":
    sys.exit(main())
