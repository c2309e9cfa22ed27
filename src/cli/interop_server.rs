//! `h2grpc interop-server`: grpc.testing.TestService (and
//! grpc.health.v1.Health and server reflection) on every interface, the
//! server side of gRPC's interop suite, with the flags the suite's runners
//! pass to every server (interop-test-descriptions.md: "Servers should
//! accept these arguments: --port=PORT [...] --use_tls=BOOLEAN").

use std::net::{Ipv4Addr, SocketAddr};

use h2grpc::rpc::Server;
use h2grpc::services::interop;
use tokio::net::TcpListener;

use crate::{shutdown_signal, CommandError};

/// Options of `h2grpc interop-server`.
#[derive(Debug, clap::Args)]
pub struct InteropServerArgs {
    /// The port to listen on, on 0.0.0.0; 0 picks a free port (the
    /// `listening on ADDR` line says which).
    #[arg(long)]
    port: u16,
    /// Whether to use TLS: only false is supported (h2c, prior knowledge).
    #[arg(long = "use_tls", value_name = "BOOLEAN", default_value_t = false, action = clap::ArgAction::Set)]
    use_tls: bool,
}

/// Serves TestService, grpc.health.v1.Health and reflection until Ctrl-C or SIGTERM.
pub async fn serve(args: InteropServerArgs) -> Result<(), CommandError> {
    if args.use_tls {
        return Err(CommandError::TlsUnsupported);
    }
    let addr = SocketAddr::from((Ipv4Addr::UNSPECIFIED, args.port));
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| CommandError::Bind { addr, source })?;
    let local = listener.local_addr().map_err(CommandError::Serve)?;
    tracing::info!("listening on {local}");
    Server::builder()
        .add_service(interop::service())
        .health()
        .reflection()
        .serve_with_listener(listener, shutdown_signal())
        .await
        .map_err(CommandError::Serve)?;
    tracing::info!("stopped");
    Ok(())
}
