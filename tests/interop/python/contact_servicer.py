"""contact.Contact for the grpcio reference server, with the semantics h2grpc
serves (src/services/contact/), and the texts both use:

- sendStatus answers each status as it arrives: "Server received the message: MSG";
- getTask keeps the stream open and yields every task pushed after the client
  subscribed, in push order, to every subscriber; a subscriber more than
  TASK_BACKLOG tasks behind gets the tasks before the gap, then
  RESOURCE_EXHAUSTED; a cancelled subscriber is unsubscribed at once;
- tellResult records each acknowledgement (the most recent MAX_ACKS) and
  answers Empty once the stream ends.

A demo pusher thread pushes "task 1", "task 2", ... every --task-every seconds
(5 by default), as `h2grpc serve` does.
"""

import collections
import threading
import time

import grpc

import stubs

pb2, pb2_grpc = stubs.load("contact.proto")

# The same bounds as src/services/contact/ (TASK_BACKLOG, MAX_ACKS).
TASK_BACKLOG = 256
MAX_ACKS = 1024
DEFAULT_TASK_EVERY = 5.0


def status_answer(msg):
    """sendStatus's answer to one status."""
    return f"Server received the message: {msg}"


def task_ack(task):
    """The acknowledgement a client sends on tellResult for a task."""
    return f"Client received the task: {task}"


def demo_task(number):
    """The NUMBER-th task the demo pusher pushes (from 1)."""
    return f"task {number}"


def lagged_message(missed):
    return f"this getTask subscriber fell behind and missed {missed} tasks; subscribe again"


class Subscription:
    """One subscriber's pending tasks, at most `backlog` of them."""

    def __init__(self, backlog):
        self._cond = threading.Condition()
        self._tasks = collections.deque()
        self._backlog = backlog
        self._missed = 0
        self._closed = False

    def offer(self, task):
        with self._cond:
            if self._missed or len(self._tasks) >= self._backlog:
                self._missed += 1
            else:
                self._tasks.append(task)
            self._cond.notify()

    def close(self):
        with self._cond:
            self._closed = True
            self._cond.notify()

    def next(self):
        """("task", TEXT), then ("missed", N) once the backlog overflowed, or
        ("closed", None) once the call is over."""
        with self._cond:
            while not (self._tasks or self._missed or self._closed):
                self._cond.wait()
            if self._closed:
                return ("closed", None)
            if self._tasks:
                return ("task", self._tasks.popleft())
            return ("missed", self._missed)


class TaskQueue:
    """The tasks pushed to getTask subscribers, and tellResult's acknowledgements."""

    def __init__(self, backlog=TASK_BACKLOG):
        self._lock = threading.Lock()
        self._subscribers = set()
        self._backlog = backlog
        self.acks = collections.deque(maxlen=MAX_ACKS)

    def push(self, task):
        """Offers TASK to every subscriber; returns how many there were."""
        with self._lock:
            subscribers = list(self._subscribers)
        for subscription in subscribers:
            subscription.offer(task)
        return len(subscribers)

    def subscribe(self):
        subscription = Subscription(self._backlog)
        with self._lock:
            self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription):
        with self._lock:
            self._subscribers.discard(subscription)
        subscription.close()


class Contact(pb2_grpc.ContactServicer):
    def __init__(self, tasks):
        self.tasks = tasks

    def sendStatus(self, request_iterator, context):
        for status in request_iterator:
            yield pb2.Result(ret=status_answer(status.msg))

    def getTask(self, request, context):
        subscription = self.tasks.subscribe()
        # Unsubscribes (and wakes the wait below) however the call ends.
        context.add_callback(lambda: self.tasks.unsubscribe(subscription))
        # The response head goes out now: the client sees it is subscribed.
        context.send_initial_metadata(())
        while True:
            kind, value = subscription.next()
            if kind == "task":
                yield pb2.ServerMsg(task=value)
            elif kind == "missed":
                self.tasks.unsubscribe(subscription)
                context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, lagged_message(value))
            else:
                return

    def tellResult(self, request_iterator, context):
        for result in request_iterator:
            self.tasks.acks.append(result.ret)
        return pb2.Empty()


def push_demo_tasks(tasks, every):
    """Pushes demo_task(1), demo_task(2), ... one every EVERY seconds, forever."""
    number = 0
    next_at = time.monotonic() + every
    while True:
        time.sleep(max(0.0, next_at - time.monotonic()))
        number += 1
        tasks.push(demo_task(number))
        next_at = max(next_at + every, time.monotonic())


def add_arguments(parser):
    parser.add_argument(
        "--task-every",
        type=float,
        default=DEFAULT_TASK_EVERY,
        metavar="SECONDS",
        help="seconds between the demo tasks pushed to Contact's getTask subscribers",
    )


def register(server, args):
    every = getattr(args, "task_every", DEFAULT_TASK_EVERY)
    if every <= 0:
        raise SystemExit(f"--task-every must be a positive number of seconds, not {every}")
    tasks = TaskQueue()
    threading.Thread(target=push_demo_tasks, args=(tasks, every), daemon=True).start()
    pb2_grpc.add_ContactServicer_to_server(Contact(tasks), server)
