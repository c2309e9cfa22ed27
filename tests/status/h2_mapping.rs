//! PROTOCOL-HTTP2.md, "Errors": the status for an HTTP/2 error code in
//! RST_STREAM or GOAWAY, one row per line of the spec's table; then the same
//! mapping seen through real h2 errors (reset, GOAWAY, lost connection) that
//! a scripted server causes.

use crate::support::{within_limit, RawClient, RawRequest, Script, ScriptedServer, Step};
use h2::Reason;
use h2grpc::{Code, Status};

/// The spec's table. STREAM_CLOSED has "No mapping as there is no open stream
/// to propagate to": INTERNAL if a call ever sees it. HTTP_1_1_REQUIRED is
/// not in the table (INTERNAL); an undefined code is UNKNOWN.
const TABLE: &[(Reason, Code)] = &[
    (Reason::NO_ERROR, Code::Internal),
    (Reason::PROTOCOL_ERROR, Code::Internal),
    (Reason::INTERNAL_ERROR, Code::Internal),
    (Reason::FLOW_CONTROL_ERROR, Code::Internal),
    (Reason::SETTINGS_TIMEOUT, Code::Internal),
    (Reason::STREAM_CLOSED, Code::Internal),
    (Reason::FRAME_SIZE_ERROR, Code::Internal),
    (Reason::REFUSED_STREAM, Code::Unavailable),
    (Reason::CANCEL, Code::Cancelled),
    (Reason::COMPRESSION_ERROR, Code::Internal),
    (Reason::CONNECT_ERROR, Code::Internal),
    (Reason::ENHANCE_YOUR_CALM, Code::ResourceExhausted),
    (Reason::INADEQUATE_SECURITY, Code::PermissionDenied),
    (Reason::HTTP_1_1_REQUIRED, Code::Internal),
];

#[test]
fn h2_reason_maps_by_the_spec_table() {
    for &(reason, code) in TABLE {
        let status = Status::from_h2_reason(reason);
        assert_eq!(status.code(), code, "{reason:?}");
        // Informative: the message names the HTTP/2 code.
        assert!(
            status.message().contains(&format!("{reason:?}")),
            "{}",
            status.message()
        );
        // The same through an `h2::Error` made from the bare reason (what
        // `poll_reset` gives).
        let status = Status::from_h2_error(&h2::Error::from(reason));
        assert_eq!(status.code(), code, "{reason:?}");
        assert!(!status.message().contains("transport error"));
    }
}

#[test]
fn undefined_h2_error_code_is_unknown() {
    let status = Status::from_h2_reason(Reason::from(0x99));
    assert_eq!(status.code(), Code::Unknown);
    assert!(status.message().contains("153"), "{}", status.message());
}

#[test]
fn enhance_your_calm_says_the_resource_is_bandwidth() {
    // "ENHANCE_YOUR_CALM | RESOURCE_EXHAUSTED ...with additional error detail
    // provided by runtime to indicate that the exhausted resource is
    // bandwidth."
    assert!(Status::from_h2_reason(Reason::ENHANCE_YOUR_CALM)
        .message()
        .contains("bandwidth"));
    // "INADEQUATE_SECURITY | PERMISSION_DENIED … with additional detail
    // indicating that permission was denied as protocol is not secure enough"
    assert!(Status::from_h2_reason(Reason::INADEQUATE_SECURITY)
        .message()
        .contains("not secure enough"));
}

/// Sends one request to a server answering by `script`; returns the error
/// the raw client sees.
async fn client_error(script: Script) -> h2::Error {
    within_limit(async {
        let server = ScriptedServer::start(script).await;
        let mut client = RawClient::connect(server.addr()).await;
        let request = RawRequest::grpc("/pkg.Svc/Method", vec![]).open();
        match client.try_call(&request).await {
            Ok(answer) => panic!("an answer, not an error: {answer:?}"),
            Err(err) => err,
        }
    })
    .await
}

#[tokio::test]
async fn rst_stream_from_the_peer_maps_by_the_table() {
    for (reason, code) in [
        (Reason::REFUSED_STREAM, Code::Unavailable),
        (Reason::CANCEL, Code::Cancelled),
        (Reason::ENHANCE_YOUR_CALM, Code::ResourceExhausted),
        (Reason::PROTOCOL_ERROR, Code::Internal),
    ] {
        let status = Status::from_h2_error(&client_error(Script::new([Step::Reset(reason)])).await);
        assert_eq!(status.code(), code, "{reason:?}");
        assert!(
            status.message().contains("stream reset by the peer"),
            "{}",
            status.message()
        );
    }
}

#[tokio::test]
async fn goaway_no_error_on_an_unprocessed_stream_is_unavailable() {
    // PROTOCOL-HTTP2.md: "Clients should consider any stream initiated after
    // the last successfully accepted stream as UNAVAILABLE and retry the call
    // elsewhere."
    let status =
        Status::from_h2_error(&client_error(Script::go_away_first(Reason::NO_ERROR)).await);
    assert_eq!(status.code(), Code::Unavailable);
    assert!(status.message().contains("GOAWAY"), "{}", status.message());
}

#[tokio::test]
async fn lost_connection_is_unavailable() {
    // PROTOCOL-HTTP2.md: "If a detectable connection failure occurs on the
    // client all calls will be closed with an UNAVAILABLE status."
    let status = Status::from_h2_error(&client_error(Script::new([Step::DropConnection])).await);
    assert_eq!(status.code(), Code::Unavailable);
    assert!(
        status.message().contains("connection lost"),
        "{}",
        status.message()
    );
}

#[test]
fn io_error_is_unavailable() {
    let err = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
    let status = Status::from_io_error(&err);
    assert_eq!(status.code(), Code::Unavailable);
    assert!(status.message().contains("reset by peer"));
}
