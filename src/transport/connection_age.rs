//! gRFC A9's connection lifetimes: when a connection has had no call for
//! `max_connection_idle`, and its `max_connection_age` with the per-connection
//! ±10% jitter. What follows either (GOAWAY, then the grace) is the
//! connection task's.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::watched_io::ConnectionWatch;

/// `age` with a random jitter of ±10%. gRFC A9: "A per-connection random
/// jitter of +/-10% will be added to `MAX_CONNECTION_AGE` to spread out
/// connection storms."
pub(crate) fn jittered(age: Duration) -> Duration {
    age.mul_f64(1.0 + 0.1 * super::random::signed_unit())
}

/// Resolves once the connection has had no call in flight for `max_idle`.
/// gRFC A9: "Idleness duration is defined since the most recent time the
/// number of outstanding RPCs became zero or the connection establishment."
pub(crate) async fn idle_for(watch: Arc<ConnectionWatch>, max_idle: Duration) {
    loop {
        match watch.idle_since() {
            // Calls in flight: look again later, as grpc-go does.
            None => tokio::time::sleep(max_idle).await,
            Some(since) if Instant::now() >= since + max_idle => return,
            Some(since) => tokio::time::sleep_until(since + max_idle).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jitter_stays_within_ten_percent_and_varies() {
        let age = Duration::from_secs(100);
        let samples: Vec<Duration> = (0..1000).map(|_| jittered(age)).collect();
        for sample in &samples {
            assert!(
                (Duration::from_secs(90)..=Duration::from_secs(110)).contains(sample),
                "{sample:?}"
            );
        }
        assert!(samples.iter().any(|s| *s != samples[0]));
        assert!(samples.iter().any(|s| *s < age) && samples.iter().any(|s| *s > age));
    }
}
