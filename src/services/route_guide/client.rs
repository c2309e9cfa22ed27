//! [`RouteGuideClient`]: the typed client of `routeguide.RouteGuide`.

use super::messages::{Feature, Point, Rectangle, RouteNote, RouteSummary};
use crate::rpc::{Client, IntoStreamingRequest, Request, Response, Streaming};
use crate::status::Status;
use crate::transport::Channel;

/// A typed client for `routeguide.RouteGuide`.
#[derive(Debug, Clone)]
pub struct RouteGuideClient {
    client: Client,
}

impl RouteGuideClient {
    /// A client calling on `channel`.
    pub fn new(channel: Channel) -> RouteGuideClient {
        RouteGuideClient {
            client: Client::new(channel),
        }
    }

    /// `GetFeature`: the feature at a point (unnamed when none is known).
    pub async fn get_feature(
        &self,
        point: impl Into<Request<Point>>,
    ) -> Result<Response<Feature>, Status> {
        self.client
            .unary("/routeguide.RouteGuide/GetFeature", point.into())
            .await
    }

    /// `ListFeatures`: the features inside a rectangle, streamed.
    pub async fn list_features(
        &self,
        rectangle: impl Into<Request<Rectangle>>,
    ) -> Result<Response<Streaming<Feature>>, Status> {
        self.client
            .server_streaming("/routeguide.RouteGuide/ListFeatures", rectangle.into())
            .await
    }

    /// `RecordRoute`: a stream of points in, a summary of the trip out.
    pub async fn record_route(
        &self,
        points: impl IntoStreamingRequest<Message = Point>,
    ) -> Result<Response<RouteSummary>, Status> {
        self.client
            .client_streaming(
                "/routeguide.RouteGuide/RecordRoute",
                points.into_streaming_request(),
            )
            .await
    }

    /// `RouteChat`: notes both ways; for each note sent, the earlier notes
    /// at its location come back.
    pub async fn route_chat(
        &self,
        notes: impl IntoStreamingRequest<Message = RouteNote>,
    ) -> Result<Response<Streaming<RouteNote>>, Status> {
        self.client
            .bidi_streaming(
                "/routeguide.RouteGuide/RouteChat",
                notes.into_streaming_request(),
            )
            .await
    }
}
