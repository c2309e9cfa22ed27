//! [`FrameScanner`]: finds the HTTP/2 frame headers in a byte stream as it
//! passes, without buffering payloads, so the connection can see frames that
//! h2 handles on its own (a client's PING, our DATA going out).

use std::io::IoSlice;

/// What the scanner reports of each frame: its type, flags, stream and
/// payload length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FrameHeader {
    /// The frame type (RFC 9113, 6: DATA is 0x0, PING 0x6, ...).
    pub kind: u8,
    /// The flags octet.
    pub flags: u8,
    /// The stream identifier (0 for the connection).
    pub stream: u32,
    /// The payload's length.
    pub len: u32,
}

/// DATA (RFC 9113, 6.1).
pub(crate) const DATA: u8 = 0x0;
/// HEADERS (RFC 9113, 6.2).
pub(crate) const HEADERS: u8 = 0x1;
/// PING (RFC 9113, 6.7).
pub(crate) const PING: u8 = 0x6;
/// GOAWAY (RFC 9113, 6.8).
pub(crate) const GOAWAY: u8 = 0x7;
/// WINDOW_UPDATE (RFC 9113, 6.9).
pub(crate) const WINDOW_UPDATE: u8 = 0x8;
/// PING's ACK flag: "When set, the ACK flag indicates that this PING frame
/// is a PING response."
pub(crate) const ACK: u8 = 0x1;

/// The client's connection preface before its first frame: "the string
/// PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (RFC 9113, 3.4), 24 octets.
pub(crate) const CLIENT_PREFACE_LEN: usize = 24;

/// "All frames begin with a fixed 9-octet header" (RFC 9113, 4.1).
pub(crate) const HEADER_LEN: usize = 9;

/// The payload length in the frame header `header` starts with (its first
/// three octets, RFC 9113, 4.1).
pub(crate) fn payload_len(header: &[u8]) -> usize {
    usize::from(header[0]) << 16 | usize::from(header[1]) << 8 | usize::from(header[2])
}

/// Frame boundaries of one direction of a connection.
#[derive(Debug)]
pub(crate) struct FrameScanner {
    /// Bytes still to pass over: the preface, or the current payload.
    skip: usize,
    header: [u8; HEADER_LEN],
    have: usize,
}

impl FrameScanner {
    /// A scanner that first passes over `preface` bytes.
    pub(crate) fn after(preface: usize) -> FrameScanner {
        FrameScanner {
            skip: preface,
            header: [0; HEADER_LEN],
            have: 0,
        }
    }

    /// Bytes before the next point the scanner knows to be a frame
    /// boundary or the end of a header: 0 between frames.
    pub(crate) fn until_boundary(&self) -> usize {
        if self.have > 0 {
            HEADER_LEN - self.have
        } else {
            self.skip
        }
    }

    /// Feeds the next bytes of the stream; `found` gets each frame header
    /// completed in them.
    pub(crate) fn feed(&mut self, mut bytes: &[u8], mut found: impl FnMut(FrameHeader)) {
        while !bytes.is_empty() {
            if self.skip > 0 {
                let passed = self.skip.min(bytes.len());
                self.skip -= passed;
                bytes = &bytes[passed..];
                continue;
            }
            let take = (HEADER_LEN - self.have).min(bytes.len());
            self.header[self.have..self.have + take].copy_from_slice(&bytes[..take]);
            self.have += take;
            bytes = &bytes[take..];
            if self.have == HEADER_LEN {
                let h = &self.header;
                self.skip = payload_len(h);
                self.have = 0;
                found(FrameHeader {
                    kind: h[3],
                    flags: h[4],
                    stream: u32::from_be_bytes([h[5], h[6], h[7], h[8]]) & 0x7fff_ffff,
                    len: self.skip as u32,
                });
            }
        }
    }

    /// Feeds the first `len` bytes of `bufs`, in order: what a vectored
    /// write of `bufs` wrote.
    pub(crate) fn feed_slices(
        &mut self,
        bufs: &[IoSlice<'_>],
        len: usize,
        mut found: impl FnMut(FrameHeader),
    ) {
        let mut left = len;
        for buf in bufs {
            if left == 0 {
                break;
            }
            let taken = left.min(buf.len());
            self.feed(&buf[..taken], &mut found);
            left -= taken;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DATA frame on stream 1 and a PING ACK after the preface, fed split at every offset.
    #[test]
    fn frames_are_found_however_the_bytes_are_split() {
        let mut stream = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
        stream.extend_from_slice(&[0, 0, 3, DATA, 0, 0, 0, 0, 1, b'a', b'b', b'c']);
        stream.extend_from_slice(&[0, 0, 8, PING, ACK, 0, 0, 0, 0]);
        stream.extend_from_slice(&[7; 8]);
        for split in 0..=stream.len() {
            let mut scanner = FrameScanner::after(CLIENT_PREFACE_LEN);
            let mut seen = Vec::new();
            scanner.feed(&stream[..split], |h| seen.push(h));
            scanner.feed(&stream[split..], |h| seen.push(h));
            assert_eq!(
                seen,
                [
                    FrameHeader {
                        kind: DATA,
                        flags: 0,
                        stream: 1,
                        len: 3,
                    },
                    FrameHeader {
                        kind: PING,
                        flags: ACK,
                        stream: 0,
                        len: 8,
                    }
                ],
                "split at {split}"
            );
            assert_eq!(scanner.until_boundary(), 0);
        }
    }
}
