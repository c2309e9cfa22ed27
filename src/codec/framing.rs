//! The gRPC message framing: a 5-byte prefix (compressed flag, big-endian
//! u32 length) before each message (PROTOCOL-HTTP2.md, "Length-Prefixed-Message").
//!
//! Encoding: [`put_prefix`] / [`put_frame`] when the length is known up
//! front, or [`reserve_prefix`] + [`finish_prefix`] to encode a message
//! straight into the output buffer and patch the prefix afterwards.
//!
//! Decoding: [`FrameDecoder`], an explicit state machine (read prefix → read
//! body) fed with the DATA chunks as they come. It checks that a frame is
//! complete before parsing it, checks the length limit from the prefix alone
//! (before buffering any of the body), and hands out payloads that are
//! slices of the received chunks whenever a frame lies within one chunk; only
//! a frame straddling chunks is copied, once, into a buffer of exactly its
//! size.
//!
//! PROTOCOL-HTTP2.md, "Data Frames": "DATA frame boundaries have no relation
//! to **Length-Prefixed-Message** boundaries and implementations should make
//! no assumptions about their alignment."

use std::collections::VecDeque;
use std::fmt;

use bytes::{Buf, BufMut, Bytes, BytesMut};

/// Length of the prefix: one flag byte and a four-byte length.
pub const PREFIX_LEN: usize = 5;

/// The longest payload a prefix can describe (its length field is a u32).
pub const MAX_PAYLOAD_LEN: usize = u32::MAX as usize;

/// The receive limit a decoder gets when the caller has no other: the
/// default receive limit, [`DEFAULT_MAX_RECEIVE_MESSAGE_SIZE`] (4 MiB).
///
/// [`DEFAULT_MAX_RECEIVE_MESSAGE_SIZE`]: crate::defaults::DEFAULT_MAX_RECEIVE_MESSAGE_SIZE
pub const DEFAULT_MAX_MESSAGE_LEN: usize = crate::defaults::DEFAULT_MAX_RECEIVE_MESSAGE_SIZE;

/// Buffer policy, as a number: how many bytes of a message straddling chunks
/// the decoder allocates before all of them are here. Zero: received chunks
/// are queued as they are (shared, not copied), and a straddling message is
/// copied once, into a buffer of exactly its length, when its last byte
/// arrives. So a peer cannot make the decoder allocate more than it actually
/// sent (a prefix announcing 4 MiB followed by one byte costs nothing), and a
/// large message is never copied twice by a growing buffer.
pub const REASSEMBLY_PREALLOCATION: usize = 0;

/// One framed message, as it came off the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The compressed flag of the prefix.
    pub compressed: bool,
    /// The message bytes (still compressed when `compressed`).
    pub payload: Bytes,
}

/// Why the incoming bytes are not a valid sequence of frames, or a message
/// cannot be framed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// The prefix announces a message longer than the limit (or a message to
    /// encode is longer than a prefix can describe).
    TooLarge {
        /// The length the prefix announced.
        len: u64,
        /// The configured limit.
        limit: usize,
    },
    /// The compressed-flag byte is neither 0 nor 1.
    InvalidCompressedFlag {
        /// The byte received.
        flag: u8,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::TooLarge { len, limit } => {
                write!(
                    f,
                    "message of {len} bytes is larger than the limit of {limit} bytes"
                )
            }
            FrameError::InvalidCompressedFlag { flag } => {
                write!(
                    f,
                    "invalid compressed flag {flag} in a message prefix (must be 0 or 1)"
                )
            }
        }
    }
}

impl std::error::Error for FrameError {}

/// Writes a prefix for a message of `len` bytes.
pub fn put_prefix(buf: &mut BytesMut, compressed: bool, len: u32) {
    buf.put_u8(u8::from(compressed));
    buf.put_u32(len);
}

/// Appends `payload`, framed, to `buf`. Fails only for a payload longer than
/// [`MAX_PAYLOAD_LEN`].
pub fn put_frame(buf: &mut BytesMut, compressed: bool, payload: &[u8]) -> Result<(), FrameError> {
    let len = payload_len(payload.len())?;
    buf.reserve(PREFIX_LEN + payload.len());
    put_prefix(buf, compressed, len);
    buf.extend_from_slice(payload);
    Ok(())
}

/// Appends a placeholder prefix to `buf` and returns where it starts: encode
/// the message right after it, then call [`finish_prefix`] with the returned
/// offset. This saves computing the length twice or copying the message.
///
/// ```
/// # use bytes::{BufMut, BytesMut};
/// # use h2grpc::__private::framing::{finish_prefix, reserve_prefix};
/// let mut buf = BytesMut::new();
/// let start = reserve_prefix(&mut buf);
/// buf.put_slice(b"message bytes");
/// finish_prefix(&mut buf, start, false).unwrap();
/// assert_eq!(&buf[..5], &[0, 0, 0, 0, 13]);
/// ```
pub fn reserve_prefix(buf: &mut BytesMut) -> usize {
    let start = buf.len();
    buf.put_bytes(0, PREFIX_LEN);
    start
}

/// Writes the prefix reserved at `start` by [`reserve_prefix`], for a message
/// made of every byte after it. Fails (leaving `buf` as it is) when that
/// message is longer than [`MAX_PAYLOAD_LEN`].
///
/// # Panics
/// If `start` is not an offset [`reserve_prefix`] returned for this buffer
/// (fewer than 5 bytes after it): a bug in the caller, never input-driven.
pub fn finish_prefix(buf: &mut BytesMut, start: usize, compressed: bool) -> Result<(), FrameError> {
    let body = buf.len() - start - PREFIX_LEN;
    let len = payload_len(body)?;
    let prefix = &mut buf[start..start + PREFIX_LEN];
    prefix[0] = u8::from(compressed);
    prefix[1..].copy_from_slice(&len.to_be_bytes());
    Ok(())
}

/// The prefix length field for a payload of `len` bytes.
fn payload_len(len: usize) -> Result<u32, FrameError> {
    u32::try_from(len).map_err(|_| FrameError::TooLarge {
        len: len as u64,
        limit: MAX_PAYLOAD_LEN,
    })
}

/// Reads and checks a prefix: the flag, then the announced length against
/// `limit`. Returns the flag and the length.
fn parse_prefix(prefix: [u8; PREFIX_LEN], limit: usize) -> Result<(bool, usize), FrameError> {
    // PROTOCOL-HTTP2.md: "Compressed-Flag → 0 / 1 # encoded as 1 byte
    // unsigned integer".
    let compressed = match prefix[0] {
        0 => false,
        1 => true,
        flag => return Err(FrameError::InvalidCompressedFlag { flag }),
    };
    // PROTOCOL-HTTP2.md: "Message-Length → {length of Message} # encoded as 4
    // byte unsigned integer (big endian)".
    let len = u32::from_be_bytes([prefix[1], prefix[2], prefix[3], prefix[4]]);
    // Checked here, from the prefix alone, before any byte of the body is
    // buffered: a prefix announcing 4 GiB fails with 5 bytes received.
    if u64::from(len) > limit as u64 {
        return Err(FrameError::TooLarge {
            len: u64::from(len),
            limit,
        });
    }
    Ok((compressed, len as usize))
}

/// What the decoder waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// The 5-byte prefix of the next frame.
    Prefix,
    /// The body of a frame whose prefix was read and checked.
    Body {
        /// The compressed flag of the prefix.
        compressed: bool,
        /// The announced length.
        len: usize,
    },
    /// An error was returned; the stream of frames cannot be resynchronized,
    /// so every later call returns it again.
    Failed(FrameError),
}

/// Incremental decoder: reassembles frames across chunk boundaries.
///
/// Received chunks wait in a queue, shared and uncopied, until they hold the
/// next prefix or body (check, then parse). A body within the front chunk is
/// `split_to` out of it (zero copy); a body straddling chunks is gathered
/// once into a buffer of exactly its length.
#[derive(Debug)]
pub struct FrameDecoder {
    limit: usize,
    state: State,
    /// The chunk being read. Empty only when `rest` is empty too: the usual
    /// case (frames within one chunk) touches this field alone.
    cur: Bytes,
    /// The chunks received after `cur`, in order; none is empty.
    rest: VecDeque<Bytes>,
    /// Bytes received and not consumed: `cur` plus `rest`.
    queued: usize,
}

impl FrameDecoder {
    /// A decoder refusing messages longer than `max_message_len`.
    pub fn new(max_message_len: usize) -> Self {
        FrameDecoder {
            limit: max_message_len,
            state: State::Prefix,
            cur: Bytes::new(),
            rest: VecDeque::new(),
            queued: 0,
        }
    }

    /// The longest message this decoder accepts.
    pub fn max_message_len(&self) -> usize {
        self.limit
    }

    /// Adds a chunk of incoming bytes.
    pub fn push(&mut self, chunk: Bytes) {
        if chunk.is_empty() {
            return;
        }
        self.queued += chunk.len();
        if self.cur.is_empty() {
            self.cur = chunk;
        } else {
            self.rest.push_back(chunk);
        }
    }

    /// The next complete frame, if the buffered bytes hold one.
    ///
    /// `Ok(None)` means "push more bytes". After an error the decoder stays
    /// failed: the frame boundaries are lost.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        loop {
            match self.state {
                State::Failed(ref err) => return Err(err.clone()),
                State::Prefix => {
                    // Check: the whole prefix is here. Parse: flag and limit.
                    if self.queued < PREFIX_LEN {
                        return Ok(None);
                    }
                    let mut prefix = [0; PREFIX_LEN];
                    if self.cur.len() >= PREFIX_LEN {
                        // Usual case: the prefix lies within the current chunk.
                        prefix.copy_from_slice(&self.cur[..PREFIX_LEN]);
                        self.advance(PREFIX_LEN);
                    } else {
                        self.copy_out(&mut prefix);
                    }
                    match parse_prefix(prefix, self.limit) {
                        Ok((compressed, len)) => self.state = State::Body { compressed, len },
                        Err(err) => {
                            self.state = State::Failed(err.clone());
                            return Err(err);
                        }
                    }
                }
                State::Body { compressed, len } => {
                    if self.queued < len {
                        return Ok(None);
                    }
                    let payload = self.take(len);
                    self.state = State::Prefix;
                    return Ok(Some(Frame {
                        compressed,
                        payload,
                    }));
                }
            }
        }
    }

    /// True when bytes of an incomplete frame are buffered (call it once
    /// [`FrameDecoder::next_frame`] returned `Ok(None)`: at the end of the
    /// stream this means it ended mid-message).
    pub fn has_partial(&self) -> bool {
        matches!(self.state, State::Body { .. }) || self.queued > 0
    }

    /// Bytes received and not yet handed out in a frame (the prefix of a
    /// frame whose body is awaited not counted).
    pub fn buffered_len(&self) -> usize {
        self.queued
    }

    /// Consumes `out.len()` bytes into `out`; at least that many are queued.
    fn copy_out(&mut self, out: &mut [u8]) {
        let mut filled = 0;
        while filled < out.len() {
            let n = self.cur.len().min(out.len() - filled);
            out[filled..filled + n].copy_from_slice(&self.cur[..n]);
            filled += n;
            self.advance(n);
        }
    }

    /// Consumes `len` bytes as one `Bytes`; at least that many are queued. A
    /// slice of the current chunk when it holds them all, else a copy into a
    /// buffer of exactly `len` bytes.
    fn take(&mut self, len: usize) -> Bytes {
        if self.cur.len() >= len {
            // Fast path: zero copy.
            let payload = self.cur.split_to(len);
            self.advance(0);
            self.queued -= len;
            return payload;
        }
        // Slow path: the body straddles chunks.
        let mut body = BytesMut::with_capacity(len);
        while body.len() < len {
            let n = self.cur.len().min(len - body.len());
            body.extend_from_slice(&self.cur[..n]);
            self.advance(n);
        }
        body.freeze()
    }

    /// Drops `n` bytes (at most its length) from the current chunk, moving
    /// to the next chunk when it is used up.
    fn advance(&mut self, n: usize) {
        self.cur.advance(n);
        self.queued -= n;
        if self.cur.is_empty() {
            if let Some(next) = self.rest.pop_front() {
                self.cur = next;
            }
        }
    }
}

impl Default for FrameDecoder {
    /// A decoder with the [`DEFAULT_MAX_MESSAGE_LEN`] limit.
    fn default() -> Self {
        FrameDecoder::new(DEFAULT_MAX_MESSAGE_LEN)
    }
}
