#!/usr/bin/env bash
# The README's typesetting-quality table, in one run: the sample book's
# interview set by qalam, Typst (benches/typst-sample.py) and LuaLaTeX
# (benches/latex-sample.py), each with Vollkorn and with Noto Serif, on the
# same page and type, measured by pdf-typo-metrics; prints a markdown table.
#
#   bash benches/typo-compare.sh [DIR]     (the PDFs and metrics go to DIR,
#                                           by default a new temporary folder)
#
# QALAM: the qalam binary (default target/release/qalam, from the repo root);
# TYPO_METRICS: pdf-typo-metrics (default ../shared/tools/pdf-typo-metrics
# beside the repo). A typesetter that is missing (the `typst` Python module,
# `lualatex`) is skipped with a message; qalam and pdf-typo-metrics are needed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
QALAM=${QALAM:-$root/target/release/qalam}
TYPO_METRICS=${TYPO_METRICS:-$root/../shared/tools/pdf-typo-metrics}
NOTO_DIR=/usr/share/fonts/truetype/noto

[ -x "$QALAM" ] || { echo "typo-compare: no qalam at $QALAM (cargo build --release, or set QALAM)" >&2; exit 1; }
[ -x "$TYPO_METRICS" ] || { echo "typo-compare: no pdf-typo-metrics at $TYPO_METRICS (set TYPO_METRICS)" >&2; exit 1; }

out=${1:-$(mktemp -d "${TMPDIR:-/tmp}/qalam-typo.XXXXXX")}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rows=()   # "label|pdf|extra metrics options"

measure() { rows+=("$1|$2|${3:-}"); }

# qalam, Vollkorn: the sample as it is
SOURCE_DATE_EPOCH=1700000000 "$QALAM" -q build "$root/book" -o "$out/qalam-vollkorn"
measure "qalam, Vollkorn" "$(ls "$out"/qalam-vollkorn/*.pdf)"

# qalam, Noto Serif: a copy of the sample whose book.toml names Noto Serif
# and drops the cover (its path, ../covers/..., would leave the copy's folder)
if grep -q '^\[fonts\]' "$root/book/book.toml"; then
    echo "typo-compare: book/book.toml already has a [fonts] table; set the Noto Serif copy by hand" >&2
    exit 1
fi
rm -rf "$out/book-noto-serif"
cp -r "$root/book" "$out/book-noto-serif"
sed -i '/^cover[[:space:]]*=/d' "$out/book-noto-serif/book.toml"
printf '\n[fonts]\nbody = "Noto Serif"\ndirs = ["%s"]\n' "$NOTO_DIR" >>"$out/book-noto-serif/book.toml"
SOURCE_DATE_EPOCH=1700000000 "$QALAM" -q build "$out/book-noto-serif" -o "$out/qalam-noto-serif"
measure "qalam, Noto Serif" "$(ls "$out"/qalam-noto-serif/*.pdf)"

if python3 -c 'import typst' 2>/dev/null; then
    python3 "$root/benches/typst-sample.py" "Vollkorn" "$out/typst-vollkorn.pdf"
    python3 "$root/benches/typst-sample.py" "Noto Serif" "$out/typst-noto-serif.pdf"
    measure "Typst, Vollkorn" "$out/typst-vollkorn.pdf"
    measure "Typst, Noto Serif" "$out/typst-noto-serif.pdf"
else
    echo "typo-compare: skipping Typst (no typst Python module: pip install typst)" >&2
fi

# TeX writes no space characters, so pdf-typo-metrics cannot read the
# font's normal space off the PDF, and Vollkorn (the repo's copy) is not an
# installed font it could look up: it would assume 0.25 em against
# Vollkorn's 0.2. --space-em gives it the body font's own space advance.
space_em() { python3 -c 'import sys, pymupdf; print(round(pymupdf.Font(fontfile=sys.argv[1]).glyph_advance(32), 4))' "$1"; }
if command -v lualatex >/dev/null; then
    python3 "$root/benches/latex-sample.py" "Vollkorn" "$out/lualatex-vollkorn.pdf"
    python3 "$root/benches/latex-sample.py" "Noto Serif" "$out/lualatex-noto-serif.pdf"
    measure "LuaLaTeX, Vollkorn" "$out/lualatex-vollkorn.pdf" \
        "--space-em $(space_em "$root/fonts/vollkorn/Vollkorn-Regular.ttf")"
    measure "LuaLaTeX, Noto Serif" "$out/lualatex-noto-serif.pdf" \
        "--space-em $(space_em "$NOTO_DIR/NotoSerif-Regular.ttf")"
else
    echo "typo-compare: skipping LuaLaTeX (no lualatex on PATH)" >&2
fi

# Vollkorn rows first, then Noto Serif, in the order qalam, Typst, LuaLaTeX
order=("qalam, Vollkorn" "Typst, Vollkorn" "LuaLaTeX, Vollkorn"
       "qalam, Noto Serif" "Typst, Noto Serif" "LuaLaTeX, Noto Serif")
jsons=()
for label in "${order[@]}"; do
    for row in "${rows[@]}"; do
        IFS='|' read -r l pdf opts <<<"$row"
        [ "$l" = "$label" ] || continue
        # both qalam PDFs bear the book's name: name the metrics by row
        json="$out/$(printf '%s' "$label" | tr -cs 'A-Za-z' '-' | tr 'A-Z' 'a-z').json"
        # shellcheck disable=SC2086 # opts is a list of options
        "$TYPO_METRICS" "$pdf" $opts >"$json"
        jsons+=("$label" "$json")
    done
done

echo "PDFs and metrics in $out" >&2
python3 - "${jsons[@]}" <<'EOF'
import json, sys

args = sys.argv[1:]
print('| | hyphenated body lines | space ratio p95 / max | loose / tight lines'
      ' | letter-spacing p50 (em) | overfull, widows, orphans | runs of 3+ hyphens (longest run) |')
print('|---|---|---|---|---|---|---|')
for label, path in zip(args[0::2], args[1::2]):
    d = json.load(open(path))
    s, h = d['spaces'], d['hyphens']
    n, body = h['body_lines_ending_hyphen'], d['lines']['body']
    print('| %s | %d/%d (%.1f %%) | %.3f / %.3f | %d (%.1f %%) / %d (%.1f %%) | %.4f | %d, %d, %d | %d (%d) |' % (
        label, n, body, 100.0 * n / body, s['ratio_p95'], s['ratio_max'],
        s['loose_lines'], 100 * s['loose_share'], s['tight_lines'], 100 * s['tight_share'],
        d['letterspacing']['dev_em_p50'],
        d['overfull']['count'], d['widows'], d['orphans'], h['runs_3plus'], h['longest_run']))
EOF
