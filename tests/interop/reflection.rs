//! Server reflection with real clients and no `.proto` files: grpcurl 1.8.6
//! (which speaks v1alpha only) and, where the machine has Go, the newest
//! grpcurl (`tests/run-all.sh` builds it into `.cache/`; it asks v1 first)
//! list, describe and call every method of `h2grpc serve` and `h2grpc
//! interop-server` through reflection alone. Each answer is compared with
//! what the same grpcurl prints when given the service's file from proto/
//! instead (`-import-path proto -proto FILE`), so reflection must describe
//! exactly what protoc reads there (comments aside: the descriptors we
//! serve carry no source info). grpcio-reflection's client
//! (`reflection_client.py`) runs against `h2grpc serve` and against the
//! grpcio reference server, and checks that v1 answers as v1alpha does.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::support::peers::{
    assert_python_checks_pass_on, assert_python_checks_pass_with, go_peer, grpcurl,
    grpcurl_exit_code, h2grpc_interop_server, h2grpc_server_with, proto_dir,
    python_tutorial_server, run, Output, Peer,
};
use h2grpc::Code;

/// The newest grpcurl, built by tests/run-all.sh where `go` is installed.
const NEWEST_GRPCURL: &str = "H2GRPC_GRPCURL_NEWEST";

/// Every service `h2grpc serve` offers, as `grpcurl list` prints them.
const SERVE_SERVICES: [&str; 8] = [
    "contact.Contact",
    "digestor.Digestor",
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
    "hellostreamingworld.MultiGreeter",
    "helloworld.Greeter",
    "routeguide.RouteGuide",
];

/// Every service `h2grpc interop-server` offers.
const INTEROP_SERVICES: [&str; 4] = [
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
    "grpc.testing.TestService",
];

/// The grpcurl builds to check with: 1.8.6 always, the newest when built.
fn grpcurls() -> Vec<PathBuf> {
    let mut builds = vec![grpcurl()];
    builds.extend(go_peer(NEWEST_GRPCURL, "the newest grpcurl"));
    builds
}

/// Where grpcurl reads its descriptors from.
#[derive(Debug, Clone, Copy)]
enum Source<'a> {
    /// The server's reflection service.
    Reflection,
    /// A file under proto/.
    Proto(&'a str),
}

/// `GRPCURL -plaintext [-d DATA] [descriptor flags] TARGET ARGS...`.
fn grpcurl_run(
    grpcurl: &Path,
    source: Source<'_>,
    data: Option<&str>,
    target: &str,
    args: &[&str],
) -> Output {
    let mut cmd = Command::new(grpcurl);
    cmd.args(["-plaintext", "-max-time", "10"]);
    if let Some(data) = data {
        cmd.args(["-d", data]);
    }
    if let Source::Proto(file) = source {
        cmd.arg("-import-path")
            .arg(proto_dir())
            .args(["-proto", file]);
    }
    cmd.arg(target).args(args);
    run(cmd, None)
}

/// What grpcurl printed, without comment lines (only a `.proto` has them).
fn without_comments(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the same grpcurl command by reflection and from `file`, and asserts
/// that both succeed and print the same (comments aside).
fn assert_reflection_matches_proto(
    grpcurl: &Path,
    target: &str,
    file: &str,
    data: Option<&str>,
    args: &[&str],
) -> String {
    let reflected = grpcurl_run(grpcurl, Source::Reflection, data, target, args);
    let from_proto = grpcurl_run(grpcurl, Source::Proto(file), data, target, args);
    assert!(
        reflected.status.success() && from_proto.status.success(),
        "{} {args:?}: by reflection:\n{}\nfrom {file}:\n{}",
        grpcurl.display(),
        reflected.describe(),
        from_proto.describe()
    );
    assert_eq!(
        without_comments(&reflected.stdout),
        without_comments(&from_proto.stdout),
        "{} {args:?}: by reflection (left) and from {file} (right) differ",
        grpcurl.display()
    );
    reflected.stdout
}

fn listed(output: &Output) -> Vec<String> {
    let mut names: Vec<String> = output.stdout.lines().map(str::to_owned).collect();
    names.sort();
    names
}

fn serve() -> Peer {
    h2grpc_server_with(&["--task-every", "0.2"])
}

#[test]
fn grpcurl_lists_every_service_by_reflection() {
    let server = serve();
    let interop = h2grpc_interop_server();
    for grpcurl in grpcurls() {
        for (peer, want) in [
            (&server, &SERVE_SERVICES[..]),
            (&interop, &INTEROP_SERVICES[..]),
        ] {
            let out = grpcurl_run(
                &grpcurl,
                Source::Reflection,
                None,
                &peer.target(),
                &["list"],
            );
            assert!(out.status.success(), "{}", out.describe());
            assert_eq!(listed(&out), want, "{}", grpcurl.display());
        }
    }
}

#[test]
fn grpcurl_lists_each_services_methods_as_its_proto_does() {
    let server = serve();
    let interop = h2grpc_interop_server();
    let services = [
        (&server, "helloworld.proto", "helloworld.Greeter"),
        (
            &server,
            "hellostreamingworld.proto",
            "hellostreamingworld.MultiGreeter",
        ),
        (&server, "route_guide.proto", "routeguide.RouteGuide"),
        (&server, "digestor.proto", "digestor.Digestor"),
        (&server, "contact.proto", "contact.Contact"),
        (
            &server,
            "grpc/reflection/v1/reflection.proto",
            "grpc.reflection.v1.ServerReflection",
        ),
        (
            &interop,
            "grpc/testing/test.proto",
            "grpc.testing.TestService",
        ),
    ];
    for grpcurl in grpcurls() {
        for (peer, file, service) in services {
            let methods = assert_reflection_matches_proto(
                &grpcurl,
                &peer.target(),
                file,
                None,
                &["list", service],
            );
            assert!(methods.contains(&format!("{service}.")), "{methods}");
        }
    }
}

#[test]
fn grpcurl_describes_services_methods_messages_and_enums_as_their_proto_does() {
    let server = serve();
    let interop = h2grpc_interop_server();
    let symbols = [
        // Services.
        (&server, "helloworld.proto", "helloworld.Greeter"),
        (
            &server,
            "hellostreamingworld.proto",
            "hellostreamingworld.MultiGreeter",
        ),
        (&server, "route_guide.proto", "routeguide.RouteGuide"),
        (&server, "digestor.proto", "digestor.Digestor"),
        (&server, "contact.proto", "contact.Contact"),
        (
            &server,
            "grpc/reflection/v1alpha/reflection.proto",
            "grpc.reflection.v1alpha.ServerReflection",
        ),
        (
            &interop,
            "grpc/testing/test.proto",
            "grpc.testing.TestService",
        ),
        // Methods, of each call kind.
        (
            &server,
            "route_guide.proto",
            "routeguide.RouteGuide.GetFeature",
        ),
        (
            &server,
            "route_guide.proto",
            "routeguide.RouteGuide.ListFeatures",
        ),
        (
            &server,
            "route_guide.proto",
            "routeguide.RouteGuide.RecordRoute",
        ),
        (
            &server,
            "route_guide.proto",
            "routeguide.RouteGuide.RouteChat",
        ),
        // Messages: plain, with message fields, with a oneof, repeated, empty.
        (&server, "helloworld.proto", "helloworld.HelloRequest"),
        (&server, "route_guide.proto", "routeguide.Rectangle"),
        (
            &server,
            "grpc/reflection/v1/reflection.proto",
            "grpc.reflection.v1.ServerReflectionRequest",
        ),
        (
            &server,
            "grpc/reflection/v1/reflection.proto",
            "grpc.reflection.v1.FileDescriptorResponse",
        ),
        (
            &interop,
            "grpc/testing/test.proto",
            "grpc.testing.SimpleRequest",
        ),
        (&interop, "grpc/testing/test.proto", "grpc.testing.Empty"),
        // Nested: an enum in a message, and a map's entry type.
        (
            &server,
            "grpc/health/v1/health.proto",
            "grpc.health.v1.HealthCheckResponse",
        ),
        (
            &server,
            "grpc/health/v1/health.proto",
            "grpc.health.v1.HealthCheckResponse.ServingStatus",
        ),
        (
            &server,
            "grpc/health/v1/health.proto",
            "grpc.health.v1.HealthListResponse",
        ),
        (
            &server,
            "grpc/health/v1/health.proto",
            "grpc.health.v1.HealthListResponse.StatusesEntry",
        ),
        // Enums (grpcurl describes no enum value, even from a .proto).
        (
            &interop,
            "grpc/testing/test.proto",
            "grpc.testing.PayloadType",
        ),
        (
            &interop,
            "grpc/testing/test.proto",
            "grpc.testing.GrpclbRouteType",
        ),
    ];
    for grpcurl in grpcurls() {
        for (peer, file, symbol) in symbols {
            let described = assert_reflection_matches_proto(
                &grpcurl,
                &peer.target(),
                file,
                None,
                &["describe", symbol],
            );
            assert!(described.contains(symbol), "{described}");
        }
    }
}

/// `(file, method, JSON requests)`: every method of every service
/// `h2grpc serve` offers whose answer depends on the request alone (not
/// RouteChat, which also answers earlier calls' notes, nor Contact's
/// endless `getTask`).
const SERVE_CALLS: [(&str, &str, &str); 13] = [
    (
        "grpc/health/v1/health.proto",
        "grpc.health.v1.Health/Check",
        r#"{"service": "routeguide.RouteGuide"}"#,
    ),
    (
        "grpc/health/v1/health.proto",
        "grpc.health.v1.Health/List",
        "{}",
    ),
    (
        "helloworld.proto",
        "helloworld.Greeter/SayHello",
        r#"{"name": "reflection"}"#,
    ),
    (
        "helloworld.proto",
        "helloworld.Greeter/SayHelloAgain",
        r#"{"name": "reflection"}"#,
    ),
    (
        "helloworld.proto",
        "helloworld.Greeter/SayHello2",
        r#"{"name": "reflection"}"#,
    ),
    (
        "helloworld.proto",
        "helloworld.Greeter/SayHelloStreamReply",
        r#"{"name": "reflection"}"#,
    ),
    (
        "helloworld.proto",
        "helloworld.Greeter/SayHelloBidiStream",
        r#"{"name": "a"} {"name": "b"}"#,
    ),
    (
        "hellostreamingworld.proto",
        "hellostreamingworld.MultiGreeter/sayHello",
        r#"{"name": "you", "num_greetings": "3"}"#,
    ),
    (
        "route_guide.proto",
        "routeguide.RouteGuide/GetFeature",
        r#"{"latitude": 409146138, "longitude": -746188906}"#,
    ),
    (
        "route_guide.proto",
        "routeguide.RouteGuide/ListFeatures",
        r#"{"lo": {"latitude": 400000000, "longitude": -750000000}, "hi": {"latitude": 420000000, "longitude": -730000000}}"#,
    ),
    (
        "route_guide.proto",
        "routeguide.RouteGuide/RecordRoute",
        r#"{"latitude": 409146138, "longitude": -746188906} {"latitude": 0, "longitude": 0}"#,
    ),
    (
        "digestor.proto",
        "digestor.Digestor/GetDigestor",
        r#"{"ToDigest": "hello"}"#,
    ),
    (
        "contact.proto",
        "contact.Contact/sendStatus",
        r#"{"msg": "online"} {"msg": "busy"}"#,
    ),
];

/// A latitude no RouteChat call of this test has used yet.
fn next_route_chat_latitude() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(100);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[test]
fn grpcurl_calls_every_method_of_h2grpc_serve_by_reflection() {
    let server = serve();
    for grpcurl in grpcurls() {
        for (file, method, data) in SERVE_CALLS {
            let printed = assert_reflection_matches_proto(
                &grpcurl,
                &server.target(),
                file,
                Some(data),
                &[method],
            );
            assert!(
                printed.contains('{'),
                "{method} printed no message: {printed}"
            );
        }
        // RouteChat answers each note with those sent before at its
        // location, by any call: a location of this grpcurl's own.
        let latitude = next_route_chat_latitude();
        let notes = format!(
            r#"{{"location": {{"latitude": {latitude}, "longitude": 1}}, "message": "first"}}
               {{"location": {{"latitude": {latitude}, "longitude": 1}}, "message": "second"}}"#
        );
        let out = grpcurl_run(
            &grpcurl,
            Source::Reflection,
            Some(&notes),
            &server.target(),
            &["routeguide.RouteGuide/RouteChat"],
        );
        assert!(out.status.success(), "{}", out.describe());
        assert_eq!(
            out.stdout.matches("\"message\"").count(),
            1,
            "{}",
            out.describe()
        );
        assert!(out.stdout.contains("\"first\""), "{}", out.describe());
        // tellResult answers once the request stream ends: with Empty.
        assert_reflection_matches_proto(
            &grpcurl,
            &server.target(),
            "contact.proto",
            Some(r#"{"ret": "done"}"#),
            &["contact.Contact/tellResult"],
        );
        // getTask never ends on its own: grpcurl's deadline ends it, after
        // the tasks pushed meanwhile (every 0.2 s) were printed.
        let mut cmd = Command::new(&grpcurl);
        cmd.args([
            "-plaintext",
            "-max-time",
            "1",
            "-d",
            "{}",
            &server.target(),
            "contact.Contact/getTask",
        ]);
        let out = run(cmd, None);
        assert_eq!(
            out.status.code(),
            Some(grpcurl_exit_code(Code::DeadlineExceeded)),
            "{}",
            out.describe()
        );
        assert!(out.stdout.contains("\"task\""), "{}", out.describe());
    }
}

#[test]
fn grpcurl_calls_every_method_of_the_interop_server_by_reflection() {
    let interop = h2grpc_interop_server();
    let calls = [
        ("grpc.testing.TestService/EmptyCall", "{}"),
        (
            "grpc.testing.TestService/UnaryCall",
            r#"{"response_size": 3, "payload": {"body": "AAAA"}}"#,
        ),
        (
            "grpc.testing.TestService/StreamingOutputCall",
            r#"{"response_parameters": [{"size": 1}, {"size": 2}]}"#,
        ),
        (
            "grpc.testing.TestService/StreamingInputCall",
            r#"{"payload": {"body": "AAAA"}} {"payload": {"body": "AA=="}}"#,
        ),
        (
            "grpc.testing.TestService/FullDuplexCall",
            r#"{"response_parameters": [{"size": 1}]} {"response_parameters": [{"size": 2}]}"#,
        ),
        (
            "grpc.testing.TestService/HalfDuplexCall",
            r#"{"response_parameters": [{"size": 1}]}"#,
        ),
    ];
    for grpcurl in grpcurls() {
        for (method, data) in calls {
            let target = interop.target();
            assert_reflection_matches_proto(
                &grpcurl,
                &target,
                "grpc/testing/test.proto",
                Some(data),
                &[method],
            );
        }
        // CacheableUnaryCall answers the time of day: checked by shape.
        let out = grpcurl_run(
            &grpcurl,
            Source::Reflection,
            Some("{}"),
            &interop.target(),
            &["grpc.testing.TestService/CacheableUnaryCall"],
        );
        assert!(
            out.status.success() && out.stdout.contains("\"body\""),
            "{}",
            out.describe()
        );
        let out = grpcurl_run(
            &grpcurl,
            Source::Reflection,
            Some("{}"),
            &interop.target(),
            &["grpc.testing.TestService/UnimplementedCall"],
        );
        assert_eq!(
            out.status.code(),
            Some(grpcurl_exit_code(Code::Unimplemented)),
            "{}",
            out.describe()
        );
    }
}

#[test]
fn grpcurl_reports_an_unknown_symbol_as_not_found() {
    let server = serve();
    for grpcurl in grpcurls() {
        let out = grpcurl_run(
            &grpcurl,
            Source::Reflection,
            None,
            &server.target(),
            &["describe", "no.such.Thing"],
        );
        assert!(!out.status.success(), "{}", out.describe());
        assert!(out.stderr.contains("no.such.Thing"), "{}", out.describe());
        // The server is still there for the next question.
        let out = grpcurl_run(
            &grpcurl,
            Source::Reflection,
            None,
            &server.target(),
            &["describe", "helloworld.Greeter"],
        );
        assert!(out.status.success(), "{}", out.describe());
    }
}

#[test]
fn grpcio_reflection_client_builds_working_stubs_from_h2grpc_serve() {
    let mut server = serve();
    let target = server.target();
    let passed = assert_python_checks_pass_with("reflection_client.py", &target, &["--v1"], || {
        server.output()
    });
    // Every case, v1 against v1alpha included (the reference has no v1).
    assert_eq!(passed, 9);
    server.assert_running();
}

#[test]
fn grpcio_reflection_checks_pass_against_the_grpcio_reference_server() {
    let mut reference = python_tutorial_server(&["--reflection"]);
    assert_eq!(
        assert_python_checks_pass_on("reflection_client.py", &mut reference),
        8
    );
}
