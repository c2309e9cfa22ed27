//! A client below h2: HTTP/2 frames written and read by hand over a
//! `TcpStream`, for what a well-behaved client never does (open streams past
//! the server's limit, never acknowledge a PING, ping in a loop) and for the
//! frames the server sends exactly as they came (SETTINGS, PING, GOAWAY,
//! RST_STREAM).

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Frame types (RFC 9113, 6).
pub const DATA: u8 = 0x0;
/// HEADERS.
pub const HEADERS: u8 = 0x1;
/// RST_STREAM.
pub const RST_STREAM: u8 = 0x3;
/// SETTINGS.
pub const SETTINGS: u8 = 0x4;
/// PING.
pub const PING: u8 = 0x6;
/// GOAWAY.
pub const GOAWAY: u8 = 0x7;
/// WINDOW_UPDATE.
pub const WINDOW_UPDATE: u8 = 0x8;
/// END_STREAM on HEADERS; ACK on SETTINGS and PING.
pub const END_STREAM_OR_ACK: u8 = 0x1;
/// END_HEADERS on HEADERS.
pub const END_HEADERS: u8 = 0x4;

/// One frame as it came off the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The type.
    pub kind: u8,
    /// The flags.
    pub flags: u8,
    /// The stream identifier.
    pub stream: u32,
    /// The payload.
    pub payload: Vec<u8>,
}

impl Frame {
    /// A SETTINGS frame's value of `id`, if it carries one.
    pub fn setting(&self, id: u16) -> Option<u32> {
        self.payload.chunks_exact(6).find_map(|entry| {
            (u16::from_be_bytes([entry[0], entry[1]]) == id)
                .then(|| u32::from_be_bytes([entry[2], entry[3], entry[4], entry[5]]))
        })
    }

    /// A GOAWAY's last stream identifier.
    pub fn last_stream_id(&self) -> u32 {
        self.leading_u31()
    }

    /// A WINDOW_UPDATE's increment.
    pub fn window_increment(&self) -> u32 {
        self.leading_u31()
    }

    /// The 31-bit value the payload starts with (its reserved bit cleared).
    fn leading_u31(&self) -> u32 {
        let value = [
            self.payload[0],
            self.payload[1],
            self.payload[2],
            self.payload[3],
        ];
        u32::from_be_bytes(value) & 0x7fff_ffff
    }

    /// A GOAWAY's or RST_STREAM's error code.
    pub fn error_code(&self) -> u32 {
        let at = if self.kind == GOAWAY { 4 } else { 0 };
        u32::from_be_bytes([
            self.payload[at],
            self.payload[at + 1],
            self.payload[at + 2],
            self.payload[at + 3],
        ])
    }
}

/// What [`FrameClient::next`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// A frame.
    Frame(Frame),
    /// The server closed the connection.
    Closed,
    /// Nothing within the wait.
    Quiet,
}

/// One hand-driven HTTP/2 connection.
pub struct FrameClient {
    tcp: TcpStream,
    buf: Vec<u8>,
}

impl FrameClient {
    /// Connects and sends the preface and an empty SETTINGS frame.
    pub async fn connect(addr: SocketAddr) -> FrameClient {
        let mut tcp = TcpStream::connect(addr).await.expect("connect");
        tcp.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
            .await
            .expect("preface");
        let mut client = FrameClient {
            tcp,
            buf: Vec::new(),
        };
        client.send(SETTINGS, 0, 0, &[]).await;
        client
    }

    /// The server's end of a connection `tcp` accepted: reads the client's
    /// preface and sends an empty SETTINGS frame, then reads and writes
    /// frames as a client's end does.
    pub async fn accepted(mut tcp: TcpStream) -> FrameClient {
        let mut preface = [0u8; 24];
        tcp.read_exact(&mut preface).await.expect("client preface");
        assert_eq!(&preface, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        let mut server = FrameClient {
            tcp,
            buf: Vec::new(),
        };
        server.send(SETTINGS, 0, 0, &[]).await;
        server
    }

    /// Writes one frame.
    pub async fn send(&mut self, kind: u8, flags: u8, stream: u32, payload: &[u8]) {
        let len = payload.len() as u32;
        let mut frame = len.to_be_bytes()[1..].to_vec();
        frame.extend_from_slice(&[kind, flags]);
        frame.extend_from_slice(&stream.to_be_bytes());
        frame.extend_from_slice(payload);
        // A server that has closed may refuse the write; what it sent is
        // what the test reads.
        let _ = self.tcp.write_all(&frame).await;
    }

    /// Opens stream `stream` with a gRPC request head for `path` (and any
    /// `extra` headers), leaving the request side open.
    pub async fn open_grpc_stream(&mut self, stream: u32, path: &str, extra: &[(&str, &str)]) {
        let block = grpc_head(path, extra);
        self.send(HEADERS, END_HEADERS, stream, &block).await;
    }

    /// Sends a PING with `data`.
    pub async fn ping(&mut self, data: [u8; 8]) {
        self.send(PING, 0, 0, &data).await;
    }

    /// The next frame, or the end of the connection, or `Quiet` after `wait`.
    pub async fn next(&mut self, wait: Duration) -> Next {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if self.buf.len() >= 9 {
                let len = usize::from(self.buf[0]) << 16
                    | usize::from(self.buf[1]) << 8
                    | usize::from(self.buf[2]);
                if self.buf.len() >= 9 + len {
                    let head: Vec<u8> = self.buf.drain(..9 + len).collect();
                    return Next::Frame(Frame {
                        kind: head[3],
                        flags: head[4],
                        stream: u32::from_be_bytes([head[5], head[6], head[7], head[8]])
                            & 0x7fff_ffff,
                        payload: head[9..].to_vec(),
                    });
                }
            }
            let mut chunk = [0u8; 16 * 1024];
            match tokio::time::timeout_at(deadline, self.tcp.read(&mut chunk)).await {
                Err(_) => return Next::Quiet,
                Ok(Ok(0)) | Ok(Err(_)) => return Next::Closed,
                Ok(Ok(n)) => self.buf.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// The next frame within `wait`, answering the server's PINGs on the
    /// way (as any live client does) and skipping SETTINGS and
    /// WINDOW_UPDATE.
    pub async fn next_acking(&mut self, wait: Duration) -> Next {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await {
                Next::Frame(frame)
                    if frame.kind == PING && frame.flags & END_STREAM_OR_ACK == 0 =>
                {
                    self.send(PING, END_STREAM_OR_ACK, 0, &frame.payload).await;
                }
                Next::Frame(frame) if frame.kind == SETTINGS || frame.kind == WINDOW_UPDATE => {}
                other => return other,
            }
        }
    }

    /// The next frame of type `kind` within `wait`, skipping others; `None`
    /// when the connection closed or went quiet first.
    pub async fn next_of(&mut self, kind: u8, wait: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await {
                Next::Frame(frame) if frame.kind == kind => return Some(frame),
                Next::Frame(_) => {}
                Next::Closed | Next::Quiet => return None,
            }
        }
    }
}

/// An HPACK block (RFC 7541) for a gRPC request: every field a literal
/// without indexing, names from the static table where it has them.
pub fn grpc_head(path: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut block = vec![0x83, 0x86]; // :method POST, :scheme http (static 3 and 6)
    literal_indexed_name(&mut block, 4, path); // :path
    literal_indexed_name(&mut block, 1, "localhost"); // :authority
    literal_indexed_name(&mut block, 31, "application/grpc"); // content-type
    for (name, value) in [("te", "trailers")].iter().chain(extra) {
        block.push(0x00);
        string(&mut block, name);
        string(&mut block, value);
    }
    block
}

/// "Literal Header Field without Indexing -- Indexed Name" (RFC 7541, 6.2.2).
fn literal_indexed_name(block: &mut Vec<u8>, index: usize, value: &str) {
    integer(block, 0x00, 4, index);
    string(block, value);
}

/// A string literal, not Huffman-coded (RFC 7541, 5.2).
fn string(block: &mut Vec<u8>, value: &str) {
    integer(block, 0x00, 7, value.len());
    block.extend_from_slice(value.as_bytes());
}

/// An integer with an `prefix`-bit prefix after `high` bits (RFC 7541, 5.1).
fn integer(block: &mut Vec<u8>, high: u8, prefix: u32, mut value: usize) {
    let max = (1usize << prefix) - 1;
    if value < max {
        block.push(high | value as u8);
        return;
    }
    block.push(high | max as u8);
    value -= max;
    while value >= 128 {
        block.push((value % 128) as u8 | 0x80);
        value /= 128;
    }
    block.push(value as u8);
}
