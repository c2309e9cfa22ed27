//! The subcommands of the `h2grpc` command besides `serve`: the client
//! subcommands, each replaying one tutorial's client against a server and
//! printing what that client prints, and the two halves of gRPC's interop
//! suite (`interop-server`, `interop-client`), and the two programs of the
//! ConnectRPC conformance suite (`conformance-server`, `conformance-client`),
//! and `soak`, a long mixed load that watches the server's memory (and
//! `allocator`, the heap policy of `serve`). This module owns what the
//! clients share: the `--addr` option, connecting, and [`CliError`].

pub mod allocator;
pub mod bench_client;
pub mod conformance;
pub mod contact;
pub mod digest;
pub mod duration;
pub mod greet;
pub mod health;
pub mod interop_cases;
pub mod interop_client;
pub mod interop_server;
pub mod multi_greet;
pub mod route_guide;
pub mod serve_limits;
pub mod soak;
pub mod tls;

use std::fmt;
use std::time::Duration;

use h2grpc::transport::{Channel, ConnectError};
use h2grpc::Status;
use interop_cases::UnknownTestCase;

/// How long a client subcommand waits for the TCP and HTTP/2 handshakes.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The server a client subcommand calls (`--addr` and the TLS options).
#[derive(Debug, Clone, clap::Args)]
pub struct Target {
    /// The server's address, HOST:PORT (h2c), or https://HOST:PORT (TLS).
    #[arg(long, default_value = "127.0.0.1:50051")]
    pub addr: String,
    #[command(flatten)]
    pub tls: tls::ClientTlsArgs,
}

impl Target {
    /// Connects to the server: TLS for an `https://` address or when a TLS
    /// option is given, h2c (prior knowledge) otherwise.
    pub async fn connect(&self) -> Result<Channel, CliError> {
        let (scheme, host_port) = match self.addr.split_once("://") {
            Some((scheme, rest)) => (scheme, rest),
            None if self.tls.any() => ("https", self.addr.as_str()),
            None => ("http", self.addr.as_str()),
        };
        if scheme == "http" && self.tls.any() {
            return Err(CliError::TlsOptionsOnHttp);
        }
        let url = format!("{scheme}://{host_port}");
        let config = h2grpc::transport::TransportConfig::default();
        let connect = async {
            if scheme == "https" {
                let tls = self.tls.config().map_err(CliError::Tls)?;
                Channel::connect_tls(&url, tls, config)
                    .await
                    .map_err(CliError::Connect)
            } else {
                Channel::connect(&url).await.map_err(CliError::Connect)
            }
        };
        match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
            Ok(result) => result,
            Err(_) => Err(CliError::ConnectTimeout {
                addr: self.addr.clone(),
            }),
        }
    }
}

/// Prints one line on standard output, like `println!`, but a closed pipe
/// is a [`CliError::Output`] instead of a panic.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::write_line(format_args!($($arg)*))
    };
}
pub(crate) use say;

/// Writes one line on standard output (see [`say!`]).
pub fn write_line(line: fmt::Arguments<'_>) -> Result<(), CliError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_fmt(line)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(CliError::Output)
}

/// Why a client subcommand failed; printed as one line by `main`.
#[derive(Debug)]
pub enum CliError {
    /// The server could not be reached.
    Connect(ConnectError),
    /// The server did not complete the handshakes within [`CONNECT_TIMEOUT`].
    ConnectTimeout {
        /// The address we tried.
        addr: String,
    },
    /// Standard output could not be written (e.g. a closed pipe).
    Output(std::io::Error),
    /// A call ended with a status other than OK.
    Call {
        /// The method, as `Service/Method`.
        method: &'static str,
        /// How it ended.
        status: Status,
    },
    /// `--use_tls=true`: the interop client speaks only h2c.
    TlsUnsupported,
    /// A TLS option's file could not be read or used.
    Tls(tls::TlsFileError),
    /// TLS options with an `http://` address.
    TlsOptionsOnHttp,
    /// `interop-client --test_case` names a case that does not exist.
    UnknownTestCase(UnknownTestCase),
    /// `bench-client`: calls (or bidi-stream messages) failed or got a
    /// wrong reply.
    BenchFailed {
        /// How many failed.
        errors: u64,
        /// How many were made.
        total: u64,
        /// What was counted: "calls" or "messages".
        unit: &'static str,
        /// Why the first one failed.
        first: String,
    },
    /// `bench-client`: the load ran past `--timeout`.
    BenchTimedOut {
        /// Calls (or messages) finished by then.
        done: u64,
        /// Calls (or messages) asked for.
        total: u64,
        /// The `--timeout`, in seconds.
        secs: u64,
    },
    /// `bench-client`: an option that does not apply to the scenario.
    BenchOptions(&'static str),
    /// `soak`: the server could not be started or read, or the soak did
    /// not pass (its report says why).
    Soak(soak::SoakError),
    /// Interop cases failed (each reported on its own line).
    CasesFailed {
        /// How many failed.
        failed: usize,
        /// How many ran.
        total: usize,
    },
}

impl CliError {
    /// A `map_err` adapter naming the method that failed.
    pub fn call(method: &'static str) -> impl FnOnce(Status) -> CliError {
        move |status| CliError::Call { method, status }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Connect(error) => write!(f, "{error}"),
            CliError::ConnectTimeout { addr } => write!(
                f,
                "cannot connect to {addr}: no answer within {} s",
                CONNECT_TIMEOUT.as_secs()
            ),
            CliError::Output(error) => write!(f, "cannot write the output: {error}"),
            CliError::Call { method, status } => write!(f, "{method} failed: {status}"),
            CliError::TlsUnsupported => f.write_str("--use_tls=true is not supported: h2c only"),
            CliError::Tls(error) => write!(f, "{error}"),
            CliError::TlsOptionsOnHttp => {
                f.write_str("TLS options need an https:// (or bare HOST:PORT) address")
            }
            CliError::UnknownTestCase(error) => write!(f, "{error}"),
            CliError::CasesFailed { failed, total } => {
                write!(f, "{failed} of {total} interop cases failed")
            }
            CliError::BenchFailed {
                errors,
                total,
                unit,
                first,
            } => write!(
                f,
                "{errors} of {total} {unit} failed or got a wrong reply (first: {first})"
            ),
            CliError::BenchTimedOut { done, total, secs } => write!(
                f,
                "the load did not finish within --timeout {secs} s: {done} of {total} done"
            ),
            CliError::BenchOptions(message) => f.write_str(message),
            CliError::Soak(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for CliError {}
