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
//! The declaration gives the [`Contact`] trait, [`ContactServer`] and
//! [`ContactClient`]; [`TaskPusher`] is the demo's implementation, and
//! `h2grpc serve` pushes [`demo_task`]s with [`push_demo_tasks`].

mod acks;
mod demo;
mod messages;
mod task_queue;

use futures_util::StreamExt;

pub use acks::{AckLog, MAX_ACKS, MAX_ACK_BYTES};
pub use demo::{demo_task, push_demo_tasks};
pub use messages::{ClientMsg, Empty, Result, ServerMsg};
pub use task_queue::{Subscription, TaskQueue, TASK_BACKLOG};

use crate::rpc::{ReplyStream, Request, Response, Service, Streaming};
use crate::status::Status;

crate::service! {
    package "contact";
    file "contact.proto";

    /// Server push: the client comes online, the server sends it work.
    pub service Contact {
        /// Reports statuses; each is answered as it arrives.
        rpc sendStatus(stream ClientMsg) returns (stream Result);
        /// Subscribes to the server's tasks: the stream stays open and
        /// yields each task pushed from then on. A subscriber that cancels
        /// is unsubscribed at once.
        rpc getTask(Empty) returns (stream ServerMsg);
        /// Acknowledges handled tasks; answered once the stream ends.
        rpc tellResult(stream Result) returns (Empty);
    }
}

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

/// The demo's Contact: `getTask` subscribers receive what is pushed on its
/// [`TaskQueue`], and `tellResult` records into the queue's [`AckLog`].
#[derive(Debug, Clone)]
pub struct TaskPusher {
    tasks: TaskQueue,
}

impl TaskPusher {
    /// A Contact serving the tasks pushed on `tasks`.
    pub fn new(tasks: TaskQueue) -> TaskPusher {
        TaskPusher { tasks }
    }
}

impl Contact for TaskPusher {
    async fn send_status(
        &self,
        request: Request<Streaming<ClientMsg>>,
    ) -> std::result::Result<Response<impl ReplyStream<Result> + use<>>, Status> {
        // Lazy: each answer is made, and sent, as its status arrives.
        let answers = request
            .into_inner()
            .map(|received| received.map(|status| status_answer(&status.msg)));
        Ok(Response::new(answers))
    }

    async fn get_task(
        &self,
        _request: Request<Empty>,
    ) -> std::result::Result<Response<impl ReplyStream<ServerMsg> + use<>>, Status> {
        // Subscribed now, as the call starts: tasks pushed from here on are
        // this client's. The stream is dropped, and the subscription with
        // it, as soon as the client goes away.
        let subscription = self.tasks.subscribe();
        tracing::debug!(
            subscribers = self.tasks.subscribers(),
            "getTask: a client is online; sending it tasks"
        );
        // A subscription: the first task may be long in coming, so the
        // client gets the call's head (it is subscribed) at once.
        let mut response = Response::new(subscription.into_stream());
        response.send_headers_first();
        Ok(response)
    }

    async fn tell_result(
        &self,
        request: Request<Streaming<Result>>,
    ) -> std::result::Result<Response<Empty>, Status> {
        let mut results = request.into_inner();
        while let Some(result) = results.message().await? {
            tracing::debug!(ack = result.ret, "tellResult: the client handled a task");
            self.tasks.acks().record(result.ret);
        }
        Ok(Response::new(Empty {}))
    }
}

/// The Contact service: `getTask` subscribers receive what is pushed on
/// `tasks`, and `tellResult` records into `tasks.acks()`.
pub fn service(tasks: TaskQueue) -> Service {
    ContactServer::new(TaskPusher::new(tasks)).into()
}
