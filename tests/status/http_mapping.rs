//! http-grpc-status-mapping.md: the status a client synthesizes for a
//! response without `grpc-status`, one row per line of the spec's table.

use h2grpc::{Code, Status};
use http::StatusCode;

/// The spec's table, plus a sample of "All other codes | UNKNOWN".
const TABLE: &[(u16, Code)] = &[
    (400, Code::Internal),
    (401, Code::Unauthenticated),
    (403, Code::PermissionDenied),
    (404, Code::Unimplemented),
    (429, Code::Unavailable),
    // Not a row of the spec's table (grpc-java maps it to INTERNAL on its
    // own; grpc-go and connect-go follow the table): UNKNOWN.
    (431, Code::Unknown),
    (502, Code::Unavailable),
    (503, Code::Unavailable),
    (504, Code::Unavailable),
    // "200 is UNKNOWN because there should be a grpc-status in case of truly
    // OK response."
    (200, Code::Unknown),
    (204, Code::Unknown),
    (301, Code::Unknown),
    (402, Code::Unknown),
    (405, Code::Unknown),
    (415, Code::Unknown),
    (500, Code::Unknown),
    (501, Code::Unknown),
    (505, Code::Unknown),
    (599, Code::Unknown),
];

#[test]
fn http_status_maps_by_the_spec_table() {
    for &(http, code) in TABLE {
        let status = Status::from_http_status(StatusCode::from_u16(http).unwrap());
        assert_eq!(status.code(), code, "HTTP {http}");
        // The message names the HTTP status, so the user can tell a proxy's
        // 503 from a server's UNAVAILABLE.
        assert!(
            status.message().contains(&http.to_string()),
            "{}",
            status.message()
        );
    }
}

#[test]
fn every_other_http_status_is_unknown() {
    let listed = [400, 401, 403, 404, 429, 502, 503, 504];
    for http in 100..=599u16 {
        if listed.contains(&http) {
            continue;
        }
        let status = Status::from_http_status(StatusCode::from_u16(http).unwrap());
        assert_eq!(status.code(), Code::Unknown, "HTTP {http}");
    }
}
