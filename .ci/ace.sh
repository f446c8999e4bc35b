#!/usr/bin/env bash
# Accessibility check of the EPUB with Ace by DAISY (issue 3: 0 violations).
#
#   bash .ci/ace.sh [BOOK_DIR ...]      default: the sample and the fixture books
#
# Installs Ace the documented way when it is missing (idempotent), builds each
# book's EPUB with the release binary and runs Ace on it; prints the
# violations by impact and fails if there is any.
#
#   Ace 1.4.6           npm `@daisy/ace`, installed into $ACE_PREFIX
#                       (default /opt/qalam-validators/ace) with
#                       PUPPETEER_SKIP_DOWNLOAD=1 (no bundled browser)
#   browser             Debian's chromium, used through
#                       PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium
#   needs               node + npm, chromium (apt-get install nodejs npm chromium)
#
# Reports are kept in target/ace/<book>/report.{json,html}.
# Not part of `cargo test` (Ace needs node and a browser, and takes ~20 s
# per book); run it before a release and when the XHTML changes.
set -euo pipefail
cd "$(dirname "$0")/.."

ACE_VERSION=1.4.6
ACE_PREFIX="${ACE_PREFIX:-/opt/qalam-validators/ace}"
ACE="$ACE_PREFIX/node_modules/.bin/ace-puppeteer"
export PUPPETEER_SKIP_DOWNLOAD=1
export PUPPETEER_EXECUTABLE_PATH="${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}"

command -v npm >/dev/null || { echo "ace.sh: npm is missing (apt-get install nodejs npm)" >&2; exit 2; }
[ -x "$PUPPETEER_EXECUTABLE_PATH" ] || { echo "ace.sh: no browser at $PUPPETEER_EXECUTABLE_PATH (apt-get install chromium)" >&2; exit 2; }

have=""
[ -f "$ACE_PREFIX/node_modules/@daisy/ace/package.json" ] \
  && have="$(node -p "require('$ACE_PREFIX/node_modules/@daisy/ace/package.json').version" 2>/dev/null || true)"
if [ "$have" != "$ACE_VERSION" ] || [ ! -x "$ACE" ]; then
  echo "ace.sh: installing @daisy/ace@$ACE_VERSION into $ACE_PREFIX" >&2
  mkdir -p "$ACE_PREFIX"
  [ -f "$ACE_PREFIX/package.json" ] || echo '{ "name": "qalam-ace", "private": true }' > "$ACE_PREFIX/package.json"
  ( cd "$ACE_PREFIX" && ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
      npm install --no-audit --no-fund --loglevel=error "@daisy/ace@$ACE_VERSION" )
fi

[ $# -gt 0 ] || set -- book tests/fixtures/specimen tests/fixtures/anthology tests/fixtures/russian tests/fixtures/scripts
cargo build --release --quiet
status=0
for book in "$@"; do
  name="$(basename "$book")"
  out="target/ace/$name"
  rm -rf "$out" && mkdir -p "$out"
  target/release/qalam --quiet build "$book" -o "$out" --format epub
  epub="$(ls "$out"/*.epub)"
  "$ACE" --force --silent --outdir "$out/report" "$epub" >"$out/ace.log" 2>&1 || true
  if [ ! -f "$out/report/report.json" ]; then
    echo "ace.sh: Ace did not run on $epub:" >&2
    tail -n 5 "$out/ace.log" >&2
    exit 2
  fi
  # Count failed assertions by impact.
  node -e '
    const r = require(process.argv[1]);
    const n = { critical: 0, serious: 0, moderate: 0, minor: 0 };
    for (const doc of r.assertions || [])
      for (const a of doc.assertions || [])
        if (a["earl:result"]["earl:outcome"] === "fail") {
          const i = a["earl:test"]["earl:impact"] || "minor";
          n[i] = (n[i] || 0) + 1;
          console.log(`  ${i} ${a["earl:test"]["dct:title"]}: ${doc["earl:testSubject"].url}`);
        }
    const total = Object.values(n).reduce((s, v) => s + v, 0);
    console.log(`ace: ${process.argv[2]}: ${total} violation(s) (critical=${n.critical} serious=${n.serious} moderate=${n.moderate} minor=${n.minor})`);
    process.exit(total ? 1 : 0);
  ' "$PWD/$out/report/report.json" "$epub" || status=1
done
exit $status
