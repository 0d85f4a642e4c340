#!/usr/bin/env bash
# Build the Allure HTML report from reports/allure-results with the pinned Allure 2 CLI.
#   reports/allure-report/index.html  a single file that opens from disk, offline
#   reports/allure-history/           trend data kept between local runs (Allure 2 "history")
# Allure 2 writes history only in its multi-file mode, so that one is built too and kept
# beside the single file (reports/allure-report/site/, served by `npx allure open` if wanted).
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=${RESULTS:-reports/allure-results}
REPORT=${REPORT:-reports/allure-report}
HISTORY=${HISTORY:-reports/allure-history}
[ -d "$RESULTS" ] || { echo "[report] no results in $RESULTS; run make e2e first" >&2; exit 1; }
export ALLURE_NO_ANALYTICS=true
if [ -d "$HISTORY" ]; then
  rm -rf "$RESULTS/history" && cp -r "$HISTORY" "$RESULTS/history"
fi
rm -rf "$REPORT"
node_modules/.bin/allure generate "$RESULTS" --clean -o "$REPORT/site" >/dev/null
rm -rf "$HISTORY" && cp -r "$REPORT/site/history" "$HISTORY"
node_modules/.bin/allure generate "$RESULTS" --single-file -o "$REPORT/single" >/dev/null
mv "$REPORT/single/index.html" "$REPORT/index.html" && rmdir "$REPORT/single"
echo "[report] Allure report: $(pwd)/$REPORT/index.html (single file; open it in a browser)"
