//! The demo tasks `h2grpc serve` pushes: "task 1", "task 2", ... at a fixed
//! rate, whether or not anyone listens (as the tutorial's server refills its
//! task list on its own).

use std::time::Duration;

use tokio::time::{interval_at, Instant, MissedTickBehavior};

use super::task_queue::TaskQueue;

/// The text of the `number`-th demo task (from 1): "task NUMBER".
pub fn demo_task(number: u64) -> String {
    format!("task {number}")
}

/// Pushes [`demo_task`] 1, 2, ... on `tasks`, one every `every` (the first
/// after `every`), forever. A zero `every` is taken as one millisecond.
pub async fn push_demo_tasks(tasks: TaskQueue, every: Duration) {
    let every = every.max(Duration::from_millis(1));
    let mut ticks = interval_at(Instant::now() + every, every);
    // A stalled runtime catches up with one task, not a burst.
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    for number in 1.. {
        ticks.tick().await;
        let reached = tasks.push(demo_task(number));
        tracing::debug!(number, subscribers = reached, "demo task pushed");
    }
}
