//! `h2grpc bench-client`: our client as a load generator, driving a Greeter
//! server in the shapes of the bench-peers scenarios so that its CPU time
//! per call can be held against tonic's client (`greeter-client`) driving
//! the same server.
//!
//! This file owns the options and the run: connect, warm up, measure,
//! report. [`load`] is the closed-loop engine (h2load's `-c`/`-m`),
//! [`long_stream`] the one-long-stream mode of tonic's `greeter-client
//! bidi`, [`report`] the tallies and the `RESULT` line, [`cpu`] this
//! process's CPU clock.

mod cpu;
mod load;
mod long_stream;
mod report;

use std::time::{Duration, Instant};

use h2grpc::services::greeter::GreeterClient;

use self::load::CallShape;
use self::report::{CallsReport, MessagesReport};
use super::{say, CliError, Target};

/// Connections by default: h2load's `-c 16` in the bench-peers scenarios.
pub const DEFAULT_CONNECTIONS: usize = 16;

/// Calls in flight per connection by default: h2load's `-m 32` there.
pub const DEFAULT_CONCURRENCY: usize = 32;

/// Calls measured by default: enough for a steady rate (a second or more
/// on one core) without making a quick look slow.
pub const DEFAULT_CALLS: u64 = 100_000;

/// `bidi-stream` messages by default: tonic's `greeter-client bidi`.
pub const DEFAULT_MESSAGES: u64 = 200_000;

/// `bidi-stream` requests queued ahead of the sender by default: tonic's
/// `greeter-client bidi --window`.
pub const DEFAULT_WINDOW: usize = 1024;

/// Wall-clock cap on the whole load by default, as tonic's client has: a
/// server that stops answering fails the run instead of hanging it.
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;

/// The call shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// SayHello (bench-peers `unary`, `unary-lat` with `-c 1 -m 1`).
    Unary,
    /// SayHelloStreamReply, reading its 10 replies (bench-peers `stream`).
    Stream,
    /// SayHelloBidiStream: 10 requests sent at once, 10 replies read
    /// (bench-peers `bidi`).
    Bidi,
    /// One SayHelloBidiStream carrying `--messages` requests and replies
    /// (tonic's `greeter-client bidi`, bench-peers `bidi1`).
    BidiStream,
}

impl Scenario {
    /// The name on the command line and in the `RESULT` line.
    fn name(self) -> &'static str {
        match self {
            Scenario::Unary => "unary",
            Scenario::Stream => "stream",
            Scenario::Bidi => "bidi",
            Scenario::BidiStream => "bidi-stream",
        }
    }
}

/// Options of `h2grpc bench-client`.
#[derive(Debug, clap::Args)]
pub struct BenchClientArgs {
    /// The call shape.
    #[arg(long, value_enum, default_value = "unary")]
    scenario: Scenario,
    /// Connections (channels), each its own TCP connection (h2load's -c).
    #[arg(long, default_value_t = DEFAULT_CONNECTIONS, value_parser = at_least_one())]
    connections: usize,
    /// Calls in flight on each connection (h2load's -m).
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY, value_parser = at_least_one())]
    concurrency: usize,
    /// Calls to measure [default: 100000; not with bidi-stream].
    #[arg(long)]
    calls: Option<u64>,
    /// bidi-stream: requests (and replies) on the one stream [default: 200000].
    #[arg(long)]
    messages: Option<u64>,
    /// bidi-stream: requests queued ahead of the sender [default: 1024].
    #[arg(long, value_parser = at_least_one())]
    window: Option<usize>,
    /// Calls (bidi-stream: messages) made and not measured, before the
    /// measured ones.
    #[arg(long, default_value_t = 0)]
    warmup: u64,
    /// Seconds the whole run may take; past them it fails.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
    /// Runtime worker threads: 0 (the default) is tokio's current_thread
    /// runtime, everything on the one thread, as h2load's `-t 1` load runs
    /// and the cheaper flavor on one core (bench-peers README); N ≥ 1 is
    /// multi_thread with N workers (tonic's client defaults to 1).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    #[command(flatten)]
    target: Target,
}

/// Parses a count that must be at least one (connections, calls in flight,
/// window): zero would make a load that never starts.
fn at_least_one() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::new().range(1..)
}

impl BenchClientArgs {
    /// Refuses options that do not apply to the scenario, rather than
    /// ignoring them.
    fn check(&self) -> Result<(), CliError> {
        let streaming = self.scenario == Scenario::BidiStream;
        let misplaced = if streaming {
            self.calls
                .map(|_| "--calls does not apply to bidi-stream: use --messages")
        } else if self.messages.is_some() || self.window.is_some() {
            Some("--messages and --window apply to --scenario bidi-stream only")
        } else {
            None
        };
        match misplaced {
            Some(message) => Err(CliError::BenchOptions(message)),
            None => Ok(()),
        }
    }
}

/// Runs the warm-up, then the measured load, and prints one `RESULT` line
/// (see [`report`]). Any failed call, a wrong reply, or running past
/// `--timeout` makes the command fail.
pub async fn run(args: BenchClientArgs) -> Result<(), CliError> {
    args.check()?;
    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    match args.scenario {
        Scenario::Unary => closed_loop(&args, CallShape::Unary, deadline).await,
        Scenario::Stream => closed_loop(&args, CallShape::Stream, deadline).await,
        Scenario::Bidi => closed_loop(&args, CallShape::Bidi, deadline).await,
        Scenario::BidiStream => one_long_stream(&args, deadline).await,
    }
}

/// `--connections` × `--concurrency` calls in flight until `--calls` are done.
async fn closed_loop(
    args: &BenchClientArgs,
    shape: CallShape,
    deadline: Instant,
) -> Result<(), CliError> {
    let mut clients = Vec::with_capacity(args.connections);
    for _ in 0..args.connections {
        clients.push(GreeterClient::new(args.target.connect().await?));
    }
    let in_flight = args.concurrency;
    let total = args.calls.unwrap_or(DEFAULT_CALLS);
    if args.warmup > 0 {
        let warmup = load::run(&clients, in_flight, shape, args.warmup, deadline.into()).await;
        if warmup.timed_out {
            return Err(timed_out(args, warmup.tally.calls, args.warmup));
        }
    }
    let cpu = cpu::CpuClock::start();
    let started = Instant::now();
    let mut outcome = load::run(&clients, in_flight, shape, total, deadline.into()).await;
    let wall = started.elapsed();
    let cpu = cpu.elapsed();
    outcome.tally.latencies_us.sort_unstable();
    let report = CallsReport {
        scenario: args.scenario.name(),
        tally: &outcome.tally,
        wall,
        cpu,
    };
    say!("{report}")?;
    if outcome.timed_out {
        return Err(timed_out(args, outcome.tally.calls, total));
    }
    outcome.tally.check("calls")
}

/// One bidi stream of `--messages` requests, as tonic's `greeter-client bidi`.
async fn one_long_stream(args: &BenchClientArgs, deadline: Instant) -> Result<(), CliError> {
    let client = GreeterClient::new(args.target.connect().await?);
    let window = args.window.unwrap_or(DEFAULT_WINDOW);
    let messages = args.messages.unwrap_or(DEFAULT_MESSAGES);
    if args.warmup > 0 {
        let warmup = long_stream::run(&client, args.warmup, window, deadline.into()).await;
        if warmup.timed_out {
            return Err(timed_out(args, warmup.got, args.warmup));
        }
    }
    let cpu = cpu::CpuClock::start();
    let started = Instant::now();
    let outcome = long_stream::run(&client, messages, window, deadline.into()).await;
    let wall = started.elapsed();
    let cpu = cpu.elapsed();
    let report = MessagesReport {
        scenario: args.scenario.name(),
        outcome: &outcome,
        wall,
        cpu,
    };
    say!("{report}")?;
    if outcome.timed_out {
        return Err(timed_out(args, outcome.got, messages));
    }
    outcome.check()
}

/// The error for a run that hit `--timeout` with `done` of `total` finished.
fn timed_out(args: &BenchClientArgs, done: u64, total: u64) -> CliError {
    CliError::BenchTimedOut {
        done,
        total,
        secs: args.timeout,
    }
}
