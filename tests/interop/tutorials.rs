//! The small tutorial services, hellostreamingworld.MultiGreeter and
//! digestor.Digestor, and the quickstart's `h2grpc greet`, against real peers:
//! - grpcio clients (tests/interop/python/{multi_greeter,digestor}_client.py)
//!   check `h2grpc serve`'s answers exactly, and pass against the grpcio
//!   reference server too, which proves their checks;
//! - grpcurl invokes every method of both services from proto/;
//! - `h2grpc greet`, `multi-greet` and `digest` run against the grpcio
//!   reference server (and against `h2grpc serve`) and print what the
//!   tutorials' clients print;
//! - an unreachable server is a one-line error naming the address.
//!
//! Needs `.venv/` (`bash tests/run-all.sh` creates it); fails, never skips,
//! without it.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use crate::support::peers::{
    assert_python_checks_pass_on, grpcurl_exit_code, python_tutorial_server, unreachable_addr,
    Grpcurl,
};
use crate::support::{h2grpc_command, h2grpc_server, Output, Peer};
use h2grpc::Code;

#[test]
fn grpcio_checks_multi_greeter_on_h2grpc() {
    assert_python_checks_pass_on("multi_greeter_client.py", &mut h2grpc_server());
}

#[test]
fn grpcio_checks_digestor_on_h2grpc() {
    assert_python_checks_pass_on("digestor_client.py", &mut h2grpc_server());
}

#[test]
fn grpcio_checks_hold_against_the_grpcio_reference_server() {
    let mut reference = python_tutorial_server(&[]);
    assert_python_checks_pass_on("multi_greeter_client.py", &mut reference);
    assert_python_checks_pass_on("digestor_client.py", &mut reference);
}

/// `grpcurl -plaintext -import-path proto -proto PROTO -d DATA TARGET METHOD`.
fn grpcurl_call(proto: &str, data: &str, target: &str, method: &str) -> Output {
    Grpcurl::new(proto).data(data).call(target, method)
}

#[test]
fn grpcurl_invokes_multi_greeter_say_hello() {
    let server = h2grpc_server();
    let out = grpcurl_call(
        "hellostreamingworld.proto",
        r#"{"name": "you", "num_greetings": "3"}"#,
        &server.target(),
        "hellostreamingworld.MultiGreeter/sayHello",
    );
    assert!(out.status.success(), "{}", out.describe());
    let want: String = (1..=3)
        .map(|n| format!("{{\n  \"message\": \"Hello number {n}, you!\"\n}}\n"))
        .collect();
    assert_eq!(out.stdout, want);

    let bad = grpcurl_call(
        "hellostreamingworld.proto",
        r#"{"name": "you", "num_greetings": "lots"}"#,
        &server.target(),
        "hellostreamingworld.MultiGreeter/sayHello",
    );
    assert_eq!(
        bad.status.code(),
        Some(grpcurl_exit_code(Code::InvalidArgument)),
        "{}",
        bad.describe()
    );
    assert!(bad.stderr.contains("InvalidArgument"), "{}", bad.describe());
    assert!(bad.stderr.contains("\"lots\""), "{}", bad.describe());
}

#[test]
fn grpcurl_invokes_digestor_get_digestor() {
    let server = h2grpc_server();
    let out = grpcurl_call(
        "digestor.proto",
        r#"{"ToDigest": "abc"}"#,
        &server.target(),
        "digestor.Digestor/GetDigestor",
    );
    assert!(out.status.success(), "{}", out.describe());
    assert_eq!(
        out.stdout,
        "{\n  \"Digested\": \"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\",\n  \"WasDigested\": true\n}\n"
    );
}

/// Runs `h2grpc ARGS... --addr` on `server` and returns its stdout, asserting success.
fn client_output(server: &Peer, args: &[&str]) -> String {
    let target = server.target();
    let mut full: Vec<&str> = args.to_vec();
    full.extend(["--addr", &target]);
    let out = h2grpc_command(&full);
    assert!(
        out.status.success(),
        "h2grpc {full:?} failed:\n{}",
        out.describe()
    );
    out.stdout
}

/// The client subcommands print the same against either server.
fn assert_client_subcommands(server: &Peer) {
    assert_eq!(
        client_output(server, &["greet"]),
        "Greeter client received: Hello, you!\n"
    );
    assert_eq!(
        client_output(server, &["greet", "Zoë"]),
        "Greeter client received: Hello, Zoë!\n"
    );
    assert_eq!(
        client_output(server, &["multi-greet", "ann", "3"]),
        "Greeter client received: Hello number 1, ann!\n\
         Greeter client received: Hello number 2, ann!\n\
         Greeter client received: Hello number 3, ann!\n"
    );
    assert_eq!(
        client_output(server, &["digest", "abc"]),
        "Digested: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n\
         WasDigested: true\n"
    );

    let target = server.target();
    let bad = h2grpc_command(&["multi-greet", "ann", "many", "--addr", &target]);
    assert!(!bad.status.success(), "{}", bad.describe());
    assert_eq!(bad.stdout, "", "{}", bad.describe());
    assert_eq!(bad.stderr.lines().count(), 1, "{}", bad.describe());
    assert!(
        bad.stderr.starts_with(
            "h2grpc: hellostreamingworld.MultiGreeter/sayHello failed: INVALID_ARGUMENT"
        ),
        "{}",
        bad.describe()
    );
}

#[test]
fn client_subcommands_against_the_grpcio_reference_server() {
    assert_client_subcommands(&python_tutorial_server(&[]));
}

#[test]
fn client_subcommands_against_h2grpc_serve() {
    assert_client_subcommands(&h2grpc_server());
}

#[test]
fn an_unreachable_server_is_a_one_line_error_naming_the_address() {
    let addr = unreachable_addr();
    for args in [
        vec!["greet"],
        vec!["multi-greet", "ann", "3"],
        vec!["digest", "abc"],
        vec!["route-guide"],
        vec!["contact"],
    ] {
        let mut full = args.clone();
        full.extend(["--addr", &addr]);
        let out = h2grpc_command(&full);
        assert_eq!(out.status.code(), Some(1), "{full:?}: {}", out.describe());
        assert_eq!(out.stdout, "", "{full:?}: {}", out.describe());
        let line = out.stderr.trim_end();
        assert_eq!(line.lines().count(), 1, "{full:?}: {}", out.describe());
        assert!(
            line.starts_with("h2grpc: cannot connect to ")
                && line.contains(&addr)
                && line.contains("refused"),
            "{full:?}: {}",
            out.describe()
        );
        assert!(!line.contains("panicked"), "{full:?}: {}", out.describe());
    }
}
