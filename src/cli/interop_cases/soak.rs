//! The soak cases (interop-test-descriptions.md, "rpc_soak" and
//! "channel_soak"): many large_unary calls one after another, each a
//! failure when it fails or takes longer than the acceptable latency; the
//! case fails when more than the allowed number failed, or when the
//! overall time ran out before every iteration ran. The settings and their
//! defaults are grpc-go's interop client's (`--soak_iterations` and the
//! rest, [`SoakSettings`]), and so is the reading of them (its
//! `interop/soak_tests.go`): an iteration's latency counts from the
//! request's making to the checked reply; every call's deadline is the
//! soak's overall one; the minimum time between calls counts from one
//! call's start to the next's.

use std::time::Duration;

use tokio::time::Instant;

use super::check;
use super::error::{CaseError, Site};
use super::requests::zeros;
use super::Clients;
use h2grpc::rpc::Request;
use h2grpc::services::interop::{SimpleRequest, TestServiceClient};
use h2grpc::transport::Channel;

/// How the soak cases run: grpc-go's flags, with its defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoakSettings {
    /// `--soak_iterations`: how many calls (default 10).
    pub iterations: usize,
    /// `--soak_max_failures`: how many may fail (default 0).
    pub max_failures: usize,
    /// `--soak_per_iteration_max_acceptable_latency_ms`: a call slower than
    /// this is a failure (default 1000 ms).
    pub max_acceptable_latency: Duration,
    /// `--soak_overall_timeout_seconds`: the whole soak's time; iterations
    /// not started by then fail the case (default 10 s).
    pub overall_timeout: Duration,
    /// `--soak_min_time_ms_between_rpcs`: the least time from one call's
    /// start to the next's (default 0).
    pub min_time_between_calls: Duration,
    /// `--soak_request_size`: request payload bytes (default large_unary's
    /// 271828).
    pub request_size: usize,
    /// `--soak_response_size`: response payload bytes (default
    /// large_unary's 314159).
    pub response_size: usize,
}

impl Default for SoakSettings {
    fn default() -> SoakSettings {
        SoakSettings {
            iterations: 10,
            max_failures: 0,
            max_acceptable_latency: Duration::from_millis(1000),
            overall_timeout: Duration::from_secs(10),
            min_time_between_calls: Duration::ZERO,
            request_size: super::requests::LARGE_REQUEST_SIZE,
            response_size: super::requests::LARGE_RESPONSE_SIZE,
        }
    }
}

/// Which channel each iteration calls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChannelPerCall {
    /// rpc_soak: "many large_unary RPCs in sequence over the same channel".
    Shared,
    /// channel_soak: "Before each RPC, it tears down and rebuilds the
    /// channel".
    New,
}

/// rpc_soak: every iteration on the case's channel.
pub async fn rpc_soak(clients: &Clients) -> Result<(), CaseError> {
    soak(clients, ChannelPerCall::Shared).await
}

/// channel_soak: every iteration on a channel of its own, connected for it
/// and closed after it.
pub async fn channel_soak(clients: &Clients) -> Result<(), CaseError> {
    soak(clients, ChannelPerCall::New).await
}

/// How the iterations went.
#[derive(Debug, Default)]
struct Tally {
    ran: usize,
    failed: usize,
    first_failure: Option<String>,
}

impl Tally {
    fn failure(&mut self, why: String) {
        self.failed += 1;
        self.first_failure.get_or_insert(why);
    }
}

async fn soak(clients: &Clients, channels: ChannelPerCall) -> Result<(), CaseError> {
    let settings = &clients.soak;
    let started = Instant::now();
    let deadline = started + settings.overall_timeout;
    let mut tally = Tally::default();
    for iteration in 0..settings.iterations {
        if Instant::now() >= deadline {
            break;
        }
        let earliest_next = Instant::now() + settings.min_time_between_calls;
        tally.ran += 1;
        let site = Site::nth_call("UnaryCall", iteration);
        match one_iteration(clients, channels, site, deadline).await {
            Ok(latency) if latency > settings.max_acceptable_latency => tally.failure(format!(
                "{site} took {} ms, more than {} ms",
                latency.as_millis(),
                settings.max_acceptable_latency.as_millis()
            )),
            Ok(_) => {}
            Err(error) => tally.failure(error.to_string()),
        }
        tokio::time::sleep_until(earliest_next).await;
    }
    if tally.ran < settings.iterations {
        return Err(CaseError::SoakTimedOut {
            ran: tally.ran,
            iterations: settings.iterations,
            limit: settings.overall_timeout,
        });
    }
    if tally.failed > settings.max_failures {
        return Err(CaseError::SoakFailures {
            failed: tally.failed,
            iterations: settings.iterations,
            max_failures: settings.max_failures,
            first: tally.first_failure.unwrap_or_default(),
        });
    }
    Ok(())
}

/// One large_unary call of the soak's sizes, on the shared channel or a
/// new one, with the soak's deadline; its latency when its reply checked
/// out.
async fn one_iteration(
    clients: &Clients,
    channels: ChannelPerCall,
    site: Site,
    deadline: Instant,
) -> Result<Duration, CaseError> {
    let settings = &clients.soak;
    let start = Instant::now();
    let own;
    let client = match channels {
        ChannelPerCall::Shared => &clients.test,
        ChannelPerCall::New => {
            let channel = connect(clients, site, deadline).await?;
            own = TestServiceClient::new(channel);
            &own
        }
    };
    let mut request = Request::new(SimpleRequest {
        response_size: i32::try_from(settings.response_size).unwrap_or(i32::MAX),
        payload: Some(zeros(settings.request_size)),
        ..SimpleRequest::default()
    });
    request.set_timeout(deadline.saturating_duration_since(Instant::now()));
    let reply = check::succeeded(site, client.unary_call(request).await)?;
    check::zeros(
        site,
        reply.get_ref().payload.as_ref(),
        settings.response_size,
    )?;
    Ok(start.elapsed())
}

/// A new channel to the case's server, within the soak's time.
async fn connect(clients: &Clients, site: Site, deadline: Instant) -> Result<Channel, CaseError> {
    let url = clients.url.as_deref().ok_or(CaseError::NoServerAddress)?;
    match tokio::time::timeout_at(deadline, Channel::connect(url)).await {
        Ok(Ok(channel)) => Ok(channel),
        Ok(Err(error)) => Err(CaseError::Connect {
            site,
            error: error.to_string(),
        }),
        Err(_) => Err(CaseError::Connect {
            site,
            error: "the soak's time ran out".to_owned(),
        }),
    }
}
