//! In-process server harness for the end-to-end tests: serves services on
//! a loopback port of its own and stops gracefully when dropped; and a
//! test-local [`greeter`] to serve when the demo services are not built.
#![allow(dead_code)] // Each test crate uses a different part of this module.

pub mod greeter;

use std::net::SocketAddr;
use std::time::Duration;

use h2grpc::rpc::Server;
use h2grpc::transport::Channel;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The limit for one whole test: none may hang CI.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A running server; dropping it starts a graceful shutdown.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// Serves `server` on 127.0.0.1 with a port of its own.
    pub async fn start(server: Server) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve_with_listener(listener, async {
            let _ = stopped.await;
        }));
        TestServer {
            addr,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A new channel (its own connection) to the server.
    pub async fn channel(&self) -> Channel {
        Channel::connect(&self.uri()).await.expect("connect")
    }

    /// Starts a graceful shutdown and waits for the server to end.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.expect("server task panicked"),
            None => Ok(()),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Runs a test body with the time limit.
pub async fn within_limit<T>(body: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(TEST_TIMEOUT, body)
        .await
        .expect("test exceeded its time limit")
}
