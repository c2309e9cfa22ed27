//! The client channel over real sockets (doc/connection-backoff.md,
//! doc/wait-for-ready.md, doc/connectivity-semantics-and-api.md, gRFC A6's
//! transparent retry): a channel outlives its connections, reconnects with
//! backoff, fails fast or waits for ready, sends new calls past a GOAWAY
//! to a new connection without losing one, retries a refused call once,
//! and bounds a connection attempt in time.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use h2grpc::transport::{BackoffConfig, Channel, ConnectError, ConnectivityState, Endpoint};
use h2grpc::{Code, Request};
use support::greeter::{self, GreeterClient, HelloRequest};
use support::{within_limit, TestServer};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// Backoff fast enough for a test: 50 ms, then up to 200 ms.
fn quick_backoff() -> BackoffConfig {
    BackoffConfig {
        initial: Duration::from_millis(50),
        max: Duration::from_millis(200),
        min_connect_timeout: Duration::from_secs(2),
        ..BackoffConfig::default()
    }
}

/// A channel to `uri` with [`quick_backoff`], connected.
async fn quick_channel(uri: &str) -> Channel {
    Endpoint::new(uri)
        .expect("endpoint")
        .backoff(quick_backoff())
        .connect()
        .await
        .expect("connect")
}

fn hello(name: &str) -> HelloRequest {
    HelloRequest {
        name: name.to_owned(),
    }
}

/// A loopback address where nothing listens (the port was just freed).
async fn closed_port() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    listener.local_addr().expect("local_addr")
}

/// Waits until `channel` is in `state`.
async fn reaches(channel: &Channel, state: ConnectivityState) {
    let mut now = channel.state();
    while now != state {
        now = channel.state_changed(now).await;
    }
}

#[tokio::test]
async fn a_server_restarted_under_a_stream_of_calls_is_called_again_on_the_same_channel() {
    within_limit(async {
        let server = TestServer::start(greeter::server()).await;
        let addr = server.addr;
        let channel = quick_channel(&server.uri()).await;
        let client = GreeterClient::new(channel.clone());
        client
            .say_hello(hello("before"))
            .await
            .expect("before the restart");
        assert_eq!(channel.state(), ConnectivityState::Ready);

        server.shutdown().await.expect("shutdown");
        reaches(&channel, ConnectivityState::Idle).await;
        // Fail-fast calls while the server is down: UNAVAILABLE, at once.
        let started = Instant::now();
        let down = client
            .say_hello(hello("down"))
            .await
            .expect_err("server down");
        assert_eq!(down.code(), Code::Unavailable, "{down:?}");
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(channel.state(), ConnectivityState::TransientFailure);

        // A wait-for-ready call made now succeeds once the server is back.
        let waiting = {
            let client = client.clone();
            tokio::spawn(async move {
                let mut request = Request::new(hello("waited"));
                request.set_wait_for_ready(true);
                request.set_timeout(Duration::from_secs(20));
                client.say_hello(request).await
            })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!waiting.is_finished(), "a wait-for-ready call must wait");
        let _restarted = TestServer::start_on(greeter::server(), addr).await;

        let waited = waiting
            .await
            .expect("task")
            .expect("the wait-for-ready call");
        assert_eq!(waited.get_ref().message, greeter::hello("waited"));
        reaches(&channel, ConnectivityState::Ready).await;
        let after = client
            .say_hello(hello("after"))
            .await
            .expect("after the restart");
        assert_eq!(after.get_ref().message, greeter::hello("after"));
    })
    .await;
}

#[tokio::test]
async fn a_steady_stream_of_calls_through_a_restart_fails_fast_then_succeeds_again() {
    within_limit(async {
        let server = TestServer::start(greeter::server()).await;
        let addr = server.addr;
        let channel = quick_channel(&server.uri()).await;
        let client = GreeterClient::new(channel.clone());
        // One call every 5 ms from now until told to stop; each outcome kept
        // in order.
        let (stop_tx, mut stop) = tokio::sync::oneshot::channel::<()>();
        let caller = tokio::spawn(async move {
            let mut outcomes = Vec::new();
            loop {
                let outcome = client.say_hello(hello("steady")).await.map(|_| ());
                outcomes.push(outcome.map_err(|status| status.code()));
                tokio::select! {
                    _ = &mut stop => return outcomes,
                    () = tokio::time::sleep(Duration::from_millis(5)) => {}
                }
            }
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        server.shutdown().await.expect("shutdown");
        tokio::time::sleep(Duration::from_millis(400)).await;
        let _restarted = TestServer::start_on(greeter::server(), addr).await;
        reaches(&channel, ConnectivityState::Ready).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        stop_tx.send(()).expect("caller");
        let outcomes = caller.await.expect("caller task");

        // Only answers and fail-fast UNAVAILABLE: no hang, no other error.
        for outcome in &outcomes {
            assert!(
                matches!(outcome, Ok(()) | Err(Code::Unavailable)),
                "{outcome:?} in {outcomes:?}"
            );
        }
        let first_failure = outcomes
            .iter()
            .position(Result::is_err)
            .expect("a failure while down");
        let last_failure = outcomes
            .iter()
            .rposition(Result::is_err)
            .expect("a failure");
        assert!(first_failure > 0, "answered before the restart");
        let after = &outcomes[last_failure + 1..];
        assert!(
            after.len() >= 5,
            "answered again after the restart: {outcomes:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn calls_through_many_go_aways_are_all_answered_on_new_connections() {
    within_limit(async {
        // Every connection gets the double GOAWAY after about 100 ms.
        let server = TestServer::start(
            greeter::server()
                .max_connection_age(Some(Duration::from_millis(100)))
                .max_connection_age_grace(Some(Duration::from_secs(5))),
        )
        .await;
        let channel = quick_channel(&server.uri()).await;
        let failures = Arc::new(AtomicUsize::new(0));
        let answered = Arc::new(AtomicUsize::new(0));
        let until = Instant::now() + Duration::from_millis(1200);
        let mut callers = Vec::new();
        for caller in 0..8 {
            let client = GreeterClient::new(channel.clone());
            let (failures, answered) = (failures.clone(), answered.clone());
            callers.push(tokio::spawn(async move {
                let mut call = 0;
                while Instant::now() < until {
                    let name = format!("{caller}-{call}");
                    match client.say_hello(hello(&name)).await {
                        Ok(reply) if reply.get_ref().message == greeter::hello(&name) => {
                            answered.fetch_add(1, Ordering::Relaxed);
                        }
                        other => {
                            eprintln!("call {name}: {other:?}");
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    call += 1;
                }
            }));
        }
        // Count the connections that become READY meanwhile.
        let readies = {
            let channel = channel.clone();
            tokio::spawn(async move {
                let mut readies = 0;
                let mut state = channel.state();
                while Instant::now() < until {
                    let next = tokio::select! {
                        state = channel.state_changed(state) => state,
                        () = tokio::time::sleep(Duration::from_millis(50)) => continue,
                    };
                    if next == ConnectivityState::Ready {
                        readies += 1;
                    }
                    state = next;
                }
                readies
            })
        };
        for caller in callers {
            caller.await.expect("caller");
        }
        assert_eq!(
            failures.load(Ordering::Relaxed),
            0,
            "no call may be lost to a GOAWAY"
        );
        assert!(answered.load(Ordering::Relaxed) > 100);
        let readies = readies.await.expect("watcher");
        assert!(
            readies >= 2,
            "the calls moved to new connections: {readies} READY"
        );
    })
    .await;
}

#[tokio::test]
async fn a_connection_attempt_to_a_black_holed_port_ends_at_the_connect_timeout() {
    within_limit(async {
        // A listener with a backlog of one that never accepts: once its
        // queue is full the kernel drops further SYNs, as a black hole does.
        let socket = TcpSocket::new_v4().expect("socket");
        socket.bind("127.0.0.1:0".parse().unwrap()).expect("bind");
        let addr = socket.local_addr().expect("local_addr");
        let _listener = socket.listen(1).expect("listen");
        let mut fillers = Vec::new();
        for _ in 0..4 {
            if let Ok(Ok(tcp)) =
                tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await
            {
                fillers.push(tcp);
            }
        }
        let uri = format!("http://{addr}");
        let started = Instant::now();
        let err = Endpoint::new(&uri)
            .expect("endpoint")
            .connect_timeout(Duration::from_millis(300))
            .connect()
            .await
            .expect_err("nothing answers");
        let took = started.elapsed();
        // A filled backlog may also be answered by a TCP connection that
        // h2 then waits on: either way, the attempt ends at the timeout.
        assert!(matches!(err, ConnectError::Timeout { .. }), "{err:?}");
        assert!(
            took >= Duration::from_millis(300) && took < Duration::from_secs(3),
            "{took:?}"
        );

        // A lazy channel's call fails with UNAVAILABLE once its attempt
        // times out, and the channel is in TRANSIENT_FAILURE.
        let channel = Endpoint::new(&uri)
            .expect("endpoint")
            .connect_timeout(Duration::from_millis(300))
            .backoff(BackoffConfig {
                min_connect_timeout: Duration::from_millis(300),
                ..quick_backoff()
            })
            .connect_lazy();
        assert_eq!(channel.state(), ConnectivityState::Idle);
        let status = GreeterClient::new(channel.clone())
            .say_hello(hello("void"))
            .await
            .expect_err("nothing answers");
        assert_eq!(status.code(), Code::Unavailable, "{status:?}");
        assert!(
            status.message().contains("no connection within"),
            "{status:?}"
        );
        assert_eq!(channel.state(), ConnectivityState::TransientFailure);
    })
    .await;
}

#[tokio::test]
async fn a_wait_for_ready_call_waits_until_its_deadline_and_a_fail_fast_one_does_not() {
    within_limit(async {
        let addr = closed_port().await;
        let channel = Endpoint::new(&format!("http://{addr}"))
            .expect("endpoint")
            .backoff(quick_backoff())
            .connect_lazy();
        let client = GreeterClient::new(channel.clone());

        let started = Instant::now();
        let status = client.say_hello(hello("fast")).await.expect_err("refused");
        assert_eq!(status.code(), Code::Unavailable, "{status:?}");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );

        let mut request = Request::new(hello("patient"));
        request.set_wait_for_ready(true);
        request.set_timeout(Duration::from_millis(500));
        let started = Instant::now();
        let status = client.say_hello(request).await.expect_err("nobody listens");
        assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(450) && waited < Duration::from_secs(3),
            "{waited:?}"
        );

        // The client-wide setting does the same for every call.
        let patient =
            GreeterClient::from_client(h2grpc::Client::new(channel.clone()).wait_for_ready(true));
        let mut request = Request::new(hello("patient too"));
        request.set_timeout(Duration::from_millis(300));
        let status = patient
            .say_hello(request)
            .await
            .expect_err("nobody listens");
        assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    })
    .await;
}

#[tokio::test]
async fn a_lazy_channel_goes_idle_connecting_ready_and_shut_down() {
    within_limit(async {
        let server = TestServer::start(greeter::server()).await;
        let channel = Endpoint::new(&server.uri())
            .expect("endpoint")
            .connect_lazy();
        assert_eq!(channel.state(), ConnectivityState::Idle);
        assert_eq!(channel.connect_now(), ConnectivityState::Connecting);
        reaches(&channel, ConnectivityState::Ready).await;
        let client = GreeterClient::new(channel.clone());
        client.say_hello(hello("ready")).await.expect("ready");

        channel.shutdown();
        assert_eq!(channel.state(), ConnectivityState::Shutdown);
        let status = client
            .say_hello(hello("late"))
            .await
            .expect_err("shut down");
        assert_eq!(status.code(), Code::Unavailable, "{status:?}");
        assert!(status.message().contains("shut down"), "{status:?}");
    })
    .await;
}

mod refused {
    //! A raw h2 server that resets the first streams with REFUSED_STREAM
    //! and answers the rest, counting the streams it saw.

    use super::*;
    use bytes::Bytes;
    use h2::Reason;
    use http::{HeaderMap, HeaderValue, Response};

    pub(super) async fn serve(refuse_first: usize) -> (String, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let uri = format!("http://{}", listener.local_addr().expect("addr"));
        let streams = Arc::new(AtomicUsize::new(0));
        let seen = streams.clone();
        tokio::spawn(async move {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let Ok(mut connection) = h2::server::handshake(tcp).await else {
                return;
            };
            while let Some(Ok((request, mut respond))) = connection.accept().await {
                let number = seen.fetch_add(1, Ordering::SeqCst);
                if number < refuse_first {
                    respond.send_reset(Reason::REFUSED_STREAM);
                    continue;
                }
                tokio::spawn(async move {
                    let mut body = request.into_body();
                    while let Some(Ok(chunk)) = body.data().await {
                        let _ = body.flow_control().release_capacity(chunk.len());
                    }
                    let head = Response::builder()
                        .header("content-type", "application/grpc")
                        .body(())
                        .expect("head");
                    let Ok(mut send) = respond.send_response(head, false) else {
                        return;
                    };
                    // HelloReply { message: "refused once" }, framed.
                    let text = b"refused once";
                    let mut frame =
                        vec![0, 0, 0, 0, (text.len() + 2) as u8, 0x0a, text.len() as u8];
                    frame.extend_from_slice(text);
                    let _ = send.send_data(Bytes::from(frame), false);
                    let mut trailers = HeaderMap::new();
                    trailers.insert("grpc-status", HeaderValue::from_static("0"));
                    let _ = send.send_trailers(trailers);
                });
            }
        });
        (uri, streams)
    }
}

#[tokio::test]
async fn a_call_refused_unprocessed_is_sent_again_once() {
    within_limit(async {
        let (uri, streams) = refused::serve(1).await;
        let client = GreeterClient::new(Channel::connect(&uri).await.expect("connect"));
        let reply = client
            .say_hello(hello("x"))
            .await
            .expect("retried transparently");
        assert_eq!(reply.get_ref().message, "refused once");
        assert_eq!(streams.load(Ordering::SeqCst), 2);

        // Refused twice: the retry is spent, the call fails UNAVAILABLE.
        let (uri, streams) = refused::serve(2).await;
        let client = GreeterClient::new(Channel::connect(&uri).await.expect("connect"));
        let status = client
            .say_hello(hello("x"))
            .await
            .expect_err("refused twice");
        assert_eq!(status.code(), Code::Unavailable, "{status:?}");
        assert_eq!(streams.load(Ordering::SeqCst), 2);
    })
    .await;
}

#[tokio::test]
async fn keepalive_pings_a_server_that_permits_them_and_slows_down_on_too_many_pings() {
    within_limit(async {
        // A server whose policy allows a ping every 10 ms: no strike.
        let lenient = TestServer::start(
            greeter::server()
                .keepalive_min_time(Duration::from_millis(10))
                .permit_keepalive_without_calls(true),
        )
        .await;
        let channel = Endpoint::new(&lenient.uri())
            .expect("endpoint")
            .keepalive(Duration::from_millis(50))
            .keepalive_while_idle(true)
            .connect()
            .await
            .expect("connect");
        // This server does not permit pings without calls: three idle
        // pings are two strikes and a GOAWAY.
        let strict = TestServer::start(greeter::server()).await;
        let strict_channel = Endpoint::new(&strict.uri())
            .expect("endpoint")
            .keepalive(Duration::from_millis(50))
            .keepalive_while_idle(true)
            .backoff(quick_backoff())
            .connect()
            .await
            .expect("connect");
        assert_eq!(
            strict_channel.keepalive_time(),
            Some(Duration::from_millis(50))
        );
        tokio::time::sleep(Duration::from_millis(600)).await;

        assert_eq!(
            channel.state(),
            ConnectivityState::Ready,
            "the lenient server kept us"
        );
        assert_eq!(channel.keepalive_time(), Some(Duration::from_millis(50)));
        // GOAWAY too_many_pings: the channel went IDLE and pings half as often.
        assert!(
            strict_channel.keepalive_time() >= Some(Duration::from_millis(100)),
            "{:?}",
            strict_channel.keepalive_time()
        );
        let client = GreeterClient::new(strict_channel.clone());
        client
            .say_hello(hello("again"))
            .await
            .expect("a new connection");
    })
    .await;
}

#[tokio::test]
async fn keepalive_pings_only_while_a_call_is_in_flight_unless_told_otherwise() {
    within_limit(async {
        // grpc-go's default policy: a ping every 5 minutes at most, none
        // without calls.
        let strict = TestServer::start(greeter::server()).await;
        let channel = Endpoint::new(&strict.uri())
            .expect("endpoint")
            .keepalive(Duration::from_millis(50))
            .backoff(quick_backoff())
            .connect()
            .await
            .expect("connect");
        // Idle: no ping, so no strike and no GOAWAY.
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(channel.state(), ConnectivityState::Ready);
        assert_eq!(channel.keepalive_time(), Some(Duration::from_millis(50)));

        // A call in flight (a bidi stream left open): pings every 50 ms,
        // which this server answers with GOAWAY too_many_pings.
        let (_requests, rx) = tokio::sync::mpsc::channel::<HelloRequest>(1);
        let stream = futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|request| (request, rx))
        });
        let open = GreeterClient::new(channel.clone())
            .say_hello_bidi_stream(stream)
            .await
            .expect("the call starts");
        let mut slowed = false;
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if channel.keepalive_time() > Some(Duration::from_millis(50)) {
                slowed = true;
                break;
            }
        }
        drop(open);
        assert!(slowed, "pings with a call in flight drew too_many_pings");
    })
    .await;
}
