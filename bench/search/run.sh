#!/usr/bin/env bash
# The search engine comparison and the scaling measurement, on this machine. Run by hand:
#   bash bench/search/run.sh            (after `cargo run --release -p generator -- build`)
#   bash bench/search/run.sh scale      only the scaling: ours at 1,000 and 5,000 documents
#                                       (scale.mjs), then Pagefind on the same libraries
#                                       (scale-pagefind.mjs, writes bench/search/SCALE.md)
# Needs node, Debian's Chromium (bash scripts/setup-browser) and the npm registry for Pagefind's
# package, whose binary it runs: nothing else is downloaded. Results go to bench/out/search/.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIST=${DIST:-dist}
OUT=bench/out/search
[ -f "$DIST/zh/search/index.html" ] || { echo "no $DIST/zh/search/: build the site first" >&2; exit 1; }
mkdir -p "$OUT"
if [ ! -d "$OUT/npm/node_modules/pagefind" ]; then
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$OUT/npm" pagefind@1.6.0
fi
PF=$(find "$OUT/npm/node_modules/@pagefind" -name pagefind_extended -type f | head -1)
[ -x "$PF" ] || { echo "pagefind_extended not found in $OUT/npm" >&2; exit 1; }
[ -d node_modules/playwright-core ] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
"$PF" --version
if [ "${1:-}" != scale ]; then
  rm -rf "$OUT/root" && mkdir -p "$OUT/root"
  ln -s "$(realpath "$DIST")" "$OUT/root/ours"
  node bench/search/pagefind-site.mjs "$DIST" "$OUT/root/pf"
  "$PF" --site "$OUT/root/pf" --quiet
  node bench/search/compare.mjs "$OUT/root"
  node bench/search/substring.mjs "$DIST"
fi
node bench/search/scale.mjs "$DIST" "$OUT/scale"
node bench/search/scale-pagefind.mjs "$OUT/scale" "$PF" 1000,5000
