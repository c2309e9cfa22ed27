//! The codec and framing hot path allocates nothing per message beyond the
//! message's own heap fields, counted by a global allocator that tallies
//! the allocations of the current thread.
//!
//! - encoding (with its frame prefix) into a buffer with room: none;
//! - decoding: one per non-empty string (and nothing for a `bytes` field,
//!   which shares the received buffer), none for nested messages;
//! - frame decoding: none for frames within a received chunk, however many
//!   a chunk holds; one, of exactly the message's length, for a message
//!   that straddles chunks.
#![cfg(feature = "demo")] // h2grpc::services exists with the `demo` feature only.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use bytes::{Bytes, BytesMut};
use h2grpc::__private::framing::{Frame, FrameDecoder};
use h2grpc::__private::message_codec::{
    encode_uncompressed, Chunks, FrameBuf, MessageDecoder, MessageEncoder, ReceiveError,
};
use h2grpc::codec::compression::Encoding;
use h2grpc::codec::Message;
use h2grpc::services::greeter::{HelloReply, HelloRequest};
use h2grpc::services::route_guide::{Feature, Point, RouteNote};

/// Reads the message in an uncompressed frame, as a call's decoder does.
fn decode_frame<M: Message>(frame: Frame) -> Result<M, ReceiveError> {
    MessageDecoder::new(Encoding::Identity, usize::MAX).decode(frame)
}

/// Counts the allocations (and reallocations) made on each thread.
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with`: the allocator may run while this thread's locals are
    // being torn down.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counter is a thread-local `Cell` with a const initializer, which itself
// never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Runs `work` and returns its result with the number of allocations it
/// made on this thread.
fn allocations<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = work();
    let after = ALLOCATIONS.with(Cell::get);
    (out, after - before)
}

const MESSAGES: usize = 1000;

fn feature() -> Feature {
    Feature {
        name: "Berkshire Valley Management Area Trail, Jefferson, NJ, USA".into(),
        location: Some(Point::new(409_146_138, -746_188_906)),
    }
}

fn note() -> RouteNote {
    RouteNote {
        location: Some(Point::new(1, 2)),
        message: "First message".into(),
    }
}

/// `MESSAGES` framed copies of `message`, back to back.
fn framed_many<M: Message>(message: &M) -> Bytes {
    let mut buf = FrameBuf::new();
    for _ in 0..MESSAGES {
        encode_uncompressed(message, &mut buf, usize::MAX).expect("frame");
    }
    match buf.into_chunks() {
        Chunks::One(framed) => framed,
        // A large `bytes` field comes out as a chunk of its own: join them.
        many => {
            let mut framed = BytesMut::new();
            for chunk in many {
                framed.extend_from_slice(&chunk);
            }
            framed.freeze()
        }
    }
}

#[test]
fn encoding_messages_with_their_prefix_into_a_buffer_with_room_allocates_nothing() {
    let hello = HelloRequest {
        name: "world".into(),
    };
    let feature = feature();
    let note = note();
    let mut buf = FrameBuf::new();
    buf.open_mut().reserve(MESSAGES * 128);
    let ((), count) = allocations(|| {
        for _ in 0..MESSAGES {
            encode_uncompressed(&hello, &mut buf, usize::MAX).expect("hello");
            encode_uncompressed(&feature, &mut buf, usize::MAX).expect("feature");
            encode_uncompressed(&note, &mut buf, usize::MAX).expect("note");
        }
    });
    assert_eq!(count, 0, "allocations for {} encodes", 3 * MESSAGES);
    assert!(buf.len() > 3 * MESSAGES * 5);
}

#[test]
fn the_identity_message_encoder_allocates_nothing_either() {
    let reply = HelloReply {
        message: "Hello, world!".into(),
    };
    let mut encoder = MessageEncoder::new(Encoding::Identity, usize::MAX);
    let mut buf = FrameBuf::new();
    buf.open_mut().reserve(MESSAGES * 32);
    let ((), count) = allocations(|| {
        for _ in 0..MESSAGES {
            encoder.encode(&reply, &mut buf).expect("encode");
        }
    });
    assert_eq!(count, 0);
}

#[test]
fn decoding_allocates_once_per_string_field_and_never_for_nested_messages() {
    let hello = framed_many(&HelloRequest {
        name: "world".into(),
    });
    let feature = framed_many(&feature());
    let point = framed_many(&Point::new(1, 2));
    for (what, bytes, strings) in [
        ("HelloRequest", hello, 1),
        ("Feature", feature, 1),
        ("Point", point, 0),
    ] {
        let mut decoder = FrameDecoder::new(usize::MAX);
        decoder.push(bytes);
        let mut decoded = 0;
        let ((), count) = allocations(|| {
            while let Some(frame) = decoder.next_frame().expect("frame") {
                match what {
                    "HelloRequest" => drop(decode_frame::<HelloRequest>(frame).expect("decode")),
                    "Feature" => drop(decode_frame::<Feature>(frame).expect("decode")),
                    _ => drop(decode_frame::<Point>(frame).expect("decode")),
                }
                decoded += 1;
            }
        });
        assert_eq!(decoded, MESSAGES, "{what}");
        assert_eq!(count, strings * MESSAGES, "{what}: allocations");
    }
}

#[test]
fn a_bytes_field_shares_the_received_buffer() {
    // BytesValue-like: the interop suite's Payload { type = 1, body = 2 }.
    let body = vec![7u8; 64 * 1024];
    let payload = h2grpc::services::interop::Payload {
        body: Bytes::from(body.clone()),
        ..Default::default()
    };
    let framed = framed_many(&payload);
    let mut decoder = FrameDecoder::new(usize::MAX);
    decoder.push(framed);
    let (bodies, count) = allocations(|| {
        let mut bodies = 0;
        while let Some(frame) = decoder.next_frame().expect("frame") {
            let decoded =
                decode_frame::<h2grpc::services::interop::Payload>(frame).expect("decode");
            bodies += usize::from(decoded.body.len() == body.len());
        }
        bodies
    });
    assert_eq!(bodies, MESSAGES);
    assert_eq!(count, 0, "a 64 KiB bytes field must not be copied");
}

#[test]
fn frames_within_a_chunk_are_sliced_out_without_allocating() {
    let framed = framed_many(&HelloRequest {
        name: "world".into(),
    });
    let mut decoder = FrameDecoder::new(usize::MAX);
    let (frames, count) = allocations(|| {
        decoder.push(framed);
        let mut frames = 0;
        while decoder.next_frame().expect("frame").is_some() {
            frames += 1;
        }
        frames
    });
    assert_eq!(frames, MESSAGES);
    assert_eq!(count, 0);
}

#[test]
fn a_message_straddling_chunks_costs_one_buffer_of_its_length() {
    let framed = framed_many(&HelloRequest {
        name: "world".into(),
    });
    // Chunks of 7 bytes cut from one receive buffer, as h2 hands them over:
    // every 12-byte frame (5 + 7) straddles a boundary.
    let mut received = BytesMut::from(&framed[..]);
    let mut chunks = Vec::new();
    while !received.is_empty() {
        let n = received.len().min(7);
        chunks.push(received.split_to(n).freeze());
    }
    let mut decoder = FrameDecoder::new(usize::MAX);
    let mut frames = 0;
    let mut straddling = 0;
    let ((), count) = allocations(|| {
        for chunk in chunks {
            decoder.push(chunk);
            while let Some(frame) = decoder.next_frame().expect("frame") {
                frames += 1;
                straddling += usize::from(frame.payload.len() == 7);
            }
        }
    });
    assert_eq!(frames, MESSAGES);
    // At most one allocation per frame (its gathered body) plus the
    // decoder's queue of pending chunks growing a few times.
    assert!(
        count <= MESSAGES + 8,
        "{count} allocations for {MESSAGES} straddling frames"
    );
    assert_eq!(straddling, MESSAGES);
}
