//! `contact.Contact` (proto/contact.proto). PLACEHOLDER: being written.

use crate::rpc::Service;

/// The queue of tasks pushed to `getTask` subscribers.
#[derive(Debug, Clone, Default)]
pub struct TaskQueue;

impl TaskQueue {
    /// An empty queue.
    pub fn new() -> TaskQueue {
        TaskQueue
    }
}

/// The Contact service.
pub fn service(_tasks: TaskQueue) -> Service {
    Service::new("contact.Contact")
}

/// Pushes a demo task on `tasks` every `every`, forever.
pub async fn push_demo_tasks(_tasks: TaskQueue, _every: std::time::Duration) {}
