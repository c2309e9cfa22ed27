//! The server under soak: by default `h2grpc serve` started as a child of
//! this process on a loopback port it picks itself, and killed at the end;
//! and any server's resident set size, read from `/proc/PID/status`.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::SoakError;

/// How long the child server may take to say where it listens.
const START_LIMIT: Duration = Duration::from_secs(10);

/// glibc's mmap threshold for the child server, fixed (mallopt(3),
/// `MALLOC_MMAP_THRESHOLD_`): allocations of 256 KiB and more are mapped
/// on their own and unmapped when freed. glibc's default threshold is
/// dynamic: the first 1 MiB message buffer freed raises it past 1 MiB, and
/// every later one is carved from a heap that keeps what is freed. Measured
/// in this soak, that moved the server's RSS by ±4 MiB (±25% of a 13 MiB
/// server) from one run to the next with nothing leaked: a server soaked
/// over and over settled at the same figure to the KiB, yet a single
/// soak's end/start ranged 0.86–1.27. Fixed, repeated soaks read within
/// 1%, and a leaked large buffer shows as itself instead of hiding in a
/// reused heap. Not set when our own environment already sets it.
pub const MMAP_THRESHOLD: (&str, &str) = ("MALLOC_MMAP_THRESHOLD_", "262144");

/// `h2grpc serve` as a child process; killed when dropped.
#[derive(Debug)]
pub struct ChildServer {
    child: Child,
    addr: SocketAddr,
}

impl ChildServer {
    /// Starts this executable's `serve` on `127.0.0.1:0` with `threads`
    /// runtime workers (None: serve's default), and waits for its
    /// `listening on ADDR` line. Contact's demo tasks are pushed once an
    /// hour, so the deadline kind's subscriptions see none; glibc's mmap
    /// threshold is fixed ([`MMAP_THRESHOLD`]).
    pub fn start(threads: Option<usize>) -> Result<ChildServer, SoakError> {
        let exe = std::env::current_exe().map_err(SoakError::ServerStart)?;
        let mut command = Command::new(exe);
        command
            .args(["serve", "--addr", "127.0.0.1:0", "--task-every", "3600"])
            // Its start line is at info; a RUST_LOG=debug inherited from us
            // would log every call of the soak.
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if std::env::var_os(MMAP_THRESHOLD.0).is_none() {
            command.env(MMAP_THRESHOLD.0, MMAP_THRESHOLD.1);
        }
        if let Some(threads) = threads {
            command.args(["--threads", &threads.to_string()]);
        }
        let mut child = command.spawn().map_err(SoakError::ServerStart)?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            return Err(SoakError::ServerSilent);
        };
        // One thread reads the server's stdout for its whole life, so that
        // it never blocks on a full pipe; it reports the address once.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = listening_on(&line) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(addr);
                    }
                }
            }
        });
        let mut server = ChildServer {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        server.addr = rx
            .recv_timeout(START_LIMIT)
            .map_err(|_| SoakError::ServerSilent)?;
        Ok(server)
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `ADDR` of serve's `listening on ADDR` line.
fn listening_on(line: &str) -> Option<SocketAddr> {
    let (_, rest) = line.split_once("listening on ")?;
    rest.split_whitespace().next()?.parse().ok()
}

/// The resident set size of process `pid`, in KiB: the `VmRSS` line of
/// `/proc/PID/status` (proc(5)).
pub fn rss_kib(pid: u32) -> Result<u64, SoakError> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).map_err(|error| SoakError::Rss {
        pid,
        why: error.to_string(),
    })?;
    parse_vm_rss(&status).ok_or_else(|| SoakError::Rss {
        pid,
        why: format!("no VmRSS line in {path}"),
    })
}

/// `VmRSS:     12345 kB` -> 12345.
fn parse_vm_rss(status: &str) -> Option<u64> {
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let mut fields = line["VmRSS:".len()..].split_whitespace();
    let kib = fields.next()?.parse().ok()?;
    (fields.next() == Some("kB")).then_some(kib)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_rss_is_read_in_kib() {
        let status = "Name:\th2grpc\nVmPeak:\t  99999 kB\nVmRSS:\t   12345 kB\nThreads:\t3\n";
        assert_eq!(parse_vm_rss(status), Some(12345));
        assert_eq!(parse_vm_rss("Name:\tkthreadd\n"), None);
        assert_eq!(parse_vm_rss("VmRSS:\t12 MB\n"), None);
    }

    #[test]
    fn our_own_rss_is_readable() {
        assert!(rss_kib(std::process::id()).expect("VmRSS of this process") > 0);
    }

    #[test]
    fn the_listening_line_gives_the_address() {
        let line = "2026-12-04T20:00:00Z  INFO h2grpc: listening on 127.0.0.1:40123";
        assert_eq!(listening_on(line), Some("127.0.0.1:40123".parse().unwrap()));
        assert_eq!(listening_on("INFO h2grpc: stopped"), None);
    }
}
