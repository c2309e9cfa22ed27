//! TLS and mTLS between our client and our server, over loopback, with
//! certificates made at test time: calls over TLS 1.2 and 1.3 with ALPN
//! `h2`, the client's verified certificate in the call context, and every
//! way a handshake is refused (no client certificate under mTLS, a server
//! certificate from another CA, plaintext to the TLS port, a handshake
//! that never comes) costing that one connection while the server keeps
//! serving.
#![cfg(feature = "tls")]

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use h2grpc::rpc::{Request, Response, Service};
use h2grpc::transport::{Channel, ClientTlsConfig, ConnectError, ServerTlsConfig, TransportConfig};
use h2grpc::{Code, Status};
use support::certs::{Pki, CLIENT_URI};
use support::greeter::{self, GreeterClient, HelloReply, HelloRequest};
use support::{within_limit, TestServer};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio_rustls::rustls;

fn hello(name: &str) -> HelloRequest {
    HelloRequest { name: name.into() }
}

/// The server's TLS: its certificate, and with `mtls` the CA client
/// certificates must chain to.
fn server_tls(pki: &Pki, mtls: bool) -> ServerTlsConfig {
    let tls = ServerTlsConfig::from_pem(
        pki.server.cert_pem.as_bytes(),
        pki.server.key_pem.as_bytes(),
    )
    .expect("server TLS config");
    if mtls {
        tls.client_ca_pem(pki.ca.cert_pem.as_bytes())
            .expect("client CA")
    } else {
        tls
    }
}

/// A client trusting the test CA, presenting the client certificate when
/// `identity`.
fn client_tls(pki: &Pki, identity: bool) -> ClientTlsConfig {
    let tls = ClientTlsConfig::new()
        .ca_pem(pki.ca.cert_pem.as_bytes())
        .expect("CA");
    if identity {
        tls.identity_pem(
            pki.client.cert_pem.as_bytes(),
            pki.client.key_pem.as_bytes(),
        )
        .expect("client identity")
    } else {
        tls
    }
}

/// `test.Tls/Who`: answers with the DER of every certificate the client
/// presented, in hex, joined by `,` (empty without one), then ` names=`
/// and its subject alternative names joined by `,`.
fn who_service() -> Service {
    Service::new("test.Tls").unary("Who", |request: Request<HelloRequest>| async move {
        let chain: Vec<String> = request
            .context()
            .peer_certificates()
            .iter()
            .map(|der| hex(der))
            .collect();
        let names = request.context().peer_alt_names().join(",");
        Ok(Response::new(HelloReply {
            message: format!("{} names={names}", chain.join(",")),
        }))
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

async fn who(channel: Channel) -> Result<String, Status> {
    let client = h2grpc::Client::new(channel);
    let reply: Response<HelloReply> = client
        .unary("/test.Tls/Who", Request::new(hello("me")))
        .await?;
    Ok(reply.into_inner().message)
}

async fn start(tls: ServerTlsConfig) -> TestServer {
    TestServer::start(greeter::server().add_service(who_service()).tls(tls)).await
}

fn https(server: &TestServer) -> String {
    format!("https://{}", server.addr)
}

async fn connect(server: &TestServer, tls: ClientTlsConfig) -> Result<Channel, ConnectError> {
    Channel::connect_tls(&https(server), tls, TransportConfig::default()).await
}

/// A Greeter call on a fresh TLS channel that must succeed: the server is
/// still serving.
async fn assert_still_serving(server: &TestServer, tls: ClientTlsConfig) {
    let channel = connect(server, tls).await.expect("a good client connects");
    let reply = GreeterClient::new(channel)
        .say_hello(Request::new(hello("again")))
        .await
        .expect("a good client's call succeeds");
    assert_eq!(reply.into_inner().message, "Hello, again!");
}

#[tokio::test]
async fn unary_and_server_streaming_calls_work_over_tls() {
    within_limit(async {
        let pki = Pki::new();
        let server = start(server_tls(&pki, false)).await;
        let channel = connect(&server, client_tls(&pki, false))
            .await
            .expect("connect");
        let client = GreeterClient::new(channel);
        let reply = client.say_hello(Request::new(hello("tls"))).await.unwrap();
        assert_eq!(reply.into_inner().message, "Hello, tls!");
        let mut replies = client
            .say_hello_stream_reply(Request::new(hello("stream")))
            .await
            .unwrap()
            .into_inner();
        let mut received = Vec::new();
        while let Some(reply) = replies.message().await.unwrap() {
            received.push(reply.message);
        }
        assert_eq!(
            received,
            vec!["Hello, stream!".to_owned(); greeter::STREAM_REPLIES]
        );
    })
    .await
}

#[tokio::test]
async fn the_server_name_can_be_overridden_and_is_checked() {
    within_limit(async {
        let pki = Pki::new();
        let server = start(server_tls(&pki, false)).await;
        // The certificate names localhost: the override is what is checked.
        let channel = connect(&server, client_tls(&pki, false).server_name("localhost"))
            .await
            .expect("localhost is in the certificate");
        assert_eq!(
            who(channel).await.unwrap(),
            " names=",
            "no client certificate, none seen"
        );
        let refused = connect(
            &server,
            client_tls(&pki, false).server_name("elsewhere.test"),
        )
        .await;
        assert!(
            matches!(refused, Err(ConnectError::Tls { .. })),
            "a name the certificate lacks is refused: {refused:?}"
        );
    })
    .await
}

/// TLS 1.2 and TLS 1.3, each alone, negotiate ALPN h2 and carry calls.
#[tokio::test]
async fn tls_1_2_and_1_3_both_negotiate_h2() {
    within_limit(async {
        let pki = Pki::new();
        let server = start(server_tls(&pki, false)).await;
        let mut roots = rustls::RootCertStore::empty();
        roots.add(pki.ca.der.clone().into()).unwrap();
        let roots = Arc::new(roots);
        for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
            let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_protocol_versions(&[version])
            .unwrap()
            .with_root_certificates(roots.clone())
            .with_no_client_auth();
            config.alpn_protocols = vec![b"h2".to_vec()];
            let tcp = TcpStream::connect(server.addr).await.unwrap();
            let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
            let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
                .connect(name, tcp)
                .await
                .unwrap_or_else(|err| panic!("{:?} handshake: {err}", version.version));
            let session = tls.get_ref().1;
            assert_eq!(session.protocol_version(), Some(version.version));
            assert_eq!(session.alpn_protocol(), Some(&b"h2"[..]));
            let channel = Channel::from_io(
                tls,
                "localhost".parse().unwrap(),
                TransportConfig::default(),
            )
            .await
            .unwrap();
            let reply = GreeterClient::new(channel)
                .say_hello(Request::new(hello("v")))
                .await
                .unwrap();
            assert_eq!(reply.into_inner().message, "Hello, v!");
        }
    })
    .await
}

#[tokio::test]
async fn under_mtls_the_handler_sees_the_client_certificate() {
    within_limit(async {
        let pki = Pki::new();
        // An interceptor sees the certificates too: it refuses calls without.
        let server = TestServer::start(
            greeter::server()
                .add_service(who_service())
                .intercept(|request: &mut Request<()>| {
                    if request.context().peer_certificates().is_empty() {
                        return Err(Status::new(Code::Unauthenticated, "no client certificate"));
                    }
                    Ok(())
                })
                .tls(server_tls(&pki, true)),
        )
        .await;
        let channel = connect(&server, client_tls(&pki, true))
            .await
            .expect("connect");
        assert_eq!(
            who(channel).await.unwrap(),
            format!("{} names=client.test,{CLIENT_URI}", hex(&pki.client.der))
        );
    })
    .await
}

/// Under TLS 1.3 the client finishes its handshake before the server has
/// checked its certificate, so the refusal shows at connect or at the first
/// call, as UNAVAILABLE; either way no call gets through.
#[tokio::test]
async fn under_mtls_a_client_without_a_certificate_is_refused() {
    within_limit(async {
        let pki = Pki::new();
        let server = start(server_tls(&pki, true)).await;
        match connect(&server, client_tls(&pki, false)).await {
            Err(err) => assert!(
                matches!(
                    err,
                    ConnectError::Tls { .. } | ConnectError::Handshake { .. }
                ),
                "{err:?}"
            ),
            Ok(channel) => {
                let status = who(channel)
                    .await
                    .expect_err("no call without a certificate");
                assert_eq!(status.code(), Code::Unavailable, "{status:?}");
            }
        }
        assert_still_serving(&server, client_tls(&pki, true)).await;
    })
    .await
}

#[tokio::test]
async fn a_server_certificate_from_another_ca_is_refused() {
    within_limit(async {
        let pki = Pki::new();
        let server = start(server_tls(&pki, false)).await;
        let wrong = ClientTlsConfig::new()
            .ca_pem(pki.other_ca.cert_pem.as_bytes())
            .unwrap();
        let refused = connect(&server, wrong).await;
        let Err(ConnectError::Tls { source, .. }) = refused else {
            panic!("the wrong CA must fail the TLS handshake: {refused:?}");
        };
        assert!(source.to_string().contains("UnknownIssuer"), "{source}");
        // `https://` alone trusts the system's roots, which lack the test CA.
        let system = Channel::connect(&https(&server)).await;
        assert!(
            matches!(system, Err(ConnectError::Tls { .. })),
            "the system's roots do not know the test CA: {system:?}"
        );
        assert_still_serving(&server, client_tls(&pki, false)).await;
    })
    .await
}

#[tokio::test]
async fn a_plaintext_client_on_the_tls_port_is_refused() {
    within_limit(async {
        let pki = Pki::new();
        let server = start(server_tls(&pki, false)).await;
        // h2c's connect only writes the preface; the refusal shows at the call.
        let outcome = match Channel::connect(&format!("http://{}", server.addr)).await {
            Err(err) => Err(err.to_string()),
            Ok(channel) => GreeterClient::new(channel)
                .say_hello(Request::new(hello("plain")))
                .await
                .map(|reply| reply.into_inner().message)
                .map_err(|status| status.to_string()),
        };
        assert!(
            outcome.is_err(),
            "plaintext must not be served: {outcome:?}"
        );
        assert_still_serving(&server, client_tls(&pki, false)).await;
    })
    .await
}

#[tokio::test]
async fn a_stalled_handshake_blocks_no_one_and_is_dropped_after_the_timeout() {
    within_limit(async {
        let pki = Pki::new();
        let timeout = Duration::from_secs(2);
        let server = start(server_tls(&pki, false).handshake_timeout(timeout)).await;
        // A client that connects and says nothing.
        let started = Instant::now();
        let mut silent = TcpStream::connect(server.addr).await.unwrap();
        // Other clients connect and call while its handshake is pending.
        assert_still_serving(&server, client_tls(&pki, false)).await;
        assert_still_serving(&server, client_tls(&pki, false)).await;
        let mut buf = [0u8; 16];
        assert!(
            matches!(silent.try_read(&mut buf), Err(err) if err.kind() == std::io::ErrorKind::WouldBlock),
            "the silent connection is still open, waiting, while the others were served"
        );
        // Then it is closed: end of stream, once the timeout has passed.
        let read = tokio::time::timeout(Duration::from_secs(10), silent.read(&mut buf))
            .await
            .expect("the stalled connection is closed within 10 s");
        let elapsed = started.elapsed();
        assert!(matches!(read, Ok(0) | Err(_)), "closed, not answered: {read:?}");
        assert!(
            elapsed >= timeout - Duration::from_millis(50),
            "closed after the timeout, not before: {elapsed:?}"
        );
        assert_still_serving(&server, client_tls(&pki, false)).await;
    })
    .await
}

#[test]
fn bad_pem_is_a_typed_error() {
    let pki = Pki::new();
    let err = ServerTlsConfig::from_pem(b"not pem", pki.server.key_pem.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the certificate chain PEM holds no certificate"
    );
    // A key that is not the certificate's.
    let err = ServerTlsConfig::from_pem(
        pki.server.cert_pem.as_bytes(),
        pki.client.key_pem.as_bytes(),
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with("invalid TLS configuration"),
        "{err}"
    );
    let err = ClientTlsConfig::new().ca_pem(b"").unwrap_err();
    assert_eq!(err.to_string(), "the CA PEM holds no certificate");
}
