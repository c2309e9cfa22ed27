//! routeguide.RouteGuide: its typed client against the service over TCP.
#![cfg(feature = "demo")] // h2grpc::services exists with the `demo` feature only.

use std::time::{Duration, Instant};

use crate::support::{within_limit, TestServer};
use futures_util::StreamExt;
use h2grpc::rpc::{Request, Server};
use h2grpc::services::route_guide::{
    self, Feature, FeatureDb, NoteStore, Point, Rectangle, RouteGuideClient, RouteNote,
};
use h2grpc::Code;
use tokio::sync::mpsc;

const BERKSHIRE: Point = Point::new(409146138, -746188906);

async fn client_of(server: &TestServer) -> RouteGuideClient {
    RouteGuideClient::new(server.channel().await)
}

async fn tutorial_server() -> TestServer {
    TestServer::start(Server::builder().add_service(route_guide::service(FeatureDb::tutorial())))
        .await
}

fn note(latitude: i32, longitude: i32, message: &str) -> RouteNote {
    RouteNote {
        location: Some(Point::new(latitude, longitude)),
        message: message.to_owned(),
    }
}

#[tokio::test]
async fn get_feature_answers_the_known_feature_or_an_unnamed_one() {
    within_limit(async {
        let server = tutorial_server().await;
        let client = client_of(&server).await;
        let known = client.get_feature(BERKSHIRE).await.unwrap().into_inner();
        assert_eq!(
            known.name,
            "Berkshire Valley Management Area Trail, Jefferson, NJ, USA"
        );
        assert_eq!(known.location, Some(BERKSHIRE));
        let nowhere = Point::new(0, 0);
        let unknown = client.get_feature(nowhere).await.unwrap().into_inner();
        assert_eq!(
            unknown,
            Feature {
                name: String::new(),
                location: Some(nowhere)
            }
        );
    })
    .await;
}

#[tokio::test]
async fn list_features_streams_every_feature_inside_bounds_included() {
    within_limit(async {
        let db = FeatureDb::new([
            Feature {
                name: "corner".into(),
                location: Some(Point::new(10, 10)),
            },
            Feature {
                name: "inside".into(),
                location: Some(Point::new(15, 12)),
            },
            Feature {
                name: "outside".into(),
                location: Some(Point::new(21, 15)),
            },
            Feature {
                name: String::new(),
                location: Some(Point::new(20, 20)),
            },
        ]);
        let server =
            TestServer::start(Server::builder().add_service(route_guide::service(db))).await;
        let client = client_of(&server).await;
        // Corners given hi first.
        let rectangle = Rectangle {
            lo: Some(Point::new(20, 20)),
            hi: Some(Point::new(10, 10)),
        };
        let names: Vec<String> = client
            .list_features(rectangle)
            .await
            .unwrap()
            .into_inner()
            .map(|feature| feature.unwrap().name)
            .collect()
            .await;
        assert_eq!(names, ["corner", "inside", ""]);
    })
    .await;
}

#[tokio::test]
async fn record_route_counts_points_known_features_and_metres() {
    within_limit(async {
        let server = tutorial_server().await;
        let client = client_of(&server).await;
        let equator_degree = [Point::new(0, 0), Point::new(0, 10_000_000)];
        let route = [BERKSHIRE, equator_degree[0], equator_degree[1], BERKSHIRE];
        let call_began = Instant::now();
        let summary = client
            .record_route(futures_util::stream::iter(route))
            .await
            .unwrap()
            .into_inner();
        let whole_call = call_began.elapsed();
        assert_eq!(summary.point_count, 4);
        assert_eq!(summary.feature_count, 2);
        let want = route
            .windows(2)
            .map(|pair| route_guide::geo::distance_metres(pair[0], pair[1]))
            .sum::<f64>() as i32;
        assert_eq!(summary.distance, want);
        // No more whole seconds than the call took (none, unless the
        // machine is very slow).
        assert!(
            (0..=whole_call.as_secs()).contains(&(summary.elapsed_time as u64)),
            "elapsed_time {} s in a call of {whole_call:?}",
            summary.elapsed_time
        );
    })
    .await;
}

/// The trip takes at least this long between its first point and its end.
const TRIP: Duration = Duration::from_millis(1200);

/// RecordRoute's `elapsed_time` is the server's own clock, from the start of
/// its handler to the end of the route, in whole seconds. The test cannot
/// read that clock, but it can bound it with its own timestamps, so that a
/// slow machine moves the bounds instead of failing the test:
/// - at most the whole call as the client saw it (the handler starts after
///   the call is sent, and the summary comes after the handler stops);
/// - at least from the first point to the end of the route: the first point
///   is sent only once the server says the call has arrived (an interceptor
///   that runs, in the same poll of the call's task as the handler's start,
///   before anything can wait; on this single-threaded runtime the test runs
///   only after that poll), and the end of the route is read after the route
///   ended.
#[tokio::test]
async fn record_route_elapsed_time_is_whole_seconds_of_the_trip() {
    within_limit(async {
        let (arrived_tx, mut arrived) = mpsc::unbounded_channel::<()>();
        let server = TestServer::start(
            Server::builder()
                .intercept(move |_: &mut Request<()>| {
                    let _ = arrived_tx.send(());
                    Ok(())
                })
                .add_service(route_guide::service(FeatureDb::tutorial())),
        )
        .await;
        let client = client_of(&server).await;

        // The route, fed by a task that keeps the time.
        let (points, mut feed) = mpsc::channel::<Point>(1);
        let route = futures_util::stream::poll_fn(move |cx| feed.poll_recv(cx));
        let trip = tokio::spawn(async move {
            arrived.recv().await.expect("the call arrives");
            let first = Instant::now();
            points.send(BERKSHIRE).await.expect("first point");
            tokio::time::sleep(TRIP).await;
            points.send(BERKSHIRE).await.expect("second point");
            // The route ends when `points` goes, after this.
            Instant::now() - first
        });

        let call_began = Instant::now();
        let summary = client.record_route(route).await.unwrap().into_inner();
        let whole_call = call_began.elapsed();
        let first_to_end = trip.await.unwrap();

        assert_eq!(summary.point_count, 2);
        assert_eq!(summary.distance, 0);
        let (least, most) = (first_to_end.as_secs(), whole_call.as_secs());
        assert!(
            least >= 1,
            "a trip of {first_to_end:?} takes a whole second"
        );
        assert!(
            (least..=most).contains(&(summary.elapsed_time as u64)),
            "elapsed_time {} s: the trip took {first_to_end:?} from its first point to its \
             end, and the whole call {whole_call:?}",
            summary.elapsed_time
        );
    })
    .await;
}

#[tokio::test]
async fn route_chat_notes_are_shared_between_calls_and_answered_as_they_arrive() {
    within_limit(async {
        let store = NoteStore::new();
        let service = route_guide::service_with_notes(FeatureDb::tutorial(), store.clone());
        let server = TestServer::start(Server::builder().add_service(service)).await;
        let first = client_of(&server).await;
        let second = client_of(&server).await;

        // Call one: a note, then wait (the call stays open). The call starts
        // although no reply exists yet: the response head comes first.
        let (tx, rx) = mpsc::channel(4);
        let notes = futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|note| (note, rx))
        });
        tx.send(note(1, 1, "from one")).await.unwrap();
        let mut replies_one = first.route_chat(notes).await.unwrap().into_inner();
        while store.is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }

        // Call two, on another connection, at the same place: gets call
        // one's note back; closes.
        let mut replies_two = second
            .route_chat(futures_util::stream::iter([note(1, 1, "from two")]))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            replies_two.next().await.unwrap().unwrap().message,
            "from one"
        );
        assert!(replies_two.next().await.is_none());

        // Call one, still open, sends again: both earlier notes come back
        // before it half-closes.
        tx.send(note(1, 1, "again from one")).await.unwrap();
        let got: Vec<String> = vec![
            replies_one.next().await.unwrap().unwrap().message,
            replies_one.next().await.unwrap().unwrap().message,
        ];
        assert_eq!(got, ["from one", "from two"]);
        drop(tx);
        assert!(replies_one.next().await.is_none());
    })
    .await;
}

#[tokio::test]
async fn a_full_note_store_is_resource_exhausted_not_unbounded_memory() {
    within_limit(async {
        let service =
            route_guide::service_with_notes(FeatureDb::tutorial(), NoteStore::with_limit(3));
        let server = TestServer::start(Server::builder().add_service(service)).await;
        let client = client_of(&server).await;
        let notes = (0..5).map(|i| note(i, i, "n"));
        // Five notes at five places: no replies, and the fourth is refused,
        // which ends the call (trailers-only, as nothing was sent).
        let status = match client.route_chat(futures_util::stream::iter(notes)).await {
            Err(status) => status,
            Ok(response) => {
                let mut replies = response.into_inner();
                loop {
                    match replies.next().await {
                        Some(Ok(_)) => continue,
                        Some(Err(status)) => break status,
                        None => panic!("the call ended OK past the store's limit"),
                    }
                }
            }
        };
        assert_eq!(status.code(), Code::ResourceExhausted, "{status}");
        // The server goes on answering.
        assert!(client.get_feature(BERKSHIRE).await.is_ok());
    })
    .await;
}
