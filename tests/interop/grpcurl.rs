//! grpcurl (the Go gRPC stack) against `h2grpc serve`: every `helloworld.Greeter`
//! method from `proto/helloworld.proto`, its JSON output compared byte for byte,
//! and an unknown method and service answered `Unimplemented`.
//!
//! The same checks also run against the grpcio reference server, so a failure
//! here that the reference passes is h2grpc's, not the test's.
//!
//! Needs grpcurl from `.venv/` (`bash tests/run-all.sh` installs it); fails, never
//! skips, without it.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use std::path::Path;

use crate::support::peers::{
    grpcurl_exit_code, proto_dir, python_greeter_server, Grpcurl, TempDir,
};
use crate::support::{greeter, h2grpc_server, Output};
use h2grpc::Code;

/// Runs `grpcurl -plaintext -import-path DIR -proto helloworld.proto [-d DATA] TARGET METHOD`.
fn grpcurl_call(
    import_path: &Path,
    target: &str,
    method: &str,
    data: &str,
    stdin: Option<&str>,
) -> Output {
    let call = Grpcurl::new("helloworld.proto").import_path(import_path);
    let call = match stdin {
        Some(requests) => call.stdin(requests),
        None => call.data(data),
    };
    call.call(target, method)
}

/// The JSON grpcurl prints for a sequence of `HelloReply`s: one indented
/// object per message.
fn replies_json<S: AsRef<str>>(messages: &[S]) -> String {
    messages
        .iter()
        .map(|m| format!("{{\n  \"message\": \"{}\"\n}}\n", m.as_ref()))
        .collect()
}

/// Calls `method` with `data` (and `stdin` for `-d @`) and asserts success and
/// exactly these replies.
fn assert_replies(target: &str, method: &str, data: &str, stdin: Option<&str>, want: &[String]) {
    let out = grpcurl_call(&proto_dir(), target, method, data, stdin);
    assert!(
        out.status.success(),
        "grpcurl {method} failed:\n{}",
        out.describe()
    );
    assert_eq!(
        out.stdout,
        replies_json(want),
        "grpcurl {method} printed other replies:\n{}",
        out.describe()
    );
}

fn check_say_hello(target: &str) {
    let want = [greeter::hello("you")];
    assert_replies(
        target,
        "helloworld.Greeter/SayHello",
        r#"{"name":"you"}"#,
        None,
        &want,
    );
}

fn check_say_hello_empty_request(target: &str) {
    // `{}`: an empty HelloRequest, zero bytes on the wire.
    let want = [greeter::hello("")];
    assert_replies(target, "helloworld.Greeter/SayHello", "{}", None, &want);
}

fn check_say_hello_again(target: &str) {
    let want = [greeter::hello_again("you")];
    let method = "helloworld.Greeter/SayHelloAgain";
    assert_replies(target, method, r#"{"name":"you"}"#, None, &want);
}

fn check_say_hello2(target: &str) {
    let want = [greeter::hello2("you")];
    assert_replies(
        target,
        "helloworld.Greeter/SayHello2",
        r#"{"name":"you"}"#,
        None,
        &want,
    );
}

fn check_say_hello_stream_reply(target: &str) {
    let want = vec![greeter::hello("you"); greeter::STREAM_REPLIES];
    let method = "helloworld.Greeter/SayHelloStreamReply";
    assert_replies(target, method, r#"{"name":"you"}"#, None, &want);
}

fn check_say_hello_bidi_stream(target: &str) {
    let names = ["alice", "bob", "carol"];
    let stdin: String = names
        .iter()
        .map(|n| format!("{{\"name\":\"{n}\"}}\n"))
        .collect();
    let want: Vec<String> = names.iter().map(|n| greeter::hello(n)).collect();
    let method = "helloworld.Greeter/SayHelloBidiStream";
    assert_replies(target, method, "@", Some(&stdin), &want);
}

fn check_say_hello_bidi_stream_no_requests(target: &str) {
    let method = "helloworld.Greeter/SayHelloBidiStream";
    assert_replies(target, method, "@", Some(""), &[]);
}

/// A copy of `proto/helloworld.proto` whose Greeter also has a method `Nope`,
/// plus a service `NoSuchService`: grpcurl only sends what its descriptors name.
fn proto_with_unknown_rpcs() -> TempDir {
    let dir = TempDir::new("grpcurl-proto");
    let proto = std::fs::read_to_string(proto_dir().join("helloworld.proto"))
        .expect("read proto/helloworld.proto");
    let marker = "service Greeter {";
    assert!(
        proto.contains(marker),
        "proto/helloworld.proto has no `{marker}`"
    );
    let proto = proto.replacen(
        marker,
        "service Greeter {\n  rpc Nope (HelloRequest) returns (HelloReply) {}",
        1,
    )
        + "\nservice NoSuchService {\n  rpc SayHello (HelloRequest) returns (HelloReply) {}\n}\n";
    std::fs::write(dir.path().join("helloworld.proto"), proto).expect("write test proto");
    dir
}

fn assert_unimplemented(target: &str, method: &str) {
    let protos = proto_with_unknown_rpcs();
    let out = grpcurl_call(protos.path(), target, method, r#"{"name":"you"}"#, None);
    assert_eq!(
        out.status.code(),
        Some(grpcurl_exit_code(Code::Unimplemented)),
        "grpcurl {method}: want exit code 64 + 12 (Unimplemented):\n{}",
        out.describe()
    );
    assert!(
        out.stderr.contains("Code: Unimplemented"),
        "grpcurl {method}: want `Code: Unimplemented`:\n{}",
        out.describe()
    );
    assert_eq!(out.stdout, "", "grpcurl {method}: no reply expected");
}

fn check_unknown_method(target: &str) {
    assert_unimplemented(target, "helloworld.Greeter/Nope");
}

fn check_unknown_service(target: &str) {
    assert_unimplemented(target, "helloworld.NoSuchService/SayHello");
}

/// A named check, run against one server address.
type Check = (&'static str, fn(&str));

const CHECKS: &[Check] = &[
    ("SayHello", check_say_hello),
    ("SayHello {}", check_say_hello_empty_request),
    ("SayHelloAgain", check_say_hello_again),
    ("SayHello2", check_say_hello2),
    ("SayHelloStreamReply", check_say_hello_stream_reply),
    ("SayHelloBidiStream", check_say_hello_bidi_stream),
    (
        "SayHelloBidiStream, no requests",
        check_say_hello_bidi_stream_no_requests,
    ),
    ("unknown method", check_unknown_method),
    ("unknown service", check_unknown_service),
];

#[test]
fn checks_hold_against_the_grpcio_reference_server() {
    let server = python_greeter_server();
    for (name, check) in CHECKS {
        eprintln!("reference: {name}");
        check(&server.target());
    }
}

#[test]
fn say_hello() {
    check_say_hello(&h2grpc_server().target());
}

#[test]
fn say_hello_empty_request() {
    check_say_hello_empty_request(&h2grpc_server().target());
}

#[test]
fn say_hello_again() {
    check_say_hello_again(&h2grpc_server().target());
}

#[test]
fn say_hello2() {
    check_say_hello2(&h2grpc_server().target());
}

#[test]
fn say_hello_stream_reply_sends_ten_replies() {
    check_say_hello_stream_reply(&h2grpc_server().target());
}

#[test]
fn say_hello_bidi_stream_answers_each_request() {
    check_say_hello_bidi_stream(&h2grpc_server().target());
}

#[test]
fn say_hello_bidi_stream_without_requests_ends_ok() {
    check_say_hello_bidi_stream_no_requests(&h2grpc_server().target());
}

#[test]
fn unknown_method_is_unimplemented() {
    check_unknown_method(&h2grpc_server().target());
}

#[test]
fn unknown_service_is_unimplemented() {
    check_unknown_service(&h2grpc_server().target());
}
