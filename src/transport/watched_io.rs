//! [`Watched`]: a server connection's socket, seen frame by frame as h2
//! reads and writes it, for what h2 does not tell us: when the client was
//! last heard from (keepalive) and the pings it sends (h2 answers PING
//! itself and reports nothing; ping enforcement needs each one).

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;
use tokio::time::Instant;

use super::frame_scan::{FrameScanner, ACK, CLIENT_PREFACE_LEN, DATA, HEADERS, PING};
use super::ping_policy::PingPolicy;

/// What one connection's socket wrapper and its task share.
#[derive(Debug)]
pub(crate) struct ConnectionWatch {
    /// When bytes last arrived from the client.
    last_read: Mutex<Instant>,
    /// Calls in flight on the connection.
    calls: AtomicUsize,
    /// Since when no call has been in flight (`None` while one is); under
    /// this lock the count changes too, so the two agree.
    idle_since: Mutex<Option<Instant>>,
    policy: Mutex<PingPolicy>,
    /// Set once the client has pinged too often; `too_many_pings` is told.
    pinged_too_often: AtomicBool,
    /// Told when the client has pinged too often.
    pub(crate) too_many_pings: Notify,
}

impl ConnectionWatch {
    /// A watch enforcing `policy`.
    pub(crate) fn new(policy: PingPolicy) -> Arc<ConnectionWatch> {
        Arc::new(ConnectionWatch {
            last_read: Mutex::new(Instant::now()),
            calls: AtomicUsize::new(0),
            idle_since: Mutex::new(Some(Instant::now())),
            policy: Mutex::new(policy),
            pinged_too_often: AtomicBool::new(false),
            too_many_pings: Notify::new(),
        })
    }

    /// When bytes last arrived from the client.
    pub(crate) fn last_read(&self) -> Instant {
        *self
            .last_read
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Calls in flight now.
    pub(crate) fn calls(&self) -> usize {
        self.calls.load(Ordering::Acquire)
    }

    /// Since when no call has been in flight; `None` while one is.
    pub(crate) fn idle_since(&self) -> Option<Instant> {
        *self.idle_since_lock()
    }

    /// Counts a call as in flight until the guard is dropped.
    pub(crate) fn call_started(self: &Arc<Self>) -> CallGuard {
        let mut idle_since = self.idle_since_lock();
        self.calls.fetch_add(1, Ordering::AcqRel);
        *idle_since = None;
        CallGuard(Arc::clone(self))
    }

    fn idle_since_lock(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.idle_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn policy(&self) -> std::sync::MutexGuard<'_, PingPolicy> {
        self.policy.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One call in flight; dropping it ends the count.
#[derive(Debug)]
pub(crate) struct CallGuard(Arc<ConnectionWatch>);

impl Drop for CallGuard {
    fn drop(&mut self) {
        let mut idle_since = self.0.idle_since_lock();
        if self.0.calls.fetch_sub(1, Ordering::AcqRel) == 1 {
            *idle_since = Some(Instant::now());
        }
    }
}

/// A server socket whose frames are watched both ways.
#[derive(Debug)]
pub(crate) struct Watched<IO> {
    io: IO,
    watch: Arc<ConnectionWatch>,
    read: FrameScanner,
    written: FrameScanner,
}

impl<IO> Watched<IO> {
    /// Watches `io`, a server connection from its first byte.
    pub(crate) fn new(io: IO, watch: Arc<ConnectionWatch>) -> Watched<IO> {
        Watched {
            io,
            watch,
            read: FrameScanner::after(CLIENT_PREFACE_LEN),
            written: FrameScanner::after(0),
        }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Watched<IO> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        let new = &buf.filled()[before..];
        if matches!(polled, Poll::Ready(Ok(()))) && !new.is_empty() {
            let now = Instant::now();
            let this = &mut *self;
            *this
                .watch
                .last_read
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = now;
            let watch = &this.watch;
            this.read.feed(new, |frame| {
                if frame.kind == PING && frame.flags & ACK == 0 {
                    let calls = watch.calls();
                    if watch.policy().on_ping(now, calls)
                        && !watch.pinged_too_often.swap(true, Ordering::AcqRel)
                    {
                        watch.too_many_pings.notify_one();
                    }
                }
            });
        }
        polled
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Watched<IO> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        if let Poll::Ready(Ok(written)) = polled {
            let this = &mut *self;
            let watch = &this.watch;
            this.written.feed(&buf[..written], |frame| {
                if frame.kind == HEADERS || frame.kind == DATA {
                    watch.policy().sent_headers_or_data();
                }
            });
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
