"""Calls every contact.Contact method with grpcio and checks the answers exactly.

Usage: contact_client.py --target 127.0.0.1:PORT
The server must push demo tasks ("task 1", "task 2", ...) often: run it with
`--task-every 0.2` (h2grpc serve and tutorial_server.py both take it).
Prints one line per case (PASS/FAIL), then `N passed, M failed`; exits 1 if any
case failed. Run against h2grpc by tests/interop/contact.rs, and against the
grpcio reference server tutorial_server.py to prove the checks themselves.
"""

import argparse
import queue
import re
import sys
import threading
import traceback

import grpc

import contact_servicer as spec

pb2, pb2_grpc = spec.pb2, spec.pb2_grpc

# Every call gets a deadline, so a server that never answers fails a case
# instead of hanging the run.
CALL_TIMEOUT = 10.0
# How long sendStatus may take to answer one status before the case calls the
# server out for waiting on the next status (or on the end of the stream).
ANSWER_WAIT = 5.0
# How many tasks both subscribers must receive in common.
SHARED_TASKS = 3

TASK = re.compile(r"task (\d+)")


class CaseFailed(Exception):
    pass


def expect(what, got, want):
    if got != want:
        raise CaseFailed(f"{what}: got {got!r}, want {want!r}")


def task_number(text):
    match = TASK.fullmatch(text)
    if match is None:
        raise CaseFailed(f"task {text!r} is not a numbered demo task")
    return int(match.group(1))


# ---- cases -----------------------------------------------------------------


def case_send_status_answers_each_status_as_it_arrives(stub):
    statuses = ["online", "busy", "\u6570\u636e:7", ""]
    requests = queue.Queue()
    answers = queue.Queue()
    end = object()

    def request_iterator():
        # Each status is released only once the reply to the previous one was
        # seen: a server that waits for more statuses never gets them.
        while True:
            item = requests.get()
            if item is end:
                return
            yield item

    call = stub.sendStatus(request_iterator(), timeout=CALL_TIMEOUT)

    def read_answers():
        try:
            for answer in call:
                answers.put(("answer", answer.ret))
            answers.put(("end", call.code()))
        except grpc.RpcError as err:
            answers.put(("end", err.code()))

    reader = threading.Thread(target=read_answers, daemon=True)
    reader.start()
    try:
        for i, msg in enumerate(statuses):
            requests.put(pb2.ClientMsg(msg=msg))
            try:
                kind, value = answers.get(timeout=ANSWER_WAIT)
            except queue.Empty:
                raise CaseFailed(
                    f"no answer to status {i} ({msg!r}) within {ANSWER_WAIT}s: "
                    "the server does not answer each status as it arrives"
                )
            if kind != "answer":
                raise CaseFailed(f"stream ended with {value} after {i} answers")
            expect(f"answer {i}", value, spec.status_answer(msg))
        requests.put(end)
        kind, value = answers.get(timeout=CALL_TIMEOUT)
        expect("after the last answer", (kind, value), ("end", grpc.StatusCode.OK))
    finally:
        requests.put(end)
        call.cancel()
        reader.join(timeout=CALL_TIMEOUT)


def case_send_status_with_no_statuses_answers_nothing(stub):
    call = stub.sendStatus(iter([]), timeout=CALL_TIMEOUT)
    expect("answers", [answer.ret for answer in call], [])
    expect("status", call.code(), grpc.StatusCode.OK)


def read_until(call, last):
    """Task numbers from CALL up to and including LAST (each must follow the one
    before it)."""
    numbers = []
    for task in call:
        number = task_number(task.task)
        if numbers and number != numbers[-1] + 1:
            raise CaseFailed(f"task {number} came after task {numbers[-1]}: tasks were skipped or reordered")
        numbers.append(number)
        if number >= last:
            return numbers
    raise CaseFailed(f"the stream ended after tasks {numbers}, before task {last}")


def case_two_subscribers_receive_the_same_consecutive_tasks_in_order(stub):
    first = stub.getTask(pb2.Empty(), timeout=CALL_TIMEOUT)
    second = stub.getTask(pb2.Empty(), timeout=CALL_TIMEOUT)
    try:
        # Once each has a task, both are subscribed: every later task must
        # reach both, in order, none skipped.
        first_start = task_number(next(first).task)
        second_start = task_number(next(second).task)
        both_from = max(first_start, second_start) + 1
        last = both_from + SHARED_TASKS - 1
        first_numbers = [first_start] + read_until(first, last)
        second_numbers = [second_start] + read_until(second, last)
        for name, numbers in (("first", first_numbers), ("second", second_numbers)):
            expect(f"{name} subscriber's tasks", numbers, list(range(numbers[0], last + 1)))
        shared = list(range(both_from, last + 1))
        expect("tasks both received", [n for n in first_numbers if n >= both_from], shared)
        expect("tasks both received", [n for n in second_numbers if n >= both_from], shared)
    finally:
        first.cancel()
        second.cancel()


def case_a_new_subscriber_gets_tasks_after_another_cancelled(stub):
    gone = stub.getTask(pb2.Empty(), timeout=CALL_TIMEOUT)
    task_number(next(gone).task)
    gone.cancel()
    again = stub.getTask(pb2.Empty(), timeout=CALL_TIMEOUT)
    try:
        start = task_number(next(again).task)
        expect("the next task", read_until(again, start + 1), [start + 1])
    finally:
        again.cancel()


def case_tell_result_returns_empty(stub):
    results = [pb2.Result(ret=spec.task_ack(spec.demo_task(n))) for n in (1, 2, 3)]
    reply = stub.tellResult(iter(results), timeout=CALL_TIMEOUT)
    expect("reply type", type(reply).__name__, "Empty")
    expect("reply size", reply.ByteSize(), 0)


def case_tell_result_with_no_results_returns_empty(stub):
    reply = stub.tellResult(iter([]), timeout=CALL_TIMEOUT)
    expect("reply type", type(reply).__name__, "Empty")


CASES = [
    case_send_status_answers_each_status_as_it_arrives,
    case_send_status_with_no_statuses_answers_nothing,
    case_two_subscribers_receive_the_same_consecutive_tasks_in_order,
    case_a_new_subscriber_gets_tasks_after_another_cancelled,
    case_tell_result_returns_empty,
    case_tell_result_with_no_results_returns_empty,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="HOST:PORT of a Contact server")
    args = parser.parse_args()

    passed = failed = 0
    with grpc.insecure_channel(args.target) as channel:
        try:
            grpc.channel_ready_future(channel).result(timeout=CALL_TIMEOUT)
        except grpc.FutureTimeoutError:
            print(f"FAIL connect: no connection to {args.target} within {CALL_TIMEOUT}s")
            print("0 passed, 1 failed", flush=True)
            return 1
        stub = pb2_grpc.ContactStub(channel)
        for case in CASES:
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


if __name__ == "__main__":
    sys.exit(main())
