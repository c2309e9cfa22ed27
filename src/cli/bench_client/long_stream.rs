//! `--scenario bidi-stream`: one SayHelloBidiStream carrying N requests and
//! N replies, built as tonic's `greeter-client bidi` builds it so that the
//! two clients' CPU per message compare: a producer task pushes the
//! requests into a channel bounded by the window, the call sends what the
//! channel yields, and this task reads and checks the replies.

use futures_util::StreamExt;
use h2grpc::services::greeter::GreeterClient;
use h2grpc::Status;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::load::{request, EXPECTED};
use crate::cli::CliError;

/// What the stream did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Requests the stream was to carry.
    pub messages: u64,
    /// Replies received.
    pub got: u64,
    /// Replies other than [`EXPECTED`].
    pub wrong: u64,
    /// How the call failed, if it did (its status).
    pub failure: Option<String>,
    /// Whether the deadline stopped it first.
    pub timed_out: bool,
}

impl Outcome {
    /// Replies that were wrong or never came.
    pub fn errors(&self) -> u64 {
        self.wrong + self.messages.saturating_sub(self.got)
    }

    /// Fails unless every request got its right reply and the call ended OK.
    pub fn check(&self) -> Result<(), CliError> {
        match (self.errors(), &self.failure) {
            (0, None) => Ok(()),
            (errors, failure) => Err(CliError::BenchFailed {
                errors,
                total: self.messages,
                unit: "messages",
                first: failure.clone().unwrap_or_else(|| {
                    format!("{} wrong replies, {} received", self.wrong, self.got)
                }),
            }),
        }
    }
}

/// Sends `messages` requests on one bidi call, at most `window` queued
/// ahead of the sender, and reads every reply, until `deadline`.
pub async fn run(
    client: &GreeterClient,
    messages: u64,
    window: usize,
    deadline: Instant,
) -> Outcome {
    let (queue, mut queued) = mpsc::channel(window);
    let producer = tokio::spawn(async move {
        for _ in 0..messages {
            if queue.send(request()).await.is_err() {
                // The call is over: nothing reads the queue any more.
                break;
            }
        }
    });
    let requests = futures_util::stream::poll_fn(move |cx| queued.poll_recv(cx));
    let mut outcome = Outcome {
        messages,
        ..Outcome::default()
    };
    let exchange = async {
        let mut replies = client.say_hello_bidi_stream(requests).await?.into_inner();
        while let Some(reply) = replies.next().await {
            let reply = reply?;
            outcome.got += 1;
            outcome.wrong += u64::from(reply.message != EXPECTED);
        }
        Ok::<(), Status>(())
    };
    let ended = tokio::time::timeout_at(deadline, exchange).await;
    match ended {
        Ok(Ok(())) => {}
        Ok(Err(status)) => outcome.failure = Some(status.to_string()),
        Err(_) => outcome.timed_out = true,
    }
    producer.abort();
    outcome
}
