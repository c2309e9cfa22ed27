#!/usr/bin/env bash
# benches/rounds.sh: many short interleaved rounds of h2grpc against tonic,
# connect-rust and the raw-h2 ceiling, with the spread of every figure and a
# flag on the rounds where the machine changed speed (issue 14, item 1).
#
# usage: benches/rounds.sh [options]
#   -r ROUNDS   rounds (default 9). In each round, for each scenario, every
#               peer gets one load, the peers in an order that rotates by one
#               place from round to round (round 1: ours tonic connect ceiling,
#               round 2: tonic connect ceiling ours, ...), so the four loads
#               of one scenario lie within a few seconds of each other.
#   -f FACTOR   calls per load = FACTOR x the count in scenarios.sh (default
#               0.25: unary 100k, unary-lat 7.5k, stream 50k, bidi 50k)
#   -n N        calls per load instead, for every scenario (unary-lat: N/10)
#   -s LIST     scenarios, comma-separated (default unary,unary-lat,stream,bidi;
#               any h2load scenario of ../shared/bench-peers/scenarios.sh)
#   -t THREADS  runtime of every server (default 0): 0 = tokio current_thread
#               (ours: serve --threads 0), N >= 1 = multi_thread with N workers
#               (as compare.sh, still pinned to -C: with -t 2 both workers
#               share core 0, since h2load has core 1)
#   -p LIST     peers, comma-separated, from ours,tonic,connect,ceiling (default
#               all four; ratios need tonic; the ceiling is also a speed probe)
#   -b BIN      our binary (default target/release/h2grpc, or
#               $CARGO_TARGET_DIR/release/h2grpc when that is set)
#   -o DIR      where the results go (default target/rounds/DATE-tTHREADS)
#   -P PORT     first port (default 50151): ours, tonic, connect, ceiling get
#               PORT .. PORT+3
#   -S PCT      speed flag threshold in % (default 20)
#   -C CORES    cores the servers are pinned to (default 0; h2load runs on 1)
#   -T SECS     cap on each load (default 60)
#
# Every server is started once, pinned to core 0, checked with
# `greeter-client check` for each method it is measured on, warmed up with
# 20k unary calls, and kept running for the whole run. Each load is one
# `../shared/bench-peers/load.sh` run (h2load on core 1); before and after it
# the script reads the server's /proc/PID/stat (utime, stime) for the user and
# system split of its CPU; the CPU per call itself is load.sh's (all threads,
# from schedstat, nanoseconds).
#
# Speed switches. This VM runs the same binary at two speeds, switching on a
# scale of minutes. Two probes are taken in every round, and a round where
# either moved more than -S % from the run's median is flagged:
#   calib    a fixed CPU-bound loop (benches/rounds_report.py calibrate,
#            pinned to the servers' core, its own CPU time, min of 3) at the
#            start of each round;
#   ceiling  the ceiling's CPU per call in that round, as a ratio to the
#            run's median for the same scenario (geometric mean over the
#            scenarios): the same kind of work as the servers', not a loop.
# The summary gives the medians over all rounds and over the unflagged ones.
#
# Output in DIR: raw.tsv (one row per load), probes.tsv (one row per round),
# summary.tsv (one row per peer and scenario, all and steady rounds),
# table.txt (the readable table, also printed), run.log. load.sh's scratch
# files go to DIR/work (BENCH_DIR), not to ../shared.
#
# Example:
#   CARGO_TARGET_DIR=/work/target-rounds cargo build --release -j1
#   benches/rounds.sh -b /work/target-rounds/release/h2grpc            # 9 rounds, -t 0
#   benches/rounds.sh -r 15 -t 1 -s unary,stream                       # multi_thread(1)
#   benches/rounds_report.py report target/rounds/RUN                  # redo the table
set -u -o pipefail

. "$(dirname "$0")/common.sh"

ROUNDS=9; FACTOR=0.25; FIXED_N=; SCEN=unary,unary-lat,stream,bidi; THREADS=0
PEERS=ours,tonic,connect,ceiling; OURS_BIN=; OUT=; BASEPORT=50151; SPEED_PCT=20
CORES=0; CAP=60
while getopts "r:f:n:s:t:p:b:o:P:S:C:T:h" o; do
  case $o in
    r) ROUNDS=$OPTARG ;; f) FACTOR=$OPTARG ;; n) FIXED_N=$OPTARG ;; s) SCEN=$OPTARG ;;
    t) THREADS=$OPTARG ;; p) PEERS=$OPTARG ;; b) OURS_BIN=$OPTARG ;; o) OUT=$OPTARG ;;
    P) BASEPORT=$OPTARG ;; S) SPEED_PCT=$OPTARG ;; C) CORES=$OPTARG ;; T) CAP=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage

if [ -z "$OURS_BIN" ]; then
  OURS_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/h2grpc
fi
REPORT="$ROOT/benches/rounds_report.py"
command -v h2load >/dev/null || { echo "h2load missing: apt-get install -y nghttp2-client" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 missing" >&2; exit 2; }
for b in tonic-greeter h2-ceiling connect-greeter greeter-client; do
  [ -x "$PBIN/$b" ] || { echo "missing $PBIN/$b: cargo build --release -j 1 --manifest-path $PEERS_DIR/Cargo.toml" >&2; exit 2; }
done

# ---- peers: name -> command template and check flags ---------------------------
IFS=, read -r -a PEER_LIST <<<"$PEERS"
declare -A CMD=() CHECKFLAGS=() PORT=() PID=()
i=0
for p in "${PEER_LIST[@]}"; do
  case $p in
    ours)
      [ -x "$OURS_BIN" ] || { echo "missing $OURS_BIN: cargo build --release (or -b BIN)" >&2; exit 2; }
      CMD[$p]="$OURS_BIN serve --threads $THREADS --addr 127.0.0.1:{port}"; CHECKFLAGS[$p]= ;;
    tonic)   CMD[$p]="$PBIN/tonic-greeter {port} --threads $THREADS"; CHECKFLAGS[$p]= ;;
    connect) CMD[$p]="$PBIN/connect-greeter {port} --threads $THREADS"; CHECKFLAGS[$p]= ;;
    ceiling) CMD[$p]="$PBIN/h2-ceiling {port} --threads $THREADS"; CHECKFLAGS[$p]=--same-name ;;
    *) echo "unknown peer $p (ours, tonic, connect, ceiling)" >&2; exit 2 ;;
  esac
  PORT[$p]=$((BASEPORT + i)); i=$((i + 1))
done

# ---- scenarios (the peers' own definitions) --------------------------------------
. "$PEERS_DIR/scenarios.sh"
IFS=, read -r -a SCENARIOS <<<"$SCEN"
for s in "${SCENARIOS[@]}"; do
  scenario "$s" >/dev/null || { echo "unknown scenario $s" >&2; exit 2; }
  [ "$(scenario "$s" | cut -d' ' -f8)" = h2load ] || { echo "$s is not an h2load scenario" >&2; exit 2; }
done
calls_for() { # scenario-name default-count
  if [ -n "$FIXED_N" ]; then
    if [ "$1" = unary-lat ]; then echo $(( FIXED_N / 10 > 100 ? FIXED_N / 10 : 100 )); else echo "$FIXED_N"; fi
  else
    awk -v n="$2" -v f="$FACTOR" 'BEGIN { v = int(n * f); if (v < 100) v = 100; print v }'
  fi
}

# ---- output ----------------------------------------------------------------------
[ -n "$OUT" ] || OUT=$ROOT/target/rounds/$(date -u +%Y%m%d-%H%M%S)-t$THREADS
mkdir -p "$OUT/work"
export BENCH_DIR=$OUT/work
LOG=$OUT/run.log
exec > >(tee -a "$LOG") 2>&1

# ---- servers, stopped by PID only ------------------------------------------------
stop_all() {
  local p pid
  for p in "${!PID[@]}"; do
    pid=${PID[$p]}
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    unset "PID[$p]"
  done
}
trap 'stop_all' EXIT
trap 'stop_all; exit 130' INT TERM

start_server() { # peer
  local p=$1 port=${PORT[$1]} cmd=${CMD[$1]//\{port\}/${PORT[$1]}}
  if listening "$port"; then echo "port $port is already in use: not starting $p (use -P)" >&2; return 1; fi
  taskset -c "$CORES" bash -c "exec $cmd" >"$OUT/work/server-$p.log" 2>&1 &
  PID[$p]=$!
  for _ in $(seq 100); do
    listening "$port" && return 0
    kill -0 "${PID[$p]}" 2>/dev/null || { echo "$p exited at start: $cmd" >&2; tail -5 "$OUT/work/server-$p.log" >&2; return 1; }
    sleep 0.1
  done
  echo "$p not listening on $port after 10s" >&2; return 1
}

# utime and stime of the whole process (all threads), in clock ticks
stat_ticks() { awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$1/stat" 2>/dev/null || echo "nan nan"; }
HZ=$(getconf CLK_TCK)
# context switches of all threads: voluntary ones (a sleep, mostly in
# epoll_wait, then a wake-up) and involuntary ones (preempted: something else
# wanted the core). /proc/PID/io is no use for syscalls here: it leaves out
# recvfrom/sendto, which is what the servers' sockets use.
ctxsw() {
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ { v += $2 } /^nonvoluntary_ctxt_switches/ { n += $2 } END { print v + 0, n + 0 }'
}
per_call() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { if (n > 0 && a != "nan") printf "%.3f", (b - a) / n; else print "nan" }'; }

echo "rounds.sh: ${#PEER_LIST[@]} peers x ${#SCENARIOS[@]} scenarios x $ROUNDS rounds; --threads $THREADS; out $OUT"
echo "  commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), our binary $OURS_BIN"
echo "  machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); servers on core $CORES, h2load on core 1"
for p in "${PEER_LIST[@]}"; do echo "  $p: ${CMD[$p]//\{port\}/${PORT[$p]}}"; done

for p in "${PEER_LIST[@]}"; do
  start_server "$p" || exit 1
  for s in "${SCENARIOS[@]}"; do
    read -r _ _ _ _ _ _ method _ < <(scenario "$s")
    if ! out=$(taskset -c 1 timeout 20 "$PBIN/greeter-client" check "${PORT[$p]}" --methods "$method" ${CHECKFLAGS[$p]} 2>&1); then
      echo "$p $s: CHECK FAILED: $(echo "$out" | tail -1)" >&2; exit 1
    fi
  done
  "$PEERS_DIR/load.sh" "${PORT[$p]}" -n 20000 -T "$CAP" >/dev/null 2>&1 || { echo "$p: warm-up failed" >&2; exit 1; }
done
echo "  every server answered its gRPC checks and was warmed up"

RAW=$OUT/raw.tsv
PROBES=$OUT/probes.tsv
printf 'round\tpos\tpeer\tscenario\tcalls\trps\tp50_us\tp99_us\tcpu_us_per_call\tuser_us_per_call\tsys_us_per_call\tclient_cpu_pct\tother_cpu_pct\tall_ok\treplies_per_call\trss_mb\twakeups_per_call\tpreempt_per_call\tstart_utc\n' >"$RAW"
printf 'round\tcalib_ms\tload1\tstart_utc\n' >"$PROBES"

NP=${#PEER_LIST[@]}
for round in $(seq "$ROUNDS"); do
  calib=$(taskset -c "$CORES" python3 "$REPORT" calibrate)
  printf '%s\t%s\t%s\t%s\n' "$round" "$calib" "$(cut -d' ' -f1 /proc/loadavg)" "$(date -u +%H:%M:%S)" >>"$PROBES"
  off=$(( (round - 1) % NP ))
  order=("${PEER_LIST[@]:$off}" "${PEER_LIST[@]:0:$off}")
  echo "-- round $round/$ROUNDS: calib ${calib} ms, order ${order[*]}"
  for s in "${SCENARIOS[@]}"; do
    read -r path c m n k r _ _ < <(scenario "$s")
    n=$(calls_for "$s" "$n")
    pos=0
    for p in "${order[@]}"; do
      pos=$((pos + 1))
      pid=${PID[$p]}
      t0=$(date -u +%H:%M:%S)
      read -r u0 s0 < <(stat_ticks "$pid")
      read -r v0 w0 < <(ctxsw "$pid")
      res=$("$PEERS_DIR/load.sh" "${PORT[$p]}" -p "$path" -n "$n" -c "$c" -m "$m" -k "$k" -T "$CAP" -s "$pid" 2>&1)
      ok=$?
      read -r u1 s1 < <(stat_ticks "$pid")
      read -r v1 w1 < <(ctxsw "$pid")
      line=$(echo "$res" | grep '^RESULT ' | tail -1)
      get() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
      done_=$(get ok); [ -n "$done_" ] && [ "$done_" -gt 0 ] 2>/dev/null || done_=0
      usr=$(awk -v a="$u0" -v b="$u1" -v n="$done_" -v hz="$HZ" 'BEGIN { if (n > 0 && a != "nan") printf "%.2f", (b - a) * 1e6 / hz / n; else print "nan" }')
      sys=$(awk -v a="$s0" -v b="$s1" -v n="$done_" -v hz="$HZ" 'BEGIN { if (n > 0 && a != "nan") printf "%.2f", (b - a) * 1e6 / hz / n; else print "nan" }')
      rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo nan)
      allok=yes; [ $ok -eq 0 ] || allok=NO
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$pos" "$p" "$s" "$n" \
        "$(get rps)" "$(get p50_us)" "$(get p99_us)" "$(get server_cpu_us_per_req)" "$usr" "$sys" \
        "$(get client_cpu_pct)" "$(get other_cpu_pct)" "$allok" "$r" "$rss" \
        "$(per_call "$v0" "$v1" "$done_")" "$(per_call "$w0" "$w1" "$done_")" "$t0" >>"$RAW"
      printf '   %-9s %-8s %9.0f calls/s  cpu %6s us/call (usr %5s sys %5s)  p50 %5s us  client %3s%%  other %3s%%%s\n' \
        "$s" "$p" "$(get rps)" "$(get server_cpu_us_per_req)" "$usr" "$sys" "$(get p50_us)" \
        "$(get client_cpu_pct)" "$(get other_cpu_pct)" "$([ $allok = yes ] || echo '  NOT ALL 2xx')"
      kill -0 "$pid" 2>/dev/null || { echo "$p died" >&2; exit 1; }
    done
  done
done
calib=$(taskset -c "$CORES" python3 "$REPORT" calibrate)
printf '%s\t%s\t%s\t%s\n' end "$calib" "$(cut -d' ' -f1 /proc/loadavg)" "$(date -u +%H:%M:%S)" >>"$PROBES"
stop_all

echo
python3 "$REPORT" report "$OUT" --speed-pct "$SPEED_PCT" --threads "$THREADS" | tee "$OUT/table.txt"
echo "results: $OUT"
