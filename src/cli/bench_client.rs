//! `h2grpc bench-client`: drives a Greeter server with our own client in the
//! shapes of the bench-peers h2load scenarios (unary SayHello; server
//! streaming SayHelloStreamReply, 10 replies; bidi SayHelloBidiStream, 10
//! requests then 10 replies), `--connections` channels with `--concurrency`
//! calls in flight on each, and reports throughput, latency and this
//! process's CPU time per call: the figure to hold against tonic's client
//! driving the same server.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use h2grpc::services::greeter::{GreeterClient, HelloReply, HelloRequest};
use h2grpc::Status;

use super::{say, CliError, Target};

/// The reply every call must get, for the name "world".
const EXPECTED: &str = "Hello, world!";

/// Messages each way of a bidi call, replies of a server-streaming call.
const MESSAGES_PER_STREAM: usize = 10;

/// The call shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// SayHello.
    Unary,
    /// SayHelloStreamReply, reading its 10 replies.
    Stream,
    /// SayHelloBidiStream: 10 requests, 10 replies.
    Bidi,
}

/// Options of `h2grpc bench-client`.
#[derive(Debug, clap::Args)]
pub struct BenchClientArgs {
    /// The call shape.
    #[arg(long, value_enum, default_value = "unary")]
    scenario: Scenario,
    /// Connections (channels), each its own TCP connection (h2load's -c).
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Calls in flight on each connection (h2load's -m).
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Calls to measure.
    #[arg(long, default_value_t = 100_000)]
    calls: u64,
    /// Calls made (and not measured) before the measured ones.
    #[arg(long, default_value_t = 0)]
    warmup: u64,
    /// Runtime worker threads: 0 (the default) runs everything on one
    /// thread, tokio's current_thread runtime, as h2load's one thread does.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    #[command(flatten)]
    target: Target,
}

/// What one load run saw.
struct Tally {
    calls: u64,
    errors: u64,
    /// One entry per call, in microseconds.
    latencies_us: Vec<u32>,
}

/// Runs the warm-up, then the measured load, and prints one line:
/// `RESULT scenario=… calls=… errors=… secs=… rps=… p50_us=… p99_us=…
/// cpu_us_per_call=…`. Any failed call makes the command fail.
pub async fn run(args: BenchClientArgs) -> Result<(), CliError> {
    let mut clients = Vec::with_capacity(args.connections.max(1));
    for _ in 0..args.connections.max(1) {
        clients.push(GreeterClient::new(args.target.connect().await?));
    }
    let in_flight = args.concurrency.max(1);
    if args.warmup > 0 {
        load(&clients, in_flight, args.scenario, args.warmup).await;
    }
    let cpu_before = process_cpu();
    let started = Instant::now();
    let mut tally = load(&clients, in_flight, args.scenario, args.calls).await;
    let secs = started.elapsed().as_secs_f64();
    let cpu = process_cpu().saturating_sub(cpu_before);
    tally.latencies_us.sort_unstable();
    say!(
        "RESULT scenario={:?} calls={} errors={} secs={secs:.3} rps={:.0} p50_us={} p99_us={} cpu_us_per_call={:.2}",
        args.scenario,
        tally.calls,
        tally.errors,
        tally.calls as f64 / secs.max(f64::EPSILON),
        percentile(&tally.latencies_us, 0.50),
        percentile(&tally.latencies_us, 0.99),
        cpu.as_secs_f64() * 1e6 / tally.calls.max(1) as f64,
    )?;
    if tally.errors > 0 {
        return Err(CliError::BenchFailed {
            errors: tally.errors,
            calls: tally.calls,
        });
    }
    Ok(())
}

/// Makes `total` calls, `in_flight` at a time on each client.
async fn load(
    clients: &[GreeterClient],
    in_flight: usize,
    scenario: Scenario,
    total: u64,
) -> Tally {
    let issued = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::with_capacity(clients.len() * in_flight);
    for client in clients {
        for _ in 0..in_flight {
            let client = client.clone();
            let issued = issued.clone();
            workers.push(tokio::spawn(async move {
                let mut tally = Tally {
                    calls: 0,
                    errors: 0,
                    latencies_us: Vec::new(),
                };
                while issued.fetch_add(1, Ordering::Relaxed) < total {
                    let started = Instant::now();
                    let ok = one_call(&client, scenario).await.is_ok();
                    let micros = started.elapsed().as_micros();
                    tally
                        .latencies_us
                        .push(u32::try_from(micros).unwrap_or(u32::MAX));
                    tally.calls += 1;
                    tally.errors += u64::from(!ok);
                }
                tally
            }));
        }
    }
    let mut all = Tally {
        calls: 0,
        errors: 0,
        latencies_us: Vec::with_capacity(usize::try_from(total).unwrap_or(0)),
    };
    for worker in workers {
        match worker.await {
            Ok(tally) => {
                all.calls += tally.calls;
                all.errors += tally.errors;
                all.latencies_us.extend(tally.latencies_us);
            }
            // A worker that panicked lost its tally: count it as one error.
            Err(_) => all.errors += 1,
        }
    }
    all
}

/// Why a call did not give the expected answer.
enum CallFailure {
    /// A status other than OK.
    Status,
    /// A reply other than "Hello, world!", or the wrong number of them.
    WrongReply,
}

impl From<Status> for CallFailure {
    fn from(_: Status) -> CallFailure {
        CallFailure::Status
    }
}

/// One call of the scenario, its replies checked.
async fn one_call(client: &GreeterClient, scenario: Scenario) -> Result<(), CallFailure> {
    fn request() -> HelloRequest {
        HelloRequest {
            name: "world".into(),
        }
    }
    match scenario {
        Scenario::Unary => check(&client.say_hello(request()).await?.into_inner()),
        Scenario::Stream => {
            let replies = client.say_hello_stream_reply(request()).await?.into_inner();
            check_all(replies).await
        }
        Scenario::Bidi => {
            let requests = futures_util::stream::iter((0..MESSAGES_PER_STREAM).map(|_| request()));
            let replies = client.say_hello_bidi_stream(requests).await?.into_inner();
            check_all(replies).await
        }
    }
}

/// Reads a reply stream to its end: exactly [`MESSAGES_PER_STREAM`]
/// replies, each the expected one.
async fn check_all(
    mut replies: impl futures_core::Stream<Item = Result<HelloReply, Status>> + Unpin,
) -> Result<(), CallFailure> {
    let mut count = 0;
    while let Some(reply) = replies.next().await {
        check(&reply?)?;
        count += 1;
    }
    if count == MESSAGES_PER_STREAM {
        Ok(())
    } else {
        Err(CallFailure::WrongReply)
    }
}

fn check(reply: &HelloReply) -> Result<(), CallFailure> {
    if reply.message == EXPECTED {
        Ok(())
    } else {
        Err(CallFailure::WrongReply)
    }
}

/// The value at quantile `q` of sorted `values` (0 when empty).
fn percentile(values: &[u32], q: f64) -> u32 {
    if values.is_empty() {
        return 0;
    }
    let index = ((values.len() - 1) as f64 * q).round() as usize;
    values[index.min(values.len() - 1)]
}

/// CPU time this process has run so far, all threads: the sum of each
/// thread's `/proc/self/task/*/schedstat` run time, as the bench-peers'
/// load.sh measures servers. Zero where /proc is unavailable.
fn process_cpu() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let nanos: u64 = tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(nanos)
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_of_sorted_values() {
        let values: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&values, 0.5), 51);
        assert_eq!(percentile(&values, 0.99), 99);
        assert_eq!(percentile(&[], 0.5), 0);
        assert_eq!(percentile(&[7], 0.99), 7);
    }
}
