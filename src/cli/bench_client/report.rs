//! What a load saw ([`Tally`]) and the one machine-readable line that
//! reports it, in the spirit of the bench-peers `load.sh` last line:
//!
//! ```text
//! RESULT scenario=unary calls=100000 errors=0 secs=1.511 rps=66166 p50_us=7578 p99_us=11987 cpu_us_per_call=13.86
//! RESULT scenario=bidi-stream messages=200000 replies=200000 errors=0 secs=0.310 msgs_per_s=645161 cpu_us_per_msg=1.20
//! ```
//!
//! `cpu_us_per_*` is this process's CPU time (user + system, every thread)
//! over the measured part only, divided by the calls or messages; `nan`
//! where the OS does not tell it.

use std::fmt;
use std::time::Duration;

use super::long_stream;
use crate::cli::CliError;

/// The calls a load finished: how many, how many failed, how long each
/// successful one took.
#[derive(Debug, Default)]
pub struct Tally {
    /// Calls finished, failed ones included.
    pub calls: u64,
    /// Calls that ended with a non-OK status or a wrong reply.
    pub errors: u64,
    /// One entry per successful call, in microseconds (failed calls would
    /// skew them: a refused call is fast).
    pub latencies_us: Vec<u32>,
    /// Why the first failed call failed.
    pub first_error: Option<String>,
}

impl Tally {
    /// An empty tally with room for `calls` latencies.
    pub fn with_capacity(calls: u64) -> Tally {
        Tally {
            latencies_us: Vec::with_capacity(usize::try_from(calls).unwrap_or(0)),
            ..Tally::default()
        }
    }

    /// Counts one call that took `latency` and succeeded or failed.
    pub fn record(&mut self, latency: Duration, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => {
                self.calls += 1;
                let micros = u32::try_from(latency.as_micros()).unwrap_or(u32::MAX);
                self.latencies_us.push(micros);
            }
            Err(why) => self.fail(why),
        }
    }

    /// Counts one failed call.
    pub fn fail(&mut self, why: String) {
        self.calls += 1;
        self.errors += 1;
        self.first_error.get_or_insert(why);
    }

    /// Adds another worker's tally to this one.
    pub fn merge(&mut self, other: Tally) {
        self.calls += other.calls;
        self.errors += other.errors;
        self.latencies_us.extend(other.latencies_us);
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    /// Fails when any call failed.
    pub fn check(&self, unit: &'static str) -> Result<(), CliError> {
        match self.errors {
            0 => Ok(()),
            errors => Err(CliError::BenchFailed {
                errors,
                total: self.calls,
                unit,
                first: self.first_error.clone().unwrap_or_default(),
            }),
        }
    }
}

/// The value at quantile `q` of sorted `values` (the nearest rank, as
/// tonic's `greeter-client` computes it); `None` when there are none.
pub fn percentile(values: &[u32], q: f64) -> Option<u32> {
    let last = values.len().checked_sub(1)?;
    let index = (last as f64 * q).round() as usize;
    values.get(index.min(last)).copied()
}

/// A measured closed-loop run, shown as its `RESULT` line.
#[derive(Debug)]
pub struct CallsReport<'a> {
    /// The scenario's name.
    pub scenario: &'static str,
    /// The calls; its latencies sorted.
    pub tally: &'a Tally,
    /// Wall-clock time of the measured calls.
    pub wall: Duration,
    /// This process's CPU time meanwhile, when known.
    pub cpu: Option<Duration>,
}

impl fmt::Display for CallsReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.wall.as_secs_f64();
        let calls = self.tally.calls;
        let latency = |q| match percentile(&self.tally.latencies_us, q) {
            Some(micros) => micros.to_string(),
            None => "nan".to_owned(),
        };
        write!(
            f,
            "RESULT scenario={} calls={calls} errors={} secs={secs:.3} rps={:.0} p50_us={} p99_us={} cpu_us_per_call={}",
            self.scenario,
            self.tally.errors,
            per_second(calls, secs),
            latency(0.50),
            latency(0.99),
            Micros::per(self.cpu, calls),
        )
    }
}

/// A measured `bidi-stream` run, shown as its `RESULT` line.
#[derive(Debug)]
pub struct MessagesReport<'a> {
    /// The scenario's name.
    pub scenario: &'static str,
    /// What the stream did.
    pub outcome: &'a long_stream::Outcome,
    /// Wall-clock time of the stream.
    pub wall: Duration,
    /// This process's CPU time meanwhile, when known.
    pub cpu: Option<Duration>,
}

impl fmt::Display for MessagesReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.wall.as_secs_f64();
        let outcome = self.outcome;
        write!(
            f,
            "RESULT scenario={} messages={} replies={} errors={} secs={secs:.3} msgs_per_s={:.0} cpu_us_per_msg={}",
            self.scenario,
            outcome.messages,
            outcome.got,
            outcome.errors(),
            per_second(outcome.got, secs),
            Micros::per(self.cpu, outcome.got),
        )
    }
}

/// `count` per second over `secs` (0 for an instant run).
fn per_second(count: u64, secs: f64) -> f64 {
    if secs > 0.0 {
        count as f64 / secs
    } else {
        0.0
    }
}

/// Microseconds of CPU per unit, with two decimals, or `nan`.
struct Micros(Option<f64>);

impl Micros {
    /// `cpu` divided by `count`.
    fn per(cpu: Option<Duration>, count: u64) -> Micros {
        Micros(
            cpu.filter(|_| count > 0)
                .map(|cpu| cpu.as_secs_f64() * 1e6 / count as f64),
        )
    }
}

impl fmt::Display for Micros {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(micros) => write!(f, "{micros:.2}"),
            None => f.write_str("nan"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_ranks_of_sorted_values() {
        let values: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&values, 0.5), Some(51));
        assert_eq!(percentile(&values, 0.99), Some(99));
        assert_eq!(percentile(&values, 1.0), Some(100));
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[7], 0.99), Some(7));
    }

    #[test]
    fn failed_calls_count_as_calls_and_errors_but_keep_no_latency() {
        let mut tally = Tally::default();
        tally.record(Duration::from_micros(40), Ok(()));
        tally.record(Duration::from_micros(5), Err("first".into()));
        let mut other = Tally::default();
        other.fail("second".into());
        tally.merge(other);
        assert_eq!((tally.calls, tally.errors), (3, 2));
        assert_eq!(tally.latencies_us, [40]);
        assert_eq!(tally.first_error.as_deref(), Some("first"));
        assert!(tally.check("calls").is_err());
        assert!(Tally::default().check("calls").is_ok());
    }

    #[test]
    fn the_result_line_has_every_field() {
        let mut tally = Tally::default();
        for micros in [100, 200, 300, 400] {
            tally.record(Duration::from_micros(micros), Ok(()));
        }
        let report = CallsReport {
            scenario: "unary",
            tally: &tally,
            wall: Duration::from_millis(2),
            cpu: Some(Duration::from_micros(10)),
        };
        assert_eq!(
            report.to_string(),
            "RESULT scenario=unary calls=4 errors=0 secs=0.002 rps=2000 p50_us=300 p99_us=400 cpu_us_per_call=2.50"
        );
        let unknown = CallsReport {
            cpu: None,
            ..report
        };
        assert!(unknown.to_string().ends_with(" cpu_us_per_call=nan"));
    }
}
