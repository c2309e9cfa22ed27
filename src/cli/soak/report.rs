//! The soak's report: per kind, how many operations, how fast, how each
//! ended and how many did not end as expected; the server's RSS at start
//! (after the warm-up), middle and end; and the verdict. Plain text, or
//! one JSON object with `--json`.

use std::fmt;
use std::time::Duration;

use super::plan::Kind;
use super::runner::Tallies;

/// The server's resident set size at the three moments, in KiB (None: not
/// read, because no server pid is known, or the read failed).
#[derive(Debug, Default, Clone, Copy)]
pub struct RssSamples {
    /// After the warm-up, before the measured run.
    pub start: Option<u64>,
    /// When half of the run's operations were done.
    pub mid: Option<u64>,
    /// After the run.
    pub end: Option<u64>,
    /// The largest seen by the sampler during the run.
    pub peak: Option<u64>,
}

impl RssSamples {
    /// end / start.
    pub fn ratio(&self) -> Option<f64> {
        match (self.start, self.end) {
            (Some(start), Some(end)) if start > 0 => Some(end as f64 / start as f64),
            _ => None,
        }
    }
}

/// Everything the report shows.
#[derive(Debug)]
pub struct Report<'a> {
    /// Which server: its address and how it came to be.
    pub server: String,
    /// Its pid, when known.
    pub pid: Option<u32>,
    /// The warm-up's tallies.
    pub warmup: &'a Tallies,
    /// The measured run's tallies.
    pub run: &'a Tallies,
    /// The RSS samples.
    pub rss: RssSamples,
    /// `--max-rss-growth`, in percent.
    pub max_rss_growth: f64,
}

/// Whether the soak passed, and why not.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Unexpected outcomes, warm-up included.
    pub unexpected: u64,
    /// RSS end/start over the limit: the growth in percent.
    pub rss_growth: Option<f64>,
    /// A pid is known but its RSS could not be read.
    pub rss_unread: bool,
}

impl Verdict {
    /// No unexpected outcome, RSS within the limit and read when it could be.
    pub fn passed(&self) -> bool {
        self.unexpected == 0 && self.rss_growth.is_none() && !self.rss_unread
    }
}

impl Report<'_> {
    /// The verdict of this report.
    pub fn verdict(&self) -> Verdict {
        let growth = self.rss.ratio().map(|ratio| (ratio - 1.0) * 100.0);
        Verdict {
            unexpected: self.warmup.unexpected() + self.run.unexpected(),
            rss_growth: growth.filter(|growth| *growth > self.max_rss_growth),
            rss_unread: self.pid.is_some() && self.rss.ratio().is_none(),
        }
    }

    /// The report as one JSON object.
    pub fn json(&self) -> serde_json::Value {
        let kinds: Vec<serde_json::Value> = Kind::ALL
            .iter()
            .map(|kind| {
                let tally = &self.run.kinds[kind.index()];
                serde_json::json!({
                    "kind": kind.name(),
                    "expected": kind.expected().name(),
                    "ops": tally.ops,
                    "secs": tally.elapsed.as_secs_f64(),
                    "ops_per_sec": rate(tally.ops, tally.elapsed),
                    "outcomes": tally.outcomes,
                    "unexpected": tally.unexpected,
                    "messages": tally.messages,
                })
            })
            .collect();
        let verdict = self.verdict();
        serde_json::json!({
            "server": self.server,
            "pid": self.pid,
            "warmup": {
                "ops": ops(self.warmup),
                "secs": self.warmup.elapsed.as_secs_f64(),
                "unexpected": self.warmup.unexpected(),
            },
            "secs": self.run.elapsed.as_secs_f64(),
            "ops": ops(self.run),
            "ops_per_sec": rate(ops(self.run), self.run.elapsed),
            "kinds": kinds,
            "unexpected": verdict.unexpected,
            "rss_kib": {
                "start": self.rss.start,
                "mid": self.rss.mid,
                "end": self.rss.end,
                "peak": self.rss.peak,
                "end_over_start": self.rss.ratio(),
                "max_growth_percent": self.max_rss_growth,
            },
            "passed": verdict.passed(),
        })
    }
}

fn ops(tallies: &Tallies) -> u64 {
    tallies.kinds.iter().map(|tally| tally.ops).sum()
}

fn rate(ops: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        ops as f64 / secs
    } else {
        0.0
    }
}

fn mib(kib: Option<u64>) -> String {
    match kib {
        Some(kib) => format!("{:.1} MiB", kib as f64 / 1024.0),
        None => "n/a".to_owned(),
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pid = self.pid.map_or("unknown".to_owned(), |pid| pid.to_string());
        writeln!(f, "server: {} (pid {pid})", self.server)?;
        writeln!(
            f,
            "warm-up: {} ops in {:.1} s, {} unexpected",
            ops(self.warmup),
            self.warmup.elapsed.as_secs_f64(),
            self.warmup.unexpected()
        )?;
        writeln!(
            f,
            "run: {} ops in {:.1} s, {:.0} ops/s",
            ops(self.run),
            self.run.elapsed.as_secs_f64(),
            rate(ops(self.run), self.run.elapsed)
        )?;
        writeln!(
            f,
            "{:<14} {:>9} {:>8} {:>10} {:<18} {:>10}  outcomes",
            "kind", "ops", "secs", "ops/s", "expected", "unexpected"
        )?;
        for kind in Kind::ALL {
            let tally = &self.run.kinds[kind.index()];
            let outcomes: Vec<String> = tally
                .outcomes
                .iter()
                .map(|(label, count)| format!("{label}={count}"))
                .collect();
            writeln!(
                f,
                "{:<14} {:>9} {:>8.1} {:>10.0} {:<18} {:>10}  {}",
                kind.name(),
                tally.ops,
                tally.elapsed.as_secs_f64(),
                rate(tally.ops, tally.elapsed),
                kind.expected().name(),
                tally.unexpected,
                outcomes.join(" ")
            )?;
        }
        for (name, tallies) in [("warm-up", self.warmup), ("run", self.run)] {
            for kind in Kind::ALL {
                for message in &tallies.kinds[kind.index()].messages {
                    writeln!(f, "unexpected ({name}, {}): {message}", kind.name())?;
                }
            }
        }
        let ratio = self
            .rss
            .ratio()
            .map_or("n/a".to_owned(), |ratio| format!("{ratio:.3}"));
        writeln!(
            f,
            "server RSS: start {}, mid {}, end {}, peak {}; end/start {ratio} (limit +{}%)",
            mib(self.rss.start),
            mib(self.rss.mid),
            mib(self.rss.end),
            mib(self.rss.peak),
            self.max_rss_growth
        )?;
        let verdict = self.verdict();
        write!(
            f,
            "RESULT {} unexpected={}",
            if verdict.passed() { "passed" } else { "failed" },
            verdict.unexpected
        )
    }
}
