//! `routeguide.RouteGuide` (proto/route_guide.proto): the route-mapping
//! service of the gRPC basics tutorials, with its feature database, its
//! typed client, and the same answers as the tutorial's servers:
//! - GetFeature: the feature at a point, or an unnamed feature there when
//!   none is known;
//! - ListFeatures: every feature (named or not, as in the tutorials) inside
//!   a rectangle whose corners come in any order, bounds included, streamed
//!   as found;
//! - RecordRoute: how many points, how many of them are known features, the
//!   distance in metres (haversine, R = 6371000, summed and then truncated as
//!   the Python tutorial does) and the elapsed whole seconds;
//! - RouteChat: for each incoming note, every earlier note at the same
//!   location (from any call on this server), then the note is stored.

mod client;
mod db;
pub mod geo;
mod messages;
mod notes;

use std::time::Instant;

use futures_util::{stream, StreamExt};

pub use client::RouteGuideClient;
pub use db::{FeatureDb, FeatureDbError};
pub use messages::{Feature, Point, Rectangle, RouteNote, RouteSummary};
pub use notes::{NoteStore, MAX_NOTES};

use crate::rpc::{Request, Response, Service, Streaming};
use crate::status::Status;

/// The service's full name.
pub const SERVICE_NAME: &str = "routeguide.RouteGuide";

/// The RouteGuide service on `features`, with a note store of its own.
pub fn service(features: FeatureDb) -> Service {
    service_with_notes(features, NoteStore::new())
}

/// The RouteGuide service on `features`, keeping RouteChat's notes in `notes`.
pub fn service_with_notes(features: FeatureDb, notes: NoteStore) -> Service {
    let for_get = features.clone();
    let for_list = features.clone();
    let for_record = features;
    Service::new(SERVICE_NAME)
        .unary("GetFeature", move |request: Request<Point>| {
            let point = *request.get_ref();
            let feature = for_get.feature_at(point).cloned().unwrap_or(Feature {
                name: String::new(),
                location: Some(point),
            });
            async move { Ok(Response::new(feature)) }
        })
        .server_streaming("ListFeatures", move |request: Request<Rectangle>| {
            let features = for_list.clone();
            let rectangle = request.into_inner();
            async move {
                // Lazily, one feature at a time, as the stream has room.
                let found = (0..features.features().len()).filter_map(move |index| {
                    let feature = &features.features()[index];
                    geo::contains(&rectangle, feature.location.unwrap_or_default())
                        .then(|| Ok(feature.clone()))
                });
                Ok(Response::new(stream::iter(found)))
            }
        })
        .client_streaming("RecordRoute", move |request: Request<Streaming<Point>>| {
            let features = for_record.clone();
            async move { record_route(&features, request.into_inner()).await }
        })
        .bidi_streaming(
            "RouteChat",
            move |request: Request<Streaming<RouteNote>>| {
                let notes = notes.clone();
                let replies = request.into_inner().flat_map(move |received| {
                    let earlier = received.and_then(|note| notes.exchange(note));
                    match earlier {
                        Ok(earlier) => stream::iter(earlier.into_iter().map(Ok)).left_stream(),
                        Err(status) => stream::once(async move { Err(status) }).right_stream(),
                    }
                });
                async move { Ok(Response::new(replies)) }
            },
        )
}

/// Reads the route to its end and sums it up.
async fn record_route(
    features: &FeatureDb,
    mut points: Streaming<Point>,
) -> Result<Response<RouteSummary>, Status> {
    let started = Instant::now();
    let mut point_count: i32 = 0;
    let mut feature_count: i32 = 0;
    let mut distance = 0.0_f64;
    let mut previous: Option<Point> = None;
    while let Some(point) = points.message().await? {
        point_count = point_count.saturating_add(1);
        if features.feature_at(point).is_some() {
            feature_count = feature_count.saturating_add(1);
        }
        if let Some(previous) = previous {
            distance += geo::distance_metres(previous, point);
        }
        previous = Some(point);
    }
    Ok(Response::new(RouteSummary {
        point_count,
        feature_count,
        // Truncated toward zero, as Python's int(); saturates past i32::MAX.
        distance: distance as i32,
        elapsed_time: i32::try_from(started.elapsed().as_secs()).unwrap_or(i32::MAX),
    }))
}
