//! Reconnect backoff, as doc/connection-backoff.md specifies it: each
//! failed attempt waits `INITIAL_BACKOFF`, then `MULTIPLIER` times longer,
//! up to `MAX_BACKOFF`, each wait randomised by ±`JITTER`; an attempt may
//! take `MIN_CONNECT_TIMEOUT` even when its backoff is shorter.

use std::time::Duration;

use tokio::time::Instant;

use crate::defaults::{
    DEFAULT_BACKOFF_INITIAL, DEFAULT_BACKOFF_JITTER, DEFAULT_BACKOFF_MAX,
    DEFAULT_BACKOFF_MULTIPLIER, DEFAULT_MIN_CONNECT_TIMEOUT,
};

/// How a channel spaces its connection attempts (grpc-go's
/// `backoff.Config` with `MinConnectTimeout`). The defaults are the
/// spec's: 1 s, ×1.6, ±20%, at most 120 s, 20 s per attempt at least.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackoffConfig {
    /// The wait after the first failure.
    pub initial: Duration,
    /// What each further failure multiplies the wait by.
    pub multiplier: f64,
    /// The randomisation of each wait, as a fraction of it (0.2 is ±20%).
    pub jitter: f64,
    /// The longest wait.
    pub max: Duration,
    /// The least time a connection attempt is given, however short its
    /// backoff (`MIN_CONNECT_TIMEOUT`).
    pub min_connect_timeout: Duration,
}

impl Default for BackoffConfig {
    fn default() -> Self {
        BackoffConfig {
            initial: DEFAULT_BACKOFF_INITIAL,
            multiplier: DEFAULT_BACKOFF_MULTIPLIER,
            jitter: DEFAULT_BACKOFF_JITTER,
            max: DEFAULT_BACKOFF_MAX,
            min_connect_timeout: DEFAULT_MIN_CONNECT_TIMEOUT,
        }
    }
}

/// The backoff of one run of attempts, from the first failure to the
/// connection that succeeds (connection-backoff.md's `ConnectWithBackoff`).
#[derive(Debug)]
pub(crate) struct Backoff {
    config: BackoffConfig,
    /// The un-jittered wait of the current attempt.
    current: Duration,
    /// When the current attempt's backoff ends: the next attempt starts
    /// then, and not before.
    deadline: Instant,
}

impl Backoff {
    /// The first attempt, starting now: "current_deadline = now() +
    /// INITIAL_BACKOFF".
    pub(crate) fn start(config: BackoffConfig) -> Backoff {
        Backoff {
            config,
            current: config.initial,
            deadline: Instant::now() + config.initial,
        }
    }

    /// How long the current attempt may take: "Max(current_deadline,
    /// now() + MIN_CONNECT_TIMEOUT)".
    pub(crate) fn attempt_deadline(&self) -> Instant {
        self.deadline
            .max(Instant::now() + self.config.min_connect_timeout)
    }

    /// When the next attempt may start.
    pub(crate) fn retry_at(&self) -> Instant {
        self.deadline
    }

    /// Moves on to the next attempt, after a failure: "current_backoff =
    /// Min(current_backoff * MULTIPLIER, MAX_BACKOFF); current_deadline =
    /// now() + current_backoff + UniformRandom(-JITTER * current_backoff,
    /// JITTER * current_backoff)".
    pub(crate) fn advance(&mut self) {
        self.current = self
            .current
            .mul_f64(self.config.multiplier)
            .min(self.config.max);
        let jitter = self.config.jitter * super::super::random::signed_unit();
        self.deadline = Instant::now() + self.current.mul_f64(1.0 + jitter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seconds from now until `instant`.
    fn secs_until(instant: Instant) -> f64 {
        (instant - Instant::now()).as_secs_f64()
    }

    /// Whether `value` is within 50 ms of `expected` (the test's own run
    /// time passes between the two clock reads).
    fn near(value: f64, expected: f64) -> bool {
        (value - expected).abs() < 0.05
    }

    #[test]
    fn waits_grow_by_the_multiplier_within_the_jitter_up_to_the_max() {
        let mut backoff = Backoff::start(BackoffConfig::default());
        assert!(near(secs_until(backoff.retry_at()), 1.0));
        // An attempt gets the 20 s minimum, longer than the 1 s backoff.
        assert!(near(secs_until(backoff.attempt_deadline()), 20.0));
        let mut expected = 1.0_f64;
        for _ in 0..20 {
            backoff.advance();
            expected = (expected * 1.6).min(120.0);
            let wait = secs_until(backoff.retry_at());
            assert!(
                wait >= expected * 0.8 - 0.05 && wait <= expected * 1.2 + 0.05,
                "wait {wait} for a backoff of {expected}"
            );
        }
        assert_eq!(backoff.current, Duration::from_secs(120));
    }

    #[test]
    fn a_backoff_longer_than_the_minimum_connect_timeout_bounds_the_attempt() {
        let mut backoff = Backoff::start(BackoffConfig {
            jitter: 0.0,
            min_connect_timeout: Duration::from_millis(10),
            ..BackoffConfig::default()
        });
        backoff.advance();
        assert!(near(secs_until(backoff.attempt_deadline()), 1.6));
    }
}
