//! The parsers the fuzz targets in `fuzz/` reach that are not public API,
//! re-exported as they are (feature `fuzzing`, never on by default). Thin
//! re-exports only: the checks live with the targets (`fuzz/src/lib.rs`),
//! and tests/fuzz_regressions.rs replays the corpus through them on stable.
//! The framing and the message codec are reached through `__private`, as
//! the tests and benches reach them.

pub use crate::transport::fuzzing::{parse_timeout, GrpcHeaders, TimeoutError};
