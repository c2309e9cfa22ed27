//! Check and List: health-checking.md's registry answered as it says, and
//! `Server::health`'s start-up statuses.

use std::collections::BTreeMap;

use h2grpc::services::health::{
    HealthCheckRequest, HealthListRequest, HealthReporter, ServingStatus, MAX_LISTED_SERVICES,
};
use h2grpc::Code;

use crate::support::within_limit;
use crate::{client, serve, GREETER, HEALTH};

fn request(service: &str) -> HealthCheckRequest {
    HealthCheckRequest {
        service: service.to_owned(),
    }
}

#[tokio::test]
async fn every_added_service_and_the_whole_server_start_serving() {
    within_limit(async {
        let reporter = HealthReporter::new();
        let server = serve(&reporter).await;
        let health = client(&server).await;
        for name in ["", GREETER, HEALTH] {
            let reply = health.check(request(name)).await.expect(name);
            assert_eq!(reply.get_ref().status, ServingStatus::SERVING, "{name:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn check_of_an_unknown_service_fails_not_found() {
    // health-checking.md: "If the service name is not registered, the
    // server returns a `NOT_FOUND` GRPC status."
    within_limit(async {
        let reporter = HealthReporter::new();
        let server = serve(&reporter).await;
        let status = client(&server)
            .await
            .check(request("no.such.Service"))
            .await
            .expect_err("an unknown service");
        assert_eq!(status.code(), Code::NotFound, "{status}");
    })
    .await;
}

#[tokio::test]
async fn check_reports_what_the_reporter_set_and_a_status_set_before_serving_is_kept() {
    within_limit(async {
        let reporter = HealthReporter::new();
        reporter.set_not_serving(GREETER);
        reporter.set_serving("my.Database");
        let server = serve(&reporter).await;
        let health = client(&server).await;
        let status_of = |name: &'static str| {
            let health = health.clone();
            async move {
                health
                    .check(request(name))
                    .await
                    .expect(name)
                    .get_ref()
                    .status
            }
        };
        // Set before serving: not overwritten by the start-up SERVING.
        assert_eq!(status_of(GREETER).await, ServingStatus::NOT_SERVING);
        assert_eq!(status_of("my.Database").await, ServingStatus::SERVING);
        assert_eq!(status_of("").await, ServingStatus::SERVING);

        reporter.set_serving(GREETER);
        reporter.set_not_serving("");
        assert_eq!(status_of(GREETER).await, ServingStatus::SERVING);
        assert_eq!(status_of("").await, ServingStatus::NOT_SERVING);
        assert_eq!(reporter.status(""), Some(ServingStatus::NOT_SERVING));
        assert_eq!(reporter.status("no.such.Service"), None);
    })
    .await;
}

#[tokio::test]
async fn list_answers_every_known_service_but_not_names_only_watched() {
    within_limit(async {
        let reporter = HealthReporter::new();
        reporter.set_not_serving("my.Database");
        let server = serve(&reporter).await;
        let health = client(&server).await;
        // A Watch of an unknown name must not make it a listed service.
        let mut watching = health
            .watch(request("not.Registered"))
            .await
            .expect("watch")
            .into_inner();
        let first = watching.message().await.expect("first").expect("a status");
        assert_eq!(first.status, ServingStatus::SERVICE_UNKNOWN);

        let listed = health
            .list(HealthListRequest {})
            .await
            .expect("list")
            .into_inner();
        let statuses: BTreeMap<&str, ServingStatus> = listed
            .statuses
            .iter()
            .map(|(name, response)| (name.as_str(), response.status))
            .collect();
        let want = BTreeMap::from([
            ("", ServingStatus::SERVING),
            (GREETER, ServingStatus::SERVING),
            (HEALTH, ServingStatus::SERVING),
            ("my.Database", ServingStatus::NOT_SERVING),
        ]);
        assert_eq!(statuses, want);
        // Nor a Check-able one.
        let status = health
            .check(request("not.Registered"))
            .await
            .expect_err("only watched");
        assert_eq!(status.code(), Code::NotFound);
    })
    .await;
}

#[tokio::test]
async fn list_past_its_cap_fails_resource_exhausted() {
    // health.proto, List: "The server may respond with a RESOURCE_EXHAUSTED
    // error if too many services exist." The cap is grpc-go's: 100 listed,
    // 101 refused.
    assert_eq!(MAX_LISTED_SERVICES, 100);
    within_limit(async {
        let reporter = HealthReporter::new();
        let server = serve(&reporter).await;
        let health = client(&server).await;
        // "", the Greeter and Health are three; fill up to the cap exactly.
        for i in 0..MAX_LISTED_SERVICES - 3 {
            reporter.set_serving(&format!("filler.Service{i}"));
        }
        let listed = health.list(HealthListRequest {}).await.expect("at the cap");
        assert_eq!(listed.get_ref().statuses.len(), MAX_LISTED_SERVICES);

        reporter.set_serving("one.TooMany");
        let status = health
            .list(HealthListRequest {})
            .await
            .expect_err("past the cap");
        assert_eq!(status.code(), Code::ResourceExhausted, "{status}");
    })
    .await;
}
