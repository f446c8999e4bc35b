#!/usr/bin/env bash
# How the cost of each stage grows with its input (issue 25): for every input
# kind an adversary can make large, the release binary's wall time and peak
# memory at n, 2n and 4n, and the growth per doubling. Linear work gives about
# 2x per doubling; the README promises at most ~2.2x (a quadratic stage gives 4x).
#
#   cargo build --release --bin qalam
#   bash benches/scaling.sh            # every kind
#   bash benches/scaling.sh long-word  # one kind
#
# Times are the median of RUNS runs (default 3) and only mean something on an
# idle machine: the load average is printed with the table.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
Q=${QALAM:-$root/target/release/qalam}
RUNS=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$Q" ] || { echo "build first: cargo build --release --bin qalam" >&2; exit 1; }

# A one-chapter book whose chapter text comes from stdin.
book() {
  local dir=$1
  mkdir -p "$dir"
  printf '[book]\ntitle = "Scaling"\nauthors = ["Bench"]\nlanguage = "en"\nchapters = ["c.md"]\n' >"$dir/book.toml"
  { printf -- '---\ntitle: Scaling\ninterviewee: Bench\n---\n\n'; cat; } >"$dir/c.md"
}

# Chapter and page generators: NAME N writes the input of size N.
gen_long_word() { { head -c "$1" /dev/zero | tr '\0' 'a'; echo; } | book "$2"; }
gen_same_ids() { { for ((i = 0; i < $1; i++)); do printf '\n### Part {#same}\n\nText.\n'; done; } | book "$2"; }
gen_paragraphs() { { for ((i = 0; i < $1; i++)); do printf '\na\n'; done; } | book "$2"; }
gen_pull_quotes() {
  { for ((i = 0; i < $1; i++)); do
      printf '\nThe %d-th sentence of the running text goes on for a while here.\n\n> A quotation number %d that never occurs in the text.\n' "$i" "$i"
    done; } | book "$2"
}
gen_ruby() { { printf '<html><body><article><p>Q: Why?</p><p>A: '; for ((i = 0; i < $1; i++)); do printf '<ruby>x<rb>y</rb></ruby> '; done; printf '</p></article></body></html>'; } >"$2.html"; }
# Unclosed <rb>s nest without end: refused by the nesting limit, and the
# refusal itself must not be slow.
gen_rb_unclosed() { { printf '<html><body><article><p>'; for ((i = 0; i < $1; i++)); do printf '<rb>x'; done; printf '</p></article></body></html>'; } >"$2.html"; }
gen_br() { { printf '<html><body><article><h1>Lines</h1><p>Q: Why so many lines?</p><p>A: '; for ((i = 0; i < $1; i++)); do printf 'line<br>'; done; printf '</p></article></body></html>'; } >"$2.html"; }

# N pictures of 16000 x 16000 1-bit pixels (31 KB each as PNG): the decoded
# pixels in flight are bounded by a budget, not multiplied by the threads.
gen_big_pictures() {
  mkdir -p "$2/images"
  python3 - "$2/images" "$1" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
side = 16000
data = zlib.compress((b'\x00' + b'\x55' * (side // 8)) * side, 9)
png = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', side, side, 1, 0, 0, 0, 0))
       + chunk(b'IDAT', data) + chunk(b'IEND', b''))
for i in range(int(sys.argv[2])):
    open(f'{sys.argv[1]}/p{i}.png', 'wb').write(png)
PY
  { for ((i = 0; i < $1; i++)); do printf 'Text.\n\n![A test pattern %d](images/p%d.png)\n\n' "$i" "$i"; done; } | book "$2"
}

# run KIND N: "seconds maxrss_kb" of one build/import of the input of size N
run() {
  local kind=$1 n=$2 dir="$tmp/$1-$2" out="$tmp/out"
  [ -e "$dir" ] || [ -e "$dir.html" ] || "gen_${kind//-/_}" "$n" "$dir"
  local ts=() rss=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$out"
    local t0=$EPOCHREALTIME log
    if [ -e "$dir.html" ]; then
      log=$(/usr/bin/time -f "%M" "$Q" -q import "$dir.html" -o "$out" 2>&1 >/dev/null) ||
        [[ $kind == *-unclosed && $log == *import-too-deep* ]] ||
        { echo "$kind $n: import failed: $log" >&2; exit 1; }
    else
      log=$(/usr/bin/time -f "%M" "$Q" -q build "$dir" -o "$out" 2>&1 >/dev/null) ||
        { echo "$kind $n: build failed: $log" >&2; exit 1; }
    fi
    local t1=$EPOCHREALTIME
    ts+=("$(awk "BEGIN{printf \"%.3f\", $t1 - $t0}")")
    rss+=("$(echo "$log" | tail -n1)")
  done
  printf '%s %s\n' "$(printf '%s\n' "${ts[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")" \
    "$(printf '%s\n' "${rss[@]}" | sort -n | tail -n1)"
}

# kind and its n
declare -A N=(
  [long-word]=25000 [same-ids]=5000 [paragraphs]=100000 [pull-quotes]=5000
  [big-pictures]=2 [ruby]=20000 [rb-unclosed]=20000 [br]=50000
)
kinds=("${@:-long-word same-ids paragraphs pull-quotes ruby rb-unclosed br big-pictures}")
read -ra kinds <<<"${kinds[*]}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %8s %8s %8s %8s %8s  %s\n' kind n "t(n)" "t(2n)" "t(4n)" "growth" "peak MB at 4n"
for k in "${kinds[@]}"; do
  n=${N[$k]}
  r1=$(run "$k" "$n") || exit 1
  read -r t1 _ <<<"$r1"
  r2=$(run "$k" $((2 * n))) || exit 1
  read -r t2 _ <<<"$r2"
  r4=$(run "$k" $((4 * n))) || exit 1
  read -r t4 m4 <<<"$r4"
  # growth per doubling: the geometric mean of t(2n)/t(n) and t(4n)/t(2n)
  g=$(awk "BEGIN{a=$t1<0.001?0.001:$t1; printf \"%.2f\", sqrt($t4/a)}")
  printf '%-12s %8d %8s %8s %8s %7sx  %d\n' "$k" "$n" "$t1" "$t2" "$t4" "$g" $((m4 / 1024))
done
