//! routeguide.RouteGuide against real peers:
//! - grpcio (tests/interop/python/route_guide_client.py) checks every method
//!   of `h2grpc serve` exactly: features, counts, distance to the metre, and
//!   RouteChat replies arriving before the next note is sent; the same script
//!   passes against the grpcio reference server, which proves its checks;
//! - grpcurl invokes every method from proto/route_guide.proto;
//! - `h2grpc route-guide` prints the tutorial client's output, the same
//!   against the grpcio reference server as against `h2grpc serve`.
//!
//! Needs `.venv/` (`bash tests/run-all.sh` creates it); fails, never skips,
//! without it.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use crate::support::peers::{assert_python_checks_pass_on, python_tutorial_server, Grpcurl};
use crate::support::{h2grpc_command, h2grpc_server, Output, Peer};

#[test]
fn grpcio_checks_every_route_guide_method_on_h2grpc() {
    assert_python_checks_pass_on("route_guide_client.py", &mut h2grpc_server());
}

#[test]
fn grpcio_checks_hold_against_the_grpcio_reference_server() {
    assert_python_checks_pass_on("route_guide_client.py", &mut python_tutorial_server(&[]));
}

/// `grpcurl ... -proto route_guide.proto -d @ TARGET routeguide.RouteGuide/METHOD`,
/// `stdin` as the data; it must succeed.
fn grpcurl_call(target: &str, method: &str, stdin: &str) -> Output {
    let out = Grpcurl::new("route_guide.proto")
        .stdin(stdin)
        .call(target, &format!("routeguide.RouteGuide/{method}"));
    assert!(out.status.success(), "{method}: {}", out.describe());
    out
}

#[test]
fn grpcurl_invokes_every_route_guide_method() {
    let server = h2grpc_server();
    let target = server.target();

    let known = grpcurl_call(
        &target,
        "GetFeature",
        r#"{"latitude": 409146138, "longitude": -746188906}"#,
    );
    assert_eq!(
        known.stdout,
        "{\n  \"name\": \"Berkshire Valley Management Area Trail, Jefferson, NJ, USA\",\n  \
         \"location\": {\n    \"latitude\": 409146138,\n    \"longitude\": -746188906\n  }\n}\n"
    );
    let unknown = grpcurl_call(&target, "GetFeature", r#"{"latitude": 5, "longitude": 6}"#);
    assert_eq!(
        unknown.stdout,
        "{\n  \"location\": {\n    \"latitude\": 5,\n    \"longitude\": 6\n  }\n}\n"
    );

    // A rectangle around the first two features of the database, corners
    // swapped: both are on its edges.
    let listed = grpcurl_call(
        &target,
        "ListFeatures",
        r#"{"lo": {"latitude": 408122808, "longitude": -743999179},
            "hi": {"latitude": 407838351, "longitude": -746143763}}"#,
    );
    assert!(
        listed
            .stdout
            .contains("Patriots Path, Mendham, NJ 07945, USA"),
        "{}",
        listed.stdout
    );
    assert!(
        listed
            .stdout
            .contains("101 New Jersey 10, Whippany, NJ 07981, USA"),
        "{}",
        listed.stdout
    );

    let summary = grpcurl_call(
        &target,
        "RecordRoute",
        r#"{"latitude": 409146138, "longitude": -746188906}
           {"latitude": 0, "longitude": 10000000}
           {"latitude": 407838351, "longitude": -746143763}"#,
    );
    assert!(
        summary.stdout.contains("\"pointCount\": 3"),
        "{}",
        summary.stdout
    );
    assert!(
        summary.stdout.contains("\"featureCount\": 2"),
        "{}",
        summary.stdout
    );
    assert!(
        summary.stdout.contains("\"distance\": "),
        "{}",
        summary.stdout
    );

    let chat = grpcurl_call(
        &target,
        "RouteChat",
        r#"{"location": {"latitude": 7, "longitude": 8}, "message": "one"}
           {"location": {"latitude": 7, "longitude": 8}, "message": "two"}"#,
    );
    assert_eq!(
        chat.stdout,
        "{\n  \"location\": {\n    \"latitude\": 7,\n    \"longitude\": 8\n  },\n  \"message\": \"one\"\n}\n"
    );
}

/// `h2grpc route-guide --seed 42` on `server`.
fn route_guide_output(server: &Peer) -> String {
    let target = server.target();
    let out = h2grpc_command(&["route-guide", "--seed", "42", "--addr", &target]);
    assert!(out.status.success(), "{}", out.describe());
    out.stdout
}

/// Splits the output at the `---- NAME ----` banners.
fn sections(output: &str) -> Vec<(String, Vec<String>)> {
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in output.lines() {
        if line.starts_with("--------------") {
            sections.push((line.to_string(), Vec::new()));
        } else if let Some((_, lines)) = sections.last_mut() {
            lines.push(line.to_string());
        }
    }
    sections
}

#[test]
fn route_guide_subcommand_prints_the_tutorial_output_against_either_server() {
    let reference = route_guide_output(&python_tutorial_server(&[]));
    let ours = route_guide_output(&h2grpc_server());
    let reference = sections(&reference);
    let ours = sections(&ours);
    let names: Vec<&str> = ours.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "-------------- GetFeature --------------",
            "-------------- ListFeatures --------------",
            "-------------- RecordRoute --------------",
            "-------------- RouteChat --------------",
        ]
    );
    // Everything but RouteChat is deterministic with a seed: the same
    // lines against either server.
    assert_eq!(ours[..3], reference[..3]);
    assert_eq!(
        ours[0].1,
        [
            "Feature called Berkshire Valley Management Area Trail, Jefferson, NJ, USA at latitude: 409146138",
            "longitude: -746188906",
            "",
            "Found no feature at ",
        ]
    );
    let listed = ours[1]
        .1
        .iter()
        .filter(|l| l.starts_with("Feature called "))
        .count();
    assert_eq!(listed, 100);
    let trip = &ours[2].1;
    assert!(
        trip.contains(&"Finished trip with 10 points ".to_string()),
        "{trip:?}"
    );
    assert!(
        trip.contains(&"Passed 10 features ".to_string()),
        "{trip:?}"
    );
    assert!(
        trip.iter()
            .any(|l| l.starts_with("Travelled ") && l.ends_with(" meters ")),
        "{trip:?}"
    );

    // RouteChat: the sends and the replies each in order; how they
    // interleave depends on timing.
    for (_, chat) in [&ours[3], &reference[3]] {
        let sent: Vec<&String> = chat.iter().filter(|l| l.starts_with("Sending ")).collect();
        let received: Vec<&String> = chat.iter().filter(|l| l.starts_with("Received ")).collect();
        assert_eq!(
            sent,
            [
                "Sending First message at ",
                "Sending Second message at longitude: 1",
                "Sending Third message at latitude: 1",
                "Sending Fourth message at ",
                "Sending Fifth message at latitude: 1",
            ]
        );
        assert_eq!(
            received,
            [
                "Received message First message at ",
                "Received message Third message at latitude: 1",
            ]
        );
    }
}
