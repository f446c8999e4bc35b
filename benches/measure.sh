#!/usr/bin/env bash
# Whole-process measurements for the README's "Performance" table: release
# build, EPUB + PDF, wall-clock time and peak memory (max RSS) from
# `/usr/bin/time -v`, median of RUNS runs (default 5).
#
#   bash benches/measure.sh            # the table
#   RUNS=9 bash benches/measure.sh     # more runs
#
# When Typst is installed for Python (`pip install typst`, the typst-py
# wheel with the compiler inside), the 50-chapter book's text is also
# written as Typst markup (`cargo run --example typst_text`) and Typst's
# time for its PDF is printed beside qalam's for the EPUB and the PDF.
#
# The corpus is made by `cargo run --release --example corpus` from the
# sample book (benches/corpus/mod.rs). The load average is printed with the
# table: timings on a busy machine are not comparable.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
WORK=${WORK:-$(mktemp -d)}
cargo build --release --quiet --bin qalam --example corpus --example typst_text
QALAM=target/release/qalam
CORPUS=target/release/examples/corpus

for n in 1 10 50 200; do
  [ -f "$WORK/book-$n/book.toml" ] || "$CORPUS" book "$n" "$WORK/book-$n" >/dev/null
done
[ -d "$WORK/catalogue-200/book-0200" ] || "$CORPUS" catalogue 200 "$WORK/catalogue-200" >/dev/null

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure NAME ARGS...: prints a table row
measure() {
  local name=$1
  shift
  local walls=() rss=() cpus=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/out"
    local log t0 t1
    # Wall time from the shell's microsecond clock: `time -v` reports it in
    # hundredths of a second only, too coarse for the sample book.
    t0=$EPOCHREALTIME
    log=$(/usr/bin/time -v "$QALAM" -q "$@" -o "$WORK/out" 2>&1 >/dev/null) || {
      echo "failed: $QALAM $*" >&2
      echo "$log" >&2
      exit 1
    }
    t1=$EPOCHREALTIME
    walls+=("$(echo "$t1 - $t0" | bc -l)")
    rss+=("$(echo "$log" | awk -F': ' '/Maximum resident/ {print $2}')")
    cpus+=("$(echo "$log" | awk -F': ' '/User time|System time/ {s+=$2} END {print s}')")
  done
  local w r c
  w=$(printf '%s\n' "${walls[@]}" | median)
  # The shell's clock around `$(/usr/bin/time -v …)` also counts a subshell
  # and time's own start (about 16 ms here for `qalam --version`, which
  # takes 2 ms): where hyperfine is installed, it times the wall clock.
  if command -v hyperfine >/dev/null; then
    hyperfine -N -w 2 -r "$RUNS" --prepare "rm -rf $WORK/out" --export-json "$WORK/hf.json" \
      "$QALAM -q $* -o $WORK/out" >/dev/null 2>&1 &&
      w=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORK/hf.json")
  fi
  r=$(printf '%s\n' "${rss[@]}" | median)
  c=$(printf '%s\n' "${cpus[@]}" | median)
  LAST_WALL=$w
  LAST_CPU=$c
  printf '| %-34s | %8.0f ms | %8.0f ms | %6.0f MB |\n' "$name" "$(echo "$w * 1000" | bc -l)" \
    "$(echo "$c * 1000" | bc -l)" "$(echo "$r / 1024" | bc -l)"
}

echo "$(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg); median of $RUNS runs"
echo
# CPU is user + system time of all threads: unlike wall time it hardly
# changes with the machine's load.
echo "| case (EPUB + PDF, whole process)   |        wall |   CPU (u+s) |  peak RSS |"
echo "|------------------------------------|-------------|-------------|-----------|"
measure "sample book" build book
for n in 1 10 50 200; do
  measure "$n-chapter book" build "$WORK/book-$n"
  if [ "$n" = 50 ]; then
    QALAM50_WALL=$LAST_WALL
    QALAM50_CPU=$LAST_CPU
  fi
done
measure "catalogue of 200 books (--all)" build --all "$WORK/catalogue-200"
# The seed interview (a copy of ../shared/seeds/000_6580ebd942c0a57b.txt),
# imported and built in one run; its README row takes 200 runs
# (IMPORT_RUNS), as a 20 ms run varies by a millisecond or two.
RUNS=${IMPORT_RUNS:-200} measure "import of the seed --build" import tests/fixtures/import/seed.txt --build
echo
if python3 -c 'import typst' 2>/dev/null; then
  target/release/examples/typst_text "$WORK/book-50" "$WORK/book-50.typ"
  tw=()
  tc=()
  for _ in $(seq "$RUNS"); do
    read -r w c version < <(python3 benches/typst_time.py "$WORK/book-50.typ" fonts "$WORK/typst-50.pdf")
    tw+=("$w")
    tc+=("$c")
  done
  w=$(printf '%s\n' "${tw[@]}" | median)
  c=$(printf '%s\n' "${tc[@]}" | median)
  printf 'typst-py %s (Typst inside), the 50-chapter text to PDF: %.0f ms wall, %.0f ms CPU\n' \
    "$version" "$(echo "$w * 1000" | bc -l)" "$(echo "$c * 1000" | bc -l)"
  printf 'qalam (EPUB + PDF) / Typst (PDF): %.2f of its wall time, %.2f of its CPU time\n' \
    "$(echo "$QALAM50_WALL / $w" | bc -l)" "$(echo "$QALAM50_CPU / $c" | bc -l)"
else
  echo "Typst not installed for Python (pip install typst): no comparison"
fi
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
