//! Geometry on E7 points: the haversine distance and rectangle membership,
//! computed exactly as the tutorial's Python server does, so that our
//! answers match grpcio's to the metre.

use super::messages::{Point, Rectangle};

/// The Earth's radius, in metres, that the tutorial uses.
pub const EARTH_RADIUS_METRES: f64 = 6_371_000.0;

/// E7 units per degree.
const COORD_FACTOR: f64 = 10_000_000.0;

/// The great-circle distance from `start` to `end` in metres, by the
/// haversine formula (<http://mathforum.org/library/drmath/view/51879.html>),
/// with the tutorial's operations in the tutorial's order.
pub fn distance_metres(start: Point, end: Point) -> f64 {
    let lat_1 = f64::from(start.latitude) / COORD_FACTOR;
    let lat_2 = f64::from(end.latitude) / COORD_FACTOR;
    let lon_1 = f64::from(start.longitude) / COORD_FACTOR;
    let lon_2 = f64::from(end.longitude) / COORD_FACTOR;
    let lat_rad_1 = lat_1.to_radians();
    let lat_rad_2 = lat_2.to_radians();
    let delta_lat_rad = (lat_2 - lat_1).to_radians();
    let delta_lon_rad = (lon_2 - lon_1).to_radians();
    let a = (delta_lat_rad / 2.0).sin().powi(2)
        + lat_rad_1.cos() * lat_rad_2.cos() * (delta_lon_rad / 2.0).sin().powi(2);
    let c = 2.0 * a.sqrt().atan2((1.0 - a).sqrt());
    EARTH_RADIUS_METRES * c
}

/// Whether `point` lies inside `rectangle`, bounds included; the corners
/// may be given in any order, and a missing corner is the point (0, 0).
pub fn contains(rectangle: &Rectangle, point: Point) -> bool {
    let lo = rectangle.lo.unwrap_or_default();
    let hi = rectangle.hi.unwrap_or_default();
    let (left, right) = min_max(lo.longitude, hi.longitude);
    let (bottom, top) = min_max(lo.latitude, hi.latitude);
    (left..=right).contains(&point.longitude) && (bottom..=top).contains(&point.latitude)
}

fn min_max(a: i32, b: i32) -> (i32, i32) {
    (a.min(b), a.max(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_is_zero_to_itself_and_symmetric() {
        let a = Point::new(409146138, -746188906);
        let b = Point::new(407838351, -746143763);
        assert_eq!(distance_metres(a, a), 0.0);
        assert_eq!(distance_metres(a, b), distance_metres(b, a));
        // About 14.5 km apart, north to south.
        let metres = distance_metres(a, b);
        assert!((14_000.0..15_000.0).contains(&metres), "{metres}");
    }

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let metres = distance_metres(Point::new(0, 0), Point::new(10_000_000, 0));
        assert!((metres - 111_194.9).abs() < 0.1, "{metres}");
    }

    #[test]
    fn rectangles_include_their_bounds_with_corners_in_any_order() {
        let rectangle = Rectangle {
            lo: Some(Point::new(420000000, -730000000)),
            hi: Some(Point::new(400000000, -750000000)),
        };
        assert!(contains(&rectangle, Point::new(400000000, -750000000)));
        assert!(contains(&rectangle, Point::new(420000000, -730000000)));
        assert!(contains(&rectangle, Point::new(410000000, -740000000)));
        assert!(!contains(&rectangle, Point::new(399999999, -740000000)));
        assert!(!contains(&rectangle, Point::new(410000000, -729999999)));
    }
}
