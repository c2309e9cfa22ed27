//! The messages of `routeguide.RouteGuide`, as in proto/route_guide.proto.

crate::message! {
    package "routeguide";
    file "route_guide.proto";

    /// Points are latitude-longitude pairs in the E7 representation (degrees
    /// multiplied by 10**7 and rounded to the nearest integer). Latitudes are
    /// in the range +/- 90 degrees and longitudes in +/- 180 degrees.
    #[derive(Copy, Eq, Hash)]
    pub struct Point {
        /// Latitude in degrees × 10^7.
        latitude: int32 = 1,
        /// Longitude in degrees × 10^7.
        longitude: int32 = 2,
    }

    /// A latitude-longitude rectangle, given by two diagonally opposite
    /// corners, in any order.
    pub struct Rectangle {
        /// One corner of the rectangle.
        lo: message Point = 1,
        /// The other corner of the rectangle.
        hi: message Point = 2,
    }

    /// A feature names something at a given point. If a feature could not be
    /// named, the name is empty.
    pub struct Feature {
        /// The name of the feature.
        name: string = 1,
        /// The point where the feature is detected.
        location: message Point = 2,
    }

    /// A message sent while at a given point.
    pub struct RouteNote {
        /// The location from which the message is sent.
        location: message Point = 1,
        /// The message to be sent.
        message: string = 2,
    }

    /// A summary of a route: the answer to RecordRoute.
    pub struct RouteSummary {
        /// The number of points received.
        point_count: int32 = 1,
        /// The number of known features passed while traversing the route.
        feature_count: int32 = 2,
        /// The distance covered in metres.
        distance: int32 = 3,
        /// The duration of the traversal in seconds.
        elapsed_time: int32 = 4,
    }
}

impl Point {
    /// The point at `latitude`, `longitude` (E7).
    pub const fn new(latitude: i32, longitude: i32) -> Point {
        Point {
            latitude,
            longitude,
        }
    }
}
