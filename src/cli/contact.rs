//! `h2grpc contact`: the contact tutorial's client (contact_client.py), in
//! English. It reports each `--status` on sendStatus and prints the server's
//! answer before sending the next; then it subscribes with getTask, prints
//! each pushed task as it arrives and acknowledges it on a tellResult call
//! that runs alongside; after `--tasks` tasks it unsubscribes, ends
//! tellResult and exits.
//!
//! ```text
//! Server received the message: data: 1
//! Server received the message: data: 2
//! Client received a task from the server: task 7
//! Client received a task from the server: task 8
//! Acknowledged 2 tasks
//! ```

use futures_core::Stream;
use h2grpc::rpc::Streaming;
use h2grpc::services::contact::{
    task_ack, ClientMsg, ContactClient, Empty, Result as ResultMsg, ServerMsg,
};
use h2grpc::Status;
use tokio::sync::mpsc;

use super::{say, CliError, Target};

const SEND_STATUS: &str = "contact.Contact/sendStatus";
const GET_TASK: &str = "contact.Contact/getTask";
const TELL_RESULT: &str = "contact.Contact/tellResult";

/// Options of `h2grpc contact`.
#[derive(Debug, clap::Args)]
pub struct ContactArgs {
    /// How many pushed tasks to handle before exiting (0: none, do not subscribe).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub tasks: usize,
    /// A status to report on sendStatus; repeat for several, sent in order.
    #[arg(
        long = "status",
        value_name = "TEXT",
        default_values_t = ["data: 1".to_string(), "data: 2".to_string(), "data: 3".to_string()]
    )]
    pub statuses: Vec<String>,
    #[command(flatten)]
    pub target: Target,
}

/// Runs the tutorial client: sendStatus, then getTask with tellResult.
pub async fn run(args: ContactArgs) -> Result<(), CliError> {
    let client = ContactClient::new(args.target.connect().await?);
    send_statuses(&client, args.statuses).await?;
    if args.tasks > 0 {
        handle_tasks(&client, args.tasks).await?;
    }
    Ok(())
}

/// A request stream fed from a channel: the call sends what is put in
/// `Sender` and half-closes when every sender is dropped.
fn channel_stream<T: Send + 'static>(capacity: usize) -> (mpsc::Sender<T>, impl Stream<Item = T>) {
    let (tx, rx) = mpsc::channel(capacity);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    (tx, stream)
}

/// sendStatus: one status at a time, each answer printed before the next
/// status is sent (the server answers as statuses arrive).
async fn send_statuses(client: &ContactClient, statuses: Vec<String>) -> Result<(), CliError> {
    let mut statuses = statuses.into_iter().map(|msg| ClientMsg { msg });
    let Some(first) = statuses.next() else {
        return Ok(());
    };
    let (outgoing, requests) = channel_stream(1);
    // The first status is queued before the call starts: a server may send
    // its response head only with its first answer.
    if outgoing.send(first).await.is_err() {
        return Err(ended_early(SEND_STATUS, "before it started"));
    }
    let mut answers = client
        .send_status(requests)
        .await
        .map_err(CliError::call(SEND_STATUS))?
        .into_inner();
    print_answer(&mut answers).await?;
    for status in statuses {
        if outgoing.send(status).await.is_err() {
            // The request pump is gone: the call has ended; its status says why.
            break;
        }
        print_answer(&mut answers).await?;
    }
    drop(outgoing);
    match answers
        .message()
        .await
        .map_err(CliError::call(SEND_STATUS))?
    {
        None => Ok(()),
        Some(_) => Err(CliError::Call {
            method: SEND_STATUS,
            status: Status::unknown("the server sent more answers than statuses"),
        }),
    }
}

/// Waits for the answer to the status just sent and prints it.
async fn print_answer(answers: &mut Streaming<ResultMsg>) -> Result<(), CliError> {
    match answers
        .message()
        .await
        .map_err(CliError::call(SEND_STATUS))?
    {
        Some(answer) => say!("{}", answer.ret),
        None => Err(ended_early(SEND_STATUS, "before answering every status")),
    }
}

/// getTask and tellResult side by side: each task is printed and then
/// acknowledged; after `count` tasks the subscription is dropped (the call
/// is cancelled) and tellResult is ended.
async fn handle_tasks(client: &ContactClient, count: usize) -> Result<(), CliError> {
    let (acknowledge, acknowledgements) = channel_stream(count.clamp(1, 64));
    let receive = receive_tasks(client, count, acknowledge);
    let tell = client.tell_result(acknowledgements);
    let (received, told) = tokio::join!(receive, tell);
    received?;
    let _: Empty = told.map_err(CliError::call(TELL_RESULT))?.into_inner();
    say!("Acknowledged {count} tasks")
}

/// Prints `count` pushed tasks as they arrive, acknowledging each; dropping
/// `acknowledge` on return ends the tellResult stream.
async fn receive_tasks(
    client: &ContactClient,
    count: usize,
    acknowledge: mpsc::Sender<ResultMsg>,
) -> Result<(), CliError> {
    let mut tasks: Streaming<ServerMsg> = client
        .get_task(Empty {})
        .await
        .map_err(CliError::call(GET_TASK))?
        .into_inner();
    for _ in 0..count {
        let Some(ServerMsg { task }) = tasks.message().await.map_err(CliError::call(GET_TASK))?
        else {
            return Err(ended_early(GET_TASK, "before pushing every task asked for"));
        };
        say!("Client received a task from the server: {task}")?;
        if acknowledge.send(task_ack(&task)).await.is_err() {
            // tellResult has ended already; its status says why.
            break;
        }
    }
    Ok(())
}

/// A call whose stream ended OK, but sooner than the tutorial expects.
fn ended_early(method: &'static str, when: &str) -> CliError {
    CliError::Call {
        method,
        status: Status::unknown(format!("the server ended the stream {when}")),
    }
}
