//! One operation of each [`Kind`], made on a channel and checked: what the
//! demo services answer is known, so a wrong reply is caught as surely as
//! a wrong status.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use h2grpc::rpc::CancelToken;
use h2grpc::services::contact::{self, ContactClient};
use h2grpc::services::greeter::{GreeterClient, HelloReply, HelloRequest, STREAM_REPLY_COUNT};
use h2grpc::services::route_guide::{Point, RouteGuideClient};
use h2grpc::{Channel, Request, Status, Streaming};

use super::plan::{Kind, STREAM_MESSAGES};

/// The name the small calls greet.
const NAME: &str = "soak";

/// How an operation went other than as a plain OK.
#[derive(Debug)]
pub enum Failure {
    /// It ended with this status (CANCELLED and DEADLINE_EXCEEDED are the
    /// expected outcome of their kinds).
    Status(Status),
    /// It ended OK, but with a reply other than the service's answer.
    WrongReply(String),
    /// It had not ended after [`OPERATION_LIMIT`]: dropped, which cancels it.
    NoEnd,
}

/// The longest one operation may take before it counts as hung: far
/// beyond any call of the mix (the slowest, a large message, takes
/// milliseconds on loopback), short enough that a stuck server fails the
/// soak instead of hanging it.
pub const OPERATION_LIMIT: Duration = Duration::from_secs(60);

impl From<Status> for Failure {
    fn from(status: Status) -> Failure {
        Failure::Status(status)
    }
}

impl Failure {
    /// What it counts under in the report: its status code's name, or
    /// `WRONG_REPLY` or `NO_END`.
    pub fn label(&self) -> &'static str {
        match self {
            Failure::Status(status) => status.code().name(),
            Failure::WrongReply(_) => "WRONG_REPLY",
            Failure::NoEnd => "NO_END",
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Status(status) => write!(f, "{status}"),
            Failure::WrongReply(what) => write!(f, "wrong reply: {what}"),
            Failure::NoEnd => write!(f, "no end within {} s", OPERATION_LIMIT.as_secs()),
        }
    }
}

/// What an operation needs besides its channel.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The deadline of a [`Kind::Deadline`] call.
    pub deadline: Duration,
    /// The name of a [`Kind::Large`] call: its request and reply are this
    /// large (and a few bytes more). Shared: every worker holds the
    /// settings, and a copy each was 1 MiB per worker, 64 MiB of the
    /// soak's own memory at the default concurrency.
    pub large_name: Arc<str>,
}

/// Makes one operation of `kind` on `channel` (not [`Kind::Reconnect`],
/// which the runner does: it is a unary call on a new channel).
pub async fn one(kind: Kind, channel: Channel, settings: &Settings) -> Result<(), Failure> {
    match kind {
        Kind::Unary | Kind::Reconnect => unary(channel, NAME).await,
        Kind::ServerStream => server_stream(channel).await,
        Kind::ClientStream => client_stream(channel).await,
        Kind::Bidi => bidi(channel).await,
        Kind::Cancel => cancelled(channel).await,
        Kind::Deadline => deadline(channel, settings.deadline).await,
        Kind::Large => unary(channel, &settings.large_name).await,
    }
}

fn request() -> HelloRequest {
    HelloRequest { name: NAME.into() }
}

/// SayHello(`name`): the reply must be the Greeter's greeting.
async fn unary(channel: Channel, name: &str) -> Result<(), Failure> {
    let reply = GreeterClient::new(channel)
        .say_hello(HelloRequest { name: name.into() })
        .await?
        .into_inner();
    check(&reply, name)
}

/// One reply must greet `name` as the Greeter does ("Hello, NAME!",
/// [`h2grpc::services::greeter::hello`]), compared in place: a large
/// reply is not built again to compare it, nor printed whole.
fn check(reply: &HelloReply, name: &str) -> Result<(), Failure> {
    let greeting = reply
        .message
        .strip_prefix("Hello, ")
        .and_then(|rest| rest.strip_suffix('!'));
    if greeting == Some(name) {
        Ok(())
    } else {
        let shown: String = reply.message.chars().take(40).collect();
        Err(Failure::WrongReply(format!(
            "{} bytes {shown:?}..., expected the greeting of a {}-byte name",
            reply.message.len(),
            name.len()
        )))
    }
}

/// Reads a reply stream to its OK end: `expected` greetings of [`NAME`].
async fn all_replies(mut replies: Streaming<HelloReply>, expected: usize) -> Result<(), Failure> {
    let mut got = 0;
    while let Some(reply) = replies.next().await {
        check(&reply?, NAME)?;
        got += 1;
    }
    if got == expected {
        Ok(())
    } else {
        Err(Failure::WrongReply(format!(
            "{got} replies, expected {expected}"
        )))
    }
}

/// SayHelloStreamReply, read to its end.
async fn server_stream(channel: Channel) -> Result<(), Failure> {
    let replies = GreeterClient::new(channel)
        .say_hello_stream_reply(request())
        .await?
        .into_inner();
    all_replies(replies, STREAM_REPLY_COUNT).await
}

/// RecordRoute of [`STREAM_MESSAGES`] points: the summary counts them.
async fn client_stream(channel: Channel) -> Result<(), Failure> {
    let points = (0..STREAM_MESSAGES as i32).map(|i| Point::new(400_000_000 + i, -740_000_000));
    let summary = RouteGuideClient::new(channel)
        .record_route(futures_util::stream::iter(points))
        .await?
        .into_inner();
    if summary.point_count == STREAM_MESSAGES as i32 {
        Ok(())
    } else {
        Err(Failure::WrongReply(format!(
            "point_count {}, expected {STREAM_MESSAGES}",
            summary.point_count
        )))
    }
}

/// SayHelloBidiStream: [`STREAM_MESSAGES`] requests, as many replies.
async fn bidi(channel: Channel) -> Result<(), Failure> {
    let requests = futures_util::stream::iter((0..STREAM_MESSAGES).map(|_| request()));
    let replies = GreeterClient::new(channel)
        .say_hello_bidi_stream(requests)
        .await?
        .into_inner();
    all_replies(replies, STREAM_MESSAGES).await
}

/// SayHelloBidiStream with one request and the request stream left open:
/// once the first reply is in, the call is cancelled mid-stream; the next
/// read must say CANCELLED (and the server sees RST_STREAM(CANCEL)).
async fn cancelled(channel: Channel) -> Result<(), Failure> {
    let token = CancelToken::new();
    let requests =
        futures_util::stream::once(async { request() }).chain(futures_util::stream::pending());
    let mut call = Request::new(requests);
    call.set_cancel_token(token.clone());
    let mut replies = GreeterClient::new(channel)
        .say_hello_bidi_stream(call)
        .await?
        .into_inner();
    match replies.next().await {
        Some(reply) => check(&reply?, NAME)?,
        None => return Err(Failure::WrongReply("no reply before the cancel".into())),
    }
    token.cancel();
    match replies.next().await {
        Some(Err(status)) => Err(Failure::Status(status)),
        Some(Ok(_)) => Err(Failure::WrongReply("a reply after the cancel".into())),
        None => Err(Failure::WrongReply("ended OK after the cancel".into())),
    }
}

/// getTask (which stays open until the server pushes tasks) under a short
/// deadline, read to its end: tasks may come, the end must be
/// DEADLINE_EXCEEDED.
async fn deadline(channel: Channel, deadline: Duration) -> Result<(), Failure> {
    let mut call = Request::new(contact::Empty {});
    call.set_timeout(deadline);
    let mut tasks = ContactClient::new(channel)
        .get_task(call)
        .await?
        .into_inner();
    while let Some(task) = tasks.next().await {
        task?;
    }
    Err(Failure::WrongReply(
        "the subscription ended OK before its deadline".into(),
    ))
}
