//! The server's pings: keepalive (gRFC A8, doc/keepalive.md: after
//! `keepalive_time` without a frame from the client, ping it; no ACK within
//! `keepalive_timeout` and the connection is dead), and the measuring pings
//! of the receive windows' estimate ([`BdpEstimator`]), which share h2's one
//! user ping.
//!
//! [`BdpEstimator`]: super::bdp::BdpEstimator

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use h2::{Ping, PingPong};

use super::watched_io::ConnectionWatch;

/// Pings the client whenever it has been silent for `time`, and when the
/// windows' estimate asks for a measurement; resolves when a ping's ACK did
/// not come within `timeout` (the connection should close). Pends for ever
/// once h2 has no ping to give (the connection is ending).
///
/// Every connection holds one of these (boxed) for its whole life, so it is
/// an `async move` block rather than an `async fn`, whose arguments would
/// keep their room beside the locals moved out of them (BENCHMARKS.md,
/// "Issue 14: many connections").
#[allow(clippy::manual_async_fn)] // the `async fn` it suggests is the larger future
pub(crate) fn keepalive(
    mut ping_pong: PingPong,
    watch: Arc<ConnectionWatch>,
    time: Duration,
    timeout: Duration,
) -> impl Future<Output = ()> {
    async move {
        loop {
            let due = watch.last_read() + time;
            let measuring = if tokio::time::Instant::now() < due {
                let measure = async {
                    match watch.window() {
                        Some(window) => window.ping_due().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = tokio::time::sleep_until(due) => continue,
                    () = measure => true,
                }
            } else {
                // A keepalive ping; a measurement waiting for its PING would
                // time this one instead: start it again.
                if let Some(window) = watch.window() {
                    window.cancel();
                }
                false
            };
            let sent = tokio::time::Instant::now();
            // doc/keepalive.md: "When there's no activity on a connection ...,
            // after `Time`, a ping will be sent ... [the sender] will wait for
            // `Timeout`, and check if there's any activity on the connection
            // during this period (a ping ack is an activity)."
            // A measuring PING is no keepalive probe: its ACK may take as
            // long as keepalive would allow a silent client (`time`, then
            // `timeout`) before the connection counts as dead.
            let limit = if measuring {
                time.saturating_add(timeout)
            } else {
                timeout
            };
            match tokio::time::timeout(limit, ping_pong.ping(Ping::opaque())).await {
                Ok(Ok(_pong)) => {
                    if measuring {
                        watch.bdp_answered(sent.elapsed());
                    }
                }
                Ok(Err(_)) => break,
                // h2 keeps one ping outstanding at a time, so a late ACK cannot
                // be waited for beside a new ping: no ACK in time ends it.
                Err(_) => return,
            }
        }
        // h2 has no more pings to give: the connection is ending on its own.
        std::future::pending::<()>().await
    }
}
