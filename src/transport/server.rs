//! The server side of the transport: the accept loop, one task per
//! connection driving h2, one task per stream handed to a [`Dispatch`].

use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;

use super::body::RecvBody;
use super::config::TransportConfig;
use super::connection_age::{idle_for, jittered};
use super::head::{
    check_binary_metadata, check_codec, check_grpc_request, parse_encoding_header, read_deadline,
    GrpcHeaders, RequestHead,
};
use super::keepalive::keepalive;
use super::peer::Peer;
use super::ping_policy::PingPolicy;
use super::response::{reject, ResponseSink};
use super::watched_io::{ConnectionWatch, Watched};

/// One incoming call: its head, its request frames, and where to answer.
#[derive(Debug)]
pub struct ServerCall {
    /// Path, headers, deadline and peer of the call.
    pub head: RequestHead,
    /// The request's frames.
    pub body: RecvBody,
    /// Where the response goes.
    pub sink: ResponseSink,
}

/// What runs each call: the transport's only view of the layer above it.
pub trait Dispatch: Send + Sync + 'static {
    /// Runs one call to its end (the response finished, or the stream gone).
    fn dispatch(&self, call: ServerCall) -> impl Future<Output = ()> + Send + 'static;
}

/// The connections `listener` accepts, each with its peer's address.
pub fn tcp_incoming(
    listener: TcpListener,
) -> impl Stream<Item = io::Result<(tokio::net::TcpStream, Peer)>> {
    futures_util::stream::unfold(listener, |listener| async move {
        let accepted = accept_with_backoff(&listener).await;
        Some((accepted, listener))
    })
}

/// Accepts the next connection; transient errors (out of file descriptors,
/// a connection reset before accept) are logged and retried with back-off
/// rather than ending the server.
async fn accept_with_backoff(listener: &TcpListener) -> io::Result<(tokio::net::TcpStream, Peer)> {
    const MAX_BACKOFF: Duration = Duration::from_secs(1);
    let mut backoff = Duration::from_millis(5);
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                // Small gRPC messages must not wait for Nagle's algorithm.
                let _ = stream.set_nodelay(true);
                return Ok((stream, Peer::from(Some(peer))));
            }
            Err(err) => {
                tracing::warn!(error = %err, "accept failed; retrying in {backoff:?}");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// Serves calls on every connection `incoming` yields (any
/// `AsyncRead + AsyncWrite`, with what is known of its peer),
/// until `incoming` ends or `shutdown` resolves.
pub async fn serve_incoming<D, S, IO>(
    incoming: S,
    dispatch: Arc<D>,
    config: TransportConfig,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()>
where
    D: Dispatch,
    S: Stream<Item = io::Result<(IO, Peer)>>,
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (stop_tx, stop_rx) = watch::channel(false);
    let config = Arc::new(config);
    let slots = config
        .max_connections
        .map(|limit| Arc::new(Semaphore::new(limit)));
    let mut incoming = std::pin::pin!(incoming);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            next = incoming.next() => match next {
                Some(Ok((io, peer))) => {
                    // Past `max_connections`, the new connection is closed at
                    // once (dropped); those being served are not touched.
                    let slot = match &slots {
                        Some(slots) => match Arc::clone(slots).try_acquire_owned() {
                            Ok(slot) => Some(slot),
                            Err(_) => {
                                tracing::debug!(?peer, "connection refused: max_connections reached");
                                continue;
                            }
                        },
                        None => None,
                    };
                    tokio::spawn(serve_connection(io, peer, dispatch.clone(), config.clone(), stop_rx.clone(), slot));
                }
                Some(Err(err)) => tracing::warn!(error = %err, "incoming connection failed"),
                None => break,
            },
            () = &mut shutdown => break,
        }
    }
    // Tell every connection to drain, then wait until all have ended: each
    // holds a receiver, and `closed` resolves when the last is dropped.
    drop(stop_rx);
    let _ = stop_tx.send(true);
    stop_tx.closed().await;
    Ok(())
}

/// Drives one HTTP/2 connection: accepts its streams and spawns a task per
/// call, until the client goes away or a shutdown drains it. `slot`, the
/// connection's place under `max_connections`, is held until then.
///
/// Each idle connection costs what this future holds, so it is kept small
/// (BENCHMARKS.md, "Issue 14: many connections"): it is spawned as it is,
/// not awaited inside another async block (which would keep room for it
/// twice: once as that block's captured value, once as its awaitee); it is
/// an `async move` block made once the socket is wrapped and the handshake
/// boxed, rather than an `async fn` (whose arguments keep their room beside
/// the locals moved out of them); neither the h2 builder nor the handshake
/// future (which holds h2's whole codec) outlives the handshake; the
/// `select!` branches are closures over references rather than `async fn`s;
/// the timers of settings that are off by default exist only when set, and
/// the grace timer only once draining starts.
pub fn serve_connection<D, IO>(
    io: IO,
    peer: Peer,
    dispatch: Arc<D>,
    config: Arc<TransportConfig>,
    mut stop: watch::Receiver<bool>,
    slot: Option<OwnedSemaphorePermit>,
) -> impl Future<Output = ()>
where
    D: Dispatch,
    IO: AsyncRead + AsyncWrite + Unpin,
{
    let watch = ConnectionWatch::new(
        PingPolicy::new(
            config.keepalive_min_time,
            config.permit_keepalive_without_calls,
        ),
        config.adaptive_window.then_some(config.stream_window),
    );
    let handshake = handshake(Watched::new(io, Arc::clone(&watch)), &config);
    async move {
        let mut connection = match handshake.await {
            Ok(connection) => connection,
            Err(err) => {
                tracing::debug!(?peer, error = %err, "HTTP/2 handshake failed");
                return;
            }
        };
        let mut pinger = connection.ping_pong().map(|ping_pong| {
            Box::pin(keepalive(
                ping_pong,
                Arc::clone(&watch),
                config.keepalive_time,
                config.keepalive_timeout,
            ))
        });
        let mut idle = config
            .max_connection_idle
            .map(|max_idle| Box::pin(idle_for(Arc::clone(&watch), max_idle)));
        let mut aged = config
            .max_connection_age
            .map(|age| Box::pin(tokio::time::sleep(jittered(age))));
        // Armed once draining starts.
        let mut grace: Option<Pin<Box<Sleep>>> = None;
        let mut draining = false;
        if *stop.borrow() {
            draining = true;
            connection.graceful_shutdown();
            grace = Some(Box::pin(tokio::time::sleep(config.shutdown_grace)));
        }
        loop {
            tokio::select! {
                next = poll_fn(|cx| connection.poll_accept(cx)) => match next {
                    Some(Ok((request, respond))) => start_call(request, respond, &peer, &dispatch, &config, &watch),
                    Some(Err(err)) => {
                        tracing::debug!(?peer, error = %err, "connection ended with an error");
                        break;
                    }
                    None => break,
                },
                changed = stop.changed(), if !draining => {
                    draining = true;
                    // A dropped sender also means stop: the server is gone.
                    let _ = changed;
                    connection.graceful_shutdown();
                    grace = Some(Box::pin(tokio::time::sleep(config.shutdown_grace)));
                }
                () = when_set(&mut pinger) => {
                    tracing::debug!(?peer, "keepalive ping not acknowledged in time; closing connection");
                    break;
                }
                () = watch.events.notified() => {
                    // The estimate of the link's bandwidth-delay product
                    // grew: so do both windows (grpc-go's updateFlowControl:
                    // the connection's, and every stream's by SETTINGS).
                    if let Some(window) = watch.take_grown_window() {
                        tracing::debug!(?peer, window, "receive windows grow to the measured bandwidth-delay product");
                        connection.set_target_window_size(window.max(config.connection_window));
                        if let Err(err) = connection.set_initial_window_size(window) {
                            tracing::debug!(?peer, error = %err, "stream window not changed");
                        }
                    }
                    // grpc-go's handlePing: past `maxPingStrikes`, "Send goaway
                    // and close the connection" with ENHANCE_YOUR_CALM. h2's
                    // GOAWAY carries no debug data: the socket wrapper writes
                    // one with `too_many_pings` in its place.
                    if watch.take_too_many_pings() {
                        tracing::debug!(?peer, "client pinged too often; GOAWAY ENHANCE_YOUR_CALM");
                        connection.abrupt_shutdown(h2::Reason::ENHANCE_YOUR_CALM);
                    }
                }
                // gRFC A9: "To close the server should send GOAWAY with status
                // code NO_ERROR ... and then continue the graceful connection
                // termination". h2's graceful_shutdown is grpc-go's double
                // GOAWAY: last stream 2^31-1 and a PING, then on its ACK the
                // real last stream. (h2 sends no debug data `max_idle`.)
                () = when_set(&mut idle), if !draining => {
                    tracing::debug!(?peer, "connection idle past max_connection_idle; GOAWAY");
                    draining = true;
                    connection.graceful_shutdown();
                    grace = Some(Box::pin(tokio::time::sleep(config.shutdown_grace)));
                }
                // gRFC A9: "outstanding RPCs should be permitted to complete"
                // within MAX_CONNECTION_AGE_GRACE, counted here from the first
                // GOAWAY (the proposal's "ideally relative to the second" is one
                // round trip later).
                () = when_set(&mut aged), if !draining => {
                    tracing::debug!(?peer, "connection past max_connection_age; GOAWAY");
                    draining = true;
                    connection.graceful_shutdown();
                    // Without an age grace, calls in flight get all the time they
                    // take: no timer.
                    grace = config
                        .max_connection_age_grace
                        .map(|age_grace| Box::pin(tokio::time::sleep(age_grace)));
                }
                () = when_set(&mut grace), if draining => {
                    tracing::debug!(?peer, "grace period over; closing connection with calls in flight");
                    break;
                }
            }
        }
        drop(slot);
    }
}

/// The HTTP/2 handshake on `io` with `config`'s settings, boxed: the
/// connection's future holds only this pointer while it runs, and neither
/// the builder nor the handshake once it is done.
fn handshake<IO: AsyncRead + AsyncWrite + Unpin>(
    io: IO,
    config: &TransportConfig,
) -> Pin<Box<h2::server::Handshake<IO, Bytes>>> {
    let mut builder = h2::server::Builder::new();
    builder
        .initial_window_size(config.stream_window)
        .initial_connection_window_size(config.connection_window)
        .max_frame_size(config.max_frame_size)
        .max_header_list_size(config.max_header_list_size)
        .max_send_buffer_size(config.max_send_buffer);
    if let Some(limit) = config.max_concurrent_streams {
        builder.max_concurrent_streams(limit);
    }
    Box::pin(builder.handshake(io))
}

/// Resolves when `future` does; never when there is none (a setting that
/// is off, a timer not armed). A closure over the reference, not an `async
/// fn`: `select!` keeps one of these per branch in the connection's future,
/// and this is the smallest.
fn when_set<F: Future + Unpin>(future: &mut Option<F>) -> impl Future<Output = F::Output> + '_ {
    poll_fn(move |cx| match future {
        Some(future) => Pin::new(future).poll(cx),
        None => Poll::Pending,
    })
}

/// Checks the request head and spawns the call's task.
fn start_call<D: Dispatch>(
    request: http::Request<h2::RecvStream>,
    respond: h2::server::SendResponse<Bytes>,
    peer: &Peer,
    dispatch: &Arc<D>,
    config: &TransportConfig,
    watch: &Arc<ConnectionWatch>,
) {
    let (parts, body) = request.into_parts();
    let found = GrpcHeaders::scan(&parts.headers);
    if let Err(rejection) = check_grpc_request(&parts.method, found.content_type) {
        reject(respond, rejection.http_status(), &rejection.status());
        return;
    }
    let mut sink = ResponseSink::new(respond);
    // A codec we do not speak or an encoding we cannot decompress fails
    // the call before any handler runs; the trailers-only answer carries
    // our grpc-accept-encoding, as every response head does.
    let head = check_codec(found.content_type)
        .and_then(|()| check_binary_metadata(found.malformed_binary))
        .and_then(|()| read_deadline(found.timeout))
        .and_then(|deadline| {
            parse_encoding_header(found.encoding, true).map(|encoding| (deadline, encoding))
        });
    let (deadline, encoding) = match head {
        Ok(head) => head,
        Err(status) => {
            sink.finish(&status);
            return;
        }
    };
    let accept_encoding = found.accept_encoding.cloned();
    let call = ServerCall {
        head: RequestHead {
            uri: parts.uri,
            headers: parts.headers,
            deadline,
            encoding,
            peer: peer.clone(),
            accept_encoding,
        },
        body: RecvBody::new(body, config.max_receive_message_size, encoding),
        sink,
    };
    let in_flight = watch.call_started();
    let call = dispatch.dispatch(call);
    tokio::spawn(async move {
        call.await;
        drop(in_flight);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nothing;

    impl Dispatch for Nothing {
        #[allow(clippy::manual_async_fn)]
        fn dispatch(&self, _call: ServerCall) -> impl Future<Output = ()> + Send + 'static {
            async {}
        }
    }

    /// Every idle connection is this future, so what it holds beside h2's
    /// connection is kept to its `select!` state and a few pointers. Room
    /// for a second copy of anything large (an `async fn`'s arguments, the
    /// builder, the handshake, an awaited inner future) fails this.
    #[test]
    fn the_connection_future_holds_little_beside_h2s_connection() {
        let (io, _client) = tokio::io::duplex(64);
        let (_stop_tx, stop) = watch::channel(false);
        let connection = serve_connection(
            io,
            Peer::default(),
            Arc::new(Nothing),
            Arc::new(TransportConfig::default()),
            stop,
            None,
        );
        let h2 =
            std::mem::size_of::<h2::server::Connection<Watched<tokio::io::DuplexStream>, Bytes>>();
        let size = std::mem::size_of_val(&connection);
        assert!(
            size <= h2 + 512,
            "connection future {size} bytes, h2's connection {h2}"
        );
    }
}
