"""The little case runner the grpcio interop clients share: each case is a
function `case_NAME(stub)` that raises CaseFailed (or lets an RpcError out)
to fail; run_cases prints one PASS/FAIL line per case, then
`N passed, M failed`, and returns the exit status."""

import traceback

import grpc

# Every call gets a deadline, so a server that never answers fails a case
# instead of hanging the run.
CALL_TIMEOUT = 10.0


class CaseFailed(Exception):
    pass


def shorten(value):
    text = repr(value)
    return text if len(text) <= 200 else text[:120] + f"... ({len(text)} chars)"


def expect(what, got, want):
    if got != want:
        raise CaseFailed(f"{what}: got {shorten(got)}, want {shorten(want)}")


def expect_code(what, call, want):
    """Runs `call()`, which must raise an RpcError with status `want`."""
    try:
        result = call()
    except grpc.RpcError as err:
        expect(f"{what} status", err.code(), want)
        return err
    raise CaseFailed(f"{what}: succeeded with {shorten(result)}, want {want}")


def run_cases(target, make_stub, cases):
    """Connects to `target`, runs every case with `make_stub(channel)`,
    prints the results; returns 0 if all passed, else 1."""
    passed = failed = 0
    with grpc.insecure_channel(target) as channel:
        try:
            grpc.channel_ready_future(channel).result(timeout=CALL_TIMEOUT)
        except grpc.FutureTimeoutError:
            print(f"FAIL connect: no connection to {target} within {CALL_TIMEOUT}s")
            print("0 passed, 1 failed", flush=True)
            return 1
        stub = make_stub(channel)
        for case in cases:
            name = case.__name__[len("case_"):]
            try:
                case(stub)
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
