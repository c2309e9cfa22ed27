//! The gRPC message framing: a 5-byte prefix (compressed flag, big-endian
//! u32 length) before each message (PROTOCOL-HTTP2.md, "Length-Prefixed-Message").
//! SKELETON: owned by the framing helper, API fixed.

use bytes::{Bytes, BytesMut};

/// Length of the prefix: one flag byte and a four-byte length.
pub const PREFIX_LEN: usize = 5;

/// One framed message, as it came off the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The compressed flag of the prefix.
    pub compressed: bool,
    /// The message bytes (still compressed when `compressed`).
    pub payload: Bytes,
}

/// Why the incoming bytes are not a valid sequence of frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// The prefix announces a message longer than the limit.
    TooLarge {
        /// The length the prefix announced.
        len: u64,
        /// The configured limit.
        limit: usize,
    },
}

/// Writes a prefix for a message of `len` bytes.
pub fn put_prefix(buf: &mut BytesMut, compressed: bool, len: u32) {
    let _ = (buf, compressed, len);
    todo!()
}

/// Incremental decoder: reassembles frames across chunk boundaries.
#[derive(Debug)]
pub struct FrameDecoder {
    _limit: usize,
}

impl FrameDecoder {
    /// A decoder refusing messages longer than `max_message_len`.
    pub fn new(max_message_len: usize) -> Self {
        FrameDecoder { _limit: max_message_len }
    }
    /// Adds a chunk of incoming bytes.
    pub fn push(&mut self, chunk: Bytes) {
        let _ = chunk;
        todo!()
    }
    /// The next complete frame, if the buffered bytes hold one.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        todo!()
    }
    /// True when bytes of an incomplete frame are buffered.
    pub fn has_partial(&self) -> bool {
        todo!()
    }
}
