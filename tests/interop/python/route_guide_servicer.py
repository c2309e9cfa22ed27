"""routeguide.RouteGuide for the grpcio reference server: the Python
tutorial's route_guide_server.py semantics (as h2grpc serves them), on the
same database file, src/services/route_guide_db.json (or --db FILE)."""

import json
import math
import os
import threading
import time

import stubs

pb2, pb2_grpc = stubs.load("route_guide.proto")

DEFAULT_DB = os.path.join(stubs.REPO_ROOT, "src", "services", "route_guide_db.json")


def read_database(path=DEFAULT_DB):
    with open(path, encoding="utf-8") as f:
        return [
            pb2.Feature(
                name=item["name"],
                location=pb2.Point(
                    latitude=item["location"]["latitude"],
                    longitude=item["location"]["longitude"],
                ),
            )
            for item in json.load(f)
        ]


def get_feature(db, point):
    for feature in db:
        if feature.location == point:
            return feature
    return None


def get_distance(start, end):
    """The tutorial's haversine distance in metres."""
    coord_factor = 10000000.0
    lat_1 = start.latitude / coord_factor
    lat_2 = end.latitude / coord_factor
    lon_1 = start.longitude / coord_factor
    lon_2 = end.longitude / coord_factor
    lat_rad_1 = math.radians(lat_1)
    lat_rad_2 = math.radians(lat_2)
    delta_lat_rad = math.radians(lat_2 - lat_1)
    delta_lon_rad = math.radians(lon_2 - lon_1)
    a = pow(math.sin(delta_lat_rad / 2), 2) + (
        math.cos(lat_rad_1) * math.cos(lat_rad_2) * pow(math.sin(delta_lon_rad / 2), 2)
    )
    c = 2 * math.atan2(math.sqrt(a), math.sqrt(1 - a))
    return 6371000 * c


def in_rectangle(rectangle, point):
    left = min(rectangle.lo.longitude, rectangle.hi.longitude)
    right = max(rectangle.lo.longitude, rectangle.hi.longitude)
    top = max(rectangle.lo.latitude, rectangle.hi.latitude)
    bottom = min(rectangle.lo.latitude, rectangle.hi.latitude)
    return left <= point.longitude <= right and bottom <= point.latitude <= top


def summarise(db, points, elapsed_time=0):
    """RecordRoute's answer for `points`."""
    point_count = feature_count = 0
    distance = 0.0
    prev_point = None
    for point in points:
        point_count += 1
        if get_feature(db, point) is not None:
            feature_count += 1
        if prev_point is not None:
            distance += get_distance(prev_point, point)
        prev_point = point
    return pb2.RouteSummary(
        point_count=point_count,
        feature_count=feature_count,
        distance=int(distance),
        elapsed_time=elapsed_time,
    )


class RouteGuide(pb2_grpc.RouteGuideServicer):
    def __init__(self, db):
        self.db = db
        self.notes = {}
        self.lock = threading.Lock()

    def GetFeature(self, request, context):
        feature = get_feature(self.db, request)
        return feature if feature is not None else pb2.Feature(name="", location=request)

    def ListFeatures(self, request, context):
        for feature in self.db:
            if in_rectangle(request, feature.location):
                yield feature

    def RecordRoute(self, request_iterator, context):
        start = time.time()
        points = list(request_iterator)
        summary = summarise(self.db, points)
        summary.elapsed_time = int(time.time() - start)
        return summary

    def RouteChat(self, request_iterator, context):
        for note in request_iterator:
            key = (note.location.latitude, note.location.longitude)
            with self.lock:
                earlier = list(self.notes.get(key, []))
                self.notes.setdefault(key, []).append(note)
            for previous in earlier:
                yield previous


def add_arguments(parser):
    parser.add_argument("--db", default=DEFAULT_DB, help="RouteGuide's feature database (JSON)")


def register(server, args):
    pb2_grpc.add_RouteGuideServicer_to_server(RouteGuide(read_database(args.db)), server)
