//! `routeguide.RouteGuide` (proto/route_guide.proto): the route-mapping
//! service of the gRPC basics tutorials: its declaration (the [`RouteGuide`]
//! trait, [`RouteGuideServer`], [`RouteGuideClient`]), its feature database,
//! and the demo's implementation, [`TutorialRouteGuide`], with the same
//! answers as the tutorial's servers:
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

mod db;
pub mod geo;
mod messages;
mod notes;

use std::time::Instant;

use futures_util::{stream, StreamExt};

pub use db::{FeatureDb, FeatureDbError};
pub use messages::{Feature, Point, Rectangle, RouteNote, RouteSummary};
pub use notes::{NoteStore, MAX_NOTES};

use crate::rpc::{ReplyStream, Request, Response, Service, Streaming};
use crate::status::Status;

crate::service! {
    package "routeguide";
    file "route_guide.proto";

    /// Interface exported by the server.
    pub service RouteGuide {
        /// A simple RPC: the feature at a given position (a feature with an
        /// empty name when there is none).
        rpc GetFeature(Point) returns (Feature);
        /// A server-to-client streaming RPC: the features within the given
        /// rectangle, streamed rather than returned at once.
        rpc ListFeatures(Rectangle) returns (stream Feature);
        /// A client-to-server streaming RPC: a stream of points on a route,
        /// answered with a RouteSummary when the traversal is done.
        rpc RecordRoute(stream Point) returns (RouteSummary);
        /// A bidirectional streaming RPC: a stream of RouteNotes sent while a
        /// route is traversed, while receiving other RouteNotes (e.g. from
        /// other users).
        rpc RouteChat(stream RouteNote) returns (stream RouteNote);
    }
}

/// The demo's RouteGuide: answers from a feature database, and keeps
/// RouteChat's notes in a store shared by every call.
#[derive(Debug, Clone)]
pub struct TutorialRouteGuide {
    features: FeatureDb,
    notes: NoteStore,
}

impl TutorialRouteGuide {
    /// A RouteGuide on `features`, keeping RouteChat's notes in `notes`.
    pub fn new(features: FeatureDb, notes: NoteStore) -> TutorialRouteGuide {
        TutorialRouteGuide { features, notes }
    }
}

impl RouteGuide for TutorialRouteGuide {
    async fn get_feature(&self, request: Request<Point>) -> Result<Response<Feature>, Status> {
        let point = *request.get_ref();
        let feature = self.features.feature_at(point).cloned().unwrap_or(Feature {
            name: String::new(),
            location: Some(point),
        });
        Ok(Response::new(feature))
    }

    async fn list_features(
        &self,
        request: Request<Rectangle>,
    ) -> Result<Response<impl ReplyStream<Feature> + use<>>, Status> {
        let features = self.features.clone();
        let rectangle = request.into_inner();
        // Lazily, one feature at a time, as the stream has room.
        let found = (0..features.features().len()).filter_map(move |index| {
            let feature = &features.features()[index];
            geo::contains(&rectangle, feature.location.unwrap_or_default())
                .then(|| Ok(feature.clone()))
        });
        Ok(Response::new(stream::iter(found)))
    }

    async fn record_route(
        &self,
        request: Request<Streaming<Point>>,
    ) -> Result<Response<RouteSummary>, Status> {
        record_route(&self.features, request.into_inner()).await
    }

    async fn route_chat(
        &self,
        request: Request<Streaming<RouteNote>>,
    ) -> Result<Response<impl ReplyStream<RouteNote> + use<>>, Status> {
        let notes = self.notes.clone();
        let replies = request.into_inner().flat_map(move |received| {
            let earlier = received.and_then(|note| notes.exchange(note));
            match earlier {
                Ok(earlier) => stream::iter(earlier.into_iter().map(Ok)).left_stream(),
                Err(status) => stream::once(async move { Err(status) }).right_stream(),
            }
        });
        // The replies are other calls' notes, which may be long in coming:
        // the client gets the call's head at once rather than with the
        // first of them.
        let mut response = Response::new(replies);
        response.send_headers_first();
        Ok(response)
    }
}

/// The RouteGuide service on `features`, with a note store of its own.
pub fn service(features: FeatureDb) -> Service {
    service_with_notes(features, NoteStore::new())
}

/// The RouteGuide service on `features`, keeping RouteChat's notes in `notes`.
pub fn service_with_notes(features: FeatureDb, notes: NoteStore) -> Service {
    RouteGuideServer::new(TutorialRouteGuide::new(features, notes)).into()
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
