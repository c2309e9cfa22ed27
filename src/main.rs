//! The `h2grpc` command: serve the demo services, or call them.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

/// gRPC on h2, with no code generation.
#[derive(Debug, Parser)]
#[command(name = "h2grpc", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve every demo service.
    Serve(ServeArgs),
}

/// Options of `h2grpc serve`.
#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0:50051")]
    addr: SocketAddr,
    /// Runtime worker threads: 0 runs everything on one thread (tokio's
    /// current_thread runtime); the default is one per CPU.
    #[arg(long)]
    threads: Option<usize>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result = match cli.command {
        Command::Serve(args) => run_on_runtime(args.threads, serve(args.addr)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("h2grpc: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to stdout; `RUST_LOG` chooses the level (info by default, debug for
/// one line per call).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stdout().is_terminal())
        .init();
}

/// Runs `work` on a tokio runtime with `threads` workers (0: current_thread).
fn run_on_runtime(
    threads: Option<usize>,
    work: impl std::future::Future<Output = Result<(), String>>,
) -> Result<(), String> {
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
    .map_err(|err| format!("cannot start the runtime: {err}"))?;
    runtime.block_on(work)
}

/// `h2grpc serve`: every demo service on `addr`, until Ctrl-C or SIGTERM.
async fn serve(addr: SocketAddr) -> Result<(), String> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|err| format!("cannot listen on {addr}: {err}"))?;
    let local = listener.local_addr().map_err(|err| err.to_string())?;
    tracing::info!("listening on {local}");
    h2grpc::services::demo_server()
        .serve_with_listener(listener, shutdown_signal())
        .await
        .map_err(|err| format!("server failed: {err}"))?;
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
