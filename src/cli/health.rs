//! `h2grpc health [SERVICE] [--watch]`: asks a server's
//! `grpc.health.v1.Health` how SERVICE (default `""`, the whole server) is
//! doing, prints the status name, and exits as grpc-health-probe does: 0
//! only for SERVING, so the command works as a probe (Kubernetes `exec`,
//! Docker HEALTHCHECK, scripts).

use std::process::ExitCode;
use std::time::Duration;

use h2grpc::services::health::{HealthCheckRequest, HealthClient, ServingStatus};
use h2grpc::Request;

use super::{CliError, Target};

/// Exit code: SERVING.
pub const EXIT_SERVING: u8 = 0;
/// Exit code: the arguments are invalid (grpc-health-probe's 1).
pub const EXIT_INVALID_ARGUMENTS: u8 = 1;
/// Exit code: the server could not be reached (grpc-health-probe's 2).
pub const EXIT_CONNECTION_FAILURE: u8 = 2;
/// Exit code: the call failed, e.g. NOT_FOUND for an unknown service, or
/// UNIMPLEMENTED from a server without the Health service
/// (grpc-health-probe's 3).
pub const EXIT_RPC_FAILURE: u8 = 3;
/// Exit code: the status is not SERVING (grpc-health-probe's 4).
pub const EXIT_UNHEALTHY: u8 = 4;

/// The deadline of a Check. health.proto: "Clients should set a deadline
/// when calling Check, and can declare the server unhealthy if they do not
/// receive a timely response."
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// Options of `h2grpc health`.
#[derive(Debug, clap::Args)]
pub struct HealthArgs {
    /// The service's full name (e.g. helloworld.Greeter); empty for the
    /// whole server.
    #[arg(default_value = "")]
    pub service: String,
    /// Watch instead of Check: print each status as it arrives, until the
    /// stream ends or Ctrl-C; the exit code is then the last status's.
    #[arg(long)]
    pub watch: bool,
    #[command(flatten)]
    pub target: Target,
}

/// How the command ended, i.e. its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Serving,
    Unhealthy,
    ConnectionFailure,
    RpcFailure,
}

impl Outcome {
    fn of(status: ServingStatus) -> Outcome {
        if status == ServingStatus::SERVING {
            Outcome::Serving
        } else {
            Outcome::Unhealthy
        }
    }

    fn code(self) -> u8 {
        match self {
            Outcome::Serving => EXIT_SERVING,
            Outcome::Unhealthy => EXIT_UNHEALTHY,
            Outcome::ConnectionFailure => EXIT_CONNECTION_FAILURE,
            Outcome::RpcFailure => EXIT_RPC_FAILURE,
        }
    }
}

/// Runs the command on a single-threaded runtime; its exit code follows
/// grpc-health-probe's (see the `EXIT_*` constants).
pub fn main(args: HealthArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("h2grpc: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(run(args)).unwrap_or_else(|error| {
        eprintln!("h2grpc: {error}");
        match error {
            CliError::Connect(_) | CliError::ConnectTimeout { .. } => Outcome::ConnectionFailure,
            _ => Outcome::RpcFailure,
        }
    });
    ExitCode::from(outcome.code())
}

async fn run(args: HealthArgs) -> Result<Outcome, CliError> {
    let client = HealthClient::new(args.target.connect().await?);
    let request = HealthCheckRequest {
        service: args.service,
    };
    if args.watch {
        watch(&client, request).await
    } else {
        let mut request = Request::new(request);
        request.set_timeout(CHECK_TIMEOUT);
        let reply = client
            .check(request)
            .await
            .map_err(CliError::call("grpc.health.v1.Health/Check"))?;
        let status = reply.get_ref().status;
        print_status(status)?;
        Ok(Outcome::of(status))
    }
}

/// Prints every status the Watch sends until it ends or Ctrl-C.
async fn watch(client: &HealthClient, request: HealthCheckRequest) -> Result<Outcome, CliError> {
    const METHOD: &str = "grpc.health.v1.Health/Watch";
    // Listening for Ctrl-C from the start, and on one future throughout:
    // a Ctrl-C before the first status, or between two, still ends the
    // watch by the last status rather than killing the process.
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    // The first poll installs the handler.
    let interrupted_already = std::future::poll_fn(|cx| {
        std::task::Poll::Ready(std::future::Future::poll(interrupted.as_mut(), cx).is_ready())
    })
    .await;
    if interrupted_already {
        return Ok(Outcome::Unhealthy);
    }
    let mut stream = client
        .watch(request)
        .await
        .map_err(CliError::call(METHOD))?
        .into_inner();
    let mut last = None;
    loop {
        let next = tokio::select! {
            next = stream.message() => next,
            _ = &mut interrupted => break,
        };
        match next {
            Ok(Some(reply)) => {
                print_status(reply.status)?;
                last = Some(reply.status);
            }
            Ok(None) => break,
            Err(status) => return Err(CliError::call(METHOD)(status)),
        }
    }
    Ok(last.map_or(Outcome::Unhealthy, Outcome::of))
}

/// Prints the status's name (its number for one this client does not know).
fn print_status(status: ServingStatus) -> Result<(), CliError> {
    match status.name() {
        Some(name) => super::say!("{name}"),
        None => super::say!("{}", status.0),
    }
}
