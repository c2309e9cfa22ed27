//! [`TaskQueue`]: the tasks a server pushes to its `getTask` subscribers,
//! and [`Subscription`], one subscriber's view of them. A
//! `tokio::sync::broadcast` channel of fixed capacity ([`TASK_BACKLOG`])
//! carries the tasks; a `watch` counts the subscribers so that one can wait
//! for that count to change. The lag policy is on [`TaskQueue`].

use std::sync::Arc;

use futures_core::Stream;
use tokio::sync::{broadcast, watch};

use super::acks::AckLog;
use super::messages::ServerMsg;
use crate::status::Status;

/// How many tasks a queue keeps for subscribers that have not read them
/// yet: a subscriber further behind than this ends with RESOURCE_EXHAUSTED.
/// A power of two, as the broadcast channel wants. At the demo rate (one task every 5 s) that is over 20 minutes of tasks.
pub const TASK_BACKLOG: usize = 256;

/// The queue of tasks pushed to `getTask` subscribers, and the
/// acknowledgements `tellResult` records. Cheap to clone: clones share one
/// queue.
///
/// Every subscriber gets every task pushed after it subscribed, in push
/// order. Pushing never waits, so a slow subscriber holds back no one, and
/// only the last [`backlog`](TaskQueue::backlog) tasks are kept, shared by
/// all subscribers, so memory is bounded however slow one is. A subscriber
/// further behind than that has lost tasks: rather than skip them silently
/// (breaking "every task, in order" without a word), its stream ends with
/// RESOURCE_EXHAUSTED saying how many it missed, after the tasks before the
/// gap; it may subscribe again.
#[derive(Debug, Clone)]
pub struct TaskQueue {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    tasks: broadcast::Sender<ServerMsg>,
    /// How many [`Subscription`]s are alive; a watch so that one can wait
    /// for it to change.
    subscribers: watch::Sender<usize>,
    backlog: usize,
    acks: AckLog,
}

impl Default for TaskQueue {
    fn default() -> TaskQueue {
        TaskQueue::with_backlog(TASK_BACKLOG)
    }
}

impl TaskQueue {
    /// An empty queue keeping [`TASK_BACKLOG`] tasks for slow subscribers.
    pub fn new() -> TaskQueue {
        TaskQueue::default()
    }

    /// An empty queue keeping `backlog` tasks for slow subscribers, rounded
    /// up to a power of two (as `tokio::sync::broadcast` does), at least 1.
    pub fn with_backlog(backlog: usize) -> TaskQueue {
        let backlog = backlog.max(1).next_power_of_two();
        let (tasks, _) = broadcast::channel(backlog);
        TaskQueue {
            shared: Arc::new(Shared {
                tasks,
                subscribers: watch::Sender::new(0),
                backlog,
                acks: AckLog::new(),
            }),
        }
    }

    /// How many tasks are kept for slow subscribers.
    pub fn backlog(&self) -> usize {
        self.shared.backlog
    }

    /// Pushes `task` to every current subscriber, without waiting; returns
    /// how many there were (0: the task reached no one and is dropped).
    pub fn push(&self, task: impl Into<String>) -> usize {
        let task = ServerMsg { task: task.into() };
        self.shared.tasks.send(task).unwrap_or(0)
    }

    /// Subscribes: the subscription yields every task pushed from now on.
    pub fn subscribe(&self) -> Subscription {
        let tasks = self.shared.tasks.subscribe();
        self.shared.subscribers.send_modify(|count| *count += 1);
        Subscription {
            tasks,
            _counted: Counted {
                shared: Arc::clone(&self.shared),
            },
        }
    }

    /// How many subscriptions are alive (a `getTask` call holds one until it
    /// ends or its client goes away).
    pub fn subscribers(&self) -> usize {
        *self.shared.subscribers.borrow()
    }

    /// Resolves once exactly `count` subscriptions are alive.
    pub async fn wait_for_subscribers(&self, count: usize) {
        let mut changes = self.shared.subscribers.subscribe();
        // The sender lives in `self`, so the watch cannot close while we wait.
        let _ = changes.wait_for(|alive| *alive == count).await;
    }

    /// The acknowledgements `tellResult` recorded.
    pub fn acks(&self) -> &AckLog {
        &self.shared.acks
    }
}

/// Counts a subscription while it lives.
#[derive(Debug)]
struct Counted {
    shared: Arc<Shared>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.shared
            .subscribers
            .send_modify(|count| *count = count.saturating_sub(1));
    }
}

/// One subscriber's tasks: every task pushed after [`TaskQueue::subscribe`],
/// in order. Dropping it unsubscribes.
#[derive(Debug)]
pub struct Subscription {
    tasks: broadcast::Receiver<ServerMsg>,
    _counted: Counted,
}

impl Subscription {
    /// The next task, waiting for one to be pushed; `Err` (and nothing after
    /// it) when this subscriber fell too far behind and lost tasks.
    pub async fn next(&mut self) -> Result<ServerMsg, Status> {
        match self.tasks.recv().await {
            Ok(task) => Ok(task),
            Err(broadcast::error::RecvError::Lagged(missed)) => Err(lagged(missed)),
            // The subscription holds the queue, so its sender outlives it;
            // kept for completeness.
            Err(broadcast::error::RecvError::Closed) => {
                Err(Status::unavailable("the task queue is gone"))
            }
        }
    }

    /// The subscription as a response stream: tasks, until this subscriber
    /// falls too far behind, then its RESOURCE_EXHAUSTED status, then the end.
    pub fn into_stream(self) -> impl Stream<Item = Result<ServerMsg, Status>> + Send + 'static {
        futures_util::stream::unfold(Some(self), |state| async move {
            let mut subscription = state?;
            match subscription.next().await {
                Ok(task) => Some((Ok(task), Some(subscription))),
                // Dropping the subscription with the error unsubscribes now.
                Err(status) => Some((Err(status), None)),
            }
        })
    }
}

/// The status ending the stream of a subscriber that missed `missed` tasks.
fn lagged(missed: u64) -> Status {
    Status::resource_exhausted(format!(
        "this getTask subscriber fell behind and missed {missed} tasks; subscribe again"
    ))
}

#[cfg(test)]
mod tests {
    use super::TaskQueue;
    use crate::status::Code;

    #[tokio::test]
    async fn every_subscriber_gets_every_task_pushed_after_it_subscribed_in_order() {
        let queue = TaskQueue::new();
        assert_eq!(queue.push("before anyone"), 0);
        let mut first = queue.subscribe();
        let mut second = queue.subscribe();
        assert_eq!(queue.subscribers(), 2);
        assert_eq!(queue.push("one"), 2);
        assert_eq!(queue.push("two"), 2);
        for subscription in [&mut first, &mut second] {
            assert_eq!(subscription.next().await.map(|t| t.task), Ok("one".into()));
            assert_eq!(subscription.next().await.map(|t| t.task), Ok("two".into()));
        }
        drop(first);
        assert_eq!(queue.subscribers(), 1);
        assert_eq!(queue.push("three"), 1);
    }

    #[tokio::test]
    async fn a_subscriber_past_the_backlog_ends_with_resource_exhausted() {
        let queue = TaskQueue::with_backlog(2);
        let mut slow = queue.subscribe();
        for number in 1..=3 {
            queue.push(format!("task {number}"));
        }
        let status = slow.next().await.expect_err("task 1 was overwritten");
        assert_eq!(status.code(), Code::ResourceExhausted);
        assert!(status.message().contains("missed 1 tasks"), "{status}");
    }

    #[tokio::test]
    async fn the_stream_of_a_lagging_subscriber_ends_after_its_status() {
        use futures_util::StreamExt;
        let queue = TaskQueue::with_backlog(1);
        let stream = queue.subscribe().into_stream();
        queue.push("task 1");
        queue.push("task 2");
        let items: Vec<_> = stream.collect().await;
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].as_ref().map_err(|s| s.code()).err(),
            Some(Code::ResourceExhausted)
        );
        assert_eq!(queue.subscribers(), 0);
    }
}
