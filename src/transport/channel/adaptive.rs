//! The client's adaptive receive windows (grpc-go's BDP estimation, as the
//! server's in `transport::bdp`): [`Counted`] sees the DATA the server
//! sends as it is read, [`measure_windows`] sends the measuring PINGs, and
//! [`Windowed`] is the connection's driver, applying a grown window to the
//! h2 connection it owns.

use std::future::{pending, Future};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use h2::{Ping, PingPong};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::transport::bdp::AdaptiveWindow;
use crate::transport::frame_scan::{FrameScanner, CLIENT_PREFACE_LEN, DATA, WINDOW_UPDATE};

/// A client socket seen by the window's estimate: the DATA it reads, and
/// the connection's WINDOW_UPDATEs it writes (the application is reading).
#[derive(Debug)]
pub(super) struct Counted<IO> {
    io: IO,
    read: FrameScanner,
    written: FrameScanner,
    window: Arc<AdaptiveWindow>,
}

impl<IO> Counted<IO> {
    /// Counts what `io` reads from its first byte (the server sends no
    /// preface string: its first frame is SETTINGS).
    pub(super) fn new(io: IO, window: Arc<AdaptiveWindow>) -> Counted<IO> {
        Counted {
            io,
            read: FrameScanner::after(0),
            // After our preface, which h2 writes first.
            written: FrameScanner::after(CLIENT_PREFACE_LEN),
            window,
        }
    }

    /// Scans what a write of `bufs` wrote: its first `written` bytes.
    fn saw_written(&mut self, bufs: &[io::IoSlice<'_>], written: usize) {
        let mut window_update = false;
        self.written.feed_slices(bufs, written, |frame| {
            window_update |= frame.kind == WINDOW_UPDATE && frame.stream == 0;
        });
        if window_update {
            self.window.on_window_update();
        }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Counted<IO> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        let this = &mut *self;
        let mut data = 0u32;
        this.read.feed(&buf.filled()[before..], |frame| {
            if frame.kind == DATA {
                data = data.saturating_add(frame.len);
            }
        });
        if data > 0 {
            this.window.on_data(data);
        }
        polled
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Counted<IO> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        if let Poll::Ready(Ok(written)) = polled {
            self.saw_written(&[io::IoSlice::new(buf)], written);
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(written)) = polled {
            self.saw_written(bufs, written);
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

/// The h2 connection's future, growing its windows when the estimate did
/// (grpc-go's updateFlowControl: the connection's window, and every
/// stream's by SETTINGS).
pub(super) struct Windowed<IO> {
    connection: h2::client::Connection<IO, Bytes>,
    window: Arc<AdaptiveWindow>,
    /// The connection window configured; it never shrinks below it.
    connection_window: u32,
}

impl<IO> Windowed<IO> {
    /// Drives `connection`, whose connection window is `connection_window`,
    /// applying `window`'s growth.
    pub(super) fn new(
        connection: h2::client::Connection<IO, Bytes>,
        window: Arc<AdaptiveWindow>,
        connection_window: u32,
    ) -> Windowed<IO> {
        Windowed {
            connection,
            window,
            connection_window,
        }
    }
}

impl<IO: AsyncRead + AsyncWrite + Unpin> Future for Windowed<IO> {
    type Output = Result<(), h2::Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if let Some(window) = this.window.take_grown() {
            tracing::debug!(
                window,
                "receive windows grow to the measured bandwidth-delay product"
            );
            this.connection
                .set_target_window_size(window.max(this.connection_window));
            if let Err(err) = this.connection.set_initial_window_size(window) {
                tracing::debug!(error = %err, "stream window not changed");
            }
        }
        Pin::new(&mut this.connection).poll(cx)
    }
}

/// Sends a measuring PING whenever the estimate asks for one, for as long
/// as the connection lives; pends for ever once h2 can no longer ping.
pub(super) async fn measure_windows(mut ping_pong: PingPong, window: Arc<AdaptiveWindow>) {
    loop {
        window.ping_due().await;
        let sent = tokio::time::Instant::now();
        match ping_pong.ping(Ping::opaque()).await {
            Ok(_pong) => {
                if window.answered(sent.elapsed()) {
                    // Let the driver, polled beside this in the same task,
                    // apply the new window now rather than at the next frame.
                    tokio::task::yield_now().await;
                }
            }
            Err(_) => return pending().await,
        }
    }
}
