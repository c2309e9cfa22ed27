#!/usr/bin/env bash
# benches/syscalls.sh: system calls and wake-ups per call, by kind, h2grpc
# against tonic (and the other peers) under the same h2load load (issue 14:
# "more wakeups or syscalls per call").
#
# usage: benches/syscalls.sh [options]
#   -s SCENARIO one scenario of ../shared/bench-peers/scenarios.sh (default unary)
#   -n N        calls per load (default 100000)
#   -p LIST     peers (default ours,tonic; also connect, ceiling)
#   -t THREADS  runtime of every server (default 0 = current_thread)
#   -b BIN      our binary (default target/release/h2grpc, or
#               $CARGO_TARGET_DIR/release/h2grpc)
#   -o DIR      results (default target/syscalls/DATE-tTHREADS)
#   -P PORT     port (default 50181)
#
# Per peer: a fresh server on core 0, warmed up with 20k calls, then
#   1. an untraced load: voluntary context switches of all threads (each is
#      a sleep, mostly in epoll_wait, then a wake-up) and involuntary ones
#      (preemptions), per call (/proc/PID/io would leave out recvfrom and
#      sendto, which the servers' sockets use);
#   2. the same load under `strace -c -f` attached to the server: calls of
#      each syscall, per call. strace stops the server at every syscall, so
#      the server runs several times slower and finds more work queued at
#      each wake-up: its counts are likely a lower bound of the untraced
#      ones, and compare between servers rather than stand on their own.
# Output: DIR/PEER.strace (strace's table), DIR/syscalls.tsv, table printed.
set -u -o pipefail

. "$(dirname "$0")/common.sh"

SCEN=unary; N=100000; PEERS=ours,tonic; THREADS=0; OURS_BIN=; OUT=; PORT=50181
while getopts "s:n:p:t:b:o:P:h" o; do
  case $o in
    s) SCEN=$OPTARG ;; n) N=$OPTARG ;; p) PEERS=$OPTARG ;; t) THREADS=$OPTARG ;;
    b) OURS_BIN=$OPTARG ;; o) OUT=$OPTARG ;; P) PORT=$OPTARG ;; *) usage ;;
  esac
done
command -v strace >/dev/null || { echo "strace missing: apt-get install -y strace" >&2; exit 2; }
[ -n "$OURS_BIN" ] || OURS_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/h2grpc
[ -n "$OUT" ] || OUT=$ROOT/target/syscalls/$(date -u +%Y%m%d-%H%M%S)-t$THREADS
mkdir -p "$OUT/work"; export BENCH_DIR=$OUT/work
. "$PEERS_DIR/scenarios.sh"
read -r path c m _ k _ _ _ < <(scenario "$SCEN") || { echo "unknown scenario $SCEN" >&2; exit 2; }

cmd_for() {
  case $1 in
    ours)    echo "$OURS_BIN serve --threads $THREADS --addr 127.0.0.1:$PORT" ;;
    tonic)   echo "$PBIN/tonic-greeter $PORT --threads $THREADS" ;;
    connect) echo "$PBIN/connect-greeter $PORT --threads $THREADS" ;;
    ceiling) echo "$PBIN/h2-ceiling $PORT --threads $THREADS" ;;
    *) return 1 ;;
  esac
}
SPID=; TPID=
stop_pid() {
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null; wait "$1" 2>/dev/null
}
trap 'stop_pid "$TPID"; stop_pid "$SPID"' EXIT
ctxsw() {
  cat /proc/"$SPID"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ { v += $2 } /^nonvoluntary_ctxt_switches/ { n += $2 } END { print v + 0, n + 0 }'
}
load() { "$PEERS_DIR/load.sh" "$PORT" -p "$path" -n "$1" -c "$c" -m "$m" -k "$k" -T 300 -s "$SPID"; }

TSV=$OUT/syscalls.tsv
printf 'peer\tkind\tper_call\n' >"$TSV"
echo "syscalls.sh: $SCEN, $N calls, peers $PEERS, --threads $THREADS; load $(cut -d' ' -f1-3 /proc/loadavg)"
IFS=, read -r -a PEER_LIST <<<"$PEERS"
for p in "${PEER_LIST[@]}"; do
  cmd=$(cmd_for "$p") || { echo "unknown peer $p" >&2; exit 2; }
  taskset -c 0 bash -c "exec $cmd" >"$OUT/server-$p.log" 2>&1 &
  SPID=$!
  for _ in $(seq 100); do listening "$PORT" && break; sleep 0.1; done
  load 20000 >/dev/null 2>&1
  read -r v0 w0 < <(ctxsw)
  res=$(load "$N" 2>&1) || { echo "$p: untraced load failed" >&2; echo "$res" | tail -3 >&2; }
  read -r v1 w1 < <(ctxsw)
  rps=$(echo "$res" | grep '^RESULT' | tr ' ' '\n' | awk -F= '$1 == "rps" { print $2 }')
  awk -v p="$p" -v n="$N" -v v="$((v1 - v0))" -v w="$((w1 - w0))" 'BEGIN {
    printf "%s\twake-ups (untraced)\t%.4f\n%s\tpreempted (untraced)\t%.4f\n", p, v / n, p, w / n }' >>"$TSV"
  echo "  $p untraced: ${rps} calls/s; $((v1 - v0)) wake-ups, $((w1 - w0)) preemptions over $N calls"
  strace -c -f -q -p "$SPID" -o "$OUT/$p.strace" &
  TPID=$!
  sleep 1
  res=$(load "$N" 2>&1) || { echo "$p: traced load failed" >&2; echo "$res" | tail -3 >&2; }
  rps=$(echo "$res" | grep '^RESULT' | tr ' ' '\n' | awk -F= '$1 == "rps" { print $2 }')
  kill -INT "$TPID"; wait "$TPID" 2>/dev/null; TPID=
  echo "  $p under strace: ${rps} calls/s"
  # strace -c rows: % time, seconds, usecs/call, calls, [errors], syscall
  awk -v p="$p" -v n="$N" '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { printf "%s\t%s\t%.4f\n", p, $NF, $4 / n }' "$OUT/$p.strace" >>"$TSV"
  stop_pid "$SPID"; SPID=
done

python3 - "$TSV" <<'EOF' | tee "$OUT/table.txt"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
peers, kinds, val = [], [], {}
for r in rows:
    if r["peer"] not in peers: peers.append(r["peer"])
    if r["kind"] not in kinds: kinds.append(r["kind"])
    val[(r["peer"], r["kind"])] = float(r["per_call"])
total = {p: sum(v for (q, k), v in val.items() if q == p and "(" not in k) for p in peers}
kinds.sort(key=lambda k: ("(" not in k, -max(val.get((p, k), 0) for p in peers)))
print()
print("| per call | " + " | ".join(peers) + " |")
print("|---|" + "---|" * len(peers))
for k in kinds:
    print(f"| {k} | " + " | ".join(f"{val.get((p, k), 0):.3f}" for p in peers) + " |")
print("| all syscalls (strace) | " + " | ".join(f"{total[p]:.3f}" for p in peers) + " |")
EOF
echo "results: $OUT"
