//! Replays the fuzz corpus on stable, in the normal test suite: every seed
//! in `fuzz/corpus/TARGET/` and every input a fuzz run once failed on, kept
//! in `fuzz/regressions/TARGET/`, goes through the same check the cargo-fuzz
//! target runs (`fuzz/src/lib.rs`, included here as a module), so a
//! regression fails `cargo test` without nightly or libFuzzer.
#![cfg(feature = "demo")] // the checks serve and decode the demo services.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::{Path, PathBuf};

/// The files in `dir`, sorted (none when it does not exist).
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `check` on every input of `target` under `kind` (corpus or
/// regressions); returns how many there were.
fn replay(kind: &str, target: &str, check: checks::Check) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let files = inputs(&dir);
    for file in &files {
        let data = std::fs::read(file).expect("read a fuzz input");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails its check", file.display());
    }
    files.len()
}

#[test]
fn every_seed_and_every_regression_input_passes_its_check() {
    for (target, check) in checks::TARGETS {
        let seeds = replay("corpus", target, check);
        // The seeds are in git: none found means the corpus moved or was
        // lost, and this test would pass having checked nothing.
        assert!(
            seeds >= 5,
            "fuzz/corpus/{target}/ has {seeds} seeds, expected at least 5"
        );
        replay("regressions", target, check);
    }
}

/// The server target reaches the handlers: a recorded call, replayed
/// through it, is answered (else fuzzing it would only fuzz the preface).
#[test]
fn the_server_target_answers_a_recorded_call() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/server");
    let session = std::fs::read(dir.join("say-hello")).expect("the say-hello seed");
    let output = checks::server_output(&session);
    assert!(
        output.windows(13).any(|window| window == b"Hello, world!"),
        "no greeting in the server's {} bytes",
        output.len()
    );
}

/// Writes the seed corpus, `fuzz/corpus/TARGET/NAME`, from real encodings
/// made by the library (frames, messages, timeouts, metadata, status
/// messages) and from recorded HTTP/2 client sessions of our own client
/// against the demo server. Run it when the encodings change:
/// `cargo test --test fuzz_regressions -- --ignored write_seed_corpus`.
#[test]
#[ignore = "writes fuzz/corpus/; run by hand"]
fn write_seed_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let write = |target: &str, name: &str, data: &[u8]| {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), data).unwrap();
    };
    for (name, data) in seeds::frames() {
        write("frames", &name, &data);
    }
    for (name, data) in seeds::messages() {
        write("messages", &name, &data);
    }
    for (name, data) in seeds::timeouts() {
        write("timeout", &name, &data);
    }
    for (name, data) in seeds::metadata() {
        write("metadata", &name, &data);
    }
    for (name, data) in seeds::percent() {
        write("percent", &name, &data);
    }
    for (name, data) in seeds::server_sessions() {
        write("server", &name, &data);
    }
}

/// The seed inputs, made by the library itself.
mod seeds {
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll};
    use std::time::Duration;

    use bytes::{Bytes, BytesMut};
    use h2grpc::__private::framing::put_frame;
    use h2grpc::codec::compression::Encoding;
    use h2grpc::services::{greeter, health, interop, route_guide};
    use h2grpc::status::encode_message;
    use h2grpc::transport::Deadline;
    use h2grpc::{Client, Message, Request};
    use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

    use super::checks::{Choice, Everything, Inner, Kind};

    type Seeds = Vec<(String, Vec<u8>)>;

    fn everything() -> Everything {
        let inner = Inner {
            id: 7,
            name: "inner".into(),
            children: vec![Inner {
                id: -1,
                ..Default::default()
            }],
        };
        Everything {
            f_int32: -5,
            f_int64: i64::MIN,
            f_uint32: u32::MAX,
            f_uint64: 1 << 40,
            f_sint32: -300,
            f_sint64: i64::MAX,
            f_fixed32: 0xdead_beef,
            f_fixed64: 42,
            f_sfixed32: -1,
            f_sfixed64: -2,
            f_float: 1.5,
            f_double: -0.25,
            f_bool: true,
            f_string: "héllo".into(),
            f_bytes: Bytes::from_static(&[0, 1, 255]),
            f_enum: Kind::MANY,
            f_message: Some(inner.clone()),
            r_int32: vec![1, -1, 300],
            r_sint64: vec![-2, 2],
            r_fixed32: vec![3, 4],
            r_double: vec![0.5, 1e300],
            r_bool: vec![true, false],
            r_string: vec!["a".into(), String::new()],
            r_bytes: vec![Bytes::from_static(b"xy")],
            r_enum: vec![Kind::ONE, Kind(9)],
            r_message: vec![inner.clone(), Inner::default()],
            m_string: [("k".to_string(), "v".to_string())].into(),
            m_int: [(-3, 3)].into(),
            m_message: [(1, inner)].into(),
            m_enum: [(true, Kind::ONE)].into(),
            o_int32: Some(0),
            o_string: Some(String::new()),
            o_enum: Some(Kind::ZERO),
            o_double: Some(2.0),
            choice: Some(Choice::c_text("one of".into())),
            r_uint64: vec![u64::MAX],
            r_float: vec![-1.0],
            r_sfixed64: vec![-9],
        }
    }

    fn point(latitude: i32, longitude: i32) -> route_guide::Point {
        route_guide::Point {
            latitude,
            longitude,
        }
    }

    /// Byte 0 of a frames input: the limit (low 2 bits) and the encoding.
    fn frames_input(mode: u8, lengths: &[u8], stream: &[u8]) -> Vec<u8> {
        let mut input = vec![mode, lengths.len() as u8];
        input.extend_from_slice(lengths);
        input.extend_from_slice(stream);
        input
    }

    pub fn frames() -> Seeds {
        let hello = greeter::HelloRequest {
            name: "world".into(),
        }
        .encode_to_bytes();
        let big = everything().encode_to_bytes();
        let mut plain = BytesMut::new();
        put_frame(&mut plain, false, &hello).unwrap();
        put_frame(&mut plain, false, &[]).unwrap();
        put_frame(&mut plain, false, &big).unwrap();
        let mut gzip = BytesMut::new();
        let mut deflate = BytesMut::new();
        let mut zipped = BytesMut::new();
        Encoding::Gzip.compress(&big, &mut zipped).unwrap();
        put_frame(&mut gzip, true, &zipped).unwrap();
        put_frame(&mut gzip, false, &hello).unwrap();
        let mut deflated = BytesMut::new();
        Encoding::Deflate.compress(&big, &mut deflated).unwrap();
        put_frame(&mut deflate, true, &deflated).unwrap();
        let mut bad_flag = plain.to_vec();
        bad_flag[0] = 2;
        let too_large = [0u8, 0, 0, 4, 1];
        let truncated = &plain[..plain.len() - 3];
        // Mode: limit index (0: 0, 1: 7, 2: 1 KiB, 3: 4 MiB) | encoding index << 2
        // (Encoding::ALL: 0 gzip, 1 deflate, 2 identity).
        vec![
            ("plain-one-chunk".into(), frames_input(3, &[], &plain)),
            ("plain-split-1".into(), frames_input(3, &[1], &plain)),
            ("plain-split-3-7".into(), frames_input(2, &[3, 7], &plain)),
            ("plain-limit-7".into(), frames_input(1, &[2, 5], &plain)),
            ("plain-limit-0".into(), frames_input(0, &[], &plain)),
            ("gzip".into(), frames_input(3, &[], &gzip)),
            ("gzip-split".into(), frames_input(3, &[4, 1, 9], &gzip)),
            ("gzip-limit-7".into(), frames_input(1, &[], &gzip)),
            ("deflate".into(), frames_input(3 | 1 << 2, &[], &deflate)),
            ("deflate-as-gzip".into(), frames_input(3, &[6], &deflate)),
            (
                "compressed-identity".into(),
                frames_input(3 | 2 << 2, &[], &gzip),
            ),
            ("bad-flag".into(), frames_input(3, &[], &bad_flag)),
            ("too-large".into(), frames_input(2, &[], &too_large)),
            ("truncated".into(), frames_input(3, &[5], truncated)),
        ]
    }

    pub fn messages() -> Seeds {
        // The index is the message's place in `checks::MESSAGES`.
        let mut seeds: Seeds = vec![
            ("everything".into(), with_index(0, &everything())),
            (
                "everything-default".into(),
                with_index(0, &Everything::default()),
            ),
            (
                "inner".into(),
                with_index(
                    1,
                    &Inner {
                        id: 3,
                        name: "x".into(),
                        children: Vec::new(),
                    },
                ),
            ),
            (
                "hello".into(),
                with_index(
                    2,
                    &greeter::HelloRequest {
                        name: "world".into(),
                    },
                ),
            ),
            (
                "point".into(),
                with_index(6, &point(409_146_138, -746_188_906)),
            ),
            (
                "rectangle".into(),
                with_index(
                    7,
                    &route_guide::Rectangle {
                        lo: Some(point(1, 2)),
                        hi: Some(point(3, 4)),
                    },
                ),
            ),
            (
                "route-note".into(),
                with_index(
                    9,
                    &route_guide::RouteNote {
                        location: Some(point(5, 6)),
                        message: "note".into(),
                    },
                ),
            ),
            (
                "simple-request".into(),
                with_index(
                    17,
                    &interop::SimpleRequest {
                        response_size: 10,
                        payload: Some(interop::Payload {
                            body: Bytes::from_static(&[0; 8]),
                            ..Default::default()
                        }),
                        fill_username: true,
                        ..Default::default()
                    },
                ),
            ),
            (
                "health-check".into(),
                with_index(
                    28,
                    &health::HealthCheckRequest {
                        service: "helloworld.Greeter".into(),
                    },
                ),
            ),
        ];
        // Every everything field alone (unpacked repeated forms included).
        let mut unpacked = vec![0u8];
        for value in [1u8, 2, 3] {
            unpacked.extend_from_slice(&[18 << 3, value]);
        }
        seeds.push(("everything-unpacked".into(), unpacked));
        seeds.push(("everything-group".into(), vec![0, 0x0b, 0x08, 0x01, 0x0c]));
        seeds
    }

    fn with_index(index: u8, message: &impl Message) -> Vec<u8> {
        let mut input = vec![index];
        input.extend_from_slice(&message.encode_to_bytes());
        input
    }

    pub fn timeouts() -> Seeds {
        let mut seeds: Seeds = [
            Duration::from_secs(1),
            Duration::from_millis(100),
            Duration::from_micros(5),
            Duration::from_nanos(123),
            Duration::from_secs(7200),
            Duration::from_secs(100_000_000),
        ]
        .into_iter()
        .map(|timeout| {
            let value = Deadline::after(timeout).grpc_timeout();
            (
                format!("ours-{}", value.to_str().unwrap()),
                value.as_bytes().to_vec(),
            )
        })
        .collect();
        for bad in [
            "123456789S",
            "1x",
            "S",
            "",
            "-1S",
            "1.5S",
            "00000001M",
            "99999999H",
        ] {
            seeds.push((
                format!("raw-{}", bad.replace('.', "dot")),
                bad.as_bytes().to_vec(),
            ));
        }
        seeds
    }

    pub fn metadata() -> Seeds {
        let mut status_headers = http::HeaderMap::new();
        h2grpc::Status::with_details(
            h2grpc::Code::InvalidArgument,
            "bad thing: 100%",
            Bytes::from_static(b"\x08\x03"),
        )
        .write_to(&mut status_headers);
        let written: Vec<u8> = status_headers
            .iter()
            .flat_map(|(name, value)| {
                [name.as_str().as_bytes(), b":", value.as_bytes(), b"\n"].concat()
            })
            .collect();
        vec![
            (
                "request-head".into(),
                b"content-type:application/grpc\ngrpc-timeout:1S\ngrpc-encoding:gzip\ngrpc-accept-encoding:gzip,deflate\nte:trailers\nuser-agent:h2grpc\n".to_vec(),
            ),
            ("user".into(), b"x-user:alice\nx-user:bob\nx-empty:\n".to_vec()),
            ("binary".into(), b"x-trace-bin:AAEC\nx-trace-bin:AAEC==, AQ\nx-pad-bin:AQ=\n".to_vec()),
            ("binary-bad".into(), b"x-good-bin:AAEC\nx-bad-bin:!!!\n".to_vec()),
            ("reserved".into(), b"grpc-status:3\ngrpc-message:x\nte:trailers\ncontent-type:application/grpc+json\n".to_vec()),
            ("status".into(), written),
            ("status-odd".into(), b"grpc-status:99\ngrpc-message:%zz%\ngrpc-status-details-bin:@@\n".to_vec()),
        ]
    }

    pub fn percent() -> Seeds {
        let ours = |text: &str| encode_message(text).into_owned().into_bytes();
        vec![
            ("empty".into(), Vec::new()),
            ("plain".into(), b"hello".to_vec()),
            ("ours-percent".into(), ours("100% done")),
            ("ours-unicode".into(), ours("déjà vu ✓\n")),
            ("ours-blanks".into(), ours("  both ends  ")),
            ("lone-percent".into(), b"%".to_vec()),
            ("bad-escape".into(), b"%zz%4".to_vec()),
            ("upper-lower".into(), b"%E2%9c%93".to_vec()),
            ("invalid-utf8".into(), b"%FF%FE".to_vec()),
            ("raw-bytes".into(), vec![0xff, b'a', 0x00, b'%', b'2']),
        ]
    }

    /// The bytes a client writes on its connection, recorded.
    struct Tap<IO> {
        io: IO,
        sent: Arc<Mutex<Vec<u8>>>,
    }

    impl<IO: AsyncRead + Unpin> AsyncRead for Tap<IO> {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            Pin::new(&mut self.io).poll_read(cx, buf)
        }
    }

    impl<IO: AsyncWrite + Unpin> AsyncWrite for Tap<IO> {
        fn poll_write(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<std::io::Result<usize>> {
            let polled = Pin::new(&mut self.io).poll_write(cx, buf);
            if let Poll::Ready(Ok(n)) = polled {
                self.sent.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            polled
        }
        fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Pin::new(&mut self.io).poll_flush(cx)
        }
        fn poll_shutdown(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<std::io::Result<()>> {
            Pin::new(&mut self.io).poll_shutdown(cx)
        }
    }

    /// Runs `session` with a client on a recorded connection to the demo
    /// server; returns what the client wrote.
    fn record<F, Fut>(session: F) -> Vec<u8>
    where
        F: FnOnce(h2grpc::Channel) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let (client_io, server_io) = tokio::io::duplex(64 * 1024);
            let incoming = futures_util::stream::iter([Ok::<_, std::io::Error>((server_io, None))]);
            let server = h2grpc::services::demo_server()
                .health()
                .reflection()
                .add_service(interop::service())
                .serve_with_incoming(incoming, std::future::pending());
            let server = tokio::spawn(server);
            let sent = Arc::new(Mutex::new(Vec::new()));
            let tap = Tap {
                io: client_io,
                sent: Arc::clone(&sent),
            };
            let authority = http::uri::Authority::from_static("in-memory");
            let channel = h2grpc::Channel::from_io(tap, authority, Default::default())
                .await
                .unwrap();
            tokio::time::timeout(Duration::from_secs(10), session(channel))
                .await
                .expect("session in time");
            server.abort();
            let sent = sent.lock().unwrap().clone();
            sent
        })
    }

    pub fn server_sessions() -> Seeds {
        let hello = || greeter::HelloRequest {
            name: "world".into(),
        };
        vec![
            (
                "say-hello".into(),
                record(|channel| async move {
                    greeter::GreeterClient::new(channel)
                        .say_hello(hello())
                        .await
                        .unwrap();
                }),
            ),
            (
                "say-hello-gzip-timeout".into(),
                record(|channel| async move {
                    let mut request = Request::new(hello());
                    request.set_timeout(Duration::from_secs(5));
                    Client::new(channel)
                        .send_compressed(Encoding::Gzip)
                        .unary::<_, greeter::HelloReply>("/helloworld.Greeter/SayHello", request)
                        .await
                        .unwrap();
                }),
            ),
            (
                "unknown-method".into(),
                record(|channel| async move {
                    let status = Client::new(channel)
                        .unary::<_, greeter::HelloReply>("/no.Such/Method", Request::new(hello()))
                        .await
                        .unwrap_err();
                    assert_eq!(status.code(), h2grpc::Code::Unimplemented);
                }),
            ),
            (
                "list-features".into(),
                record(|channel| async move {
                    let rectangle = route_guide::Rectangle {
                        lo: Some(point(400_000_000, -750_000_000)),
                        hi: Some(point(420_000_000, -730_000_000)),
                    };
                    let mut features = route_guide::RouteGuideClient::new(channel)
                        .list_features(rectangle)
                        .await
                        .unwrap()
                        .into_inner();
                    while features.message().await.unwrap().is_some() {}
                }),
            ),
            (
                "record-route".into(),
                record(|channel| async move {
                    let route = vec![point(1, 2), point(3, 4), point(409_146_138, -746_188_906)];
                    route_guide::RouteGuideClient::new(channel)
                        .record_route(futures_util::stream::iter(route))
                        .await
                        .unwrap();
                }),
            ),
            (
                "route-chat".into(),
                record(|channel| async move {
                    let notes = vec![
                        route_guide::RouteNote {
                            location: Some(point(1, 1)),
                            message: "a".into(),
                        },
                        route_guide::RouteNote {
                            location: Some(point(1, 1)),
                            message: "b".into(),
                        },
                    ];
                    let mut replies = route_guide::RouteGuideClient::new(channel)
                        .route_chat(futures_util::stream::iter(notes))
                        .await
                        .unwrap()
                        .into_inner();
                    while replies.message().await.unwrap().is_some() {}
                }),
            ),
            (
                "health-check".into(),
                record(|channel| async move {
                    health::HealthClient::new(channel)
                        .check(health::HealthCheckRequest {
                            service: String::new(),
                        })
                        .await
                        .unwrap();
                }),
            ),
            (
                "interop-large-unary".into(),
                record(|channel| async move {
                    let request = interop::SimpleRequest {
                        response_size: 100,
                        payload: Some(interop::Payload {
                            body: Bytes::from(vec![0; 100]),
                            ..Default::default()
                        }),
                        ..Default::default()
                    };
                    interop::TestServiceClient::new(channel)
                        .unary_call(request)
                        .await
                        .unwrap();
                }),
            ),
        ]
    }
}
