//! Runs a [`Plan`]: every kind at once, each with its own workers taking
//! operations from its count, over a shared [`Pool`] of channels that the
//! reconnect worker keeps replacing while the traffic flows. Each worker
//! tallies what it saw ([`KindTally`]); the tallies are merged at the end.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use h2grpc::Channel;

use super::calls::{self, Failure, Settings, OPERATION_LIMIT};
use super::plan::{Kind, Plan};
use crate::cli::Target;

/// Unexpected outcomes kept, per kind, to show what went wrong.
pub const KEPT_MESSAGES: usize = 5;

/// The channels the mix calls on; operations pick them in turn.
#[derive(Debug)]
pub struct Pool {
    channels: Mutex<Vec<Channel>>,
    next: AtomicUsize,
}

impl Pool {
    /// A pool of `channels` (at least one).
    pub fn new(channels: Vec<Channel>) -> Pool {
        Pool {
            channels: Mutex::new(channels),
            next: AtomicUsize::new(0),
        }
    }

    /// The next channel, round robin.
    fn pick(&self) -> Channel {
        let channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = self.next.fetch_add(1, Ordering::Relaxed) % channels.len();
        channels[slot].clone()
    }

    /// Puts `channel` in `slot` (modulo the pool's size). The channel it
    /// replaces is dropped here; its connection closes once the calls
    /// still running on it (which hold clones) are done.
    fn replace(&self, slot: usize, channel: Channel) {
        let mut channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = slot % channels.len();
        channels[slot] = channel;
    }
}

/// What the operations of one kind did.
#[derive(Debug, Default, Clone)]
pub struct KindTally {
    /// Operations finished.
    pub ops: u64,
    /// How many ended each way (a status code's name, `WRONG_REPLY`, `NO_END`).
    pub outcomes: BTreeMap<&'static str, u64>,
    /// Operations whose outcome was not the kind's expected one.
    pub unexpected: u64,
    /// The first [`KEPT_MESSAGES`] of them.
    pub messages: Vec<String>,
    /// From the start of the run to this kind's last operation's end.
    pub elapsed: Duration,
}

impl KindTally {
    fn record(&mut self, kind: Kind, outcome: Result<(), Failure>) {
        self.ops += 1;
        let label = match &outcome {
            Ok(()) => "OK",
            Err(failure) => failure.label(),
        };
        *self.outcomes.entry(label).or_default() += 1;
        if label != kind.expected().name() {
            self.unexpected += 1;
            if self.messages.len() < KEPT_MESSAGES {
                self.messages.push(match outcome {
                    Ok(()) => format!("OK, expected {}", kind.expected().name()),
                    Err(failure) => failure.to_string(),
                });
            }
        }
    }

    fn merge(&mut self, other: KindTally) {
        self.ops += other.ops;
        for (label, count) in other.outcomes {
            *self.outcomes.entry(label).or_default() += count;
        }
        self.unexpected += other.unexpected;
        let room = KEPT_MESSAGES.saturating_sub(self.messages.len());
        self.messages.extend(other.messages.into_iter().take(room));
        self.elapsed = self.elapsed.max(other.elapsed);
    }
}

/// What the whole run saw: one tally per kind, indexed by [`Kind::index`].
#[derive(Debug, Default, Clone)]
pub struct Tallies {
    /// Per kind.
    pub kinds: [KindTally; Kind::ALL.len()],
    /// From the start to the last operation's end.
    pub elapsed: Duration,
}

impl Tallies {
    /// Unexpected outcomes over every kind.
    pub fn unexpected(&self) -> u64 {
        self.kinds.iter().map(|tally| tally.unexpected).sum()
    }
}

/// How the run is made, besides its plan.
#[derive(Debug, Clone)]
pub struct Runner {
    /// Where reconnects connect to.
    pub target: Target,
    /// What the operations need.
    pub settings: Settings,
    /// The pause between two reconnects.
    pub reconnect_every: Duration,
    /// Operations finished so far, over every kind (the mid-run RSS sample
    /// watches it).
    pub done: Arc<AtomicU64>,
}

impl Runner {
    /// Runs `plan` on `pool` to its end.
    pub async fn run(&self, plan: &Plan, pool: &Arc<Pool>) -> Tallies {
        let started = Instant::now();
        let mut workers = Vec::new();
        for kind in Kind::ALL {
            let count = plan.count(kind);
            if count == 0 {
                continue;
            }
            let issued = Arc::new(AtomicU64::new(0));
            let in_flight = if kind == Kind::Reconnect {
                1
            } else {
                plan.in_flight[kind.index()].max(1)
            };
            for _ in 0..in_flight {
                let worker = Worker {
                    kind,
                    count,
                    issued: issued.clone(),
                    pool: pool.clone(),
                    runner: self.clone(),
                    started,
                };
                workers.push((kind, tokio::spawn(worker.run())));
            }
        }
        let mut tallies = Tallies::default();
        for (kind, worker) in workers {
            let tally = match worker.await {
                Ok(tally) => tally,
                // A worker that panicked lost its tally: one unexpected error.
                Err(error) => KindTally {
                    unexpected: 1,
                    messages: vec![format!("worker failed: {error}")],
                    ..KindTally::default()
                },
            };
            tallies.kinds[kind.index()].merge(tally);
        }
        tallies.elapsed = started.elapsed();
        tallies
    }
}

/// One worker: operations of its kind, one after another, until the
/// kind's count is used up.
struct Worker {
    kind: Kind,
    count: u64,
    issued: Arc<AtomicU64>,
    pool: Arc<Pool>,
    runner: Runner,
    started: Instant,
}

impl Worker {
    async fn run(self) -> KindTally {
        let mut tally = KindTally::default();
        while self.issued.fetch_add(1, Ordering::Relaxed) < self.count {
            let outcome = tokio::time::timeout(OPERATION_LIMIT, self.one())
                .await
                .unwrap_or(Err(Failure::NoEnd));
            tally.record(self.kind, outcome);
            tally.elapsed = self.started.elapsed();
            self.runner.done.fetch_add(1, Ordering::Relaxed);
        }
        tally
    }

    async fn one(&self) -> Result<(), Failure> {
        if self.kind != Kind::Reconnect {
            return calls::one(self.kind, self.pool.pick(), &self.runner.settings).await;
        }
        tokio::time::sleep(self.runner.reconnect_every).await;
        let channel = self.runner.target.connect().await.map_err(|error| {
            Failure::Status(h2grpc::Status::new(
                h2grpc::Code::Unavailable,
                error.to_string(),
            ))
        })?;
        // Proved on its own first, then handed to the mix.
        calls::one(Kind::Reconnect, channel.clone(), &self.runner.settings).await?;
        let slot = self.issued.load(Ordering::Relaxed) as usize;
        self.pool.replace(slot, channel);
        Ok(())
    }
}
