//! contact.Contact against real peers:
//! - grpcio (tests/interop/python/contact_client.py) checks every method of
//!   `h2grpc serve --task-every 0.2` exactly: sendStatus answers arriving
//!   before the next status is sent, two concurrent getTask subscribers
//!   receiving the same consecutive tasks in order, tellResult answering
//!   Empty; the same script passes against the grpcio reference server,
//!   which proves its checks;
//! - grpcurl invokes every method from proto/contact.proto on `h2grpc serve`
//!   (getTask until its `-max-time`, printing the tasks pushed meanwhile);
//! - `h2grpc contact` prints the tutorial client's output against the grpcio
//!   reference server, and the same against `h2grpc serve`.
//!
//! Needs `.venv/` (`bash tests/run-all.sh` creates it); fails, never skips,
//! without it.
#![cfg(feature = "cli")] // The `h2grpc` command is built with `cli` only.

use crate::support::peers::{
    assert_python_checks_pass_on, grpcurl_exit_code, python_tutorial_server, unreachable_addr,
    Grpcurl,
};
use crate::support::{h2grpc_command, h2grpc_server_with, Output, Peer};
use h2grpc::Code;

/// Both servers push a demo task this often (seconds), so that tests see
/// several tasks quickly.
const TASK_EVERY: &str = "0.2";

fn h2grpc_contact_server() -> Peer {
    h2grpc_server_with(&["--task-every", TASK_EVERY])
}

fn python_contact_server() -> Peer {
    python_tutorial_server(&["--task-every", TASK_EVERY])
}

#[test]
fn grpcio_checks_every_contact_method_on_h2grpc() {
    assert_python_checks_pass_on("contact_client.py", &mut h2grpc_contact_server());
}

#[test]
fn grpcio_checks_hold_against_the_grpcio_reference_server() {
    assert_python_checks_pass_on("contact_client.py", &mut python_contact_server());
}

/// `grpcurl -max-time MAX_TIME_SECS ... -proto contact.proto -d @ TARGET
/// contact.Contact/METHOD`, `stdin` as the requests (`{}` when none).
fn grpcurl_call(target: &str, method: &str, max_time_secs: u64, stdin: Option<&str>) -> Output {
    let call = Grpcurl::new("contact.proto").max_time(max_time_secs);
    let call = match stdin {
        Some(requests) => call.stdin(requests),
        None => call,
    };
    call.call(target, &format!("contact.Contact/{method}"))
}

#[test]
fn grpcurl_send_status_gets_an_answer_per_status() {
    let server = h2grpc_contact_server();
    let statuses = "{\"msg\":\"online\"}\n{\"msg\":\"busy\"}\n";
    let out = grpcurl_call(&server.target(), "sendStatus", 20, Some(statuses));
    assert!(out.status.success(), "{}", out.describe());
    assert_eq!(
        out.stdout,
        "{\n  \"ret\": \"Server received the message: online\"\n}\n\
         {\n  \"ret\": \"Server received the message: busy\"\n}\n",
        "{}",
        out.describe()
    );
}

/// The numbers of `"task": "task N"` objects, when `stdout` is nothing but
/// such objects as grpcurl prints them.
fn grpcurl_task_numbers(stdout: &str) -> Option<Vec<u64>> {
    let numbers: Option<Vec<u64>> = stdout
        .lines()
        .filter_map(|line| line.trim().strip_prefix("\"task\": \"task "))
        .map(|rest| rest.strip_suffix('"')?.parse().ok())
        .collect();
    let numbers = numbers?;
    let printed: String = numbers
        .iter()
        .map(|n| format!("{{\n  \"task\": \"task {n}\"\n}}\n"))
        .collect();
    (printed == stdout).then_some(numbers)
}

#[test]
fn grpcurl_get_task_prints_the_tasks_pushed_until_its_max_time() {
    let server = h2grpc_contact_server();
    // Subscribed for 4 s at one task every 0.2 s: some 20 tasks.
    let out = grpcurl_call(&server.target(), "getTask", 4, None);
    assert_eq!(
        out.status.code(),
        Some(grpcurl_exit_code(Code::DeadlineExceeded)),
        "the subscription stays open until grpcurl's deadline:\n{}",
        out.describe()
    );
    let numbers = grpcurl_task_numbers(&out.stdout)
        .unwrap_or_else(|| panic!("grpcurl printed something else:\n{}", out.describe()));
    assert!(numbers.len() >= 2, "too few tasks:\n{}", out.describe());
    let consecutive: Vec<u64> = (numbers[0]..numbers[0] + numbers.len() as u64).collect();
    assert_eq!(numbers, consecutive, "tasks skipped or reordered");
}

#[test]
fn grpcurl_tell_result_gets_empty() {
    let server = h2grpc_contact_server();
    let results = "{\"ret\":\"Client received the task: task 1\"}\n{\"ret\":\"Client received the task: task 2\"}\n";
    let out = grpcurl_call(&server.target(), "tellResult", 20, Some(results));
    assert!(out.status.success(), "{}", out.describe());
    let printed: String = out.stdout.split_whitespace().collect();
    assert_eq!(printed, "{}", "{}", out.describe());
}

/// Runs `h2grpc contact` against `server` with two statuses and two tasks,
/// and checks its output line by line; the task numbers depend on when it
/// subscribed, so they only have to be consecutive.
fn assert_contact_command_output(server: &mut Peer) {
    let out = h2grpc_command(&[
        "contact",
        "--addr",
        &server.target(),
        "--status",
        "data: 7",
        "--status",
        "数据:13",
        "--tasks",
        "2",
    ]);
    server.assert_running();
    assert!(out.status.success(), "{}", out.describe());
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", out.describe());
    assert_eq!(lines[0], "Server received the message: data: 7");
    assert_eq!(lines[1], "Server received the message: 数据:13");
    let first = lines[2]
        .strip_prefix("Client received a task from the server: task ")
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("not a task line: {}\n{}", lines[2], out.describe()));
    assert_eq!(
        lines[3],
        format!("Client received a task from the server: task {}", first + 1)
    );
    assert_eq!(lines[4], "Acknowledged 2 tasks");
}

#[test]
fn contact_command_prints_the_tutorial_output_against_the_grpcio_reference_server() {
    assert_contact_command_output(&mut python_contact_server());
}

#[test]
fn contact_command_prints_the_same_against_h2grpc() {
    assert_contact_command_output(&mut h2grpc_contact_server());
}

#[test]
fn contact_command_fails_with_one_line_when_no_server_listens() {
    let addr = unreachable_addr();
    let out = h2grpc_command(&["contact", "--addr", &addr]);
    assert!(!out.status.success(), "{}", out.describe());
    assert_eq!(out.stdout, "", "{}", out.describe());
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.describe());
    assert!(out.stderr.starts_with("h2grpc: "), "{}", out.describe());
}
