#!/usr/bin/env bash
# benches/connections.sh: server memory (RSS) with many connections, h2grpc
# against tonic, connect-rust and the raw-h2 ceiling (issue 14, item 5).
#
# usage: benches/connections.sh [options]
#   -i N        idle connections (default 10000): HTTP/2 handshake done
#               (preface, SETTINGS both ways and acknowledged), no stream
#   -c N        connections with one call in flight each (default 1000): one
#               SayHelloBidiStream per connection, one request sent, its reply
#               received, the stream left open (the handler waits for more)
#   -p LIST     peers (default ours,tonic,connect,ceiling)
#   -t THREADS  runtime of every server (default 0 = current_thread)
#   -b BIN      our binary (default target/release/h2grpc, or
#               $CARGO_TARGET_DIR/release/h2grpc)
#   -o DIR      results (default target/connections/DATE-tTHREADS)
#   -P PORT     port (default 50171)
#   -s SECS     settle time before reading RSS (default 2)
#
# For each peer, three fresh starts of the server (pinned to core 0), each
# read from /proc/PID/status (VmRSS = RssAnon + RssFile + RssShmem):
#   idle     the binary started, listening, no connection (after 1 s);
#   conns    N idle connections held by benches/connections_client.py;
#   calls    N connections with one call in flight each.
# The per-connection figure is (RSS - idle RSS) / N. The client is Python
# (raw sockets, HTTP/2 frames by hand), spreads its connections over 4
# loopback source addresses (127.0.0.2-5) for ephemeral ports, and runs on
# core 1. The script raises its open-file limit to the hard limit; servers and
# client inherit it (each needs N + a few descriptors).
#
# Output: DIR/rss.tsv (one row per peer and phase) and DIR/table.txt.
set -u -o pipefail

. "$(dirname "$0")/common.sh"

IDLE_N=10000; CALL_N=1000; PEERS=ours,tonic,connect,ceiling; THREADS=0; OURS_BIN=; OUT=
PORT=50171; SETTLE=2
while getopts "i:c:p:t:b:o:P:s:h" o; do
  case $o in
    i) IDLE_N=$OPTARG ;; c) CALL_N=$OPTARG ;; p) PEERS=$OPTARG ;; t) THREADS=$OPTARG ;;
    b) OURS_BIN=$OPTARG ;; o) OUT=$OPTARG ;; P) PORT=$OPTARG ;; s) SETTLE=$OPTARG ;; *) usage ;;
  esac
done
[ -n "$OURS_BIN" ] || OURS_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/h2grpc
CLIENT=$ROOT/benches/connections_client.py
[ -n "$OUT" ] || OUT=$ROOT/target/connections/$(date -u +%Y%m%d-%H%M%S)-t$THREADS
mkdir -p "$OUT"

ulimit -n "$(ulimit -Hn)" 2>/dev/null
need=$(( (IDLE_N > CALL_N ? IDLE_N : CALL_N) + 64 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  echo "open-file limit $(ulimit -n) < $need: raise the hard limit or lower -i/-c" >&2; exit 2
fi

cmd_for() {
  case $1 in
    ours)    echo "$OURS_BIN serve --threads $THREADS --addr 127.0.0.1:$PORT" ;;
    tonic)   echo "$PBIN/tonic-greeter $PORT --threads $THREADS" ;;
    connect) echo "$PBIN/connect-greeter $PORT --threads $THREADS" ;;
    ceiling) echo "$PBIN/h2-ceiling $PORT --threads $THREADS" ;;
    *) return 1 ;;
  esac
}

SPID=; CPID=
stop_pid() { # pid
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
cleanup() { stop_pid "$CPID"; CPID=; stop_pid "$SPID"; SPID=; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

start_server() { # peer
  local cmd; cmd=$(cmd_for "$1") || { echo "unknown peer $1" >&2; return 1; }
  if listening "$PORT"; then echo "port $PORT in use (use -P)" >&2; return 1; fi
  taskset -c 0 bash -c "exec $cmd" >"$OUT/server-$1.log" 2>&1 &
  SPID=$!
  for _ in $(seq 100); do
    listening "$PORT" && { sleep 1; return 0; }
    kill -0 "$SPID" 2>/dev/null || { echo "$1 exited at start" >&2; return 1; }
    sleep 0.1
  done
  echo "$1 not listening after 10s" >&2; return 1
}
# VmRSS RssAnon RssFile in KiB, and open descriptors
mem() {
  local v a f fds
  v=$(awk '/^VmRSS/ {print $2}' /proc/"$SPID"/status); a=$(awk '/^RssAnon/ {print $2}' /proc/"$SPID"/status)
  f=$(awk '/^RssFile/ {print $2}' /proc/"$SPID"/status); fds=$(ls /proc/"$SPID"/fd | wc -l)
  echo "$v $a $f $fds"
}

TSV=$OUT/rss.tsv
printf 'peer\tphase\tconnections\tready\tvmrss_kib\trss_anon_kib\trss_file_kib\tfds\tkib_per_conn\tsetup_secs\n' >"$TSV"
echo "connections.sh: peers $PEERS, --threads $THREADS, $IDLE_N idle / $CALL_N in-flight connections; out $OUT"
echo "  commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); load $(cut -d' ' -f1-3 /proc/loadavg); open-file limit $(ulimit -n)"

IFS=, read -r -a PEER_LIST <<<"$PEERS"
for p in "${PEER_LIST[@]}"; do
  idle_kib=
  for phase in idle conns calls; do
    start_server "$p" || exit 1
    if [ "$phase" = idle ]; then
      read -r v a f fds < <(mem)
      idle_kib=$v
      printf '%s\tidle\t0\t0\t%s\t%s\t%s\t%s\t-\t-\n' "$p" "$v" "$a" "$f" "$fds" >>"$TSV"
      echo "  $p idle: VmRSS $v KiB (anon $a, file $f), $fds fds"
      stop_pid "$SPID"; SPID=
      continue
    fi
    n=$IDLE_N; mode=idle; [ "$phase" = calls ] && { n=$CALL_N; mode=call; }
    fifo=$OUT/client-$p-$phase.out
    taskset -c 1 python3 "$CLIENT" "$PORT" "$n" "$mode" --timeout 120 >"$fifo" 2>&1 &
    CPID=$!
    for _ in $(seq 1300); do
      grep -q '^READY' "$fifo" && break
      kill -0 "$CPID" 2>/dev/null || break
      sleep 0.1
    done
    line=$(grep '^READY' "$fifo" | tail -1)
    ok=$(echo "$line" | tr ' ' '\n' | awk -F= '$1 == "ok" {print $2}')
    secs=$(echo "$line" | tr ' ' '\n' | awk -F= '$1 == "secs" {print $2}')
    sleep "$SETTLE"
    read -r v a f fds < <(mem)
    per=$(awk -v v="$v" -v i="$idle_kib" -v n="${ok:-0}" 'BEGIN { if (n > 0) printf "%.2f", (v - i) / n; else print "nan" }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$p" "$phase" "$n" "${ok:-0}" "$v" "$a" "$f" "$fds" "$per" "${secs:-nan}" >>"$TSV"
    echo "  $p $phase: ${ok:-0}/$n ready in ${secs:-?}s; VmRSS $v KiB (anon $a, file $f), $fds fds; $per KiB per connection over idle"
    stop_pid "$CPID"; CPID=
    stop_pid "$SPID"; SPID=
    sleep 1
  done
done

python3 - "$TSV" "$IDLE_N" "$CALL_N" <<'EOF' | tee "$OUT/table.txt"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
peers = []
for r in rows:
    if r["peer"] not in peers:
        peers.append(r["peer"])
get = {(r["peer"], r["phase"]): r for r in rows}
mb = lambda k: int(k) / 1024
print()
print(f"| peer | idle RSS MB (anon / file) | {sys.argv[2]} idle conns: RSS MB | KiB per conn | "
      f"{sys.argv[3]} calls in flight: RSS MB | KiB per conn+call |")
print("|---|---|---|---|---|---|")
for p in peers:
    i, c, k = get.get((p, "idle")), get.get((p, "conns")), get.get((p, "calls"))
    cell = lambda r: (f"{mb(r['vmrss_kib']):.1f}" + ("" if r["ready"] == r["connections"]
                      else f" (only {r['ready']} ready)")) if r else "-"
    print(f"| {p} | {mb(i['vmrss_kib']):.1f} ({mb(i['rss_anon_kib']):.1f} / {mb(i['rss_file_kib']):.1f}) | "
          f"{cell(c)} | {c['kib_per_conn'] if c else '-'} | {cell(k)} | {k['kib_per_conn'] if k else '-'} |")
EOF
echo "results: $OUT"
