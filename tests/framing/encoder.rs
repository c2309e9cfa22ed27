//! The framing encoders: byte-exact prefixes (PROTOCOL-HTTP2.md,
//! "Length-Prefixed-Message").

use bytes::{BufMut, BytesMut};
use h2grpc::__private::framing::{
    finish_prefix, put_frame, put_prefix, reserve_prefix, FrameDecoder, DEFAULT_MAX_MESSAGE_LEN,
    PREFIX_LEN, REASSEMBLY_PREALLOCATION,
};

#[test]
fn defaults_are_pinned() {
    assert_eq!(PREFIX_LEN, 5);
    assert_eq!(REASSEMBLY_PREALLOCATION, 0);
    assert_eq!(DEFAULT_MAX_MESSAGE_LEN, 4 * 1024 * 1024);
    assert_eq!(
        FrameDecoder::default().max_message_len(),
        DEFAULT_MAX_MESSAGE_LEN
    );
}

#[test]
fn prefix_is_flag_then_big_endian_length() {
    // "Message-Length → {length of Message} # encoded as 4 byte unsigned
    // integer (big endian)"
    let mut buf = BytesMut::new();
    put_prefix(&mut buf, false, 0x0102_0304);
    put_prefix(&mut buf, true, 0);
    assert_eq!(&buf[..], &[0, 1, 2, 3, 4, 1, 0, 0, 0, 0]);
}

#[test]
fn encode_frame_appends_prefix_and_payload() {
    let mut buf = BytesMut::from(&b"xx"[..]);
    put_frame(&mut buf, false, b"hi").unwrap();
    put_frame(&mut buf, true, b"").unwrap();
    assert_eq!(&buf[..], b"xx\x00\x00\x00\x00\x02hi\x01\x00\x00\x00\x00");
}

#[test]
fn reserved_prefix_is_patched_after_encoding() {
    let mut buf = BytesMut::from(&b"previous frame"[..]);
    let start = reserve_prefix(&mut buf);
    assert_eq!(start, 14);
    assert_eq!(buf.len(), 14 + PREFIX_LEN);
    buf.put_slice(&[7u8; 300]);
    finish_prefix(&mut buf, start, true).unwrap();
    assert_eq!(&buf[14..19], &[1, 0, 0, 1, 44]);

    let mut decoder = FrameDecoder::new(1000);
    decoder.push(buf.freeze().slice(14..));
    let frame = decoder.next_frame().unwrap().unwrap();
    assert!(frame.compressed);
    assert_eq!(&frame.payload[..], &[7u8; 300][..]);
}

#[test]
fn empty_message_after_reserved_prefix() {
    let mut buf = BytesMut::new();
    let start = reserve_prefix(&mut buf);
    finish_prefix(&mut buf, start, false).unwrap();
    assert_eq!(&buf[..], &[0, 0, 0, 0, 0]);
}
