//! The `serve` command's heap policy on glibc: keep freed memory for reuse
//! rather than hand it back to the kernel after every large message.
//!
//! glibc maps an allocation past its mmap threshold (128 KiB at start,
//! raised on the fly to the largest such block freed) and trims the top of
//! the heap once more than twice that is free there. A server whose calls
//! carry 1 MiB messages allocates and frees several such blocks per call
//! (the frame being assembled, the decoded string, the reply and its
//! frame); the order of those frees decides whether the heap's top is
//! trimmed, and when it is, the next call faults every page back in. With
//! glibc's defaults `h2grpc serve` took about 250 page faults per 1 MiB
//! SayHello, a third of its CPU time, against 0 with the thresholds below
//! (BENCHMARKS.md, "Issue 14: large messages").
//!
//! This is the binary's choice, not the library's: an embedder picks its
//! own allocator and settings. An operator's own `MALLOC_*_` variables or
//! `GLIBC_TUNABLES` win: the policy is applied only when none is set.

/// Blocks up to this size come from the heap, not from mmap: the default
/// receive and send limits are 4 MiB, and a message's frame and its
/// decoded copy both fit.
const MMAP_THRESHOLD: usize = 8 * 1024 * 1024;

/// Free memory kept at the top of the heap before it is returned: the
/// messages of a few calls in flight.
const TRIM_THRESHOLD: usize = 32 * 1024 * 1024;

/// Applies the policy (on glibc, unless the environment sets one).
pub fn keep_freed_memory() {
    let set_by_operator = std::env::vars_os().any(|(name, _)| {
        let name = name.to_string_lossy();
        (name.starts_with("MALLOC_") && name.ends_with('_')) || name == "GLIBC_TUNABLES"
    });
    if !set_by_operator {
        apply();
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn apply() {
    for (param, value) in [
        (libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD),
        (libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD),
    ] {
        let value = libc::c_int::try_from(value).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt takes two integers and changes two numbers in
        // glibc's allocator state under its own lock; it is called once,
        // before the runtime starts any thread.
        let accepted = unsafe { libc::mallopt(param, value) };
        if accepted != 1 {
            tracing::debug!(param, value, "mallopt refused the setting");
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn apply() {}
