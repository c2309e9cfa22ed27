//! The closed-loop load: on each channel, `in_flight` workers (tasks) each
//! make one call after another until the run's shared count of calls is
//! used up, as h2load's `-c C -m M` and tonic's `greeter-client unary` do.
//! Every reply is checked against what the Greeter answers for "world".

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use futures_core::Stream;
use futures_util::StreamExt;
use h2grpc::services::greeter::{GreeterClient, HelloReply, HelloRequest, STREAM_REPLY_COUNT};
use h2grpc::Status;
use tokio::time::Instant;

use super::report::Tally;

/// The name every request carries.
pub const NAME: &str = "world";

/// The reply every call must get for [`NAME`].
pub const EXPECTED: &str = "Hello, world!";

/// Requests of one `Bidi` call, all sent at once as h2load's body of ten
/// messages is; the server answers each.
pub const BIDI_REQUESTS: usize = 10;

/// What one call of the load is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallShape {
    /// SayHello.
    Unary,
    /// SayHelloStreamReply, read to its end.
    Stream,
    /// SayHelloBidiStream: [`BIDI_REQUESTS`] requests, as many replies.
    Bidi,
}

/// What a load run saw.
#[derive(Debug)]
pub struct Outcome {
    /// Every finished call, merged over the workers.
    pub tally: Tally,
    /// Whether the deadline stopped it before every call was made.
    pub timed_out: bool,
}

/// Makes `total` calls of `shape`, `in_flight` at a time on each client,
/// and stops at `deadline` (calls then in flight are dropped, which
/// cancels them, and are not counted).
pub async fn run(
    clients: &[GreeterClient],
    in_flight: usize,
    shape: CallShape,
    total: u64,
    deadline: Instant,
) -> Outcome {
    let issued = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::with_capacity(clients.len() * in_flight);
    for client in clients {
        for _ in 0..in_flight {
            let client = client.clone();
            let issued = issued.clone();
            workers.push(tokio::spawn(async move {
                let mut tally = Tally::default();
                // One timer per worker, not per call: the calls borrow the
                // tally, so what finished before the deadline stays counted.
                let worker = calls(&client, shape, &issued, total, &mut tally);
                let finished = tokio::time::timeout_at(deadline, worker).await.is_ok();
                (tally, finished)
            }));
        }
    }
    let mut outcome = Outcome {
        tally: Tally::with_capacity(total),
        timed_out: false,
    };
    for worker in workers {
        match worker.await {
            Ok((tally, finished)) => {
                outcome.tally.merge(tally);
                outcome.timed_out |= !finished;
            }
            // A worker that panicked lost its tally: count it as one error.
            Err(join_error) => outcome.tally.fail(format!("worker failed: {join_error}")),
        }
    }
    outcome
}

/// One worker: calls until `issued` reaches `total`.
async fn calls(
    client: &GreeterClient,
    shape: CallShape,
    issued: &AtomicU64,
    total: u64,
    tally: &mut Tally,
) {
    while issued.fetch_add(1, Ordering::Relaxed) < total {
        let started = std::time::Instant::now();
        let outcome = one_call(client, shape).await;
        tally.record(
            started.elapsed(),
            outcome.map_err(|failure| failure.to_string()),
        );
    }
}

/// Why a call did not give the expected answer.
#[derive(Debug)]
enum CallFailure {
    /// A status other than OK.
    Status(Status),
    /// A reply other than [`EXPECTED`].
    WrongReply(String),
    /// A reply stream with the wrong number of replies.
    WrongCount {
        /// Replies read.
        got: usize,
        /// Replies the call should have had.
        expected: usize,
    },
}

impl From<Status> for CallFailure {
    fn from(status: Status) -> CallFailure {
        CallFailure::Status(status)
    }
}

impl std::fmt::Display for CallFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallFailure::Status(status) => write!(f, "{status}"),
            CallFailure::WrongReply(got) => write!(f, "reply {got:?}, expected {EXPECTED:?}"),
            CallFailure::WrongCount { got, expected } => {
                write!(f, "{got} replies, expected {expected}")
            }
        }
    }
}

/// A request for [`NAME`].
pub fn request() -> HelloRequest {
    HelloRequest { name: NAME.into() }
}

/// One call of `shape`, its replies checked.
async fn one_call(client: &GreeterClient, shape: CallShape) -> Result<(), CallFailure> {
    match shape {
        CallShape::Unary => check(client.say_hello(request()).await?.into_inner()),
        CallShape::Stream => {
            let replies = client.say_hello_stream_reply(request()).await?.into_inner();
            check_all(replies, STREAM_REPLY_COUNT).await
        }
        CallShape::Bidi => {
            let requests = futures_util::stream::iter((0..BIDI_REQUESTS).map(|_| request()));
            let replies = client.say_hello_bidi_stream(requests).await?.into_inner();
            check_all(replies, BIDI_REQUESTS).await
        }
    }
}

/// Reads a reply stream to its end (its OK status included): exactly
/// `expected` replies, each [`EXPECTED`].
async fn check_all(
    mut replies: impl Stream<Item = Result<HelloReply, Status>> + Unpin,
    expected: usize,
) -> Result<(), CallFailure> {
    let mut got = 0;
    while let Some(reply) = replies.next().await {
        check(reply?)?;
        got += 1;
    }
    if got == expected {
        Ok(())
    } else {
        Err(CallFailure::WrongCount { got, expected })
    }
}

/// One reply must be [`EXPECTED`].
fn check(reply: HelloReply) -> Result<(), CallFailure> {
    if reply.message == EXPECTED {
        Ok(())
    } else {
        Err(CallFailure::WrongReply(reply.message))
    }
}
