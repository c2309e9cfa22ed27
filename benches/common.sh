# benches/common.sh: what the load scripts of benches/ share, sourced by
# rounds.sh, large.sh, connections.sh and syscalls.sh (not run on its own).
#   usage       prints the calling script's header comment and exits 2
#   ROOT        the project root
#   PEERS_DIR   ../shared/bench-peers (or $BENCH_PEERS), absolute
#   PBIN        the peers' release binaries
#   listening PORT   true once something accepts on 127.0.0.1:PORT

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS_DIR=${BENCH_PEERS:-$ROOT/../shared/bench-peers}
[ -d "$PEERS_DIR" ] || PEERS_DIR=/work/shared/bench-peers
PEERS_DIR=$(cd "$PEERS_DIR" && pwd)
PBIN=$PEERS_DIR/target/release

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
