//! The `h2grpc` command: serve the demo services, or call them as the
//! tutorials' clients do.

mod cli;

use std::fmt;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use h2grpc::services::contact::{self, TaskQueue};
use h2grpc::services::route_guide::{FeatureDb, FeatureDbError};
use tokio::net::TcpListener;

use cli::CliError;

/// gRPC on h2, with no code generation.
#[derive(Debug, Parser)]
#[command(name = "h2grpc", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve every demo service: Greeter, MultiGreeter, RouteGuide, Digestor, Contact; with grpc.health.v1.Health and server reflection.
    Serve(ServeArgs),
    /// Call helloworld.Greeter/SayHello, as the quickstart client does.
    Greet(cli::greet::GreetArgs),
    /// Call hellostreamingworld.MultiGreeter/sayHello and print each greeting.
    MultiGreet(cli::multi_greet::MultiGreetArgs),
    /// Run the RouteGuide tutorial client: GetFeature, ListFeatures, RecordRoute, RouteChat.
    RouteGuide(cli::route_guide::RouteGuideArgs),
    /// Ask grpc.health.v1.Health how SERVICE (default: the whole server) is doing; exit 0 only if SERVING.
    Health(cli::health::HealthArgs),
    /// Call digestor.Digestor/GetDigestor: the SHA-256 of TEXT.
    Digest(cli::digest::DigestArgs),
    /// Run the Contact client: send statuses, receive pushed tasks, acknowledge them.
    Contact(cli::contact::ContactArgs),
    /// Serve grpc.testing.TestService, the server of gRPC's interop suite.
    InteropServer(cli::interop_server::InteropServerArgs),
    /// Run the client cases of gRPC's interop suite against a TestService server.
    InteropClient(cli::interop_client::InteropClientArgs),
    /// The server under test of the ConnectRPC conformance suite (started by `connectconformance --mode server`).
    ConformanceServer(cli::conformance::server::ConformanceServerArgs),
    /// The client under test of the ConnectRPC conformance suite (started by `connectconformance --mode client`).
    ConformanceClient(cli::conformance::client::ConformanceClientArgs),
    /// Load a Greeter server with our client (h2load's shapes) and report calls/s, latency and CPU per call.
    BenchClient(cli::bench_client::BenchClientArgs),
    /// Soak a server (by default a `serve` of its own) with a bounded mix of every call kind, cancellations, deadlines, large messages and reconnects; report throughput, outcomes by code and the server's RSS; fail on an unexpected outcome or RSS growth.
    Soak(cli::soak::SoakArgs),
}

/// Options of `h2grpc serve`.
#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0:50051")]
    addr: SocketAddr,
    /// RouteGuide's feature database, a JSON file like the tutorial's
    /// route_guide_db.json (default: the tutorial's, built in).
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
    /// Seconds between the demo tasks pushed to Contact's getTask subscribers.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    task_every: f64,
    /// Runtime worker threads: 0 runs everything on one thread (tokio's
    /// current_thread runtime); the default is one per CPU.
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    tls: cli::tls::ServeTlsArgs,
    /// Connection limits and keepalive.
    #[command(flatten)]
    limits: cli::serve_limits::ServeLimits,
}

/// Why `h2grpc` failed; printed as one line.
#[derive(Debug)]
enum CommandError {
    /// The tokio runtime could not start.
    Runtime(std::io::Error),
    /// `--task-every` is not a positive number of seconds.
    TaskInterval(f64),
    /// `--db` could not be loaded.
    FeatureDb(FeatureDbError),
    /// The address could not be bound.
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    /// The server stopped on an I/O error.
    Serve(std::io::Error),
    /// A client subcommand failed.
    Client(CliError),
    /// `--use_tls=true`: this server speaks only h2c.
    TlsUnsupported,
    /// `serve`'s TLS files could not be read or used.
    Tls(cli::tls::TlsFileError),
    /// A conformance program's exchange with the runner failed.
    Conformance(cli::conformance::ConformanceError),
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Runtime(error) => write!(f, "cannot start the runtime: {error}"),
            CommandError::TaskInterval(seconds) => write!(
                f,
                "--task-every must be a positive number of seconds, not {seconds}"
            ),
            CommandError::FeatureDb(error) => write!(f, "{error}"),
            CommandError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            CommandError::Serve(error) => write!(f, "server failed: {error}"),
            CommandError::Client(error) => write!(f, "{error}"),
            CommandError::TlsUnsupported => {
                f.write_str("--use_tls=true is not supported: h2c only")
            }
            CommandError::Tls(error) => write!(f, "{error}"),
            CommandError::Conformance(error) => write!(f, "{error}"),
        }
    }
}

impl From<cli::conformance::ConformanceError> for CommandError {
    fn from(error: cli::conformance::ConformanceError) -> CommandError {
        CommandError::Conformance(error)
    }
}

impl From<CliError> for CommandError {
    fn from(error: CliError) -> CommandError {
        CommandError::Client(error)
    }
}

fn main() -> ExitCode {
    let cli = Cli::try_parse().unwrap_or_else(|error| {
        // `h2grpc health` exits as grpc-health-probe does: 1 for invalid
        // arguments (clap's own code for them is 2, which the probe uses
        // for a connection failure).
        if error.use_stderr() && std::env::args().nth(1).as_deref() == Some("health") {
            let _ = error.print();
            std::process::exit(cli::health::EXIT_INVALID_ARGUMENTS.into());
        }
        error.exit()
    });
    // The server logs to stdout (its start line, `listening on ADDR`, is how
    // scripts learn the port); a client's stdout is its output, so it logs to stderr.
    init_logging(matches!(
        cli.command,
        Command::Serve(_) | Command::InteropServer(_)
    ));
    let result = match cli.command {
        Command::Serve(args) => {
            cli::allocator::keep_freed_memory();
            let threads = args.threads;
            run_on_runtime(threads, serve(args))
        }
        Command::Greet(args) => run_client(cli::greet::run(args)),
        Command::MultiGreet(args) => run_client(cli::multi_greet::run(args)),
        Command::RouteGuide(args) => run_client(cli::route_guide::run(args)),
        Command::Health(args) => return cli::health::main(args),
        Command::Digest(args) => run_client(cli::digest::run(args)),
        Command::Contact(args) => run_client(cli::contact::run(args)),
        Command::InteropServer(args) => run_on_runtime(None, cli::interop_server::serve(args)),
        Command::InteropClient(args) => run_client(cli::interop_client::run(args)),
        Command::ConformanceServer(args) => {
            run_on_runtime(None, cli::conformance::server::serve(args))
        }
        Command::ConformanceClient(args) => {
            run_on_runtime(None, cli::conformance::client::run(args))
        }
        Command::BenchClient(args) => {
            let threads = args.threads;
            run_on_runtime(Some(threads), async move {
                Ok(cli::bench_client::run(args).await?)
            })
        }
        Command::Soak(args) => {
            let threads = args.threads;
            run_on_runtime(
                Some(threads),
                async move { Ok(cli::soak::run(args).await?) },
            )
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that went away (`h2grpc route-guide | head`) is not an error
        // worth a message.
        Err(CommandError::Client(CliError::Output(error)))
            if error.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("h2grpc: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to stdout or stderr; `RUST_LOG` chooses the level (info by default,
/// debug for one line per call).
fn init_logging(to_stdout: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    if to_stdout {
        logs.with_ansi(std::io::stdout().is_terminal()).init();
    } else {
        logs.with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr)
            .init();
    }
}

/// A client subcommand runs on a single-threaded runtime.
fn run_client(
    work: impl std::future::Future<Output = Result<(), CliError>>,
) -> Result<(), CommandError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CommandError::Runtime)?;
    Ok(runtime.block_on(work)?)
}

/// Runs `work` on a tokio runtime with `threads` workers (0: current_thread).
fn run_on_runtime(
    threads: Option<usize>,
    work: impl std::future::Future<Output = Result<(), CommandError>>,
) -> Result<(), CommandError> {
    let runtime = match threads {
        Some(0) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        Some(n) => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(n)
            .enable_all()
            .build(),
        None => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build(),
    }
    .map_err(CommandError::Runtime)?;
    runtime.block_on(work)
}

/// `h2grpc serve`: every demo service, grpc.health.v1.Health and reflection on `addr`,
/// until Ctrl-C or SIGTERM.
async fn serve(args: ServeArgs) -> Result<(), CommandError> {
    let task_every = Duration::try_from_secs_f64(args.task_every)
        .ok()
        .filter(|every| !every.is_zero())
        .ok_or(CommandError::TaskInterval(args.task_every))?;
    let features = match &args.db {
        Some(path) => FeatureDb::load(path).map_err(CommandError::FeatureDb)?,
        None => FeatureDb::tutorial(),
    };
    let tls = args.tls.config().map_err(CommandError::Tls)?;
    let listener = TcpListener::bind(args.addr)
        .await
        .map_err(|source| CommandError::Bind {
            addr: args.addr,
            source,
        })?;
    let local = listener.local_addr().map_err(CommandError::Serve)?;
    let tasks = TaskQueue::new();
    let pusher = tokio::spawn(contact::push_demo_tasks(tasks.clone(), task_every));
    let mut server = args
        .limits
        .apply(h2grpc::services::demo_server_with(features, tasks))
        .health()
        .reflection();
    tracing::info!("listening on {local}");
    if let Some(tls) = tls {
        tracing::info!("TLS only: {tls:?}");
        server = server.tls(tls);
    }
    let served = server
        .serve_with_listener(listener, shutdown_signal())
        .await;
    pusher.abort();
    served.map_err(CommandError::Serve)?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing calls in flight");
}
