//! The one scripted HTTP/2 server, for tests of our client: the `h2` crate
//! on a loopback port of its own, answering every call by a [`Script`] of
//! steps (read the request, send a head, DATA, trailers, a reset, wait for
//! the client's reset, drop the connection) with nothing in between that
//! tries to be a gRPC server, so it can answer what no correct server would.
//! Each call's [`Seen`] (its head, the request bytes read, the client's
//! reset) is reported when its script ends.

use std::future::poll_fn;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use h2::{Reason, SendStream};
use h2grpc::transport::Channel;
use http::HeaderMap;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch, Notify};

/// One thing the server does on a call, in order.
#[derive(Debug, Clone)]
pub enum Step {
    /// Reads the request body to its end, giving the window back as it goes.
    ReadBody,
    /// Reads this many bytes of the request body (or to its end) without
    /// giving the window back: a reader that has stopped.
    ReadHoldingWindow(usize),
    /// Sends the response head; with `end_stream` nothing may follow it.
    Head {
        /// The HTTP status.
        status: u16,
        /// The headers after `:status`.
        headers: Vec<(String, String)>,
        /// END_STREAM on the HEADERS frame.
        end_stream: bool,
    },
    /// Sends DATA (within the client's window), END_STREAM after it if asked.
    Data {
        /// The bytes.
        bytes: Bytes,
        /// END_STREAM on the last DATA frame.
        end_stream: bool,
    },
    /// Sends the trailing HEADERS, which end the stream.
    Trailers(Vec<(String, String)>),
    /// Resets the stream (RST_STREAM) with this reason.
    Reset(Reason),
    /// Waits this long.
    Pause(Duration),
    /// Waits for the client to reset the stream; its reason goes in [`Seen`].
    AwaitReset,
    /// Drops the whole connection, without GOAWAY: a connection lost.
    DropConnection,
}

fn pairs(headers: &[(&str, &str)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

impl Step {
    /// A response head with `status` and `headers`, more to follow.
    pub fn head(status: u16, headers: &[(&str, &str)]) -> Step {
        Step::Head {
            status,
            headers: pairs(headers),
            end_stream: false,
        }
    }

    /// A response head that ends the stream (Trailers-Only, or a bare HTTP error).
    pub fn head_only(status: u16, headers: &[(&str, &str)]) -> Step {
        Step::Head {
            status,
            headers: pairs(headers),
            end_stream: true,
        }
    }

    /// `200`, `content-type: application/grpc`, plus `extra`.
    pub fn grpc_head(extra: &[(&str, &str)]) -> Step {
        let mut headers = vec![("content-type", "application/grpc")];
        headers.extend_from_slice(extra);
        Step::head(200, &headers)
    }

    /// DATA, more to follow.
    pub fn data(bytes: impl Into<Bytes>) -> Step {
        Step::Data {
            bytes: bytes.into(),
            end_stream: false,
        }
    }

    /// DATA that ends the stream (no trailers).
    pub fn data_end(bytes: impl Into<Bytes>) -> Step {
        Step::Data {
            bytes: bytes.into(),
            end_stream: true,
        }
    }

    /// Trailers with these headers.
    pub fn trailers(headers: &[(&str, &str)]) -> Step {
        Step::Trailers(pairs(headers))
    }

    /// Trailers `grpc-status: 0`.
    pub fn ok_trailers() -> Step {
        Step::trailers(&[("grpc-status", "0")])
    }
}

/// How the server answers every call on every connection.
#[derive(Debug, Clone, Default)]
pub struct Script {
    steps: Vec<Step>,
    go_away_first: Option<Reason>,
}

impl Script {
    /// Runs `steps` on every call.
    pub fn new(steps: impl IntoIterator<Item = Step>) -> Script {
        Script {
            steps: steps.into_iter().collect(),
            go_away_first: None,
        }
    }

    /// Sends GOAWAY with `reason` and last-stream-id 0 as soon as a connection
    /// is up, before accepting any stream: no call is ever processed.
    pub fn go_away_first(reason: Reason) -> Script {
        Script {
            steps: Vec::new(),
            go_away_first: Some(reason),
        }
    }
}

/// What the server saw of one call, reported when its script ended.
#[derive(Debug)]
pub struct Seen {
    /// The request head.
    pub headers: HeaderMap,
    /// The request bytes read by [`Step::ReadBody`] / [`Step::ReadHoldingWindow`].
    pub body: Vec<u8>,
    /// The client's RST_STREAM reason, if [`Step::AwaitReset`] saw one.
    pub reset: Option<Reason>,
}

impl Seen {
    /// A request header, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

/// A scripted server listening on a loopback port of its own.
pub struct ScriptedServer {
    addr: SocketAddr,
    seen: mpsc::UnboundedReceiver<Seen>,
}

impl ScriptedServer {
    /// Binds port 0 and serves every connection by `script`.
    pub async fn start(script: Script) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let (seen_tx, seen) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                tokio::spawn(serve_connection(tcp, script.clone(), seen_tx.clone()));
            }
        });
        ScriptedServer { addr, seen }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A channel (a connection of its own) to the server.
    pub async fn channel(&self) -> Channel {
        Channel::connect(&self.uri()).await.expect("connect")
    }

    /// What the server saw of the next call whose script has ended.
    pub async fn next_seen(&mut self) -> Seen {
        self.seen.recv().await.expect("the scripted server is gone")
    }
}

async fn serve_connection(tcp: TcpStream, script: Script, seen: mpsc::UnboundedSender<Seen>) {
    let Ok(mut connection) = h2::server::handshake(tcp).await else {
        return;
    };
    if let Some(reason) = script.go_away_first {
        connection.abrupt_shutdown(reason);
        while connection.accept().await.is_some() {}
        return;
    }
    let drop_connection = Arc::new(Notify::new());
    // Held for as long as the connection is: its calls see it end.
    let (_alive, alive) = watch::channel(());
    loop {
        tokio::select! {
            next = connection.accept() => match next {
                Some(Ok((request, respond))) => {
                    tokio::spawn(run_script(
                        request,
                        respond,
                        script.steps.clone(),
                        seen.clone(),
                        Arc::clone(&drop_connection),
                        alive.clone(),
                    ));
                }
                Some(Err(_)) | None => return,
            },
            () = drop_connection.notified() => return,
        }
    }
}

async fn run_script(
    request: http::Request<h2::RecvStream>,
    mut respond: h2::server::SendResponse<Bytes>,
    steps: Vec<Step>,
    report: mpsc::UnboundedSender<Seen>,
    drop_connection: Arc<Notify>,
    mut alive: watch::Receiver<()>,
) {
    let (head, mut body) = request.into_parts();
    let mut seen = Seen {
        headers: head.headers,
        body: Vec::new(),
        reset: None,
    };
    let mut stream: Option<SendStream<Bytes>> = None;
    for step in steps {
        match step {
            Step::ReadBody => {
                while let Some(Ok(chunk)) = body.data().await {
                    let _ = body.flow_control().release_capacity(chunk.len());
                    seen.body.extend_from_slice(&chunk);
                }
            }
            Step::ReadHoldingWindow(bytes) => {
                while seen.body.len() < bytes {
                    match body.data().await {
                        Some(Ok(chunk)) => seen.body.extend_from_slice(&chunk),
                        Some(Err(_)) | None => break,
                    }
                }
            }
            Step::Head {
                status,
                headers,
                end_stream,
            } => {
                let mut response = http::Response::builder().status(status);
                for (name, value) in &headers {
                    response = response.header(name.as_str(), value.as_str());
                }
                let response = response.body(()).expect("a valid response head");
                match respond.send_response(response, end_stream) {
                    Ok(sending) => stream = Some(sending),
                    Err(_) => break,
                }
            }
            Step::Data { bytes, end_stream } => {
                let sending = stream.as_mut().expect("Step::Data before Step::Head");
                if !send_within_window(sending, bytes, end_stream).await {
                    break;
                }
            }
            Step::Trailers(headers) => {
                let sending = stream.as_mut().expect("Step::Trailers before Step::Head");
                let mut trailers = HeaderMap::new();
                for (name, value) in &headers {
                    trailers.append(
                        http::HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
                        value.parse().expect("a header value"),
                    );
                }
                let _ = sending.send_trailers(trailers);
            }
            Step::Reset(reason) => match stream.as_mut() {
                Some(sending) => sending.send_reset(reason),
                None => respond.send_reset(reason),
            },
            Step::Pause(duration) => tokio::time::sleep(duration).await,
            Step::AwaitReset => {
                seen.reset = match stream.as_mut() {
                    Some(sending) => poll_fn(|cx| sending.poll_reset(cx)).await.ok(),
                    None => poll_fn(|cx| respond.poll_reset(cx)).await.ok(),
                };
            }
            Step::DropConnection => {
                drop_connection.notify_one();
                // Keep this stream until the connection is gone, lest its
                // end be a RST_STREAM rather than a connection lost.
                while alive.changed().await.is_ok() {}
            }
        }
    }
    let _ = report.send(seen);
    // The request side stays as the client left it until here.
    drop(body);
}

/// Sends `bytes` as the client's window allows; false if the stream is gone.
async fn send_within_window(stream: &mut SendStream<Bytes>, mut bytes: Bytes, end: bool) -> bool {
    if bytes.is_empty() {
        return stream.send_data(bytes, end).is_ok();
    }
    while !bytes.is_empty() {
        stream.reserve_capacity(bytes.len());
        let Some(Ok(capacity)) = poll_fn(|cx| stream.poll_capacity(cx)).await else {
            return false;
        };
        let piece = bytes.split_to(capacity.min(bytes.len()));
        if stream.send_data(piece, end && bytes.is_empty()).is_err() {
            return false;
        }
    }
    true
}
