//! [`Watched`]: a server connection's socket, seen frame by frame as h2
//! reads and writes it, for what h2 does not tell us: when the client was
//! last heard from (keepalive), the pings it sends (h2 answers PING
//! itself and reports nothing; ping enforcement needs each one) and the
//! DATA bytes that arrive (the receive windows' estimate). It also
//! puts the `too_many_pings` debug data on the wire, which h2's GOAWAY
//! cannot carry.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;
use tokio::time::Instant;

use super::bdp::AdaptiveWindow;
use super::frame_scan::{
    payload_len, FrameHeader, FrameScanner, ACK, CLIENT_PREFACE_LEN, DATA, GOAWAY, HEADERS,
    HEADER_LEN, PING, WINDOW_UPDATE,
};
use super::ping_policy::PingPolicy;

/// What one connection's socket wrapper and its task share.
#[derive(Debug)]
pub(crate) struct ConnectionWatch {
    /// When bytes last arrived from the client.
    last_read: Mutex<Instant>,
    /// Calls in flight on the connection.
    calls: AtomicUsize,
    /// Since when no call has been in flight (`None` while one is); set
    /// under this lock from the count read under it (see `call_started`).
    idle_since: Mutex<Option<Instant>>,
    policy: Mutex<PingPolicy>,
    /// Set once the client has pinged too often; `events` is told.
    pinged_too_often: AtomicBool,
    /// Set until the connection's task has sent the `too_many_pings`
    /// GOAWAY.
    calm_pending: AtomicBool,
    /// The receive windows' estimate; `None` when the windows are fixed.
    window: Option<AdaptiveWindow>,
    /// Told when the connection's task has something to do: the client
    /// pinged too often, or the windows grew (one `Notify` for both, so the
    /// connection's future keeps one waiter).
    pub(crate) events: Notify,
}

impl ConnectionWatch {
    /// A watch enforcing `policy`, estimating the receive windows from
    /// `adaptive_window` (the window advertised) when it is set.
    pub(crate) fn new(policy: PingPolicy, adaptive_window: Option<u32>) -> Arc<ConnectionWatch> {
        Arc::new(ConnectionWatch {
            last_read: Mutex::new(Instant::now()),
            calls: AtomicUsize::new(0),
            idle_since: Mutex::new(Some(Instant::now())),
            policy: Mutex::new(policy),
            pinged_too_often: AtomicBool::new(false),
            calm_pending: AtomicBool::new(false),
            window: adaptive_window.map(AdaptiveWindow::new),
            events: Notify::new(),
        })
    }

    /// True once, after the client pinged too often: the GOAWAY is due.
    pub(crate) fn take_too_many_pings(&self) -> bool {
        self.calm_pending.swap(false, Ordering::AcqRel)
    }

    /// The window the estimate grew to since last asked, if it did.
    pub(crate) fn take_grown_window(&self) -> Option<u32> {
        self.window.as_ref().and_then(AdaptiveWindow::take_grown)
    }

    /// The receive windows' estimate, when the windows are adaptive.
    pub(crate) fn window(&self) -> Option<&AdaptiveWindow> {
        self.window.as_ref()
    }

    /// The measuring PING was answered `rtt` after it went out.
    pub(crate) fn bdp_answered(&self, rtt: std::time::Duration) {
        if self
            .window
            .as_ref()
            .is_some_and(|window| window.answered(rtt))
        {
            self.events.notify_one();
        }
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
    ///
    /// Only the first call after an idle spell takes the lock (and the last
    /// one ending, in [`CallGuard`]'s drop), so a busy connection's calls
    /// cost one atomic add each. Each side rereads the count under the
    /// lock: whichever of a racing start and end takes it last sees the
    /// count both left, and writes what that count means.
    pub(crate) fn call_started(self: &Arc<Self>) -> CallGuard {
        if self.calls.fetch_add(1, Ordering::AcqRel) == 0 {
            let mut idle_since = self.idle_since_lock();
            if self.calls() > 0 {
                *idle_since = None;
            }
        }
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
        if self.0.calls.fetch_sub(1, Ordering::AcqRel) == 1 {
            let mut idle_since = self.0.idle_since_lock();
            if self.0.calls() == 0 {
                *idle_since = Some(Instant::now());
            }
        }
    }
}

/// The debug data of the GOAWAY for a client that pinged too often:
/// grpc-go sends `debugData: []byte("too_many_pings")`, and its client
/// doubles its keepalive time when it reads it.
const TOO_MANY_PINGS: &[u8] = b"too_many_pings";

/// ENHANCE_YOUR_CALM (RFC 9113, 7).
const ENHANCE_YOUR_CALM: u32 = 0xb;

/// Where the `too_many_pings` GOAWAY stands.
#[derive(Debug)]
enum Calm {
    /// Not called for.
    No,
    /// Called for: written in place of the GOAWAY h2 is about to send.
    Armed,
    /// Being written: the frame, how much of it is out, and the length of
    /// h2's GOAWAY it replaces (0: it goes before h2's).
    Writing(Vec<u8>, usize, usize),
    /// Written.
    Done,
}

/// A server socket whose frames are watched both ways.
#[derive(Debug)]
pub(crate) struct Watched<IO> {
    io: IO,
    watch: Arc<ConnectionWatch>,
    read: FrameScanner,
    written: FrameScanner,
    /// The highest stream the client opened (HEADERS on an odd stream).
    last_stream: u32,
    calm: Calm,
}

impl<IO> Watched<IO> {
    /// Watches `io`, a server connection from its first byte.
    pub(crate) fn new(io: IO, watch: Arc<ConnectionWatch>) -> Watched<IO> {
        Watched {
            io,
            watch,
            read: FrameScanner::after(CLIENT_PREFACE_LEN),
            written: FrameScanner::after(0),
            last_stream: 0,
            calm: Calm::No,
        }
    }
}

/// What one write carried that the connection's watch needs to know, told
/// once per write (one lock each, however many frames).
#[derive(Default)]
struct Sent {
    headers_or_data: bool,
    connection_window_update: bool,
}

impl Sent {
    fn saw(&mut self, frame: FrameHeader) {
        self.headers_or_data |= frame.kind == HEADERS || frame.kind == DATA;
        self.connection_window_update |= frame.kind == WINDOW_UPDATE && frame.stream == 0;
    }

    fn tell(self, watch: &ConnectionWatch) {
        if self.headers_or_data {
            watch.policy().sent_headers_or_data();
        }
        if self.connection_window_update {
            if let Some(window) = watch.window() {
                window.on_window_update();
            }
        }
    }
}

/// GOAWAY(`last_stream`, ENHANCE_YOUR_CALM, `too_many_pings`).
fn too_many_pings_go_away(last_stream: u32) -> Vec<u8> {
    let len = (8 + TOO_MANY_PINGS.len()) as u32;
    let mut frame = len.to_be_bytes()[1..].to_vec();
    frame.extend_from_slice(&[GOAWAY, 0, 0, 0, 0, 0]);
    frame.extend_from_slice(&last_stream.to_be_bytes());
    frame.extend_from_slice(&ENHANCE_YOUR_CALM.to_be_bytes());
    frame.extend_from_slice(TOO_MANY_PINGS);
    frame
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
            let (last_stream, calm) = (&mut this.last_stream, &mut this.calm);
            let mut data = 0u32;
            this.read.feed(new, |frame| {
                if frame.kind == DATA {
                    data = data.saturating_add(frame.len);
                }
                if frame.kind == HEADERS && frame.stream % 2 == 1 {
                    *last_stream = (*last_stream).max(frame.stream);
                }
                if frame.kind == PING && frame.flags & ACK == 0 {
                    let calls = watch.calls();
                    if watch.policy().on_ping(now, calls)
                        && !watch.pinged_too_often.swap(true, Ordering::AcqRel)
                    {
                        *calm = Calm::Armed;
                        watch.calm_pending.store(true, Ordering::Release);
                        watch.events.notify_one();
                    }
                }
            });
            // One lock per read that carried DATA, and only with adaptive
            // windows.
            if data > 0 {
                if let Some(window) = watch.window() {
                    window.on_data(data);
                }
            }
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
        let this = &mut *self;
        let mut limit = buf.len();
        if matches!(this.calm, Calm::Armed) {
            // While armed, write frame by frame so that h2's GOAWAY starts a
            // write; ours goes in its place, the one GOAWAY the client
            // reads, as grpc-go sends it (a client such as h2's keeps only
            // the last GOAWAY's debug data). Its last stream is the highest
            // the client opened, never below h2's (RFC 9113, 6.8:
            // "Endpoints MUST NOT increase the value they send in the last
            // stream identifier"). Should h2's frame come split across
            // writes, ours goes just before it instead.
            match this.written.until_boundary() {
                0 if buf.len() >= HEADER_LEN && buf[3] == GOAWAY => {
                    let h2_frame = HEADER_LEN + payload_len(buf);
                    let replaces = if buf.len() >= h2_frame { h2_frame } else { 0 };
                    this.calm =
                        Calm::Writing(too_many_pings_go_away(this.last_stream), 0, replaces);
                }
                0 if buf.len() >= HEADER_LEN => {
                    limit = limit.min(HEADER_LEN + payload_len(buf));
                }
                // A header split across writes: h2's GOAWAY, if it is one,
                // goes out as h2 made it.
                0 => this.calm = Calm::Done,
                until => limit = limit.min(until),
            }
        }
        if let Calm::Writing(frame, at, replaces) = &mut this.calm {
            while *at < frame.len() {
                match Pin::new(&mut this.io).poll_write(cx, &frame[*at..]) {
                    Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                    Poll::Ready(Ok(n)) => *at += n,
                    other => return other,
                }
            }
            let replaced = *replaces;
            this.calm = Calm::Done;
            if replaced > 0 {
                // h2's GOAWAY counts as written: ours went in its place.
                this.written.feed(&buf[..replaced], |_| {});
                return Poll::Ready(Ok(replaced));
            }
        }
        let polled = Pin::new(&mut this.io).poll_write(cx, &buf[..limit]);
        if let Poll::Ready(Ok(written)) = polled {
            // One lock per write, however many frames it carried.
            let mut sent = Sent::default();
            this.written.feed(&buf[..written], |frame| sent.saw(frame));
            sent.tell(&this.watch);
        }
        polled
    }

    /// h2 writes a large DATA frame as its header and its payload, two
    /// buffers: as one `writev` here, where a plain writer costs two
    /// syscalls and two TCP segments (the 9-byte header alone, under
    /// TCP_NODELAY) per frame.
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if !matches!(this.calm, Calm::No | Calm::Done) {
            // The GOAWAY replacement works on one buffer at a time.
            let first = bufs.iter().find(|buf| !buf.is_empty());
            return Pin::new(this).poll_write(cx, first.map_or(&[][..], |buf| &buf[..]));
        }
        let polled = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(written)) = polled {
            let mut sent = Sent::default();
            this.written
                .feed_slices(bufs, written, |frame| sent.saw(frame));
            sent.tell(&this.watch);
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
