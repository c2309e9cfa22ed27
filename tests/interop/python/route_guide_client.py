"""Calls every routeguide.RouteGuide method with grpcio and checks the
answers exactly against the tutorial's semantics, computed here in Python
from the same database.

Usage: route_guide_client.py --target 127.0.0.1:PORT
The server must be fresh (RouteChat's notes are shared by all its calls).
Run against h2grpc by tests/interop/route_guide.rs, and against the grpcio
reference (tutorial_server.py) to prove the checks themselves.
"""

import argparse
import queue
import random
import sys
import threading
import time

import route_guide_servicer as spec
from cases import CALL_TIMEOUT, CaseFailed, expect, run_cases

pb2, pb2_grpc = spec.pb2, spec.pb2_grpc
DB = spec.read_database()
BERKSHIRE = pb2.Point(latitude=409146138, longitude=-746188906)


def case_get_feature_known_and_unknown(stub):
    feature = stub.GetFeature(BERKSHIRE, timeout=CALL_TIMEOUT)
    expect("name", feature.name, "Berkshire Valley Management Area Trail, Jefferson, NJ, USA")
    expect("location", feature.location, BERKSHIRE)
    nowhere = pb2.Point(latitude=1, longitude=-1)
    feature = stub.GetFeature(nowhere, timeout=CALL_TIMEOUT)
    expect("unknown point", feature, pb2.Feature(name="", location=nowhere))


def case_list_features_in_the_tutorial_rectangle(stub):
    rectangle = pb2.Rectangle(
        lo=pb2.Point(latitude=400000000, longitude=-750000000),
        hi=pb2.Point(latitude=420000000, longitude=-730000000),
    )
    want = [f for f in DB if spec.in_rectangle(rectangle, f.location)]
    got = list(stub.ListFeatures(rectangle, timeout=CALL_TIMEOUT))
    expect("features", got, want)
    expect("count", len(got), 100)


def case_list_features_corners_in_any_order_bounds_included(stub):
    # The rectangle's corners are two features' own points, given hi first.
    a, b = DB[0].location, DB[1].location
    rectangle = pb2.Rectangle(
        lo=pb2.Point(latitude=max(a.latitude, b.latitude), longitude=max(a.longitude, b.longitude)),
        hi=pb2.Point(latitude=min(a.latitude, b.latitude), longitude=min(a.longitude, b.longitude)),
    )
    want = [f for f in DB if spec.in_rectangle(rectangle, f.location)]
    got = list(stub.ListFeatures(rectangle, timeout=CALL_TIMEOUT))
    expect("features", got, want)
    if DB[0] not in got:
        raise CaseFailed("a feature on the rectangle's corner is missing")


def case_list_features_empty_rectangle(stub):
    rectangle = pb2.Rectangle(lo=pb2.Point(latitude=1, longitude=1), hi=pb2.Point(latitude=2, longitude=2))
    expect("features", list(stub.ListFeatures(rectangle, timeout=CALL_TIMEOUT)), [])


def case_record_route_counts_and_distance(stub):
    rng = random.Random(7)
    points = [rng.choice(DB).location for _ in range(10)]
    points.insert(3, pb2.Point(latitude=1, longitude=2))  # not a feature
    began = time.monotonic()
    summary = stub.RecordRoute(iter(points), timeout=CALL_TIMEOUT)
    whole_call = time.monotonic() - began
    want = spec.summarise(DB, points)
    expect("point_count", summary.point_count, 11)
    expect("feature_count", summary.feature_count, 10)
    expect("distance", summary.distance, want.distance)
    # No more whole seconds than the call took (none, unless the machine is
    # very slow).
    if not 0 <= summary.elapsed_time <= int(whole_call):
        raise CaseFailed(f"elapsed_time {summary.elapsed_time} s in a call of {whole_call:.3f} s")


def case_record_route_of_no_points(stub):
    expect("summary", stub.RecordRoute(iter([]), timeout=CALL_TIMEOUT), pb2.RouteSummary())


def case_route_chat_replies_as_notes_arrive(stub):
    # Notes go out one at a time; each waits for the replies the one before
    # it must get, so a server that waits for the end of the stream fails.
    location = pb2.Point(latitude=123, longitude=456)
    requests = queue.Queue()
    end = object()

    def notes():
        while True:
            item = requests.get()
            if item is end:
                return
            yield item

    call = stub.RouteChat(notes(), timeout=CALL_TIMEOUT)
    replies = queue.Queue()

    def read():
        try:
            for reply in call:
                replies.put(reply)
        except Exception as err:  # noqa: BLE001 - reported by the main thread
            replies.put(err)
        replies.put(end)

    threading.Thread(target=read, daemon=True).start()
    sent = []
    for i in range(4):
        note = pb2.RouteNote(location=location, message=f"note {i}")
        requests.put(note)
        for want in sent:
            try:
                got = replies.get(timeout=5)
            except queue.Empty:
                raise CaseFailed(f"no reply to note {i} before the stream ended")
            expect(f"reply to note {i}", got, want)
        sent.append(note)
    requests.put(end)
    expect("end of replies", replies.get(timeout=5), end)


def case_route_chat_tutorial_notes(stub):
    notes = [
        pb2.RouteNote(location=pb2.Point(latitude=lat, longitude=lon), message=text)
        for text, lat, lon in [
            ("First message", 0, 0),
            ("Second message", 0, 1),
            ("Third message", 1, 0),
            ("Fourth message", 0, 0),
            ("Fifth message", 1, 0),
        ]
    ]
    got = [reply.message for reply in stub.RouteChat(iter(notes), timeout=CALL_TIMEOUT)]
    expect("replies", got, ["First message", "Third message"])


CASES = [
    case_get_feature_known_and_unknown,
    case_list_features_in_the_tutorial_rectangle,
    case_list_features_corners_in_any_order_bounds_included,
    case_list_features_empty_rectangle,
    case_record_route_counts_and_distance,
    case_record_route_of_no_points,
    case_route_chat_replies_as_notes_arrive,
    case_route_chat_tutorial_notes,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="HOST:PORT of a fresh RouteGuide server")
    args = parser.parse_args()
    return run_cases(args.target, pb2_grpc.RouteGuideStub, CASES)


if __name__ == "__main__":
    sys.exit(main())
