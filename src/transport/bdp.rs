//! [`BdpEstimator`]: grows a connection's receive windows to its
//! bandwidth-delay product, so that one stream can fill a long fat link
//! (grpc-go's `bdp_estimator.go`); [`AdaptiveWindow`] shares one between
//! what sees the connection's DATA, the task that pings, and the task that
//! owns the h2 connection, on the server and the client alike.
//!
//! When DATA arrives and no measurement is running, a PING goes out; the
//! DATA bytes that arrive until its ACK are one sample of what the link
//! delivers in a round trip. A sample close to the current window (two
//! thirds of it or more) at the highest bandwidth seen so far means the
//! window, not the link, was the limit: the window becomes twice the sample,
//! up to [`MAX_WINDOW`]. Windows never shrink.
//!
//! Unlike grpc-go's, a sample counts only if the application read what
//! arrived: the connection sent a WINDOW_UPDATE (it gives back what was
//! consumed) during the round trip. A burst that fills the window of a
//! reader that has stopped is the window doing its job, not a link that
//! needs a larger one; growing it there would let a stalled reader hold up
//! to 16 MiB instead of its window (`tests/flow_control.rs`).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;

/// The largest window the estimator asks for: grpc-go's `bdpLimit`, 16 MiB.
pub(crate) const MAX_WINDOW: u32 = 16 * 1024 * 1024;

/// DATA in one read that starts a measurement (counted as the frame
/// headers in it declare): one full frame of the size every peer may send
/// (RFC 9113's minimum SETTINGS_MAX_FRAME_SIZE).
const BULK_READ: u32 = 16 * 1024;

/// A sample this close to the window (grpc-go's `beta`) says the window was
/// the limit.
const NEAR_WINDOW: f64 = 0.66;

/// The window grows to this many samples (grpc-go's `gamma`).
const GROWTH: f64 = 2.0;

/// Weight of a new round-trip sample once ten have been taken (grpc-go's
/// `alpha`); before that, the plain mean.
const RTT_WEIGHT: f64 = 0.9;

/// One connection's estimate of its bandwidth-delay product.
#[derive(Debug)]
pub(crate) struct BdpEstimator {
    /// The window in force (the estimate so far).
    window: u32,
    /// DATA bytes since the measuring PING went out; `None` when no PING is
    /// out.
    sample: Option<u64>,
    /// Round trips measured so far.
    samples: u32,
    /// Smoothed round trip, in seconds.
    rtt: f64,
    /// The connection gave window back (the application read) since the
    /// measuring PING went out.
    consumed: bool,
    /// The highest bandwidth seen, bytes per second.
    max_bandwidth: f64,
}

impl BdpEstimator {
    /// An estimator starting from the window the connection advertised.
    pub(crate) fn new(window: u32) -> BdpEstimator {
        BdpEstimator {
            window,
            sample: None,
            samples: 0,
            rtt: 0.0,
            consumed: false,
            max_bandwidth: 0.0,
        }
    }

    /// The connection sent a WINDOW_UPDATE: what arrived is being read.
    pub(crate) fn on_window_update(&mut self) {
        self.consumed = true;
    }

    /// `len` bytes of DATA arrived in one read; true when a measuring PING
    /// should go out now: none is out, the window can still grow, and the
    /// read brought a full frame or more, a bulk transfer (grpc-go measures
    /// on any DATA; small calls alone never fill a window, and a PING per
    /// round trip under a load of small calls would only cost).
    pub(crate) fn on_data(&mut self, len: u32) -> bool {
        if self.window >= MAX_WINDOW {
            return false;
        }
        match &mut self.sample {
            Some(sample) => {
                *sample += u64::from(len);
                false
            }
            None if len >= BULK_READ => {
                self.sample = Some(u64::from(len));
                self.consumed = false;
                true
            }
            None => false,
        }
    }

    /// The measuring PING's ACK came `rtt` after it went out; the new
    /// window, when the sample says the old one was the limit.
    pub(crate) fn on_ack(&mut self, rtt: Duration) -> Option<u32> {
        let sample = self.sample.take()? as f64;
        let rtt = rtt.as_secs_f64().max(1e-6);
        self.samples += 1;
        let weight = if self.samples < 10 {
            1.0 / f64::from(self.samples)
        } else {
            RTT_WEIGHT
        };
        self.rtt += (rtt - self.rtt) * weight;
        // grpc-go divides by 1.5 round trips: the sample's bytes may have
        // left the peer up to half a round trip before the PING did.
        let bandwidth = sample / (self.rtt * 1.5);
        if bandwidth > self.max_bandwidth {
            self.max_bandwidth = bandwidth;
        } else {
            return None;
        }
        if sample < NEAR_WINDOW * f64::from(self.window) || !self.consumed {
            return None;
        }
        let grown = (GROWTH * sample).min(f64::from(MAX_WINDOW)) as u32;
        if grown <= self.window {
            return None;
        }
        self.window = grown;
        Some(grown)
    }

    /// Forgets a PING that will not be answered (a keepalive ping took
    /// its place, or h2 refused it).
    pub(crate) fn cancel(&mut self) {
        self.sample = None;
    }
}

/// One connection's adaptive receive windows.
#[derive(Debug)]
pub(crate) struct AdaptiveWindow {
    estimator: Mutex<BdpEstimator>,
    /// Told when DATA arrived with no measuring PING out.
    ping_due: Notify,
    /// A window the estimate grew to, not yet applied (0: none).
    grown: AtomicU32,
}

impl AdaptiveWindow {
    /// Windows growing from `window`, the one the connection advertised.
    pub(crate) fn new(window: u32) -> AdaptiveWindow {
        AdaptiveWindow {
            estimator: Mutex::new(BdpEstimator::new(window)),
            ping_due: Notify::new(),
            grown: AtomicU32::new(0),
        }
    }

    fn estimator(&self) -> MutexGuard<'_, BdpEstimator> {
        self.estimator
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The connection sent a WINDOW_UPDATE for itself.
    pub(crate) fn on_window_update(&self) {
        self.estimator().on_window_update();
    }

    /// `len` bytes of DATA arrived in one read.
    pub(crate) fn on_data(&self, len: u32) {
        if self.estimator().on_data(len) {
            self.ping_due.notify_one();
        }
    }

    /// Resolves when a measuring PING should go out.
    pub(crate) async fn ping_due(&self) {
        self.ping_due.notified().await;
    }

    /// The measuring PING was answered `rtt` after it went out; true when
    /// the windows grew ([`AdaptiveWindow::take_grown`] has the size).
    pub(crate) fn answered(&self, rtt: Duration) -> bool {
        let grown = self.estimator().on_ack(rtt);
        if let Some(window) = grown {
            self.grown.store(window, Ordering::Release);
        }
        grown.is_some()
    }

    /// The measurement waiting for its PING will not get it (another
    /// ping took its place): start it again.
    pub(crate) fn cancel(&self) {
        self.estimator().cancel();
    }

    /// The window the estimate grew to since last asked, if it did.
    pub(crate) fn take_grown(&self) -> Option<u32> {
        Some(self.grown.swap(0, Ordering::AcqRel)).filter(|&window| window > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u32 = 1024 * 1024;

    #[test]
    fn only_the_first_data_after_an_answer_starts_a_ping() {
        let mut bdp = BdpEstimator::new(MIB);
        assert!(!bdp.on_data(100), "a small read starts nothing");
        assert!(bdp.on_data(BULK_READ));
        assert!(!bdp.on_data(BULK_READ));
        assert_eq!(
            bdp.on_ack(Duration::from_millis(10)),
            None,
            "32 KiB fill nothing"
        );
        assert!(bdp.on_data(BULK_READ), "the next bulk read measures again");
    }

    #[test]
    fn a_sample_near_the_window_doubles_it() {
        let mut bdp = BdpEstimator::new(MIB);
        assert!(bdp.on_data(16 * 1024));
        for _ in 0..47 {
            bdp.on_data(16 * 1024);
        }
        bdp.on_window_update();
        // 768 KiB in one round trip of a 1 MiB window: past two thirds.
        assert_eq!(bdp.on_ack(Duration::from_millis(50)), Some(2 * 768 * 1024));
    }

    #[test]
    fn a_full_window_nobody_read_grows_nothing() {
        let mut bdp = BdpEstimator::new(MIB);
        assert!(bdp.on_data(MIB));
        assert_eq!(bdp.on_ack(Duration::from_millis(50)), None);
    }

    #[test]
    fn a_sample_well_under_the_window_leaves_it() {
        let mut bdp = BdpEstimator::new(MIB);
        assert!(bdp.on_data(512 * 1024));
        assert_eq!(bdp.on_ack(Duration::from_millis(50)), None);
    }

    #[test]
    fn a_slower_sample_does_not_grow_it() {
        let mut bdp = BdpEstimator::new(MIB);
        bdp.on_data(MIB);
        bdp.on_window_update();
        let grown = bdp.on_ack(Duration::from_millis(10)).expect("grows");
        // As many bytes again, over a much longer round trip: less
        // bandwidth than seen, so the window was not the limit.
        bdp.on_data(grown);
        bdp.on_window_update();
        assert_eq!(bdp.on_ack(Duration::from_secs(2)), None);
    }

    #[test]
    fn growth_stops_at_the_limit() {
        let mut bdp = BdpEstimator::new(MIB);
        let mut window = MIB;
        for _ in 0..10 {
            if bdp.on_data(window) {
                bdp.on_window_update();
                if let Some(grown) = bdp.on_ack(Duration::from_millis(1)) {
                    window = grown;
                }
            }
        }
        assert_eq!(window, MAX_WINDOW);
        assert!(!bdp.on_data(1), "no more pings once at the limit");
    }
}
