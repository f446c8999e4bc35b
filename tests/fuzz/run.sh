#!/usr/bin/env bash
# Runs one fuzz target with cargo-fuzz (libFuzzer, AddressSanitizer) on the
# stable toolchain: RUSTC_BOOTSTRAP=1 lets stable rustc take the nightly
# flags cargo-fuzz passes (-Zsanitizer, -Zbuild-std is not used).
#
#   tests/fuzz/run.sh TARGET [SECONDS] [libFuzzer options…]
#   tests/fuzz/run.sh chapter 600
#   tests/fuzz/run.sh list                # the targets
#
# The corpus grows in tests/fuzz/corpus/TARGET (not committed); it starts
# from the repository's own books and fixtures. A crash is written to
# tests/fuzz/artifacts/TARGET/; after fixing it, copy the input to
# tests/fuzz/regressions/TARGET/ so that `cargo test` replays it forever
# (tests/fuzz_regressions.rs).
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
root=$(cd ../.. && pwd)

if [ "${1:-}" = "list" ] || [ -z "${1:-}" ]; then
    echo "targets: chapter chapter_epub chapter_pdf book_toml import_text import_html"
    exit 0
fi
target=$1
secs=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))

corpus=$here/corpus/$target
mkdir -p "$corpus" "artifacts/$target"
seed() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$corpus/seed-$(echo "$f" | tr '/' '_')"; done; true; }
if [ -z "$(ls -A "$corpus")" ]; then
    cd "$root"
    case $target in
        chapter|chapter_epub|chapter_pdf)
            seed book/*.md tests/fixtures/specimen/*.md tests/fixtures/epub-cover/*.md \
                tests/fixtures/html-injection/*.md tests/fixtures/bad/*/*.md ;;
        book_toml)
            seed book/book.toml tests/fixtures/specimen/book.toml tests/fixtures/epub-cover/book.toml \
                tests/fixtures/html-injection/book.toml tests/fixtures/bad/*/book.toml ;;
        import_text)
            seed tests/fixtures/import/*.txt book/*.md ;;
        import_html)
            seed tests/fixtures/import/*.html ;;
        *) echo "unknown target $target" >&2; exit 2 ;;
    esac
    cd "$here"
fi
# Regression inputs are part of the corpus too.
extra=()
[ -d "$here/regressions/$target" ] && extra+=("$here/regressions/$target")

dict=()
case $target in
    chapter|chapter_epub|chapter_pdf) dict=(-dict=dict/markdown.dict) ;;
    book_toml) dict=(-dict=dict/toml.dict) ;;
    import_html) dict=(-dict=dict/html.dict) ;;
    import_text) dict=(-dict=dict/text.dict) ;;
esac

RUSTC_BOOTSTRAP=1 exec cargo fuzz run --fuzz-dir . -O "$target" "$corpus" "${extra[@]}" -- \
    -max_total_time="$secs" -timeout=20 -rss_limit_mb=3072 -max_len=65536 \
    -print_final_stats=1 "${dict[@]}" "$@"
