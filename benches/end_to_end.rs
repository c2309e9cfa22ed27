//! Our server and our client end to end, in one process over loopback TCP,
//! through the public API only: what a call costs once HTTP/2, the framing,
//! the codec and both runners are all in the path.
//!
//! - `e2e/unary_latency`: one `Greeter.SayHello` at a time (time per call).
//! - `e2e/unary_throughput_64_in_flight`: `SayHello` with 64 calls in flight
//!   on one connection (calls/s).
//! - `e2e/server_streaming`: one `MultiGreeter.sayHello` of
//!   [`STREAM_MESSAGES`] replies per iteration (messages/s).
//! - `e2e/bidi_ping_pong_latency`: on one `Greeter.SayHelloBidiStream`, send
//!   one request and wait for its reply, again and again (time per round
//!   trip).
//!
//! Each benchmark starts its own server and connection on a
//! **current_thread** tokio runtime built once for it, and shuts the server
//! down gracefully when done. Client and server share that one thread, so
//! the figures are the CPU cost of both sides together, not what two cores
//! in parallel could do; in exchange no hand-offs between worker threads,
//! and no fight with other work for a second core, enter them (the machine
//! is shared, and still moves them from run to run). Every reply is checked:
//! an error or a wrong greeting panics the run.
//!
//! `cargo bench --bench end_to_end`

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use futures_util::StreamExt;
use h2grpc::rpc::{Response, Server, Streaming};
use h2grpc::services::greeter::{GreeterClient, HelloReply, HelloRequest};
use h2grpc::services::multi_greeter::{self, MultiGreeterClient};
use h2grpc::transport::Channel;
use h2grpc::Status;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// The name every request greets.
const NAME: &str = "bench";

/// What every Greeter reply must say (`greeter::hello` of [`NAME`]).
const EXPECTED: &str = "Hello, bench!";

/// Calls in flight on the one connection for the throughput benchmark.
const IN_FLIGHT: usize = 64;

/// Replies per server-streaming call: enough that the stream, not the
/// call's set-up, dominates.
const STREAM_MESSAGES: u32 = 1_000;

/// Samples per benchmark: 30 rather than criterion's 100, and 1 s of
/// warm-up rather than 3, so the four benchmarks take about 30 s in all.
const SAMPLE_SIZE: usize = 30;
/// Measuring time per benchmark.
const MEASUREMENT_TIME: Duration = Duration::from_secs(5);
/// Warm-up time per benchmark.
const WARM_UP_TIME: Duration = Duration::from_secs(1);

/// A server on a loopback port of its own, and a way to stop it.
struct BenchServer {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl BenchServer {
    /// Serves `server` on 127.0.0.1, on a port of its own.
    async fn start(server: Server) -> BenchServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve_with_listener(listener, async {
            let _ = stopped.await;
        }));
        BenchServer { addr, stop, task }
    }

    /// A new channel (its own connection) to the server.
    async fn channel(&self) -> Channel {
        Channel::connect(&format!("http://{}", self.addr))
            .await
            .expect("connect")
    }

    /// Stops the server gracefully and checks it ended cleanly.
    async fn shutdown(self) {
        let _ = self.stop.send(());
        self.task
            .await
            .expect("server task panicked")
            .expect("server ended with an error");
    }
}

/// The runtime, the server and a channel to it, for one benchmark.
fn setup() -> (Runtime, BenchServer, Channel) {
    // current_thread: see the module doc comment for why.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (server, channel) = runtime.block_on(async {
        let server = BenchServer::start(h2grpc::services::demo_server()).await;
        let channel = server.channel().await;
        (server, channel)
    });
    (runtime, server, channel)
}

fn hello_request() -> HelloRequest {
    HelloRequest {
        name: NAME.to_owned(),
    }
}

/// Panics unless `reply` is the greeting for [`NAME`].
fn check_reply(reply: Result<Response<HelloReply>, Status>) {
    let reply = reply.expect("SayHello failed").into_inner();
    assert_eq!(reply.message, EXPECTED, "wrong SayHello reply");
}

/// One SayHello at a time.
fn unary_latency(c: &mut Criterion) {
    let (runtime, server, channel) = setup();
    let client = GreeterClient::new(channel);
    let mut group = c.benchmark_group("e2e");
    group.bench_function("unary_latency", |b| {
        // The timed loop runs inside the runtime: one `block_on` per batch,
        // not one per call.
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    check_reply(client.say_hello(hello_request()).await);
                }
                start.elapsed()
            })
        })
    });
    group.finish();
    drop(client);
    runtime.block_on(server.shutdown());
}

/// SayHello with [`IN_FLIGHT`] calls in flight on one connection.
fn unary_throughput(c: &mut Criterion) {
    let (runtime, server, channel) = setup();
    let client = GreeterClient::new(channel);
    let mut group = c.benchmark_group("e2e");
    group.throughput(Throughput::Elements(1));
    group.bench_function(format!("unary_throughput_{IN_FLIGHT}_in_flight"), |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                futures_util::stream::iter(0..iters)
                    .map(|_| client.say_hello(hello_request()))
                    .buffer_unordered(IN_FLIGHT)
                    .for_each(|reply| {
                        check_reply(reply);
                        std::future::ready(())
                    })
                    .await;
                start.elapsed()
            })
        })
    });
    group.finish();
    drop(client);
    runtime.block_on(server.shutdown());
}

/// MultiGreeter.sayHello streaming [`STREAM_MESSAGES`] replies per call.
fn server_streaming(c: &mut Criterion) {
    let (runtime, server, channel) = setup();
    let client = MultiGreeterClient::new(channel);
    let request = multi_greeter::HelloRequest {
        name: NAME.to_owned(),
        num_greetings: STREAM_MESSAGES.to_string(),
    };
    let first = multi_greeter::greeting(1, NAME).message;
    let last = multi_greeter::greeting(STREAM_MESSAGES, NAME).message;
    let mut group = c.benchmark_group("e2e");
    group.throughput(Throughput::Elements(u64::from(STREAM_MESSAGES)));
    group.bench_function("server_streaming", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let mut replies = client
                        .say_hello(request.clone())
                        .await
                        .expect("sayHello failed")
                        .into_inner();
                    // Count every reply; compare the first and the last in
                    // full (formatting all of them would be measured too).
                    let mut count = 0;
                    while let Some(reply) = replies.message().await.expect("sayHello stream") {
                        count += 1;
                        if count == 1 {
                            assert_eq!(reply.message, first, "wrong first reply");
                        } else if count == STREAM_MESSAGES {
                            assert_eq!(reply.message, last, "wrong last reply");
                        }
                    }
                    assert_eq!(count, STREAM_MESSAGES, "wrong number of replies");
                }
                start.elapsed()
            })
        })
    });
    group.finish();
    drop(client);
    runtime.block_on(server.shutdown());
}

/// A bidi request stream fed from a channel, so the benchmark decides when
/// each request goes out.
fn request_stream(
    rx: mpsc::Receiver<HelloRequest>,
) -> impl futures_core::Stream<Item = HelloRequest> + Send + 'static {
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) })
}

/// Sends one request on the open bidi stream and checks its reply.
async fn round_trip(requests: &mpsc::Sender<HelloRequest>, replies: &mut Streaming<HelloReply>) {
    requests
        .send(hello_request())
        .await
        .expect("bidi request side closed");
    let reply = replies
        .message()
        .await
        .expect("SayHelloBidiStream failed")
        .expect("SayHelloBidiStream ended early");
    assert_eq!(reply.message, EXPECTED, "wrong SayHelloBidiStream reply");
}

/// One SayHelloBidiStream for the whole benchmark: one request, its reply,
/// repeat.
fn bidi_ping_pong_latency(c: &mut Criterion) {
    let (runtime, server, channel) = setup();
    let client = GreeterClient::new(channel);
    // One request is queued before the call starts and answered before the
    // timing does, so the stream is fully open when measuring begins.
    let (requests, rx) = mpsc::channel(1);
    let mut replies = runtime.block_on(async {
        requests.send(hello_request()).await.expect("queue");
        let mut replies = client
            .say_hello_bidi_stream(request_stream(rx))
            .await
            .expect("SayHelloBidiStream failed")
            .into_inner();
        let reply = replies.message().await.expect("first reply").expect("one");
        assert_eq!(reply.message, EXPECTED, "wrong SayHelloBidiStream reply");
        replies
    });
    let mut group = c.benchmark_group("e2e");
    group.bench_function("bidi_ping_pong_latency", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    round_trip(&requests, &mut replies).await;
                }
                start.elapsed()
            })
        })
    });
    group.finish();
    // Half-close; the server ends the call with OK after the last reply.
    drop(requests);
    runtime.block_on(async {
        let end = replies.message().await.expect("SayHelloBidiStream status");
        assert!(end.is_none(), "a reply with no request");
        assert!(
            replies.trailers().is_some(),
            "an OK stream ends with trailers"
        );
    });
    drop(client);
    runtime.block_on(server.shutdown());
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(SAMPLE_SIZE)
        .measurement_time(MEASUREMENT_TIME)
        .warm_up_time(WARM_UP_TIME);
    targets = unary_latency, unary_throughput, server_streaming, bidi_ping_pong_latency
}
criterion_main!(benches);
