//! The ConnectRPC conformance suite (connectrpc/conformance) against
//! h2grpc, in both modes: `connectconformance --mode server` drives
//! `h2grpc conformance-server` with its reference clients (connect-go's and
//! grpc-go's), `--mode client` drives `h2grpc conformance-client` against
//! its reference servers. tests/conformance/config.yaml declares what we
//! support; every case it selects must pass (a case that could not would
//! be listed, with its reason, in a known-failing file given to
//! [`run_suite`]; none is).
//!
//! The runner is built by tests/run-all.sh (`go install
//! connectrpc.com/conformance/cmd/connectconformance@v1.0.7` into
//! .cache/go-peers/) and named by H2GRPC_CONNECTCONFORMANCE. Without Go
//! the tests say so and pass; with Go but without the variable they fail.
#![cfg(feature = "cli")]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use support::peers::go_peer;

/// The runner's path, set by tests/run-all.sh.
const RUNNER: &str = "H2GRPC_CONNECTCONFORMANCE";

/// Fewest cases a mode must run: the config selects 462 (server) and 514
/// (client) with v1.0.7; far fewer means the config or the runner changed.
const MIN_CASES: usize = 400;

/// The runner, or `None` (with the reason printed) on a machine without Go.
fn runner() -> Option<PathBuf> {
    go_peer(RUNNER, "the connectconformance runner")
}

/// A file under tests/conformance/.
fn conformance_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance")
        .join(name)
}

/// The runner's summary: total, passed, failed.
fn summary(output: &str) -> Option<(usize, usize, usize)> {
    let mut lines = output.lines();
    while let Some(line) = lines.next() {
        let Some(total) = line.strip_prefix("Total cases: ") else {
            continue;
        };
        let counts = lines.next()?;
        let (passed, failed) = counts.split_once(" passed, ")?;
        let failed = failed.strip_suffix(" failed")?;
        return Some((
            total.trim().parse().ok()?,
            passed.trim().parse().ok()?,
            failed.trim().parse().ok()?,
        ));
    }
    None
}

/// Runs the suite in `mode` against `h2grpc SUBCOMMAND`, with the mode's
/// known failures when it has some; asserts every other case passed.
fn run_suite(mode: &str, subcommand: &str, known_failing: Option<&str>) {
    let Some(runner) = runner() else { return };
    let mut command = Command::new(runner);
    command
        .args(["--mode", mode, "--conf"])
        .arg(conformance_file("config.yaml"));
    if let Some(file) = known_failing {
        let mut pattern = std::ffi::OsString::from("@");
        pattern.push(conformance_file(file));
        command.arg("--known-failing").arg(pattern);
    }
    command
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_h2grpc"))
        .arg(subcommand);
    let started = Instant::now();
    let output = command.output().expect("connectconformance runs");
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let all = format!("{stdout}\n{stderr}");
    println!("{all}");
    println!(
        "connectconformance --mode {mode}: {:.1} s",
        elapsed.as_secs_f64()
    );
    let (total, passed, failed) =
        summary(&all).unwrap_or_else(|| panic!("no summary in the runner's output:\n{all}"));
    assert!(
        output.status.success(),
        "connectconformance --mode {mode} failed ({failed} of {total} cases)"
    );
    assert_eq!(failed, 0, "{failed} of {total} cases failed");
    assert!(
        total >= MIN_CASES && passed + known_count(known_failing) >= total,
        "only {passed} of {total} cases passed (expected at least {MIN_CASES} cases)"
    );
}

/// How many patterns a known-failing file lists.
fn known_count(file: Option<&str>) -> usize {
    file.map_or(0, |file| {
        std::fs::read_to_string(conformance_file(file))
            .expect("known-failing file reads")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .count()
    })
}

#[test]
fn server_mode_passes_every_declared_case() {
    run_suite("server", "conformance-server", None);
}

#[test]
fn client_mode_passes_every_declared_case() {
    run_suite("client", "conformance-client", None);
}

#[test]
fn the_summary_is_read_from_the_runners_output() {
    let output = "FAILED: x\n\nTotal cases: 462\n461 passed, 1 failed\n";
    assert_eq!(summary(output), Some((462, 461, 1)));
    assert_eq!(summary("no summary"), None);
}
