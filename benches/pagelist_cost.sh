#!/bin/bash
# What the EPUB's print page list costs (issue 10): the wall time of
# `qalam build --format epub` on the 50-chapter corpus book with the page
# list and with `[epub] page-list = false`, and the PDF layout time that
# `qalam build --format pdf -v` reports; N interleaved rounds, medians.
#
#   cargo build --release --bin qalam --example corpus
#   bash benches/pagelist_cost.sh [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
Q="$root/target/release/qalam"
N=${1:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/target/release/examples/corpus" book 50 "$tmp/on" >/dev/null
cp -r "$tmp/on" "$tmp/off"
sed -i 's/^\[epub\]$/[epub]\npage-list = false/' "$tmp/off/book.toml"
grep -q '^page-list = false' "$tmp/off/book.toml"
for i in $(seq "$N"); do
  /usr/bin/time -f "%e" -o "$tmp/t.on.$i" "$Q" -q build "$tmp/on" -o "$tmp/out-on" --format epub
  /usr/bin/time -f "%e" -o "$tmp/t.off.$i" "$Q" -q build "$tmp/off" -o "$tmp/out-off" --format epub
  "$Q" -v build "$tmp/off" -o "$tmp/out-pdf" --format pdf |
    sed -n 's/^laid out .* in \([0-9]*\) ms$/\1/p' | awk '{printf "%.3f\n", $1/1000}' >"$tmp/t.layout.$i"
done
med() { cat "$tmp"/t."$1".* | sort -n | sed -n "$(((N + 1) / 2))p"; }
for v in on off layout; do
  echo "$v: median $(med "$v") s (all: $(cat "$tmp"/t."$v".* | sort -n | tr '\n' ' '))"
done
echo "page list costs $(awk "BEGIN{printf \"%.3f\", $(med on) - $(med off)}") s; the PDF layout takes $(med layout) s"
