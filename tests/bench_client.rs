//! `h2grpc bench-client` against `h2grpc serve` over real sockets: every
//! scenario completes its calls with no error and reports them on its
//! RESULT line; a wrong server makes it fail; an unreachable one is a
//! one-line error.

mod support;

use std::net::TcpListener;

use support::{h2grpc_command, h2grpc_server};

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
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_h2grpc"));
    cmd.args(["interop-server", "--port", "0"]);
    let server = support::Peer::spawn("h2grpc interop-server", cmd);
    let addr = format!("127.0.0.1:{}", server.addr().port());
    let out = h2grpc_command(&["bench-client", "--addr", &addr, "--calls", "50"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.describe());
    let fields = result_fields(&out.stdout);
    assert_eq!(field(&fields, "errors"), "50", "{fields:?}");
    assert!(
        out.stderr.contains("50 of 50 calls failed"),
        "{}",
        out.describe()
    );
}

#[test]
fn an_unreachable_server_is_a_one_line_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let addr = format!("127.0.0.1:{port}");
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
