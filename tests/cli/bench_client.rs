//! `h2grpc bench-client` against `h2grpc serve` over real sockets: every
//! scenario completes its calls with no error and reports them on its
//! RESULT line; a wrong server makes it fail; a server that never answers
//! fails it at `--timeout`; an unreachable one is a one-line error; options
//! that do not fit the scenario are refused.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use crate::support::peers::{h2grpc_interop_server, unreachable_addr};
use crate::support::TestServer;
use crate::support::{h2grpc_command, h2grpc_server};
use h2grpc::rpc::{Request, Response, Server, Service};
use h2grpc::services::greeter::{HelloReply, HelloRequest};

/// The `key=value` fields of the RESULT line.
fn result_fields(stdout: &str) -> Vec<(String, String)> {
    let line = stdout
        .lines()
        .find(|line| line.starts_with("RESULT "))
        .unwrap_or_else(|| panic!("no RESULT line in {stdout:?}"));
    line.split_whitespace()
        .skip(1)
        .filter_map(|field| field.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], key: &str) -> &'a str {
    fields
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.as_str())
        .unwrap_or_else(|| panic!("no {key} in {fields:?}"))
}

#[test]
fn every_scenario_completes_its_calls_without_errors() {
    let server = h2grpc_server();
    let addr = server.target();
    for scenario in ["unary", "stream", "bidi"] {
        let out = h2grpc_command(&[
            "bench-client",
            "--addr",
            &addr,
            "--scenario",
            scenario,
            "--connections",
            "2",
            "--concurrency",
            "4",
            "--calls",
            "300",
            "--warmup",
            "20",
        ]);
        assert!(out.status.success(), "{scenario}: {}", out.describe());
        let fields = result_fields(&out.stdout);
        assert_eq!(field(&fields, "calls"), "300", "{scenario}: {fields:?}");
        assert_eq!(field(&fields, "errors"), "0", "{scenario}: {fields:?}");
        for key in ["rps", "p50_us", "p99_us", "cpu_us_per_call"] {
            let value: f64 = field(&fields, key)
                .parse()
                .unwrap_or_else(|_| panic!("{scenario}: {key} is not a number: {fields:?}"));
            assert!(value > 0.0, "{scenario}: {key}: {fields:?}");
        }
    }
}

#[test]
fn a_server_without_the_greeter_fails_every_call_and_the_command() {
    // The interop server serves grpc.testing.TestService only: every
    // SayHello is UNIMPLEMENTED.
    let server = h2grpc_interop_server();
    let addr = server.target();
    let out = h2grpc_command(&["bench-client", "--addr", &addr, "--calls", "50"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.describe());
    let fields = result_fields(&out.stdout);
    assert_eq!(field(&fields, "errors"), "50", "{fields:?}");
    assert!(
        out.stderr.contains("50 of 50 calls failed") && out.stderr.contains("UNIMPLEMENTED"),
        "{}",
        out.describe()
    );
}

#[test]
fn one_long_bidi_stream_gets_every_reply() {
    let server = h2grpc_server();
    let addr = server.target();
    let out = h2grpc_command(&[
        "bench-client",
        "--addr",
        &addr,
        "--scenario",
        "bidi-stream",
        "--messages",
        "5000",
        "--window",
        "64",
        "--warmup",
        "100",
    ]);
    assert!(out.status.success(), "{}", out.describe());
    let fields = result_fields(&out.stdout);
    assert_eq!(field(&fields, "scenario"), "bidi-stream", "{fields:?}");
    assert_eq!(field(&fields, "messages"), "5000", "{fields:?}");
    assert_eq!(field(&fields, "replies"), "5000", "{fields:?}");
    assert_eq!(field(&fields, "errors"), "0", "{fields:?}");
    let cpu: f64 = field(&fields, "cpu_us_per_msg").parse().expect("a number");
    assert!(cpu > 0.0, "{fields:?}");
}

#[test]
fn a_server_that_never_answers_fails_the_run_at_its_timeout() {
    // SayHello that never returns: every call hangs until --timeout.
    let never = Service::new("helloworld.Greeter").unary(
        "SayHello",
        |_: Request<HelloRequest>| async move {
            std::future::pending::<Result<Response<HelloReply>, h2grpc::Status>>().await
        },
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(TestServer::start(Server::builder().add_service(never)));
    let addr = server.addr.to_string();
    let out = h2grpc_command(&[
        "bench-client",
        "--addr",
        &addr,
        "--connections",
        "1",
        "--concurrency",
        "2",
        "--calls",
        "10",
        "--timeout",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", out.describe());
    let fields = result_fields(&out.stdout);
    assert_eq!(field(&fields, "calls"), "0", "{fields:?}");
    assert!(
        out.stderr
            .contains("did not finish within --timeout 1 s: 0 of 10 done"),
        "{}",
        out.describe()
    );
    drop(server);
}

#[test]
fn options_that_do_not_fit_the_scenario_are_refused() {
    let cases: [(&[&str], &str); 2] = [
        (
            &["--scenario", "bidi-stream", "--calls", "10"],
            "--calls does not apply to bidi-stream",
        ),
        (
            &["--scenario", "unary", "--messages", "10"],
            "--messages and --window apply to --scenario bidi-stream only",
        ),
    ];
    for (options, message) in cases {
        let mut args = vec!["bench-client", "--addr", "127.0.0.1:9"];
        args.extend_from_slice(options);
        let out = h2grpc_command(&args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{options:?}: {}",
            out.describe()
        );
        let line = out.stderr.trim_end();
        assert!(
            line.starts_with("h2grpc: ") && line.contains(message) && line.lines().count() == 1,
            "{options:?}: {}",
            out.describe()
        );
        assert_eq!(out.stdout, "", "{options:?}: {}", out.describe());
    }
}

#[test]
fn an_unreachable_server_is_a_one_line_error() {
    let addr = unreachable_addr();
    let out = h2grpc_command(&["bench-client", "--addr", &addr, "--calls", "10"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.describe());
    assert_eq!(out.stdout, "", "{}", out.describe());
    let line = out.stderr.trim_end();
    assert_eq!(line.lines().count(), 1, "{}", out.describe());
    assert!(
        line.starts_with("h2grpc: cannot connect to ") && line.contains(&addr),
        "{}",
        out.describe()
    );
}

#[test]
fn zero_connections_calls_in_flight_window_or_timeout_are_refused() {
    for option in ["--connections", "--concurrency", "--window", "--timeout"] {
        let out = h2grpc_command(&["bench-client", "--addr", "127.0.0.1:9", option, "0"]);
        assert_eq!(out.status.code(), Some(2), "{option}: {}", out.describe());
        assert!(
            out.stderr
                .contains(&format!("invalid value '0' for '{option} ")),
            "{option}: {}",
            out.describe()
        );
    }
}
