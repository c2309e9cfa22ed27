//! Our server in-process: serves a [`Server`] on a loopback port of its own
//! (bound to port 0, so tests never collide), hands out channels to it, and
//! stops gracefully when dropped or asked.

use std::net::SocketAddr;

use h2grpc::rpc::Server;
use h2grpc::transport::Channel;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

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
        TestServer::serve(server, listener)
    }

    /// Serves `server` on `listener`, stopping gracefully when dropped.
    fn serve(server: Server, listener: TcpListener) -> TestServer {
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

    /// Starts a graceful shutdown (GOAWAY on every connection) and returns
    /// at once; [`TestServer::stopped`] waits for the end.
    pub fn begin_shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Waits for the server to end (after [`TestServer::begin_shutdown`]).
    pub async fn stopped(mut self) -> std::io::Result<()> {
        match self.task.take() {
            Some(task) => task.await.expect("server task panicked"),
            None => Ok(()),
        }
    }

    /// Starts a graceful shutdown and waits for the server to end.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        self.begin_shutdown();
        self.stopped().await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl TestServer {
    /// Serves `server` on `addr`, a port a server before it used: a server
    /// restarted where its clients' channels expect it.
    pub async fn start_on(server: Server, addr: SocketAddr) -> TestServer {
        let listener = TcpListener::bind(addr)
            .await
            .expect("bind the same port again");
        TestServer::serve(server, listener)
    }
}
