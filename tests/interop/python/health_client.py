"""Checks a server's grpc.health.v1.Health with grpcio-health-checking's own stubs.

Usage: health_client.py --target 127.0.0.1:PORT --service helloworld.Greeter
Prints one line per case, `PASS NAME: WHAT IT SAW` or `FAIL NAME: WHY`, then
`N passed, M failed`; exits 1 if any case failed. The cases: Check("") and
Check(SERVICE) answer SERVING, Check of an unknown service fails NOT_FOUND, List
names SERVICE as SERVING, and a Watch of "" sends SERVING first. Run against
`h2grpc serve` by tests/health/grpcio.rs.
"""

import argparse
import sys
import traceback

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

# Every call gets a deadline (health.proto: "Clients should set a deadline
# when calling Check"), so a server that never answers fails a case instead of
# hanging the run.
CALL_TIMEOUT = 10.0


class CaseFailed(Exception):
    pass


def status_name(status):
    return health_pb2.HealthCheckResponse.ServingStatus.Name(status)


def case_check_server(stub, args):
    reply = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=CALL_TIMEOUT)
    return expect_serving(reply.status)


def case_check_service(stub, args):
    request = health_pb2.HealthCheckRequest(service=args.service)
    reply = stub.Check(request, timeout=CALL_TIMEOUT)
    return expect_serving(reply.status)


def case_check_unknown(stub, args):
    request = health_pb2.HealthCheckRequest(service="no.such.Service")
    try:
        reply = stub.Check(request, timeout=CALL_TIMEOUT)
    except grpc.RpcError as err:
        if err.code() != grpc.StatusCode.NOT_FOUND:
            raise CaseFailed(f"status {err.code()}, want NOT_FOUND")
        return err.code().name
    raise CaseFailed(f"answered {status_name(reply.status)}, want NOT_FOUND")


def case_list(stub, args):
    reply = stub.List(health_pb2.HealthListRequest(), timeout=CALL_TIMEOUT)
    for name in ("", args.service):
        if name not in reply.statuses:
            raise CaseFailed(f"{name!r} not listed: {sorted(reply.statuses)}")
    status = status_name(reply.statuses[args.service].status)
    return f"{args.service}={status}"


def case_watch_first(stub, args):
    call = stub.Watch(health_pb2.HealthCheckRequest(service=""), timeout=CALL_TIMEOUT)
    try:
        first = next(call)
    finally:
        call.cancel()
    return expect_serving(first.status)


def expect_serving(status):
    name = status_name(status)
    if status != health_pb2.HealthCheckResponse.SERVING:
        raise CaseFailed(f"status {name}, want SERVING")
    return name


CASES = [
    ("check_server", case_check_server),
    ("check_service", case_check_service),
    ("check_unknown", case_check_unknown),
    ("list", case_list),
    ("watch_first", case_watch_first),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="HOST:PORT")
    parser.add_argument("--service", required=True, help="a service the server offers")
    args = parser.parse_args()
    passed = failed = 0
    with grpc.insecure_channel(args.target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        for name, case in CASES:
            try:
                saw = case(stub, args)
            except CaseFailed as err:
                print(f"FAIL {name}: {err}")
                failed += 1
            except Exception:
                print(f"FAIL {name}: {traceback.format_exc().strip()}")
                failed += 1
            else:
                print(f"PASS {name}: {saw}")
                passed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
