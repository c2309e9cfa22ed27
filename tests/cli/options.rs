//! The `h2grpc` command's own surface: `--help` for every subcommand, and
//! start-up errors of `serve` (a bad `--db`, a bad `--task-every`) as one
//! clear line and a non-zero exit, never a panic.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use std::process::Command;

use crate::support::peers::{run, Grpcurl, TempDir};
use crate::support::{h2grpc_command, h2grpc_server_with};

const SUBCOMMANDS: [&str; 7] = [
    "serve",
    "health",
    "greet",
    "multi-greet",
    "route-guide",
    "digest",
    "contact",
];

#[test]
fn every_subcommand_has_help_naming_its_address_option() {
    let top = h2grpc_command(&["--help"]);
    assert!(top.status.success(), "{}", top.describe());
    for subcommand in SUBCOMMANDS {
        assert!(
            top.stdout.contains(subcommand),
            "`h2grpc --help` does not list {subcommand}:\n{}",
            top.stdout
        );
        let help = h2grpc_command(&[subcommand, "--help"]);
        assert!(help.status.success(), "{subcommand}: {}", help.describe());
        assert!(
            help.stdout.contains("Usage: h2grpc ") && help.stdout.contains("--addr"),
            "{subcommand} --help:\n{}",
            help.stdout
        );
    }
}

/// Runs `h2grpc serve --addr 127.0.0.1:0 ARGS...`, which must fail at start.
fn serve_fails(args: &[&str]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_h2grpc"));
    cmd.args(["serve", "--addr", "127.0.0.1:0"]).args(args);
    let out = run(cmd, None);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}", out.describe());
    let line = out.stderr.trim_end().to_string();
    assert_eq!(line.lines().count(), 1, "{args:?}: {}", out.describe());
    assert!(line.starts_with("h2grpc: "), "{args:?}: {}", out.describe());
    assert!(!out.stdout.contains("listening on"), "{}", out.describe());
    line
}

#[test]
fn a_missing_feature_database_is_a_clear_start_up_error() {
    let line = serve_fails(&["--db", "/nonexistent/route_guide_db.json"]);
    assert!(
        line.contains("/nonexistent/route_guide_db.json"),
        "the error does not name the file: {line}"
    );
}

#[test]
fn a_malformed_feature_database_is_a_clear_start_up_error() {
    let dir = TempDir::new("bad-db");
    let path = dir.path().join("db.json");
    std::fs::write(&path, "[{\"location\": {\"latitude\": 1,").unwrap();
    let path = path.to_str().unwrap();
    let line = serve_fails(&["--db", path]);
    assert!(
        line.contains(path),
        "the error does not name the file: {line}"
    );

    std::fs::write(dir.path().join("not-a-list.json"), "{\"features\": 3}").unwrap();
    let other = dir.path().join("not-a-list.json");
    let line = serve_fails(&["--db", other.to_str().unwrap()]);
    assert!(line.contains("not-a-list.json"), "{line}");
}

#[test]
fn a_task_interval_that_is_not_a_positive_number_is_refused() {
    for bad in ["0", "-1", "NaN", "inf"] {
        let line = serve_fails(&[&format!("--task-every={bad}")]);
        assert!(line.contains("--task-every"), "{bad}: {line}");
    }
}

#[test]
fn a_feature_database_from_db_is_served() {
    let dir = TempDir::new("db");
    let path = dir.path().join("db.json");
    std::fs::write(
        &path,
        r#"[{"location": {"latitude": 1, "longitude": 2}, "name": "Only Place"}]"#,
    )
    .unwrap();
    let server = h2grpc_server_with(&["--db", path.to_str().unwrap()]);
    let out = Grpcurl::new("route_guide.proto")
        .data(r#"{"latitude": 1, "longitude": 2}"#)
        .call(&server.target(), "routeguide.RouteGuide/GetFeature");
    assert!(out.status.success(), "{}", out.describe());
    assert!(
        out.stdout.contains("\"name\": \"Only Place\""),
        "{}",
        out.describe()
    );
}
