//! [`CpuClock`]: the CPU time this process spends between two points, all
//! threads, user and system, read from Linux's per-thread scheduler
//! accounting (`/proc/self/task/*/schedstat`, nanoseconds) as the
//! bench-peers' `load.sh` reads a server's. Safe code and no new
//! dependency; the price is that a thread which exits between the two
//! readings takes its time with it, which the load never does (its runtime
//! threads live for the whole run).

use std::time::Duration;

/// Started at one point of the run; [`CpuClock::elapsed`] reads it at
/// another.
#[derive(Debug)]
pub struct CpuClock {
    start: Option<Duration>,
}

impl CpuClock {
    /// Reads the clock now.
    pub fn start() -> CpuClock {
        CpuClock {
            start: process_cpu(),
        }
    }

    /// CPU time spent since [`CpuClock::start`]; `None` where /proc does
    /// not tell it.
    pub fn elapsed(&self) -> Option<Duration> {
        Some(process_cpu()?.saturating_sub(self.start?))
    }
}

/// CPU time run so far by this process's live threads: the first field of
/// each thread's `schedstat` (a thread gone since the directory was listed
/// is skipped).
fn process_cpu() -> Option<Duration> {
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    let nanos = tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .map(|stat| {
            let run_time = stat.split_whitespace().next()?;
            run_time.parse::<u64>().ok()
        })
        .sum::<Option<u64>>()?;
    Some(Duration::from_nanos(nanos))
}

#[cfg(test)]
mod tests {
    use super::CpuClock;

    use std::time::{Duration, Instant};

    #[cfg(target_os = "linux")]
    #[test]
    fn advances_while_this_thread_spins() {
        let clock = CpuClock::start();
        assert!(clock.elapsed().expect("schedstat on Linux") < Duration::from_secs(1));
        // Spinning must show up as CPU time well before a generous wall cap
        // (the machine may be busy, so wall time is only an upper bound).
        let cap = Instant::now() + Duration::from_secs(10);
        let mut x = 0u64;
        while clock.elapsed().expect("schedstat") < Duration::from_millis(20) {
            assert!(
                Instant::now() < cap,
                "no CPU time counted after 10 s of spinning"
            );
            for _ in 0..10_000 {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        }
    }
}
