//! [`AckLog`]: the acknowledgements `tellResult` records, most recent kept,
//! bounded in count and in bytes. A plain mutex held only to push or copy,
//! never across an await.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

/// How many acknowledgements a log keeps by default; older ones are dropped
/// (and still counted by [`AckLog::total`]).
pub const MAX_ACKS: usize = 1024;

/// How many bytes of acknowledgement text a log keeps by default; older ones
/// are dropped past it. The newest one is always kept, and it is at most the
/// server's receive limit (4 MiB by default) long.
pub const MAX_ACK_BYTES: usize = 1024 * 1024;

/// The most recent acknowledgements received on `tellResult`, oldest first.
/// Cheap to clone: clones share one log.
#[derive(Debug, Clone)]
pub struct AckLog {
    inner: Arc<Mutex<Acks>>,
    max_count: usize,
    max_bytes: usize,
}

#[derive(Debug, Default)]
struct Acks {
    kept: VecDeque<String>,
    kept_bytes: usize,
    total: u64,
}

impl Default for AckLog {
    fn default() -> AckLog {
        AckLog::with_limits(MAX_ACKS, MAX_ACK_BYTES)
    }
}

impl AckLog {
    /// An empty log with the default bounds.
    pub fn new() -> AckLog {
        AckLog::default()
    }

    /// An empty log keeping at most `max_count` acknowledgements (at least
    /// one) and `max_bytes` bytes of them (the newest is always kept).
    pub fn with_limits(max_count: usize, max_bytes: usize) -> AckLog {
        AckLog {
            inner: Arc::default(),
            max_count: max_count.max(1),
            max_bytes,
        }
    }

    /// Records one acknowledgement, dropping the oldest ones past the bounds.
    pub fn record(&self, ack: String) {
        // Every update below leaves the log whole, so a lock poisoned by a
        // panic elsewhere is still usable.
        let mut acks = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        acks.total += 1;
        acks.kept_bytes += ack.len();
        acks.kept.push_back(ack);
        while acks.kept.len() > self.max_count
            || (acks.kept_bytes > self.max_bytes && acks.kept.len() > 1)
        {
            if let Some(oldest) = acks.kept.pop_front() {
                acks.kept_bytes -= oldest.len();
            }
        }
    }

    /// The acknowledgements kept, oldest first.
    pub fn recent(&self) -> Vec<String> {
        let acks = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        acks.kept.iter().cloned().collect()
    }

    /// How many acknowledgements were ever recorded, dropped ones included.
    pub fn total(&self) -> u64 {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total
    }
}

#[cfg(test)]
mod tests {
    use super::AckLog;

    #[test]
    fn keeps_every_ack_in_order_within_the_bounds() {
        let log = AckLog::new();
        log.record("a".into());
        log.record("b".into());
        assert_eq!(log.recent(), ["a", "b"]);
        assert_eq!(log.total(), 2);
    }

    #[test]
    fn drops_the_oldest_past_the_count_bound_and_still_counts_them() {
        let log = AckLog::with_limits(2, usize::MAX);
        for ack in ["a", "b", "c"] {
            log.record(ack.into());
        }
        assert_eq!(log.recent(), ["b", "c"]);
        assert_eq!(log.total(), 3);
    }

    #[test]
    fn drops_the_oldest_past_the_byte_bound_but_keeps_the_newest() {
        let log = AckLog::with_limits(100, 5);
        log.record("abc".into());
        log.record("de".into());
        assert_eq!(log.recent(), ["abc", "de"]);
        log.record("f".into());
        assert_eq!(log.recent(), ["de", "f"]);
        log.record("much too long".into());
        assert_eq!(log.recent(), ["much too long"]);
        assert_eq!(log.total(), 4);
    }
}
