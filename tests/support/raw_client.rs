//! The one raw HTTP/2 client: the `h2` crate straight over a `TcpStream`, no
//! gRPC library in between, so a test can send any head and body (a wrong
//! method, no content-type, a prefix announcing 4 GiB, a stream left open)
//! and see the answer as it came: HTTP status, head, DATA bytes, trailers,
//! or the reset that ended it. Every byte the server sends is also kept, so a
//! test can read the frames `h2` does not surface (the last-stream-id of a
//! GOAWAY).

use std::future::poll_fn;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use h2::client::{ResponseFuture, SendRequest};
use h2::{Reason, SendStream};
use http::{HeaderMap, Method};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;

use super::wire::{self, WireMessage};

/// One request as the test wants it on the wire.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// `:method`.
    pub method: Method,
    /// `:path`, e.g. `/helloworld.Greeter/SayHello`.
    pub path: String,
    /// Every other header, in order; a name may repeat.
    pub headers: Vec<(String, String)>,
    /// The whole request body, sent in DATA frames within the flow-control
    /// window; none when empty.
    pub body: Vec<u8>,
    /// END_STREAM after the body. When false the request side stays open
    /// until the answer is complete: the server must answer from what it has.
    pub end_stream: bool,
}

impl RawRequest {
    /// `method path` with no headers and no body, ended.
    pub fn new(method: Method, path: &str) -> RawRequest {
        RawRequest {
            method,
            path: path.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
            end_stream: true,
        }
    }

    /// A well-formed gRPC call: POST, `content-type: application/grpc`,
    /// `te: trailers`, `body` as the whole request.
    pub fn grpc(path: &str, body: Vec<u8>) -> RawRequest {
        RawRequest::new(Method::POST, path)
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .body(body)
    }

    /// Adds a header (after any of the same name).
    pub fn header(mut self, name: &str, value: &str) -> RawRequest {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds each of `headers`, in order.
    pub fn headers(mut self, headers: &[(&str, &str)]) -> RawRequest {
        for (name, value) in headers {
            self = self.header(name, value);
        }
        self
    }

    /// Removes every header called `name`.
    pub fn without_header(mut self, name: &str) -> RawRequest {
        self.headers.retain(|(have, _)| have != name);
        self
    }

    /// Replaces the headers called `name` by one with `value`.
    pub fn replace_header(self, name: &str, value: &str) -> RawRequest {
        self.without_header(name).header(name, value)
    }

    /// Sets the body.
    pub fn body(mut self, body: Vec<u8>) -> RawRequest {
        self.body = body;
        self
    }

    /// Leaves the request side open after the body (no END_STREAM).
    pub fn open(mut self) -> RawRequest {
        self.end_stream = false;
        self
    }
}

/// What came back for one stream.
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The response head.
    pub headers: HeaderMap,
    /// The response HEADERS frame carried END_STREAM: nothing followed it.
    pub trailers_only: bool,
    /// Every DATA byte, in order.
    pub data: Vec<u8>,
    /// The trailing HEADERS, if the stream ended with them.
    pub trailers: Option<HeaderMap>,
    /// The stream ended with an error (e.g. RST_STREAM) after its head.
    pub body_error: Option<String>,
}

impl Answer {
    /// `grpc-status`: from the trailers, or (trailers-only) from the head.
    pub fn grpc_status(&self) -> Option<&str> {
        let map = if self.trailers_only {
            &self.headers
        } else {
            self.trailers.as_ref()?
        };
        map.get("grpc-status")?.to_str().ok()
    }

    /// A header of the response head, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The response body split into its gRPC messages.
    pub fn messages(&self) -> Vec<WireMessage> {
        wire::messages(&self.data)
    }
}

/// A GOAWAY frame the server sent (RFC 9113, section 6.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoAway {
    /// "The last stream identifier ... the highest-numbered stream identifier
    /// for which the sender of the GOAWAY frame might have taken some action".
    pub last_stream_id: u32,
    /// The error code.
    pub reason: Reason,
}

/// One HTTP/2 connection to a server.
pub struct RawClient {
    client: SendRequest<Bytes>,
    addr: SocketAddr,
    received: Arc<Mutex<Vec<u8>>>,
}

impl RawClient {
    /// Connects with `h2`'s default settings (a 65,535-byte window).
    pub async fn connect(addr: SocketAddr) -> RawClient {
        RawClient::connect_with(addr, h2::client::Builder::new()).await
    }

    /// Connects with `settings` (e.g. another initial window), and returns
    /// once the server has taken the connection: its preface has arrived
    /// (RFC 9113, 3.4: "The server connection preface consists of a
    /// potentially empty SETTINGS frame").
    pub async fn connect_with(addr: SocketAddr, settings: h2::client::Builder) -> RawClient {
        let tcp = TcpStream::connect(addr).await.expect("connect");
        let received = Arc::new(Mutex::new(Vec::new()));
        let arrived = Arc::new(Notify::new());
        let tapped = Tapped {
            io: tcp,
            received: Arc::clone(&received),
            arrived: Arc::clone(&arrived),
        };
        let (client, connection) = settings.handshake(tapped).await.expect("h2 handshake");
        tokio::spawn(async move {
            // The end of the connection is what some tests look for; the
            // error, if any, shows in the answers and the frames.
            let _ = connection.await;
        });
        while received.lock().unwrap().is_empty() {
            arrived.notified().await;
        }
        RawClient {
            client,
            addr,
            received,
        }
    }

    /// Sends `request` (its body within the window) and returns the pending
    /// response and the request side, for a test that reads the answer its
    /// own way (slowly, or not at all).
    pub async fn send(
        &mut self,
        request: &RawRequest,
    ) -> Result<(ResponseFuture, SendStream<Bytes>), h2::Error> {
        let mut head = http::Request::builder()
            .method(request.method.clone())
            .uri(format!("http://{}{}", self.addr, request.path));
        for (name, value) in &request.headers {
            head = head.header(name.as_str(), value.as_str());
        }
        let head = head.body(()).expect("a valid request head");
        let mut client = self.client.clone().ready().await?;
        let no_body = request.body.is_empty() && request.end_stream;
        let (response, mut send) = client.send_request(head, no_body)?;
        let mut rest = Bytes::copy_from_slice(&request.body);
        while !rest.is_empty() {
            send.reserve_capacity(rest.len());
            let capacity = match poll_fn(|cx| send.poll_capacity(cx)).await {
                Some(Ok(capacity)) => capacity,
                // The server answered early and reset the stream.
                Some(Err(_)) | None => break,
            };
            let piece = rest.split_to(capacity.min(rest.len()));
            if send
                .send_data(piece, rest.is_empty() && request.end_stream)
                .is_err()
            {
                break;
            }
        }
        Ok((response, send))
    }

    /// Sends `request` and reads the whole answer; an error before the
    /// response head (a reset, a GOAWAY, a lost connection) is returned.
    pub async fn try_call(&mut self, request: &RawRequest) -> Result<Answer, h2::Error> {
        let (response, send) = self.send(request).await?;
        let answer = read_answer(response).await;
        // Only now: a request left open must stay open until the answer is in.
        drop(send);
        answer
    }

    /// Sends `request` and reads the whole answer; fails the test if the
    /// stream fails before its head.
    pub async fn call(&mut self, request: &RawRequest) -> Answer {
        self.try_call(request)
            .await
            .unwrap_or_else(|err| panic!("{}: no response head: {err}", request.path))
    }

    /// Every GOAWAY frame the server has sent on this connection so far.
    pub fn go_aways(&self) -> Vec<GoAway> {
        let received = self.received.lock().unwrap();
        let mut rest = &received[..];
        let mut found = Vec::new();
        // RFC 9113, 4.1: Length (24), Type (8), Flags (8), R (1), Stream
        // Identifier (31), then the payload.
        while rest.len() >= 9 {
            let len = usize::from(rest[0]) << 16 | usize::from(rest[1]) << 8 | usize::from(rest[2]);
            if rest.len() < 9 + len {
                break;
            }
            let (kind, payload) = (rest[3], &rest[9..9 + len]);
            // GOAWAY is type 0x07: R (1), Last-Stream-ID (31), Error Code (32).
            if kind == 0x07 && payload.len() >= 8 {
                let last = u32::from_be_bytes([payload[0], payload[1], payload[2], payload[3]]);
                let code = u32::from_be_bytes([payload[4], payload[5], payload[6], payload[7]]);
                found.push(GoAway {
                    last_stream_id: last & 0x7fff_ffff,
                    reason: Reason::from(code),
                });
            }
            rest = &rest[9 + len..];
        }
        found
    }
}

/// Reads a response to its end: head, every DATA byte (giving the window
/// back as it goes), trailers.
async fn read_answer(response: ResponseFuture) -> Result<Answer, h2::Error> {
    let (head, mut body) = response.await?.into_parts();
    let trailers_only = body.is_end_stream();
    let mut data = Vec::new();
    let mut body_error = None;
    while let Some(chunk) = body.data().await {
        match chunk {
            Ok(chunk) => {
                let _ = body.flow_control().release_capacity(chunk.len());
                data.extend_from_slice(&chunk);
            }
            Err(err) => {
                body_error = Some(err.to_string());
                break;
            }
        }
    }
    let mut trailers = None;
    if body_error.is_none() {
        match body.trailers().await {
            Ok(found) => trailers = found,
            Err(err) => body_error = Some(err.to_string()),
        }
    }
    Ok(Answer {
        status: head.status.as_u16(),
        headers: head.headers,
        trailers_only,
        data,
        trailers,
        body_error,
    })
}

/// The socket, with a copy of every byte read from it.
struct Tapped {
    io: TcpStream,
    received: Arc<Mutex<Vec<u8>>>,
    /// Told whenever bytes arrive.
    arrived: Arc<Notify>,
}

impl AsyncRead for Tapped {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            let new = &buf.filled()[before..];
            if !new.is_empty() {
                self.received.lock().unwrap().extend_from_slice(new);
                self.arrived.notify_one();
            }
        }
        polled
    }
}

impl AsyncWrite for Tapped {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
