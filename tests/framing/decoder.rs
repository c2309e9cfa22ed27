//! `FrameDecoder`: frames come out the same whatever the chunking, the limit
//! is enforced from the prefix, the flag is checked, and frames within one
//! chunk are not copied.

use bytes::{Bytes, BytesMut};
use h2grpc::__private::framing::{
    put_frame, Frame, FrameDecoder, FrameError, DEFAULT_MAX_MESSAGE_LEN,
};

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn frame(compressed: bool, payload: Vec<u8>) -> Frame {
    Frame {
        compressed,
        payload: Bytes::from(payload),
    }
}

fn encode(frames: &[Frame]) -> Bytes {
    let mut buf = BytesMut::new();
    for f in frames {
        put_frame(&mut buf, f.compressed, &f.payload).unwrap();
    }
    buf.freeze()
}

/// Pushes `chunks` one by one, draining frames after each.
fn decode_chunks(limit: usize, chunks: impl IntoIterator<Item = Bytes>) -> Vec<Frame> {
    let mut decoder = FrameDecoder::new(limit);
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(frame) = decoder.next_frame().unwrap() {
            out.push(frame);
        }
    }
    assert!(!decoder.has_partial(), "bytes left over");
    out
}

/// Splits `wire` at the given sorted offsets.
fn split_at(wire: &Bytes, offsets: &[usize]) -> Vec<Bytes> {
    let mut chunks = Vec::new();
    let mut start = 0;
    for &at in offsets.iter().chain(std::iter::once(&wire.len())) {
        chunks.push(wire.slice(start..at));
        start = at;
    }
    chunks
}

/// Empty, tiny, medium and "large" (several KiB) messages, both flags.
fn mixed_frames() -> Vec<Frame> {
    vec![
        frame(false, vec![]),
        frame(false, pattern(1, 1)),
        frame(true, pattern(300, 2)),
        frame(false, vec![]),
        frame(false, pattern(5000, 3)),
        frame(true, vec![]),
        frame(false, pattern(4, 4)),
        frame(false, pattern(5, 5)),
        frame(false, pattern(6, 6)),
    ]
}

#[test]
fn frames_split_at_every_offset_decode_the_same() {
    // PROTOCOL-HTTP2.md: "DATA frame boundaries have no relation to
    // Length-Prefixed-Message boundaries and implementations should make no
    // assumptions about their alignment."
    let frames = mixed_frames();
    let wire = encode(&frames);
    for at in 0..=wire.len() {
        assert_eq!(
            decode_chunks(DEFAULT_MAX_MESSAGE_LEN, split_at(&wire, &[at])),
            frames,
            "split at {at}"
        );
    }
}

#[test]
fn frames_split_at_every_pair_of_offsets_decode_the_same() {
    let frames = vec![
        frame(false, pattern(3, 1)),
        frame(true, vec![]),
        frame(false, pattern(17, 2)),
        frame(false, pattern(9, 3)),
    ];
    let wire = encode(&frames);
    for a in 0..=wire.len() {
        for b in a..=wire.len() {
            assert_eq!(
                decode_chunks(1024, split_at(&wire, &[a, b])),
                frames,
                "split at {a}, {b}"
            );
        }
    }
}

#[test]
fn frames_in_one_byte_chunks_decode_the_same() {
    let frames = mixed_frames();
    let wire = encode(&frames);
    let chunks = (0..wire.len()).map(|i| wire.slice(i..i + 1));
    assert_eq!(decode_chunks(DEFAULT_MAX_MESSAGE_LEN, chunks), frames);
}

#[test]
fn frames_in_random_chunkings_decode_the_same() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut frames = mixed_frames();
    frames.push(frame(false, pattern(1 << 20, 7))); // 1 MiB
    for i in 0..200 {
        let len = [0, 1, 5, 100, 4096][i % 5] + rng.below(50);
        frames.push(frame(i % 3 == 0, pattern(len, i as u8)));
    }
    let wire = encode(&frames);
    for round in 0..30 {
        let max_chunk = [13, 64, 1000, 16 * 1024, 100_000][round % 5];
        let mut offsets = Vec::new();
        let mut at = 0;
        loop {
            at += 1 + rng.below(max_chunk);
            if at >= wire.len() {
                break;
            }
            offsets.push(at);
        }
        assert_eq!(
            decode_chunks(DEFAULT_MAX_MESSAGE_LEN, split_at(&wire, &offsets)),
            frames,
            "round {round}"
        );
    }
}

#[test]
fn several_chunks_pushed_before_reading_decode_the_same() {
    let frames = mixed_frames();
    let wire = encode(&frames);
    let mut decoder = FrameDecoder::new(DEFAULT_MAX_MESSAGE_LEN);
    for chunk in split_at(&wire, &[3, 4, 200, 2000, 2001]) {
        decoder.push(chunk);
    }
    decoder.push(Bytes::new());
    let mut out = Vec::new();
    while let Some(frame) = decoder.next_frame().unwrap() {
        out.push(frame);
    }
    assert_eq!(out, frames);
    assert!(!decoder.has_partial());
    assert_eq!(decoder.buffered_len(), 0);
}

#[test]
fn limit_is_enforced_from_the_prefix_alone() {
    // A prefix announcing 4 GiB - 1 fails with only its 5 bytes pushed.
    let mut decoder = FrameDecoder::new(DEFAULT_MAX_MESSAGE_LEN);
    decoder.push(Bytes::from_static(&[0, 0xFF, 0xFF, 0xFF, 0xFF]));
    let expected = FrameError::TooLarge {
        len: u32::MAX as u64,
        limit: DEFAULT_MAX_MESSAGE_LEN,
    };
    assert_eq!(decoder.next_frame(), Err(expected.clone()));
    // The decoder stays failed: frame boundaries are lost.
    decoder.push(Bytes::from_static(&[0, 0, 0, 0, 0]));
    assert_eq!(decoder.next_frame(), Err(expected));
}

#[test]
fn limit_is_enforced_from_a_prefix_split_across_chunks() {
    let mut decoder = FrameDecoder::new(10);
    decoder.push(Bytes::from_static(&[1, 0, 0]));
    assert_eq!(decoder.next_frame(), Ok(None));
    assert!(decoder.has_partial());
    decoder.push(Bytes::from_static(&[0, 11]));
    assert_eq!(
        decoder.next_frame(),
        Err(FrameError::TooLarge { len: 11, limit: 10 })
    );
}

#[test]
fn message_exactly_at_the_limit_is_accepted() {
    for limit in [0, 1, 10, 64 * 1024] {
        let at_limit = vec![
            frame(false, pattern(limit, 1)),
            frame(true, pattern(limit, 2)),
        ];
        let wire = encode(&at_limit);
        assert_eq!(decode_chunks(limit, [wire.clone()]), at_limit);
        assert_eq!(
            decode_chunks(limit, split_at(&wire, &[wire.len() / 3])),
            at_limit
        );

        let over = encode(&[frame(false, pattern(limit + 1, 3))]);
        let mut decoder = FrameDecoder::new(limit);
        decoder.push(over.slice(..5));
        assert_eq!(
            decoder.next_frame(),
            Err(FrameError::TooLarge {
                len: limit as u64 + 1,
                limit
            })
        );
    }
}

#[test]
fn compressed_flag_other_than_0_or_1_is_an_error() {
    // PROTOCOL-HTTP2.md: "Compressed-Flag → 0 / 1 # encoded as 1 byte
    // unsigned integer"
    for flag in [2u8, 3, 0x7F, 0x80, 0xFF] {
        let mut decoder = FrameDecoder::new(100);
        decoder.push(Bytes::from(vec![flag, 0, 0, 0, 1, 42]));
        assert_eq!(
            decoder.next_frame(),
            Err(FrameError::InvalidCompressedFlag { flag })
        );
    }
    // ... even after good frames, and checked before the length.
    let mut decoder = FrameDecoder::new(1);
    decoder.push(Bytes::from_static(&[
        0, 0, 0, 0, 0, 9, 0xFF, 0xFF, 0xFF, 0xFF,
    ]));
    assert_eq!(decoder.next_frame(), Ok(Some(frame(false, vec![]))));
    assert_eq!(
        decoder.next_frame(),
        Err(FrameError::InvalidCompressedFlag { flag: 9 })
    );
}

#[test]
fn has_partial_tracks_incomplete_frames() {
    let wire = encode(&[frame(false, pattern(10, 1))]);
    let mut decoder = FrameDecoder::new(100);
    assert!(!decoder.has_partial());
    for end in 1..wire.len() {
        let mut decoder = FrameDecoder::new(100);
        decoder.push(wire.slice(..end));
        assert_eq!(decoder.next_frame(), Ok(None));
        assert!(decoder.has_partial(), "{end} of {} bytes", wire.len());
    }
    decoder.push(wire.clone());
    assert!(decoder.next_frame().unwrap().is_some());
    assert!(!decoder.has_partial());
    assert_eq!(decoder.next_frame(), Ok(None));
}

fn inside(payload: &Bytes, chunk: &Bytes) -> bool {
    let start = chunk.as_ptr() as usize;
    let p = payload.as_ptr() as usize;
    p >= start && p + payload.len() <= start + chunk.len()
}

#[test]
fn frames_within_one_chunk_are_not_copied() {
    let frames: Vec<_> = (0..10)
        .map(|i| frame(false, pattern(100 + i, i as u8)))
        .collect();
    let wire = encode(&frames);
    let mut decoder = FrameDecoder::new(1000);
    decoder.push(wire.clone());
    for expected in &frames {
        let got = decoder.next_frame().unwrap().unwrap();
        assert_eq!(&got, expected);
        assert!(inside(&got.payload, &wire), "payload copied");
    }
}

#[test]
fn only_the_straddling_frame_is_copied() {
    let frames: Vec<_> = (0..4).map(|i| frame(false, pattern(50, i))).collect();
    let wire = encode(&frames);
    // Frame i's body lies at 55 * i + 5 .. 55 * (i + 1). Cut in the middle of
    // frame 1's body (copied), then in frame 2's prefix (only the prefix
    // straddles: the body is still sliced out of the second chunk).
    for cut in [55 + 20, 2 * 55 + 2] {
        let (a, b) = (wire.slice(..cut), wire.slice(cut..));
        let mut decoder = FrameDecoder::new(1000);
        decoder.push(a.clone());
        decoder.push(b.clone());
        for (i, expected) in frames.iter().enumerate() {
            let got = decoder.next_frame().unwrap().unwrap();
            assert_eq!(&got, expected);
            let body = 55 * i + 5..55 * (i + 1);
            if body.end <= cut {
                assert!(inside(&got.payload, &a), "frame {i} copied (cut {cut})");
            } else if body.start >= cut {
                assert!(inside(&got.payload, &b), "frame {i} copied (cut {cut})");
            } else {
                assert!(!inside(&got.payload, &a) && !inside(&got.payload, &b));
            }
        }
    }
}

#[test]
fn frame_error_display_is_informative() {
    let too_large = FrameError::TooLarge {
        len: 5_000_000,
        limit: 4_194_304,
    };
    assert_eq!(
        too_large.to_string(),
        "message of 5000000 bytes is larger than the limit of 4194304 bytes"
    );
    assert!(FrameError::InvalidCompressedFlag { flag: 7 }
        .to_string()
        .contains('7'));
}
