//! A channel's connection management: the state it shares with its
//! handles, the task that connects with backoff (IDLE or TRANSIENT_FAILURE
//! to CONNECTING to READY), and the task that drives a connection, pings it
//! when keepalive is on, and returns the channel to IDLE when it ends.

use std::future::pending;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use h2::{Ping, PingPong};
use http::uri::{Authority, Scheme};
use http::HeaderValue;
use tokio::sync::watch;

use super::adaptive::measure_windows;
use super::backoff::{Backoff, BackoffConfig};
use super::dial::{Dialed, Driver, Target};
use super::state::{Connection, Slot};
use super::ConnectError;
use crate::status::Status;
use crate::transport::bdp::AdaptiveWindow;
use crate::transport::config::TransportConfig;

/// Client keepalive (gRFC A8): ping after `time` without a ping, close the
/// connection when the ACK has not come within `timeout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ClientKeepalive {
    pub(super) time: Duration,
    pub(super) timeout: Duration,
    /// Ping also with no call in flight (grpc-go's `PermitWithoutStream`).
    pub(super) while_idle: bool,
}

/// What every handle of one channel shares.
pub(super) struct Shared {
    /// Where to connect; `None` for a channel over a given I/O stream,
    /// which cannot reconnect.
    pub(super) target: Option<Target>,
    pub(super) scheme: Scheme,
    pub(super) authority: Authority,
    pub(super) config: Arc<TransportConfig>,
    pub(super) backoff: BackoffConfig,
    /// The keepalive of the next connection: its time doubles each time a
    /// server answers our pings with GOAWAY `too_many_pings`, as grpc-go's
    /// client does.
    keepalive: Mutex<Option<ClientKeepalive>>,
    /// `user-agent` of calls whose metadata has none.
    pub(super) user_agent: HeaderValue,
    pub(super) slot: watch::Sender<Slot>,
    numbers: AtomicU64,
}

/// How a [`Shared`] starts.
pub(super) struct SharedSettings {
    pub(super) target: Option<Target>,
    pub(super) scheme: Scheme,
    pub(super) authority: Authority,
    pub(super) config: TransportConfig,
    pub(super) backoff: BackoffConfig,
    pub(super) keepalive: Option<ClientKeepalive>,
    pub(super) user_agent: HeaderValue,
}

impl Shared {
    /// A channel's shared state, IDLE.
    pub(super) fn new(settings: SharedSettings) -> Arc<Shared> {
        Arc::new(Shared {
            target: settings.target,
            scheme: settings.scheme,
            authority: settings.authority,
            config: Arc::new(settings.config),
            backoff: settings.backoff,
            keepalive: Mutex::new(settings.keepalive),
            user_agent: settings.user_agent,
            slot: watch::Sender::new(Slot::Idle),
            numbers: AtomicU64::new(0),
        })
    }

    /// The keepalive the next connection will use.
    pub(super) fn keepalive(&self) -> Option<ClientKeepalive> {
        *self
            .keepalive
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// From IDLE, starts connecting in a task of its own; in any other
    /// state, nothing (a connection exists or is on its way).
    pub(super) fn connect_if_idle(self: &Arc<Self>) {
        let started = self.slot.send_if_modified(|slot| match slot {
            Slot::Idle if self.target.is_some() => {
                *slot = Slot::Connecting;
                true
            }
            _ => false,
        });
        if started {
            tokio::spawn(connect_with_backoff(Arc::downgrade(self)));
        }
    }

    /// One connection attempt, bounded by `timeout`.
    pub(super) async fn attempt(&self, timeout: Duration) -> Result<Dialed, ConnectError> {
        let Some(target) = &self.target else {
            return Err(ConnectError::InvalidUri(self.authority.to_string()));
        };
        match tokio::time::timeout(timeout, target.dial(&self.config)).await {
            Ok(dialed) => dialed,
            Err(_) => Err(ConnectError::Timeout {
                address: target.address.clone(),
                after: timeout,
            }),
        }
    }

    /// Makes `dialed` the channel's connection (READY) and starts the task
    /// that drives it; a channel shut down meanwhile just drops it.
    pub(super) fn install(self: &Arc<Self>, dialed: Dialed) {
        let number = self.numbers.fetch_add(1, Ordering::Relaxed);
        let Dialed {
            send_request,
            ping_pong,
            driver,
            window,
        } = dialed;
        let keepalive = self.keepalive();
        let calls = keepalive.map(|_| Arc::new(AtomicUsize::new(0)));
        let installed = self.slot.send_if_modified(|slot| {
            if matches!(slot, Slot::Shutdown) {
                return false;
            }
            *slot = Slot::Ready(Connection {
                send_request: send_request.clone(),
                number,
                calls: calls.clone(),
            });
            true
        });
        if installed {
            tokio::spawn(drive(
                Arc::downgrade(self),
                number,
                driver,
                Pinger {
                    ping_pong,
                    keepalive,
                    window,
                },
                calls,
            ));
        }
    }

    /// The connection numbered `number` is gone (ended, or refusing new
    /// streams after a GOAWAY): the channel goes IDLE, and the next call
    /// connects again. A channel over a given I/O stream cannot: it stays
    /// in TRANSIENT_FAILURE.
    pub(super) fn connection_lost(&self, number: u64) {
        self.slot.send_if_modified(|slot| match slot {
            Slot::Ready(connection) if connection.number == number => {
                *slot = match self.target {
                    Some(_) => Slot::Idle,
                    None => Slot::TransientFailure(Status::connection_closed_for_good()),
                };
                true
            }
            _ => false,
        });
    }

    /// Sets `slot` unless the channel was shut down; false if it was.
    fn set_unless_shutdown(&self, next: Slot) -> bool {
        self.slot.send_if_modified(|slot| {
            if matches!(slot, Slot::Shutdown) {
                return false;
            }
            *slot = next;
            true
        })
    }

    /// A server told us `too_many_pings`: the next connection pings half
    /// as often (grpc-go: "Client received GoAway with error code
    /// ENHANCE_YOUR_CALM and debug data equal to ASCII "too_many_pings"",
    /// then doubles `Time`).
    fn slow_keepalive_down(&self) {
        let mut keepalive = self
            .keepalive
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(keepalive) = keepalive.as_mut() {
            keepalive.time = keepalive.time.saturating_mul(2);
            tracing::warn!(
                keepalive_time = ?keepalive.time,
                "server sent GOAWAY too_many_pings; pinging half as often"
            );
        }
    }
}

/// Connects until it succeeds or the channel is gone or shut down, waiting
/// between attempts as doc/connection-backoff.md says; the channel is in
/// CONNECTING during the first attempt and in TRANSIENT_FAILURE from its
/// failure to the next READY.
async fn connect_with_backoff(channel: Weak<Shared>) {
    let Some(mut shared) = channel.upgrade() else {
        return;
    };
    let mut backoff = Backoff::start(shared.backoff);
    loop {
        let timeout = backoff.attempt_deadline() - tokio::time::Instant::now();
        match shared.attempt(timeout).await {
            Ok(dialed) => {
                shared.install(dialed);
                return;
            }
            Err(err) => {
                tracing::debug!(error = %err, "connection attempt failed");
                let failure = Slot::TransientFailure(Status::unavailable(err.to_string()));
                if !shared.set_unless_shutdown(failure) {
                    return;
                }
            }
        }
        let retry_at = backoff.retry_at();
        // Between attempts the channel may be dropped: hold it weakly.
        drop(shared);
        tokio::time::sleep_until(retry_at).await;
        shared = match channel.upgrade() {
            Some(shared) => shared,
            None => return,
        };
        // The channel stays in TRANSIENT_FAILURE through the next attempts
        // ("sticky" TRANSIENT_FAILURE, gRFC A62), so that fail-fast calls
        // keep failing at once until a connection is READY, rather than
        // waiting on each attempt.
        if matches!(*shared.slot.borrow(), Slot::Shutdown) {
            return;
        }
        backoff.advance();
    }
}

/// What pings a connection: h2 has one user ping, which keepalive takes
/// when it is on; otherwise it measures the adaptive windows, when they are.
struct Pinger {
    ping_pong: Option<PingPong>,
    keepalive: Option<ClientKeepalive>,
    window: Option<Arc<AdaptiveWindow>>,
}

/// Runs one connection to its end, pinging it for keepalive or for the
/// windows' estimate; then tells the channel, if it is still there.
async fn drive(
    channel: Weak<Shared>,
    number: u64,
    driver: Driver,
    pinger: Pinger,
    calls: Option<Arc<AtomicUsize>>,
) {
    let ended = match pinger {
        Pinger {
            ping_pong: Some(ping_pong),
            keepalive: Some(keepalive),
            ..
        } => {
            tokio::select! {
                ended = driver => ended,
                () = ping_until_silent(ping_pong, keepalive, calls) => {
                    tracing::debug!("keepalive ping not acknowledged in time; closing the connection");
                    Ok(())
                }
            }
        }
        Pinger {
            ping_pong: Some(ping_pong),
            window: Some(window),
            ..
        } => {
            tokio::select! {
                ended = driver => ended,
                () = measure_windows(ping_pong, window) => Ok(()),
            }
        }
        _ => driver.await,
    };
    let too_many_pings = matches!(&ended, Err(err) if sent_too_many_pings(err));
    if let Err(err) = &ended {
        tracing::debug!(error = %err, "client connection ended");
    }
    if let Some(shared) = channel.upgrade() {
        if too_many_pings {
            shared.slow_keepalive_down();
        }
        shared.connection_lost(number);
    }
}

/// Whether `err` is a server's GOAWAY ENHANCE_YOUR_CALM `too_many_pings`
/// (doc/keepalive.md); h2 shows the debug data only in its message.
fn sent_too_many_pings(err: &h2::Error) -> bool {
    err.is_go_away()
        && err.is_remote()
        && err.reason() == Some(h2::Reason::ENHANCE_YOUR_CALM)
        && err.to_string().contains("too_many_pings")
}

/// Pings every `keepalive.time` (skipping rounds with no call in flight
/// unless `while_idle`); returns when an ACK has not come within
/// `keepalive.timeout`, or when h2 can no longer ping.
async fn ping_until_silent(
    mut ping_pong: PingPong,
    keepalive: ClientKeepalive,
    calls: Option<Arc<AtomicUsize>>,
) {
    loop {
        tokio::time::sleep(keepalive.time).await;
        let idle = calls
            .as_ref()
            .is_some_and(|calls| calls.load(Ordering::Acquire) == 0);
        if idle && !keepalive.while_idle {
            continue;
        }
        match tokio::time::timeout(keepalive.timeout, ping_pong.ping(Ping::opaque())).await {
            Ok(Ok(_pong)) => {}
            // h2 refuses to ping a closing connection: the connection
            // future ends on its own.
            Ok(Err(_)) => return pending().await,
            Err(_) => return,
        }
    }
}

/// A call counted as in flight on a keepalive connection until dropped.
#[derive(Debug)]
pub(crate) struct CallInFlight(Arc<AtomicUsize>);

impl CallInFlight {
    /// Counts one more call on `calls`.
    pub(super) fn start(calls: &Arc<AtomicUsize>) -> CallInFlight {
        calls.fetch_add(1, Ordering::AcqRel);
        CallInFlight(Arc::clone(calls))
    }
}

impl Drop for CallInFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
