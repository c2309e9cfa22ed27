//! `Status::write_to` / `Status::from_header_map`: the status trailers
//! (PROTOCOL-HTTP2.md: "Trailers → Status [Status-Message] *Custom-Metadata").

use bytes::Bytes;
use h2grpc::{Code, MetadataMap, Status};
use http::{HeaderMap, HeaderValue};

fn trailers(status: &Status) -> HeaderMap {
    let mut headers = HeaderMap::new();
    status.write_to(&mut headers);
    headers
}

#[test]
fn ok_status_writes_only_grpc_status() {
    // "Status must be sent in Trailers even if the status code is OK."
    let headers = trailers(&Status::ok(""));
    assert_eq!(headers.len(), 1);
    assert_eq!(headers["grpc-status"], "0");
}

#[test]
fn message_is_percent_encoded_on_the_wire() {
    let headers = trailers(&Status::invalid_argument("bad\nname: 100% é"));
    assert_eq!(headers["grpc-status"], "3");
    assert_eq!(headers["grpc-message"], "bad%0Aname: 100%25 %C3%A9");
}

#[test]
fn details_are_unpadded_base64() {
    let status = Status::with_details(
        Code::Aborted,
        "conflict",
        Bytes::from_static(b"\x08\x0a\xff"),
    );
    let headers = trailers(&status);
    assert_eq!(headers["grpc-status-details-bin"], "CAr/");
    let status = Status::with_details(Code::Aborted, "x", Bytes::from_static(b"ab"));
    assert_eq!(trailers(&status)["grpc-status-details-bin"], "YWI"); // not "YWI="
}

#[test]
fn full_status_round_trips() {
    let mut metadata = MetadataMap::new();
    metadata.insert("retry-after", "5").unwrap();
    metadata.append_bin("trace-bin", [0u8, 1, 2, 255]).unwrap();
    let status = Status::with_details_and_metadata(
        Code::ResourceExhausted,
        "\tquota: 100%\r\n exceeded ✗ ",
        Bytes::from_static(b"\x00details\xff"),
        metadata,
    );
    let headers = trailers(&status);
    assert_eq!(headers["retry-after"], "5");
    let back = Status::from_header_map(&headers).unwrap();
    assert_eq!(back, status);
    assert_eq!(
        back.metadata().get_bin("trace-bin").unwrap(),
        &[0u8, 1, 2, 255][..]
    );
}

#[test]
fn every_code_round_trips() {
    for code in Code::ALL {
        let back = Status::from_header_map(&trailers(&Status::new(code, "m"))).unwrap();
        assert_eq!(back.code(), code);
        assert_eq!(back.message(), "m");
    }
}

#[test]
fn no_grpc_status_is_none() {
    let mut headers = HeaderMap::new();
    headers.insert("grpc-message", HeaderValue::from_static("orphan"));
    assert_eq!(Status::from_header_map(&headers), None);
}

#[test]
fn non_numeric_grpc_status_is_unknown() {
    let mut headers = HeaderMap::new();
    headers.insert("grpc-status", HeaderValue::from_static("oops"));
    assert_eq!(
        Status::from_header_map(&headers).unwrap().code(),
        Code::Unknown
    );
}

#[test]
fn padded_details_are_accepted_and_garbage_is_ignored() {
    let mut headers = HeaderMap::new();
    headers.insert("grpc-status", HeaderValue::from_static("10"));
    headers.insert("grpc-status-details-bin", HeaderValue::from_static("YWI="));
    assert_eq!(
        Status::from_header_map(&headers).unwrap().details(),
        &b"ab"[..]
    );
    headers.insert(
        "grpc-status-details-bin",
        HeaderValue::from_static("not base64!"),
    );
    let status = Status::from_header_map(&headers).unwrap();
    assert_eq!(status.code(), Code::Aborted);
    assert!(status.details().is_empty());
}

#[test]
fn reserved_headers_are_not_read_as_metadata() {
    let mut headers = HeaderMap::new();
    headers.insert("grpc-status", HeaderValue::from_static("0"));
    headers.insert("grpc-message", HeaderValue::from_static("fine"));
    headers.insert("content-type", HeaderValue::from_static("application/grpc"));
    headers.insert("grpc-status-details-bin", HeaderValue::from_static("YWI"));
    headers.insert("x-user", HeaderValue::from_static("kept"));
    let status = Status::from_header_map(&headers).unwrap();
    assert_eq!(status.metadata().len(), 1);
    assert_eq!(status.metadata().get("x-user"), Some("kept"));
}

#[test]
fn metadata_mut_adds_trailing_metadata() {
    let mut status = Status::internal("boom");
    status.metadata_mut().insert("x-debug", "id-7").unwrap();
    assert_eq!(trailers(&status)["x-debug"], "id-7");
}
