//! Graceful shutdown with health: every status turns NOT_SERVING before
//! GOAWAY, a Watch sees it and then ends with UNAVAILABLE, so watchers do
//! not hold the shutdown up for its grace period.

use std::time::{Duration, Instant};

use h2grpc::services::health::{HealthCheckRequest, HealthReporter, ServingStatus};
use h2grpc::Code;

use crate::support::{self, within_limit, TestServer};
use crate::{client, GREETER};

/// Far longer than the shutdown may take: a shutdown that waits for the
/// watchers' calls to end by themselves takes all of it.
const GRACE: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_watch_sees_not_serving_then_unavailable_and_the_shutdown_does_not_wait_for_it() {
    within_limit(async {
        let reporter = HealthReporter::new();
        let server = support::greeter::server()
            .shutdown_grace(GRACE)
            .health_with(reporter.clone());
        let mut server = TestServer::start(server).await;
        let health = client(&server).await;
        let mut known = health
            .watch(HealthCheckRequest {
                service: GREETER.to_owned(),
            })
            .await
            .expect("watch")
            .into_inner();
        let mut unknown = health
            .watch(HealthCheckRequest {
                service: "never.Registered".to_owned(),
            })
            .await
            .expect("watch")
            .into_inner();
        let first = known.message().await.expect("ok").expect("a status");
        assert_eq!(first.status, ServingStatus::SERVING);
        let first = unknown.message().await.expect("ok").expect("a status");
        assert_eq!(first.status, ServingStatus::SERVICE_UNKNOWN);

        let started = Instant::now();
        server.begin_shutdown();
        for (name, stream) in [("known", &mut known), ("unknown", &mut unknown)] {
            let status = stream.message().await.expect(name).expect(name).status;
            assert_eq!(status, ServingStatus::NOT_SERVING, "{name}");
            let end = stream.message().await.expect_err(name);
            assert_eq!(end.code(), Code::Unavailable, "{name}: {end}");
            assert_eq!(end.message(), "server is shutting down", "{name}");
        }
        server.stopped().await.expect("server stops cleanly");
        let took = started.elapsed();
        assert!(
            took < GRACE / 6,
            "the shutdown took {took:?}: it waited on the watchers (grace {GRACE:?})"
        );

        // Down for good: the embedder cannot report SERVING again.
        assert_eq!(reporter.status(""), Some(ServingStatus::NOT_SERVING));
        reporter.set_serving("");
        assert_eq!(reporter.status(""), Some(ServingStatus::NOT_SERVING));
        assert_eq!(reporter.status(GREETER), Some(ServingStatus::NOT_SERVING));
    })
    .await;
}
