//! Sending DATA within the peer's flow-control window.
//!
//! h2's `send_data` buffers without limit whatever the window does not
//! allow; writing through [`send_within_window`] instead waits for capacity,
//! so a peer that reads slowly holds back the producer rather than growing
//! our memory.

use std::future::poll_fn;

use bytes::Bytes;
use h2::SendStream;

use crate::codec::frame_buf::Chunks;

/// Sends `data` on `stream`, in pieces no larger than the capacity h2 has
/// assigned, waiting for the peer's window as needed. Fails when the peer
/// reset the stream or the connection is gone. With `end_of_stream`, the
/// last piece half-closes the stream.
pub async fn send_within_window(
    stream: &mut SendStream<Bytes>,
    mut data: Bytes,
    end_of_stream: bool,
) -> Result<(), h2::Error> {
    if data.is_empty() && end_of_stream {
        return stream.send_data(data, true);
    }
    while !data.is_empty() {
        let mut capacity = stream.capacity();
        if capacity == 0 {
            stream.reserve_capacity(data.len());
            capacity = match poll_fn(|cx| stream.poll_capacity(cx)).await {
                Some(result) => result?,
                // The stream can no longer send: the peer reset it. Let
                // send_data report why.
                None => data.len(),
            };
            if capacity == 0 {
                continue;
            }
        }
        let piece = data.split_to(capacity.min(data.len()));
        stream.send_data(piece, end_of_stream && data.is_empty())?;
    }
    Ok(())
}

/// Sends `frames` in order, each through [`send_within_window`]; with
/// `end_of_stream`, the last chunk half-closes the stream (an empty DATA
/// frame does when there is nothing to send).
pub async fn send_chunks_within_window(
    stream: &mut SendStream<Bytes>,
    frames: Chunks,
    end_of_stream: bool,
) -> Result<(), h2::Error> {
    match frames {
        Chunks::One(frames) => send_within_window(stream, frames, end_of_stream).await,
        Chunks::Many(chunks) => {
            let count = chunks.len();
            for (at, chunk) in chunks.into_iter().enumerate() {
                send_within_window(stream, chunk, end_of_stream && at + 1 == count).await?;
            }
            Ok(())
        }
    }
}
