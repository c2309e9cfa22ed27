//! [`FrameBuf`]: where a call's outgoing messages are framed before they go
//! to the transport. It is one growing buffer, except that a large `bytes`
//! field is not copied into it: the field's own [`Bytes`] (a reference
//! count, not a copy) becomes a chunk of its own, between the bytes framed
//! before it and those after, and the transport sends the chunks in order.
//! A message without such a field costs exactly what a `BytesMut` did.

use bytes::buf::UninitSlice;
use bytes::{Buf, BufMut, Bytes, BytesMut};

/// A `bytes` value of at least this many bytes goes out as its own chunk;
/// a smaller one is copied, which is cheaper than the extra DATA frame a
/// chunk costs.
pub const OWN_CHUNK_MIN: usize = 8 * 1024;

/// Framed messages, in order: the chunks sealed so far, then the open
/// buffer that takes every write that is not a large `bytes` value.
#[derive(Debug, Default)]
pub struct FrameBuf {
    sealed: Vec<Bytes>,
    sealed_len: usize,
    open: BytesMut,
}

impl FrameBuf {
    /// An empty buffer; allocates nothing until written to.
    pub fn new() -> FrameBuf {
        FrameBuf::default()
    }

    /// Bytes held, sealed chunks and open buffer together.
    pub fn len(&self) -> usize {
        self.sealed_len + self.open.len()
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The open buffer, for writes that need a contiguous one (a prefix
    /// written after its message, compressed output).
    pub fn open_mut(&mut self) -> &mut BytesMut {
        &mut self.open
    }

    /// Takes everything held, as the chunks to send in order (none empty),
    /// leaving the buffer empty; the open buffer's spare capacity stays for
    /// the next messages.
    pub fn take(&mut self) -> Chunks {
        let open = self.open.split().freeze();
        self.sealed_len = 0;
        if self.sealed.is_empty() {
            return Chunks::One(open);
        }
        let mut chunks = std::mem::take(&mut self.sealed);
        if !open.is_empty() {
            chunks.push(open);
        }
        Chunks::Many(chunks)
    }

    /// Everything held, as the chunks to send in order: [`FrameBuf::take`]
    /// for a buffer used once, which saves splitting the open buffer (a
    /// shared header allocated for a capacity nobody will use).
    pub fn into_chunks(self) -> Chunks {
        let open = self.open.freeze();
        if self.sealed.is_empty() {
            return Chunks::One(open);
        }
        let mut chunks = self.sealed;
        if !open.is_empty() {
            chunks.push(open);
        }
        Chunks::Many(chunks)
    }

    fn seal_open(&mut self) {
        if !self.open.is_empty() {
            let sealed = self.open.split().freeze();
            self.sealed_len += sealed.len();
            self.sealed.push(sealed);
        }
    }
}

/// What [`FrameBuf::take`] hands the transport.
#[derive(Debug, Clone)]
pub enum Chunks {
    /// Everything in one buffer (maybe empty): every message without a
    /// large `bytes` field.
    One(Bytes),
    /// Several chunks, none empty, to send in order.
    Many(Vec<Bytes>),
}

impl IntoIterator for Chunks {
    type Item = Bytes;
    type IntoIter = std::iter::Chain<std::option::IntoIter<Bytes>, std::vec::IntoIter<Bytes>>;

    fn into_iter(self) -> Self::IntoIter {
        match self {
            Chunks::One(bytes) => Some(bytes)
                .filter(|bytes| !bytes.is_empty())
                .into_iter()
                .chain(Vec::new()),
            Chunks::Many(chunks) => None.into_iter().chain(chunks),
        }
    }
}

// SAFETY: every method that touches memory delegates to the open
// `BytesMut`, whose `BufMut` implementation upholds the trait's contract
// (`chunk_mut` is writable spare capacity, `advance_mut` only after it was
// written); `put` adds whole initialized `Bytes` or goes through the same
// delegation.
unsafe impl BufMut for FrameBuf {
    fn remaining_mut(&self) -> usize {
        self.open.remaining_mut()
    }

    unsafe fn advance_mut(&mut self, cnt: usize) {
        // SAFETY: the caller's promise (the `cnt` bytes of `chunk_mut` were
        // written) is the one `BytesMut::advance_mut` asks for.
        unsafe { self.open.advance_mut(cnt) }
    }

    fn chunk_mut(&mut self) -> &mut UninitSlice {
        self.open.chunk_mut()
    }

    fn put_slice(&mut self, src: &[u8]) {
        self.open.extend_from_slice(src);
    }

    /// A large value goes in as a chunk of its own: for [`Bytes`], whose
    /// `copy_to_bytes` hands out a reference to the same memory, without a
    /// copy.
    fn put<T: Buf>(&mut self, mut src: T)
    where
        Self: Sized,
    {
        let len = src.remaining();
        if len < OWN_CHUNK_MIN {
            self.open.put(src);
            return;
        }
        self.seal_open();
        let chunk = src.copy_to_bytes(len);
        self.sealed_len += chunk.len();
        self.sealed.push(chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(chunks: Chunks) -> Vec<Bytes> {
        chunks.into_iter().collect()
    }

    #[test]
    fn small_writes_stay_in_one_buffer() {
        let mut buf = FrameBuf::new();
        buf.put_u8(1);
        buf.put(Bytes::from_static(b"small"));
        buf.put_slice(b"tail");
        assert_eq!(buf.len(), 10);
        let Chunks::One(bytes) = buf.take() else {
            panic!("expected one buffer")
        };
        assert_eq!(&bytes[..], b"\x01smalltail");
        assert!(buf.is_empty());
    }

    #[test]
    fn a_large_bytes_value_is_its_own_chunk_sharing_its_memory() {
        let big = Bytes::from(vec![7u8; OWN_CHUNK_MIN]);
        let mut buf = FrameBuf::new();
        buf.put_slice(b"head");
        buf.put(big.clone());
        buf.put_slice(b"after");
        assert_eq!(buf.len(), 4 + OWN_CHUNK_MIN + 5);
        let chunks = collect(buf.take());
        assert_eq!(chunks.len(), 3);
        assert_eq!(&chunks[0][..], b"head");
        assert_eq!(
            chunks[1].as_ptr(),
            big.as_ptr(),
            "the field's memory, not a copy"
        );
        assert_eq!(&chunks[2][..], b"after");
        assert!(buf.is_empty());
        assert!(
            collect(buf.take()).is_empty(),
            "an empty take yields no chunk"
        );
    }

    #[test]
    fn a_large_value_first_makes_no_empty_chunk() {
        let big = Bytes::from(vec![1u8; OWN_CHUNK_MIN + 1]);
        let mut buf = FrameBuf::new();
        buf.put(big);
        let chunks = buf.take();
        assert!(matches!(&chunks, Chunks::Many(list) if list.len() == 1));
    }
}

#[cfg(test)]
mod framing_tests {
    use bytes::Bytes;

    use super::*;
    use crate::codec::compression::Encoding;
    use crate::codec::framing::FrameDecoder;
    use crate::codec::message_codec::MessageEncoder;
    use crate::codec::Message;

    crate::message! {
        /// A large `bytes` field between two small fields.
        pub struct Blobby {
            /// Before the body.
            id: uint32 = 1,
            /// The large field.
            body: bytes = 2,
            /// After it.
            tail: string = 3,
        }
    }

    #[test]
    fn a_message_with_a_large_bytes_field_is_framed_around_the_field_itself() {
        let body = Bytes::from(vec![42u8; 3 * OWN_CHUNK_MIN]);
        let message = Blobby {
            id: 7,
            body: body.clone(),
            tail: "end".into(),
        };
        let mut encoder = MessageEncoder::new(Encoding::Identity, usize::MAX);
        let mut buf = FrameBuf::new();
        encoder.encode(&message, &mut buf).expect("encode");
        encoder.encode(&message, &mut buf).expect("encode");
        let Chunks::Many(chunks) = buf.take() else {
            panic!("the body is a chunk of its own")
        };
        // prefix+id+key, body, tail+prefix+id+key, body, tail
        assert_eq!(chunks.len(), 5);
        assert_eq!(chunks[1].as_ptr(), body.as_ptr());
        assert_eq!(chunks[3].as_ptr(), body.as_ptr());
        let mut frames = FrameDecoder::new(usize::MAX);
        for chunk in chunks {
            frames.push(chunk);
        }
        for _ in 0..2 {
            let frame = frames.next_frame().expect("frame").expect("a whole frame");
            assert!(!frame.compressed);
            assert_eq!(Blobby::decode(frame.payload).expect("decode"), message);
        }
        assert!(frames.next_frame().expect("no error").is_none());
    }
}
