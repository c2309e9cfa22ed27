//! `contact.Contact` (proto/contact.proto): the server-push service of a
//! Chinese Python gRPC tutorial, where the client comes online and the
//! server then sends it work. Our server:
//! - `sendStatus` answers each reported status as it arrives (before the
//!   client half-closes): "Server received the message: MSG";
//! - `getTask` keeps the stream open and pushes every task put on the
//!   server's [`TaskQueue`] after the client subscribed, in push order, to
//!   every subscriber; one that falls more than [`TASK_BACKLOG`] tasks behind
//!   ends with RESOURCE_EXHAUSTED (see [`TaskQueue`] for why);
//!   a subscriber that goes away is unsubscribed at once;
//! - `tellResult` records each acknowledgement in the queue's [`AckLog`]
//!   (bounded: the most recent are kept) and answers `Empty` at the end.
//!
//! `h2grpc serve` pushes [`demo_task`]s with [`push_demo_tasks`].

mod acks;
mod client;
mod demo;
mod messages;
mod task_queue;

use futures_util::StreamExt;

pub use acks::{AckLog, MAX_ACKS, MAX_ACK_BYTES};
pub use client::ContactClient;
pub use demo::{demo_task, push_demo_tasks};
pub use messages::{ClientMsg, Empty, Result, ServerMsg};
pub use task_queue::{Subscription, TaskQueue, TASK_BACKLOG};

use crate::rpc::{Request, Response, Service, Streaming};

/// The service's full name.
pub const SERVICE_NAME: &str = "contact.Contact";

/// `sendStatus`'s answer to one status: "Server received the message: MSG"
/// (the tutorial's "服务端接收到消息:MSG").
pub fn status_answer(msg: &str) -> Result {
    Result {
        ret: format!("Server received the message: {msg}"),
    }
}

/// The acknowledgement a client sends on `tellResult` for a task it got:
/// "Client received the task: TASK" (the tutorial's "客户端接收到任务:TASK").
pub fn task_ack(task: &str) -> Result {
    Result {
        ret: format!("Client received the task: {task}"),
    }
}

/// The Contact service: `getTask` subscribers receive what is pushed on
/// `tasks`, and `tellResult` records into `tasks.acks()`.
pub fn service(tasks: TaskQueue) -> Service {
    let for_get = tasks.clone();
    let for_tell = tasks;
    Service::new(SERVICE_NAME)
        .bidi_streaming(
            "sendStatus",
            |request: Request<Streaming<ClientMsg>>| async move {
                // Lazy: each answer is made, and sent, as its status arrives.
                let answers = request
                    .into_inner()
                    .map(|received| received.map(|status| status_answer(&status.msg)));
                Ok(Response::new(answers))
            },
        )
        .server_streaming("getTask", move |_request: Request<Empty>| {
            // Subscribed now, as the call starts: tasks pushed from here on
            // are this client's. The stream is dropped, and the subscription
            // with it, as soon as the client goes away.
            let subscription = for_get.subscribe();
            tracing::debug!(
                subscribers = for_get.subscribers(),
                "getTask: a client is online; sending it tasks"
            );
            async move { Ok(Response::new(subscription.into_stream())) }
        })
        .client_streaming("tellResult", move |request: Request<Streaming<Result>>| {
            let acks = for_tell.acks().clone();
            async move {
                let mut results = request.into_inner();
                while let Some(result) = results.message().await? {
                    tracing::debug!(ack = result.ret, "tellResult: the client handled a task");
                    acks.record(result.ret);
                }
                Ok(Response::new(Empty {}))
            }
        })
}
