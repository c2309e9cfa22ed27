//! `h2grpc conformance-server`: the server under test in the conformance
//! suite's server mode. Reads one ServerCompatRequest from stdin, listens
//! on an ephemeral port of 127.0.0.1 (h2c), writes the ServerCompatResponse
//! (host, port) to stdout, and serves ConformanceService until SIGTERM.
//!
//! testing_servers.md: "Note that the request does not specify a port to
//! listen on. Implementations should instead pick an available ephemeral
//! port according to their OS and return that value in the response."
//! Logs go to stderr: stdout carries the response.

use std::net::{Ipv4Addr, SocketAddr};

use h2grpc::rpc::Server;
use h2grpc::services::conformance::compat::ServerCompatResponse;
use h2grpc::services::conformance::{self, compat::ServerCompatRequest};
use tokio::net::TcpListener;

use super::{read_message, write_message, ConformanceError};
use crate::{shutdown_signal, CommandError};

/// Options of `h2grpc conformance-server` (none: the runner says all on stdin).
#[derive(Debug, clap::Args)]
pub struct ConformanceServerArgs {}

/// Starts as the request asks, reports where, and serves until SIGTERM.
pub async fn serve(_args: ConformanceServerArgs) -> Result<(), CommandError> {
    let request: ServerCompatRequest = read_message(&mut tokio::io::stdin())
        .await?
        .ok_or(ConformanceError::NoRequest)?;
    if request.use_tls {
        return Err(ConformanceError::TlsUnsupported.into());
    }
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| CommandError::Bind { addr, source })?;
    let local = listener.local_addr().map_err(CommandError::Serve)?;
    let mut server = Server::builder().add_service(conformance::service());
    // "If this value is non-zero, servers should reject any message from a
    // client that is larger than the size indicated."
    if request.message_receive_limit > 0 {
        server = server.max_receive_message_size(request.message_receive_limit as usize);
    }
    let response = ServerCompatResponse {
        host: local.ip().to_string(),
        port: local.port().into(),
        ..ServerCompatResponse::default()
    };
    write_message(&mut tokio::io::stdout(), &response).await?;
    tracing::info!("conformance server listening on {local}");
    server
        .serve_with_listener(listener, shutdown_signal())
        .await
        .map_err(CommandError::Serve)?;
    Ok(())
}
