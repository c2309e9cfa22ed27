//! Randomness for jitter (connection age, reconnect backoff), without a
//! random-number crate: a freshly keyed `RandomState` hashes nothing to a
//! random `u64`. Not for anything that must be unpredictable.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// A random number in `[0, 1]`.
fn unit() -> f64 {
    let random = RandomState::new().build_hasher().finish();
    random as f64 / u64::MAX as f64
}

/// A random number in `[-1, 1]`.
pub(crate) fn signed_unit() -> f64 {
    unit() * 2.0 - 1.0
}
