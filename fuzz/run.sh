#!/usr/bin/env bash
# Runs each cargo-fuzz target for a bounded time, one after the other, and
# says how many inputs each ran and whether any crashed.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS per target: the first argument, else $FUZZ_SECONDS, else 60.
# TARGETs: the arguments after it, else every target in fuzz/Cargo.toml.
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
#
# One libFuzzer process at a time, built with one job ($CARGO_BUILD_JOBS,
# default 1): the machines are shared. Each target reads the seeds in
# fuzz/corpus/TARGET/ (in git) and keeps what it learns in
# fuzz/corpus-run/TARGET/ (not in git); a crash leaves its input in
# fuzz/artifacts/TARGET/ and makes the script exit 1 once every target ran.
# An input that crashed once goes into fuzz/regressions/TARGET/ with its
# fix, where tests/fuzz_regressions.rs replays it on stable.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

seconds="${1:-${FUZZ_SECONDS:-60}}"
shift || true
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -vx 'h2grpc-fuzz\|h2grpc_fuzz')
fi
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}" CARGO_INCREMENTAL=0

cargo +nightly fuzz build >/dev/null 2>&1 || cargo +nightly fuzz build || exit 2

# Per-input limits: a hang is an input taking over 5 s (the server target
# runs each connection on a paused clock, within 1.5 s of runtime time);
# inputs up to 16 KiB (a recorded session of several calls fits).
options=(-max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1)

failed=0
summary=()
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus-run/$target" "fuzz/corpus/$target"
    log="fuzz/artifacts/$target.log"
    mkdir -p fuzz/artifacts
    echo "==> $target for ${seconds}s"
    cargo +nightly fuzz run "$target" "fuzz/corpus-run/$target" "fuzz/corpus/$target" -- "${options[@]}" >"$log" 2>&1
    status=$?
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    crashes="$(ls "fuzz/artifacts/$target" 2>/dev/null | grep -cE '^(crash|timeout|oom|leak)-' || true)"
    if [ "$status" -ne 0 ]; then
        failed=1
        echo "!!! $target FAILED (exit $status); see $log:"
        grep -E 'panicked at|ERROR|Test unit written|SUMMARY' "$log" | head -8 | sed 's/^/    /'
    fi
    summary+=("$(printf '%-10s %12s executions in %ss, exit %s, %s input(s) in fuzz/artifacts/%s/' "$target" "${runs:-?}" "$seconds" "$status" "$crashes" "$target")")
done

echo "==> summary"
printf '    %s\n' "${summary[@]}"
exit "$failed"
