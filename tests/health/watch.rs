//! Watch: the current status at once, then each change (and only changes);
//! an unknown service is SERVICE_UNKNOWN with the call kept open until the
//! service becomes known (health.proto's Watch comment).

use std::time::Duration;

use h2grpc::services::health::{
    HealthCheckRequest, HealthCheckResponse, HealthReporter, ServingStatus,
};
use h2grpc::{Status, Streaming};

use crate::support::within_limit;
use crate::{client, serve, GREETER};

/// How long a test waits to see that nothing more arrives on a Watch: long
/// enough for a message the server sent at once to cross loopback, short
/// enough for the suite. A message that does arrive fails the test.
const QUIET: Duration = Duration::from_millis(300);

async fn watch(
    server: &crate::support::TestServer,
    service: &str,
) -> Streaming<HealthCheckResponse> {
    client(server)
        .await
        .watch(HealthCheckRequest {
            service: service.to_owned(),
        })
        .await
        .expect("watch starts")
        .into_inner()
}

/// The next status on the stream (failing the test if it ended).
async fn next(stream: &mut Streaming<HealthCheckResponse>) -> ServingStatus {
    stream
        .message()
        .await
        .expect("the watch stays OK")
        .expect("the watch stays open")
        .status
}

/// Fails the test if the stream yields anything (a message, its end, an
/// error) within [`QUIET`].
async fn assert_quiet(stream: &mut Streaming<HealthCheckResponse>) {
    let got: Result<Result<Option<HealthCheckResponse>, Status>, _> =
        tokio::time::timeout(QUIET, stream.message()).await;
    assert!(
        got.is_err(),
        "expected nothing more on the watch, got {got:?}"
    );
}

#[tokio::test]
async fn watch_sends_the_current_status_at_once_then_each_change() {
    within_limit(async {
        let reporter = HealthReporter::new();
        let server = serve(&reporter).await;
        let mut stream = watch(&server, GREETER).await;
        assert_eq!(next(&mut stream).await, ServingStatus::SERVING);
        assert_quiet(&mut stream).await;

        reporter.set_not_serving(GREETER);
        assert_eq!(next(&mut stream).await, ServingStatus::NOT_SERVING);
        // The same status again is no change: nothing is sent for it, and
        // the next message is the next real change.
        reporter.set_not_serving(GREETER);
        assert_quiet(&mut stream).await;
        reporter.set_serving(GREETER);
        assert_eq!(next(&mut stream).await, ServingStatus::SERVING);
        // Another service's change is not this watch's business.
        reporter.set_not_serving("");
        assert_quiet(&mut stream).await;
    })
    .await;
}

#[tokio::test]
async fn watch_of_an_unknown_service_stays_open_until_it_becomes_known() {
    within_limit(async {
        let reporter = HealthReporter::new();
        let server = serve(&reporter).await;
        let mut stream = watch(&server, "later.Service").await;
        assert_eq!(next(&mut stream).await, ServingStatus::SERVICE_UNKNOWN);
        // "but will *not* terminate the call"
        assert_quiet(&mut stream).await;

        reporter.set_serving("later.Service");
        assert_eq!(next(&mut stream).await, ServingStatus::SERVING);
        reporter.set_not_serving("later.Service");
        assert_eq!(next(&mut stream).await, ServingStatus::NOT_SERVING);
    })
    .await;
}

#[tokio::test]
async fn two_watchers_of_one_service_each_see_every_change() {
    within_limit(async {
        let reporter = HealthReporter::new();
        let server = serve(&reporter).await;
        let mut first = watch(&server, "").await;
        let mut second = watch(&server, "").await;
        assert_eq!(next(&mut first).await, ServingStatus::SERVING);
        assert_eq!(next(&mut second).await, ServingStatus::SERVING);
        reporter.set_not_serving("");
        assert_eq!(next(&mut first).await, ServingStatus::NOT_SERVING);
        assert_eq!(next(&mut second).await, ServingStatus::NOT_SERVING);
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_watch_leaves_the_server_serving_other_watches() {
    within_limit(async {
        let reporter = HealthReporter::new();
        let server = serve(&reporter).await;
        let mut dropped = watch(&server, "gone.Service").await;
        assert_eq!(next(&mut dropped).await, ServingStatus::SERVICE_UNKNOWN);
        drop(dropped);
        // A new watch of the same unknown name after the first one left
        // starts over and still hears of the service becoming known.
        let mut stream = watch(&server, "gone.Service").await;
        assert_eq!(next(&mut stream).await, ServingStatus::SERVICE_UNKNOWN);
        reporter.set_serving("gone.Service");
        assert_eq!(next(&mut stream).await, ServingStatus::SERVING);
    })
    .await;
}
