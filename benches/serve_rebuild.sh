#!/usr/bin/env bash
# The rebuild `qalam serve` makes after a one-word change to the sample
# book (issue 22 asks for at most 50 ms): release build, RUNS edits
# (default 20) that swap one word of a question, each timed by the server
# itself ("rebuilt in N ms": reading the book to the new preview in memory,
# without the 25 ms the watch waits for a save to settle). Prints the
# median, the fastest and the slowest, with the load average: timings on a
# busy machine are not comparable. Also the server's CPU time (user +
# system, all threads) per rebuild, from /proc, which the load changes far
# less.
#
#   bash benches/serve_rebuild.sh
#   RUNS=50 bash benches/serve_rebuild.sh
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
cargo build --release --quiet --bin qalam
WORK=$(mktemp -d)
cp -r book covers "$WORK/"
rm -rf "$WORK/book/out"
LOG="$WORK/serve.log"

target/release/qalam serve "$WORK/book" --port 0 >"$LOG" 2>/dev/null &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT

rebuilds() { grep -c '^rebuilt in' "$LOG" || true; }
wait_for() {
  for _ in $(seq 1 500); do
    [ "$(rebuilds)" -ge "$1" ] && return 0
    sleep 0.02
  done
  echo "serve_rebuild: no rebuild $1 within 10 s" >&2
  exit 1
}

# utime + stime of the server process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }

wait_for 1
cpu0=$(cpu_ticks)
for i in $(seq 1 "$RUNS"); do
  if [ $((i % 2)) -eq 1 ]; then
    sed -i 's/What motivated these moves?/What prompted these moves?/' "$WORK/book/interview.md"
  else
    sed -i 's/What prompted these moves?/What motivated these moves?/' "$WORK/book/interview.md"
  fi
  wait_for $((i + 1))
  # Let the server settle so that runs do not overlap.
  sleep 0.2
done

cpu1=$(cpu_ticks)

times=$(grep '^rebuilt in' "$LOG" | tail -n +2 | sed 's/^rebuilt in \([0-9.]*\) ms.*/\1/' | sort -n)
n=$(echo "$times" | wc -l)
echo "qalam serve, sample book, one-word change: $n rebuilds (load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "$times" | awk '{a[NR]=$1} END {printf "  median %.1f ms, fastest %.1f ms, slowest %.1f ms\n", a[int((NR+1)/2)], a[1], a[NR]}'
echo "  CPU $(echo "($cpu1 - $cpu0) * 1000 / $(getconf CLK_TCK) / $RUNS" | bc -l | xargs printf '%.1f') ms per rebuild (user + system, all threads)"
