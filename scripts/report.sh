#!/usr/bin/env bash
# Build the Allure HTML report from reports/allure-results with the pinned Allure 2 CLI.
# Output: reports/allure-report/index.html, a single file that opens from disk, offline.
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=${RESULTS:-reports/allure-results}
REPORT=${REPORT:-reports/allure-report}
[ -d "$RESULTS" ] || { echo "[report] no results in $RESULTS; run make e2e first" >&2; exit 1; }
ALLURE_NO_ANALYTICS=true node_modules/.bin/allure generate "$RESULTS" --clean --single-file -o "$REPORT" >/dev/null
echo "[report] Allure report: $(pwd)/$REPORT/index.html (single file; open it in a browser)"
