//! `h2grpc soak`: a bounded mix of every kind of call against a server
//! over loopback — a million unary calls, ten thousand streams of each
//! kind, cancellations, deadlines that expire, large messages and
//! reconnects, all at once — then a report of throughput, outcomes by
//! status code and the server's resident set size at start, middle and
//! end (issue 13's soak). It fails on any unexpected outcome or when the
//! RSS grew by more than `--max-rss-growth` percent.
//!
//! The server it starts itself runs with glibc's mmap threshold fixed
//! (see [`server::MMAP_THRESHOLD`] for why); a server given with `--addr`
//! runs as its owner started it.
//!
//! This file owns the options and the run: start (or find) the server,
//! warm up, sample the RSS around the measured run, report. [`plan`] says
//! what runs, [`calls`] makes one operation of each kind, [`runner`] the
//! workers and the channel pool, [`server`] the child server and `/proc`,
//! [`report`] the output.

mod calls;
mod plan;
mod report;
mod runner;
mod server;

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use self::plan::{Kind, Plan};
use self::report::{Report, RssSamples, Verdict};
use self::runner::{Pool, Runner};
use super::{say, CliError, Target};

/// How often the RSS sampler looks during the run.
const SAMPLE_EVERY: Duration = Duration::from_millis(100);

/// Options of `h2grpc soak`.
#[derive(Debug, clap::Args)]
pub struct SoakArgs {
    /// Soak this server (HOST:PORT or http://HOST:PORT) instead of
    /// starting `h2grpc serve` as a child.
    #[arg(long, alias = "address")]
    addr: Option<String>,
    /// With --addr: the server's process id, to read its RSS from
    /// /proc/PID/status (without it, RSS is not checked).
    #[arg(long, requires = "addr")]
    server_pid: Option<u32>,
    /// Runtime worker threads of the child server [default: serve's].
    #[arg(long, conflicts_with = "addr")]
    server_threads: Option<usize>,
    /// Runtime worker threads of the soak itself: 0 (the default) is
    /// tokio's current_thread runtime, as bench-client's.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Unary calls (Greeter/SayHello).
    #[arg(long, default_value_t = 1_000_000)]
    unary: u64,
    /// Server-streaming calls (Greeter/SayHelloStreamReply, 10 replies).
    #[arg(long, default_value_t = 10_000)]
    server_streams: u64,
    /// Client-streaming calls (RouteGuide/RecordRoute, 10 points).
    #[arg(long, default_value_t = 10_000)]
    client_streams: u64,
    /// Bidi calls (Greeter/SayHelloBidiStream, 10 requests and replies).
    #[arg(long, default_value_t = 10_000)]
    bidi_streams: u64,
    /// Bidi calls cancelled by the client after their first reply (expected CANCELLED).
    #[arg(long, default_value_t = 10_000)]
    cancels: u64,
    /// Contact/getTask subscriptions under a deadline that expires (expected DEADLINE_EXCEEDED).
    #[arg(long, default_value_t = 10_000)]
    deadlines: u64,
    /// SayHello calls with a --large-bytes name, answered as large.
    #[arg(long, default_value_t = 1_000)]
    large: u64,
    /// Channels replaced by new connections during the run.
    #[arg(long, default_value_t = 1_000)]
    reconnects: u64,
    /// Channels (TCP connections) the mix shares.
    #[arg(long, default_value_t = 4, value_parser = at_least_one())]
    channels: usize,
    /// Unary calls in flight, over all channels.
    #[arg(long, default_value_t = 64, value_parser = at_least_one())]
    concurrency: usize,
    /// Calls in flight for each of the streaming, cancel and deadline kinds.
    #[arg(long, default_value_t = 8, value_parser = at_least_one())]
    stream_concurrency: usize,
    /// Large calls in flight.
    #[arg(long, default_value_t = 2, value_parser = at_least_one())]
    large_concurrency: usize,
    /// Bytes of a large call's name (and so of its request and its reply);
    /// keep it under the 4 MiB receive limit of both sides.
    #[arg(long, default_value_t = 1024 * 1024)]
    large_bytes: usize,
    /// The deadline of the deadline kind's calls, in milliseconds.
    #[arg(long, default_value_t = 20)]
    deadline_ms: u64,
    /// Milliseconds between two reconnects.
    #[arg(long, default_value_t = 20)]
    reconnect_every_ms: u64,
    /// The warm-up, in percent of every count (at least one of each kind
    /// that runs), before the start RSS is read. It must bring the server
    /// to its working size: 2% left it growing by 2–3 MiB during the run
    /// (a high-water mark, not a leak: it stays put on later runs); 10%
    /// leaves growth under 5%.
    #[arg(long, default_value_t = 10)]
    warmup_percent: u64,
    /// Fail when the server's RSS at the end is more than this many
    /// percent above the start.
    #[arg(long, default_value_t = 10.0)]
    max_rss_growth: f64,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
}

fn at_least_one() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::new().range(1..)
}

impl SoakArgs {
    fn plan(&self) -> Plan {
        let mut plan = Plan {
            counts: [0; Kind::ALL.len()],
            in_flight: [self.stream_concurrency; Kind::ALL.len()],
        };
        for kind in Kind::ALL {
            plan.counts[kind.index()] = match kind {
                Kind::Unary => self.unary,
                Kind::ServerStream => self.server_streams,
                Kind::ClientStream => self.client_streams,
                Kind::Bidi => self.bidi_streams,
                Kind::Cancel => self.cancels,
                Kind::Deadline => self.deadlines,
                Kind::Large => self.large,
                Kind::Reconnect => self.reconnects,
            };
        }
        plan.in_flight[Kind::Unary.index()] = self.concurrency;
        plan.in_flight[Kind::Large.index()] = self.large_concurrency;
        plan.in_flight[Kind::Reconnect.index()] = 1;
        plan
    }
}

/// Why `h2grpc soak` failed.
#[derive(Debug)]
pub enum SoakError {
    /// The child server could not be started.
    ServerStart(std::io::Error),
    /// The child server did not say where it listens.
    ServerSilent,
    /// The server's RSS could not be read.
    Rss {
        /// Whose.
        pid: u32,
        /// Why.
        why: String,
    },
    /// The soak ran and did not pass.
    Failed(Verdict),
}

impl fmt::Display for SoakError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SoakError::ServerStart(error) => write!(f, "cannot start the server: {error}"),
            SoakError::ServerSilent => f.write_str("the server did not say where it listens"),
            SoakError::Rss { pid, why } => write!(f, "cannot read the RSS of pid {pid}: {why}"),
            SoakError::Failed(verdict) => {
                let mut why = Vec::new();
                if verdict.unexpected > 0 {
                    why.push(format!("{} unexpected outcomes", verdict.unexpected));
                }
                if let Some(growth) = verdict.rss_growth {
                    why.push(format!("server RSS grew {growth:.1}%"));
                }
                if verdict.rss_unread {
                    why.push("server RSS not read".to_owned());
                }
                write!(f, "soak failed: {}", why.join(", "))
            }
        }
    }
}

impl From<SoakError> for CliError {
    fn from(error: SoakError) -> CliError {
        CliError::Soak(error)
    }
}

/// Runs the soak and prints its report; fails unless it passed.
pub async fn run(args: SoakArgs) -> Result<(), CliError> {
    let (child, addr, pid, origin) = match &args.addr {
        Some(addr) => (None, addr.clone(), args.server_pid, "given".to_owned()),
        None => {
            let child = server::ChildServer::start(args.server_threads)?;
            let addr = child.addr().to_string();
            let pid = Some(child.pid());
            let (name, value) = server::MMAP_THRESHOLD;
            let value = std::env::var(name).unwrap_or_else(|_| value.to_owned());
            let origin = format!("started by soak, {name}={value}");
            (Some(child), addr, pid, origin)
        }
    };
    let target = Target {
        addr: addr.clone(),
        tls: Default::default(),
    };
    let mut channels = Vec::with_capacity(args.channels);
    for _ in 0..args.channels {
        channels.push(target.connect().await?);
    }
    let pool = Arc::new(Pool::new(channels));
    let runner = Runner {
        target,
        settings: calls::Settings {
            deadline: Duration::from_millis(args.deadline_ms),
            large_name: "x".repeat(args.large_bytes).into(),
        },
        reconnect_every: Duration::from_millis(args.reconnect_every_ms),
        done: Arc::new(AtomicU64::new(0)),
    };
    let plan = args.plan();
    let warmup = runner.run(&plan.scaled(args.warmup_percent), &pool).await;

    let mut rss = RssSamples::default();
    if let Some(pid) = pid {
        rss.start = Some(server::rss_kib(pid)?);
    }
    runner.done.store(0, Ordering::Relaxed);
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = pid.map(|pid| {
        tokio::spawn(sample(
            pid,
            plan.total() / 2,
            runner.done.clone(),
            stop.clone(),
        ))
    });
    let tallies = runner.run(&plan, &pool).await;
    stop.store(true, Ordering::Relaxed);
    if let (Some(pid), Some(sampler)) = (pid, sampler) {
        let (mid, peak) = sampler.await.unwrap_or((None, None));
        rss.end = server::rss_kib(pid).ok();
        rss.mid = mid.or(rss.end);
        rss.peak = peak.max(rss.end);
    }
    drop(pool);
    drop(child);

    let report = Report {
        server: format!("{addr} ({origin})"),
        pid,
        warmup: &warmup,
        run: &tallies,
        rss,
        max_rss_growth: args.max_rss_growth,
    };
    if args.json {
        say!("{}", report.json())?;
    } else {
        say!("{report}")?;
    }
    let verdict = report.verdict();
    if verdict.passed() {
        Ok(())
    } else {
        Err(SoakError::Failed(verdict).into())
    }
}

/// Reads the RSS every [`SAMPLE_EVERY`] until `stop`: once `done` reaches
/// `half` (the mid sample), and the largest seen (the peak).
async fn sample(
    pid: u32,
    half: u64,
    done: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
) -> (Option<u64>, Option<u64>) {
    let mut mid = None;
    let mut peak = None;
    while !stop.load(Ordering::Relaxed) {
        tokio::time::sleep(SAMPLE_EVERY).await;
        let Ok(now) = server::rss_kib(pid) else {
            continue;
        };
        peak = peak.max(Some(now));
        if mid.is_none() && done.load(Ordering::Relaxed) >= half {
            mid = Some(now);
        }
    }
    (mid, peak)
}
