//! `h2grpc health [SERVICE] [--watch]`: prints the status name and exits as
//! grpc-health-probe does (0 SERVING, 1 invalid arguments, 2 connection
//! failure, 3 RPC failure, 4 not SERVING).
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use h2grpc::services::health::HealthReporter;

use crate::support::peers::unreachable_addr;
use crate::support::{h2grpc_command, h2grpc_server, within_limit, Output};
use crate::{serve, GREETER};

/// `h2grpc health ARGS... --addr ADDR`, run to its end off the runtime.
async fn health(addr: String, args: &[&str]) -> Output {
    let mut all: Vec<String> = vec!["health".into()];
    all.extend(args.iter().map(|arg| arg.to_string()));
    all.extend(["--addr".into(), addr]);
    tokio::task::spawn_blocking(move || {
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        h2grpc_command(&all)
    })
    .await
    .expect("the command's thread")
}

fn assert_exit(out: &Output, code: i32, stdout: &str) {
    assert_eq!(out.status.code(), Some(code), "{}", out.describe());
    assert_eq!(out.stdout, stdout, "{}", out.describe());
}

#[test]
fn check_against_h2grpc_serve_prints_serving_and_exits_0() {
    let server = h2grpc_server();
    for service in [
        "",
        "helloworld.Greeter",
        "routeguide.RouteGuide",
        "grpc.health.v1.Health",
    ] {
        let out = h2grpc_command(&["health", service, "--addr", &server.target()]);
        assert_exit(&out, 0, "SERVING\n");
    }
    // SERVICE defaults to "", the whole server.
    let out = h2grpc_command(&["health", "--addr", &server.target()]);
    assert_exit(&out, 0, "SERVING\n");
}

#[test]
fn an_unknown_service_is_an_rpc_failure_exit_3() {
    let server = h2grpc_server();
    let out = h2grpc_command(&["health", "no.such.Service", "--addr", &server.target()]);
    assert_exit(&out, 3, "");
    assert!(out.stderr.contains("NOT_FOUND"), "{}", out.describe());
}

#[test]
fn no_server_is_a_connection_failure_exit_2() {
    let out = h2grpc_command(&["health", "--addr", &unreachable_addr()]);
    assert_exit(&out, 2, "");
    assert!(out.stderr.starts_with("h2grpc: "), "{}", out.describe());
}

#[test]
fn invalid_arguments_exit_1() {
    let out = h2grpc_command(&["health", "--no-such-option"]);
    assert_exit(&out, 1, "");
    assert!(
        out.stderr.contains("--no-such-option"),
        "{}",
        out.describe()
    );
    // --help is not an error.
    let help = h2grpc_command(&["health", "--help"]);
    assert_eq!(help.status.code(), Some(0), "{}", help.describe());
    assert!(help.stdout.contains("--watch"), "{}", help.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn not_serving_prints_its_name_and_exits_4() {
    within_limit(async {
        let reporter = HealthReporter::new();
        reporter.set_not_serving(GREETER);
        let server = serve(&reporter).await;
        let out = health(server.addr.to_string(), &[GREETER]).await;
        assert_exit(&out, 4, "NOT_SERVING\n");
    })
    .await;
}

/// A running `h2grpc health --watch`, read line by line; killed on drop.
struct Watcher {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Watcher {
    fn start(addr: String, service: &str) -> Watcher {
        let mut child = Command::new(env!("CARGO_BIN_EXE_h2grpc"))
            .args(["health", service, "--watch", "--addr", &addr])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start h2grpc health --watch");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Watcher { child, lines }
    }

    /// The next line it prints (the test's time limit bounds the wait).
    async fn line(&self) -> Option<String> {
        let lines = &self.lines;
        tokio::task::block_in_place(|| lines.recv_timeout(crate::support::TEST_TIMEOUT).ok())
    }

    /// Waits for it to exit: its exit code and what it wrote on stderr.
    async fn end(mut self) -> (Option<i32>, String) {
        let status = tokio::task::block_in_place(|| self.child.wait()).expect("wait");
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        (status.code(), stderr)
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_prints_each_status_and_exits_3_when_the_server_shuts_down() {
    within_limit(async {
        let reporter = HealthReporter::new();
        let server = serve(&reporter).await;
        let watcher = Watcher::start(server.addr.to_string(), "later.Service");
        assert_eq!(watcher.line().await.as_deref(), Some("SERVICE_UNKNOWN"));
        reporter.set_serving("later.Service");
        assert_eq!(watcher.line().await.as_deref(), Some("SERVING"));
        server.shutdown().await.expect("server stops");
        assert_eq!(watcher.line().await.as_deref(), Some("NOT_SERVING"));
        let (code, stderr) = watcher.end().await;
        assert_eq!(code, Some(3), "{stderr}");
        assert!(
            stderr.contains("UNAVAILABLE: server is shutting down"),
            "{stderr}"
        );
    })
    .await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn watch_stopped_by_ctrl_c_exits_by_the_last_status() {
    within_limit(async {
        let reporter = HealthReporter::new();
        let server = serve(&reporter).await;
        let watcher = Watcher::start(server.addr.to_string(), "");
        assert_eq!(watcher.line().await.as_deref(), Some("SERVING"));
        let interrupted = Command::new("kill")
            .args(["-INT", &watcher.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(interrupted.success());
        let (code, stderr) = watcher.end().await;
        assert_eq!(code, Some(0), "{stderr}");
        drop(server);
    })
    .await;
}
