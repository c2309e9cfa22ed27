#!/usr/bin/env bash
# benches/large.sh: large messages over one connection, h2grpc against tonic
# and connect-rust (issue 14, item 4), in interleaved rounds as rounds.sh.
#
# usage: benches/large.sh [options]
#   -r ROUNDS   rounds (default 5); in each round every peer gets one load per
#               scenario, the peers in an order that rotates by one place
#   -n N        calls per load (default 400 unary, N/4 stream)
#   -m M        streams in flight on the one connection (default 4)
#   -k KIB      size of the request's name field in KiB (default 1024: a
#               1 MiB HelloRequest, answered with a reply of the same size)
#   -s LIST     scenarios (default unary,stream):
#                 unary   SayHello: one request of KIB, one reply "Hello, NAME!"
#                 stream  SayHelloStreamReply: one request of KIB, 10 replies
#                         of that size each (10 MiB a call at the default)
#   -t THREADS  runtime of every server (default 0 = current_thread)
#   -p LIST     peers from ours,tonic,connect (default all three)
#   -b BIN      our binary (default target/release/h2grpc, or
#               $CARGO_TARGET_DIR/release/h2grpc)
#   -o DIR      results (default target/large/DATE-tTHREADS)
#   -P PORT     first port (default 50171)
#   -T SECS     cap on each load (default 120)
#
# The load is h2load on core 1 (one connection, -m streams, 1 GiB windows of
# its own, so the client never holds the server back); every server runs
# pinned to core 0 and is checked with greeter-client first. A load counts
# only if every call got a 2xx answer. Per load: calls/s; MB/s, the payload
# bytes of requests and replies both (1 MB = 10^6 bytes); the server's CPU
# (all threads, /proc/PID/task/*/schedstat) per call and per MB moved.
# The table gives the median over rounds of each, with the range, and the
# ratio of ours to tonic's medians.
#
# Output in DIR: raw.tsv (one row per load), table.txt, run.log.
set -u -o pipefail

. "$(dirname "$0")/common.sh"

ROUNDS=5; N=400; M=4; KIB=1024; SCEN=unary,stream; THREADS=0; PEERS=ours,tonic,connect
OURS_BIN=; OUT=; BASEPORT=50171; CAP=120
while getopts "r:n:m:k:s:t:p:b:o:P:T:h" o; do
  case $o in
    r) ROUNDS=$OPTARG ;; n) N=$OPTARG ;; m) M=$OPTARG ;; k) KIB=$OPTARG ;; s) SCEN=$OPTARG ;;
    t) THREADS=$OPTARG ;; p) PEERS=$OPTARG ;; b) OURS_BIN=$OPTARG ;; o) OUT=$OPTARG ;;
    P) BASEPORT=$OPTARG ;; T) CAP=$OPTARG ;; *) usage ;;
  esac
done
[ -n "$OURS_BIN" ] || OURS_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/h2grpc
command -v h2load >/dev/null || { echo "h2load missing: apt-get install -y nghttp2-client" >&2; exit 2; }
for b in tonic-greeter connect-greeter greeter-client; do
  [ -x "$PBIN/$b" ] || { echo "missing $PBIN/$b: cargo build --release --manifest-path $PEERS_DIR/Cargo.toml" >&2; exit 2; }
done

IFS=, read -r -a PEER_LIST <<<"$PEERS"
IFS=, read -r -a SCENARIOS <<<"$SCEN"
declare -A CMD=() PORT=() PID=()
i=0
for p in "${PEER_LIST[@]}"; do
  case $p in
    ours) [ -x "$OURS_BIN" ] || { echo "missing $OURS_BIN" >&2; exit 2; }
          CMD[$p]="$OURS_BIN serve --threads $THREADS --addr 127.0.0.1:{port}" ;;
    tonic)   CMD[$p]="$PBIN/tonic-greeter {port} --threads $THREADS" ;;
    connect) CMD[$p]="$PBIN/connect-greeter {port} --threads $THREADS" ;;
    *) echo "unknown peer $p (ours, tonic, connect)" >&2; exit 2 ;;
  esac
  PORT[$p]=$((BASEPORT + i)); i=$((i + 1))
done
for s in "${SCENARIOS[@]}"; do
  case $s in unary|stream) ;; *) echo "unknown scenario $s (unary, stream)" >&2; exit 2 ;; esac
done

[ -n "$OUT" ] || OUT=$ROOT/target/large/$(date -u +%Y%m%d-%H%M%S)-t$THREADS
mkdir -p "$OUT/work"
exec > >(tee -a "$OUT/run.log") 2>&1

# The request body: one gRPC frame of HelloRequest{name: KIB KiB of 'x'}.
BODY=$OUT/work/body.bin
REPLY_BYTES=$(python3 - "$KIB" "$BODY" <<'EOF'
import sys
name = b"x" * (int(sys.argv[1]) * 1024)
def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F; n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n: return bytes(out)
msg = b"\x0a" + varint(len(name)) + name
open(sys.argv[2], "wb").write(b"\x00" + len(msg).to_bytes(4, "big") + msg)
# The reply, framed: HelloReply{message: "Hello, NAME!"}.
print(5 + 1 + len(varint(len(name) + 8)) + len(name) + 8)
EOF
)
REQ_BYTES=$(stat -c %s "$BODY")

stop_all() {
  local p
  for p in "${!PID[@]}"; do
    kill -TERM "${PID[$p]}" 2>/dev/null
    for _ in $(seq 50); do kill -0 "${PID[$p]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${PID[$p]}" 2>/dev/null; wait "${PID[$p]}" 2>/dev/null; unset "PID[$p]"
  done
}
trap 'stop_all' EXIT
trap 'stop_all; exit 130' INT TERM
# CPU time (ns) of every thread of the process, from the scheduler's account.
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }

echo "large.sh: ${PEER_LIST[*]} x ${SCENARIOS[*]} x $ROUNDS rounds; $KIB KiB messages; 1 connection, $M in flight; --threads $THREADS"
echo "  commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for p in "${PEER_LIST[@]}"; do
  port=${PORT[$p]}; cmd=${CMD[$p]//\{port\}/$port}
  listening "$port" && { echo "port $port in use (use -P)" >&2; exit 1; }
  taskset -c 0 bash -c "exec $cmd" >"$OUT/work/server-$p.log" 2>&1 &
  PID[$p]=$!
  for _ in $(seq 100); do listening "$port" && break; sleep 0.1; done
  taskset -c 1 timeout 20 "$PBIN/greeter-client" check "$port" --methods unary,stream >/dev/null 2>&1 \
    || { echo "$p: greeter-client check failed" >&2; exit 1; }
  echo "  $p: $cmd"
done

RAW=$OUT/raw.tsv
printf 'round\tpeer\tscenario\tcalls\tsecs\tcalls_per_s\tmb_per_s\tcpu_ms_per_call\tcpu_ms_per_mb\tall_ok\n' >"$RAW"
load() { # peer scenario calls -> appends a row
  local p=$1 s=$2 n=$3 path replies
  case $s in
    unary) path=/helloworld.Greeter/SayHello; replies=1 ;;
    stream) path=/helloworld.Greeter/SayHelloStreamReply; replies=10 ;;
  esac
  local c0 c1 t0 t1 out ok
  c0=$(cpu_ns "${PID[$p]}"); t0=$(date +%s%N)
  out=$(taskset -c 1 timeout "$CAP" h2load -n "$n" -c 1 -m "$M" -w 30 -W 30 -d "$BODY" \
    -H 'content-type: application/grpc' -H 'te: trailers' "http://127.0.0.1:${PORT[$p]}$path" 2>&1)
  t1=$(date +%s%N); c1=$(cpu_ns "${PID[$p]}")
  ok=$(echo "$out" | sed -n 's/.* \([0-9]*\) succeeded.*/\1/p' | head -1)
  local twoxx; twoxx=$(echo "$out" | sed -n 's/^status codes: \([0-9]*\) 2xx.*/\1/p' | head -1)
  [ -n "$ok" ] || ok=0
  local allok=yes; [ "$ok" = "$n" ] && [ "${twoxx:-0}" = "$n" ] || allok=NO
  awk -v r="$round" -v p="$p" -v s="$s" -v n="$n" -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" \
      -v req="$REQ_BYTES" -v rep="$REPLY_BYTES" -v k="$replies" -v ok="$allok" 'BEGIN {
    secs = (t1 - t0) / 1e9; mb = n * (req + k * rep) / 1e6; cpu_ms = (c1 - c0) / 1e6
    printf "%s\t%s\t%s\t%d\t%.3f\t%.1f\t%.1f\t%.3f\t%.3f\t%s\n", r, p, s, n, secs, n / secs, mb / secs, cpu_ms / n, cpu_ms / mb, ok
  }' >>"$RAW"
  tail -1 "$RAW" | awk -F'\t' '{ printf "   %-7s %-8s %8s calls/s %8s MB/s  cpu %7s ms/call %6s ms/MB  %s\n", $3, $2, $6, $7, $8, $9, ($10 == "yes" ? "" : "NOT ALL OK") }'
}

# Warm-up: a few calls of each scenario.
for p in "${PEER_LIST[@]}"; do for s in "${SCENARIOS[@]}"; do round=warm; load "$p" "$s" 8 >/dev/null; done; done
sed -i '/^warm\t/d' "$RAW"

NP=${#PEER_LIST[@]}
for round in $(seq "$ROUNDS"); do
  off=$(( (round - 1) % NP ))
  order=("${PEER_LIST[@]:$off}" "${PEER_LIST[@]:0:$off}")
  echo "-- round $round/$ROUNDS: ${order[*]}"
  for s in "${SCENARIOS[@]}"; do
    n=$N; [ "$s" = stream ] && n=$(( N / 4 > 4 ? N / 4 : 4 ))
    for p in "${order[@]}"; do load "$p" "$s" "$n"; kill -0 "${PID[$p]}" 2>/dev/null || { echo "$p died" >&2; exit 1; }; done
  done
done
stop_all

python3 - "$RAW" <<'EOF' | tee "$OUT/table.txt"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
peers = list(dict.fromkeys(r["peer"] for r in rows)); scen = list(dict.fromkeys(r["scenario"] for r in rows))
def med(p, s, k):
    v = sorted(float(r[k]) for r in rows if r["peer"] == p and r["scenario"] == s)
    return statistics.median(v), v[0], v[-1]
print("| scenario | server | MB/s, median (range) | server CPU ms per MB | calls/s | MB/s vs tonic | CPU per MB vs tonic | all calls OK |")
print("|---|---|---|---|---|---|---|---|")
for s in scen:
    base = {k: med("tonic", s, k)[0] for k in ("mb_per_s", "cpu_ms_per_mb")} if "tonic" in peers else None
    for p in peers:
        mb, lo, hi = med(p, s, "mb_per_s"); cpu, clo, chi = med(p, s, "cpu_ms_per_mb"); cps = med(p, s, "calls_per_s")[0]
        ok = all(r["all_ok"] == "yes" for r in rows if r["peer"] == p and r["scenario"] == s)
        rel = f"{mb / base['mb_per_s']:.2f}x | {cpu / base['cpu_ms_per_mb']:.2f}x" if base else "- | -"
        print(f"| {s} | {p} | {mb:.0f} ({lo:.0f}-{hi:.0f}) | {cpu:.3f} ({clo:.3f}-{chi:.3f}) | {cps:.1f} | {rel} | {'yes' if ok else 'NO'} |")
EOF
echo "results: $OUT"
