//! `h2grpc interop-client`: the client of gRPC's interop suite
//! (interop-test-descriptions.md, "Client") against a
//! `grpc.testing.TestService` server, with the flags the suite's runners
//! pass to every client ("--server_host=HOSTNAME", "--server_port=PORT",
//! "--test_case=TESTCASE", "--use_tls=BOOLEAN", ...), and the soak cases'
//! flags as grpc-go's client names them (`--soak_iterations` and the rest).
//!
//! Prints one line per case, `PASS name` or `FAIL name: reason`, then
//! `N passed, M failed`; fails (exit status 1) when a case failed.

use std::time::Duration;

use super::interop_cases::{Clients, SoakSettings, TestCase};

use super::{say, CliError, Target};

/// Options of `h2grpc interop-client`.
#[derive(Debug, clap::Args)]
pub struct InteropClientArgs {
    /// The server host to connect to.
    #[arg(
        long = "server_host",
        value_name = "HOSTNAME",
        default_value = "localhost"
    )]
    server_host: String,
    /// The server port to connect to.
    #[arg(long = "server_port", value_name = "PORT")]
    server_port: u16,
    /// The cases to run, by name, separated by commas; `all` runs every case.
    #[arg(
        long = "test_case",
        value_name = "NAME[,NAME...]",
        default_value = "all"
    )]
    test_case: String,
    /// Whether to use TLS: only false is supported (h2c, prior knowledge).
    #[arg(long = "use_tls", value_name = "BOOLEAN", default_value_t = false, action = clap::ArgAction::Set)]
    use_tls: bool,
    /// The host name to claim for TLS: accepted for the suite's runners and
    /// ignored, as there is no TLS (`:authority` is `--server_host`).
    #[arg(long = "server_host_override", value_name = "HOSTNAME")]
    server_host_override: Option<String>,
    /// rpc_soak and channel_soak: how many calls.
    #[arg(long = "soak_iterations", value_name = "N", default_value_t = 10)]
    soak_iterations: usize,
    /// rpc_soak and channel_soak: how many calls may fail (an error, or
    /// slower than the acceptable latency).
    #[arg(long = "soak_max_failures", value_name = "N", default_value_t = 0)]
    soak_max_failures: usize,
    /// rpc_soak and channel_soak: a call slower than this is a failure.
    #[arg(
        long = "soak_per_iteration_max_acceptable_latency_ms",
        value_name = "MS",
        default_value_t = 1000
    )]
    soak_per_iteration_max_acceptable_latency_ms: u64,
    /// rpc_soak and channel_soak: the whole soak's time; iterations not
    /// started by then fail the case.
    #[arg(
        long = "soak_overall_timeout_seconds",
        value_name = "SECONDS",
        default_value_t = 10
    )]
    soak_overall_timeout_seconds: u64,
    /// rpc_soak and channel_soak: the least time from one call's start to
    /// the next's.
    #[arg(
        long = "soak_min_time_ms_between_rpcs",
        value_name = "MS",
        default_value_t = 0
    )]
    soak_min_time_ms_between_rpcs: u64,
    /// rpc_soak and channel_soak: request payload bytes (large_unary's).
    #[arg(
        long = "soak_request_size",
        value_name = "BYTES",
        default_value_t = 271_828
    )]
    soak_request_size: usize,
    /// rpc_soak and channel_soak: response payload bytes (large_unary's).
    #[arg(
        long = "soak_response_size",
        value_name = "BYTES",
        default_value_t = 314_159
    )]
    soak_response_size: usize,
}

impl InteropClientArgs {
    /// The soak cases' settings from the `--soak_*` flags.
    fn soak(&self) -> SoakSettings {
        SoakSettings {
            iterations: self.soak_iterations,
            max_failures: self.soak_max_failures,
            max_acceptable_latency: Duration::from_millis(
                self.soak_per_iteration_max_acceptable_latency_ms,
            ),
            overall_timeout: Duration::from_secs(self.soak_overall_timeout_seconds),
            min_time_between_calls: Duration::from_millis(self.soak_min_time_ms_between_rpcs),
            request_size: self.soak_request_size,
            response_size: self.soak_response_size,
        }
    }
}

/// `HOST:PORT`, an IPv6 literal in brackets.
fn host_port(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Runs the named cases, in order, on one channel, and reports each.
pub async fn run(args: InteropClientArgs) -> Result<(), CliError> {
    if args.use_tls {
        return Err(CliError::TlsUnsupported);
    }
    // Every name is checked before anything runs.
    let cases = TestCase::parse_list(&args.test_case).map_err(CliError::UnknownTestCase)?;
    let target = Target {
        addr: host_port(&args.server_host, args.server_port),
        tls: Default::default(),
    };
    let clients = Clients::new(target.connect().await?)
        .with_url(format!("http://{}", target.addr))
        .with_soak(args.soak());
    let mut failed = 0;
    for case in &cases {
        match case.run(&clients).await {
            Ok(()) => say!("PASS {case}")?,
            Err(error) => {
                failed += 1;
                say!("FAIL {case}: {error}")?;
            }
        }
    }
    say!("{} passed, {failed} failed", cases.len() - failed)?;
    if failed > 0 {
        return Err(CliError::CasesFailed {
            failed,
            total: cases.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::host_port;

    #[test]
    fn ipv6_hosts_are_bracketed() {
        assert_eq!(host_port("localhost", 8080), "localhost:8080");
        assert_eq!(host_port("::1", 8080), "[::1]:8080");
        assert_eq!(host_port("[::1]", 8080), "[::1]:8080");
    }
}
