//! Frame decoder throughput: DATA chunks of 16 KiB (h2's default maximum
//! frame size) holding many small messages, and one large message split
//! across chunks.
//!
//! `cargo bench --bench framing`

use bytes::{Bytes, BytesMut};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use h2grpc::__private::framing::{
    finish_prefix, put_frame, reserve_prefix, FrameDecoder, DEFAULT_MAX_MESSAGE_LEN,
};

/// The DATA chunk size a peer typically sends.
const CHUNK: usize = 16 * 1024;

/// `count` messages of `len` bytes, framed back to back.
fn wire(count: usize, len: usize) -> Bytes {
    let mut buf = BytesMut::with_capacity(count * (len + 5));
    let payload = vec![0xA5u8; len];
    for _ in 0..count {
        put_frame(&mut buf, false, &payload).unwrap();
    }
    buf.freeze()
}

/// `wire` cut into 16 KiB chunks (cheap `Bytes` slices, as h2 hands them).
fn chunks(wire: &Bytes) -> Vec<Bytes> {
    (0..wire.len())
        .step_by(CHUNK)
        .map(|at| wire.slice(at..(at + CHUNK).min(wire.len())))
        .collect()
}

/// Decodes every frame of `chunks`; returns the payload bytes seen.
fn decode(chunks: &[Bytes]) -> usize {
    let mut decoder = FrameDecoder::new(DEFAULT_MAX_MESSAGE_LEN);
    let mut total = 0;
    for chunk in chunks {
        decoder.push(chunk.clone());
        while let Some(frame) = decoder.next_frame().unwrap() {
            total += black_box(frame.payload).len();
        }
    }
    total
}

fn decode_16k_chunks(c: &mut Criterion) {
    let mut group = c.benchmark_group("framing/decode_16k_chunks");
    // 1 MiB of wire data per iteration, in messages of various sizes; the
    // sizes are chosen so that most chunk boundaries fall inside a message.
    for len in [10usize, 100, 1000] {
        let data = wire((1 << 20) / (len + 5), len);
        let chunks = chunks(&data);
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("small_messages", len),
            &chunks,
            |b, chunks| b.iter(|| decode(chunks)),
        );
    }
    // One 1 MiB message across 64 chunks: reassembled (copied once).
    let data = wire(1, 1 << 20);
    let chunks = chunks(&data);
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("large_message", 1 << 20),
        &chunks,
        |b, chunks| b.iter(|| decode(chunks)),
    );
    group.finish();
}

fn encode_small(c: &mut Criterion) {
    let mut group = c.benchmark_group("framing/encode");
    let payload = vec![0x5Au8; 100];
    let count = 10_000;
    group.throughput(Throughput::Bytes((count * (payload.len() + 5)) as u64));
    group.bench_function("reserve_then_patch_100B", |b| {
        let mut buf = BytesMut::with_capacity(count * (payload.len() + 5));
        b.iter(|| {
            buf.clear();
            for _ in 0..count {
                let start = reserve_prefix(&mut buf);
                buf.extend_from_slice(&payload);
                finish_prefix(&mut buf, start, false).unwrap();
            }
            black_box(buf.len())
        })
    });
    group.finish();
}

criterion_group!(benches, decode_16k_chunks, encode_small);
criterion_main!(benches);
