//! [`PingPolicy`]: the server's keepalive enforcement (grpc-go's
//! `EnforcementPolicy`, doc/keepalive.md): which client pings are strikes,
//! and when there are too many.

use std::time::Duration;

use tokio::time::Instant;

use crate::defaults::MAX_PING_STRIKES;

/// How often a client may ping with no call in flight when that is not
/// permitted: grpc-go's `defaultPingTimeout`, 2 hours ("Keepalive shouldn't
/// be active thus, this new ping should have come after at least
/// defaultPingTimeout").
const PING_WITHOUT_CALLS_INTERVAL: Duration = Duration::from_secs(2 * 60 * 60);

/// Strikes against one connection's client.
#[derive(Debug)]
pub(crate) struct PingPolicy {
    min_time: Duration,
    permit_without_calls: bool,
    last_ping: Option<Instant>,
    strikes: u32,
    /// We sent HEADERS or DATA since the last ping: the next ping starts
    /// the count afresh (grpc-go's `resetPingStrikes`).
    reset: bool,
}

impl PingPolicy {
    /// A policy with `min_time` between pings, and pings without calls
    /// permitted or not.
    pub(crate) fn new(min_time: Duration, permit_without_calls: bool) -> PingPolicy {
        PingPolicy {
            min_time,
            permit_without_calls,
            last_ping: None,
            strikes: 0,
            reset: false,
        }
    }

    /// The server sent HEADERS or DATA.
    pub(crate) fn sent_headers_or_data(&mut self) {
        self.reset = true;
    }

    /// A client ping (not an ACK) arrived at `now` with `calls` calls in
    /// flight; true when the client has now pinged too often.
    pub(crate) fn on_ping(&mut self, now: Instant, calls: usize) -> bool {
        let last = self.last_ping.replace(now);
        if std::mem::take(&mut self.reset) {
            self.strikes = 0;
            return false;
        }
        // doc/keepalive.md: "Server sends GOAWAY with ENHANCE_YOUR_CALM and
        // close the connection when bad behaviors are detected: Client sends
        // too frequent pings; Client sends pings when there's no stream and
        // this is disallowed by server config".
        let interval = if calls == 0 && !self.permit_without_calls {
            PING_WITHOUT_CALLS_INTERVAL
        } else {
            self.min_time
        };
        if last.is_some_and(|last| now < last + interval) {
            self.strikes += 1;
        }
        self.strikes > MAX_PING_STRIKES
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn the_third_ping_too_soon_is_one_too_many() {
        let start = Instant::now();
        let mut policy = PingPolicy::new(MIN, false);
        // The first ping is no strike; then two strikes are forgiven.
        for i in 0..3 {
            assert!(
                !policy.on_ping(start + Duration::from_secs(i), 1),
                "ping {i}"
            );
        }
        assert!(policy.on_ping(start + Duration::from_secs(3), 1));
    }

    #[test]
    fn pings_min_time_apart_are_never_strikes() {
        let start = Instant::now();
        let mut policy = PingPolicy::new(MIN, false);
        for i in 0..10 {
            assert!(!policy.on_ping(start + MIN * i, 1), "ping {i}");
        }
    }

    #[test]
    fn without_calls_pings_are_strikes_unless_permitted() {
        let start = Instant::now();
        let mut strict = PingPolicy::new(MIN, false);
        let mut lenient = PingPolicy::new(MIN, true);
        let mut too_many = false;
        for i in 0..4 {
            too_many = strict.on_ping(start + MIN * i, 0);
            assert!(!lenient.on_ping(start + MIN * i, 0), "ping {i}");
        }
        assert!(too_many);
    }

    #[test]
    fn sending_data_forgives_the_strikes() {
        let start = Instant::now();
        let mut policy = PingPolicy::new(MIN, false);
        for i in 0..20 {
            policy.sent_headers_or_data();
            assert!(
                !policy.on_ping(start + Duration::from_millis(i), 1),
                "ping {i}"
            );
        }
    }
}
