//! TLS with real peers against `h2grpc serve --tls-cert --tls-key
//! [--client-ca]`, certificates made at test time: grpcurl (Go's
//! crypto/tls) with `-cacert` and `-cert/-key`, grpcio (BoringSSL) with
//! `grpc.ssl_channel_credentials` with and without a client certificate,
//! and our own `h2grpc greet --tls-ca`. Refusals (no client certificate
//! under mTLS, a client trusting another CA, plaintext to the TLS port)
//! leave the server serving.
#![cfg(all(feature = "cli", feature = "tls"))] // The `h2grpc` command, with TLS.

use crate::support::certs::{PemFiles, Pki};
use crate::support::peers::{assert_python_checks_pass_with, Grpcurl, Peer, TempDir};
use crate::support::{greeter, h2grpc_command, h2grpc_server_with};

/// The certificates, written to a directory that lives as long as the test.
struct Files {
    _dir: TempDir,
    pem: PemFiles,
}

fn files() -> Files {
    let dir = TempDir::new("tls");
    let pem = Pki::new().write_to(dir.path());
    Files { _dir: dir, pem }
}

fn path(path: &std::path::Path) -> &str {
    path.to_str().expect("a UTF-8 temp path")
}

/// `h2grpc serve --tls-cert --tls-key`, with `--client-ca` when `mtls`.
fn tls_server(files: &Files, mtls: bool) -> Peer {
    let pem = &files.pem;
    let mut args = vec![
        "--tls-cert",
        path(&pem.server_cert),
        "--tls-key",
        path(&pem.server_key),
    ];
    if mtls {
        args.extend(["--client-ca", path(&pem.ca)]);
    }
    h2grpc_server_with(&args)
}

/// grpcurl's SayHello with `options` in place of `-plaintext`.
fn grpcurl_say_hello(server: &Peer, options: &[&str]) -> crate::support::Output {
    Grpcurl::new("helloworld.proto")
        .data(r#"{"name": "tls"}"#)
        .tls(options)
        .call(&server.target(), "helloworld.Greeter/SayHello")
}

fn assert_grpcurl_hello(server: &mut Peer, options: &[&str]) {
    let out = grpcurl_say_hello(server, options);
    assert!(
        out.status.success(),
        "grpcurl {options:?} failed:\n{}\n--- server ---\n{}",
        out.describe(),
        server.output()
    );
    assert_eq!(
        out.stdout,
        format!("{{\n  \"message\": \"{}\"\n}}\n", greeter::hello("tls"))
    );
    server.assert_running();
}

#[test]
fn grpcurl_calls_over_tls_with_cacert() {
    let files = files();
    let mut server = tls_server(&files, false);
    assert_grpcurl_hello(&mut server, &["-cacert", path(&files.pem.ca)]);
}

#[test]
fn grpcurl_with_a_client_certificate_calls_over_mtls_and_without_one_is_refused() {
    let files = files();
    let pem = &files.pem;
    let mut server = tls_server(&files, true);
    let refused = grpcurl_say_hello(&server, &["-cacert", path(&pem.ca)]);
    assert!(
        !refused.status.success() && refused.stdout.is_empty(),
        "no client certificate, no answer:\n{}",
        refused.describe()
    );
    let with_cert = [
        "-cacert",
        path(&pem.ca),
        "-cert",
        path(&pem.client_cert),
        "-key",
        path(&pem.client_key),
    ];
    assert_grpcurl_hello(&mut server, &with_cert);
}

#[test]
fn grpcurl_trusting_another_ca_and_plaintext_are_refused_and_the_server_keeps_serving() {
    let files = files();
    let pem = &files.pem;
    let mut server = tls_server(&files, false);
    let wrong_ca = grpcurl_say_hello(&server, &["-cacert", path(&pem.other_ca)]);
    assert!(
        !wrong_ca.status.success() && wrong_ca.stderr.contains("certificate"),
        "another CA must fail verification:\n{}",
        wrong_ca.describe()
    );
    let plaintext =
        Grpcurl::new("helloworld.proto").call(&server.target(), "helloworld.Greeter/SayHello");
    assert!(
        !plaintext.status.success() && plaintext.stdout.is_empty(),
        "plaintext must not be served on the TLS port:\n{}",
        plaintext.describe()
    );
    assert_grpcurl_hello(&mut server, &["-cacert", path(&pem.ca)]);
}

#[test]
fn grpcio_calls_over_tls_and_over_mtls_and_is_refused_without_its_certificate() {
    let files = files();
    let pem = &files.pem;
    let mut server = tls_server(&files, false);
    let ca = ["--ca", path(&pem.ca)];
    let passed =
        assert_python_checks_pass_with("tls_client.py", &server.target(), &ca, || server.output());
    assert_eq!(passed, 2);
    server.assert_running();

    let mut mtls = tls_server(&files, true);
    let with_cert = [
        "--ca",
        path(&pem.ca),
        "--cert",
        path(&pem.client_cert),
        "--key",
        path(&pem.client_key),
    ];
    let passed =
        assert_python_checks_pass_with("tls_client.py", &mtls.target(), &with_cert, || {
            mtls.output()
        });
    assert_eq!(passed, 2);
    let refused = ["--ca", path(&pem.ca), "--expect-refused"];
    let passed =
        assert_python_checks_pass_with("tls_client.py", &mtls.target(), &refused, || mtls.output());
    assert_eq!(passed, 1);
    mtls.assert_running();
    // Trusting another CA: grpcio refuses the server.
    let wrong = ["--ca", path(&pem.other_ca), "--expect-refused"];
    let passed = assert_python_checks_pass_with("tls_client.py", &server.target(), &wrong, || {
        server.output()
    });
    assert_eq!(passed, 1);
    server.assert_running();
}

#[test]
fn our_greet_command_calls_over_tls_and_mtls() {
    let files = files();
    let pem = &files.pem;
    let mut server = tls_server(&files, false);
    let addr = format!("https://{}", server.target());
    let out = h2grpc_command(&["greet", "tls", "--addr", &addr, "--tls-ca", path(&pem.ca)]);
    assert!(out.status.success(), "{}", out.describe());
    assert_eq!(
        out.stdout,
        format!("Greeter client received: {}\n", greeter::hello("tls"))
    );
    server.assert_running();

    let mut mtls = tls_server(&files, true);
    let target = mtls.target();
    let with_cert = [
        "greet",
        "tls",
        "--addr",
        &target,
        "--tls-ca",
        path(&pem.ca),
        "--tls-cert",
        path(&pem.client_cert),
        "--tls-key",
        path(&pem.client_key),
    ];
    let out = h2grpc_command(&with_cert);
    assert!(
        out.status.success(),
        "{}\n{}",
        out.describe(),
        mtls.output()
    );
    assert_eq!(
        out.stdout,
        format!("Greeter client received: {}\n", greeter::hello("tls"))
    );
    // Without the certificate: refused, and said so.
    let out = h2grpc_command(&["greet", "tls", "--addr", &target, "--tls-ca", path(&pem.ca)]);
    assert!(
        !out.status.success() && out.stdout.is_empty(),
        "{}",
        out.describe()
    );
    mtls.assert_running();
}
