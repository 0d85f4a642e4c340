#!/usr/bin/env bash
# Idempotent set-up for a Debian machine that may reach only PyPI, apt and npm:
#   .venv with the project, a Chromium Playwright can drive, OpenSSL's GOST engine (the signature
#   oracle), ffmpeg for --video, the Allure CLI.
# Fast when nothing changed: each step first checks whether it is needed.
# Env: PYTHON (default python3), VENV (default .venv), WITH_VIDEO=0 skips ffmpeg.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
WITH_VIDEO=${WITH_VIDEO:-1}
log() { printf '[setup] %s\n' "$*"; }
fail() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

IS_ROOT=0; [ "$(id -u)" -eq 0 ] && IS_ROOT=1
APT_UPDATED=0
apt_install() {  # only as root; a user gets told exactly what to run
  if [ "$IS_ROOT" != 1 ]; then
    fail "missing: $*. Install it with: sudo apt-get install -y $*  (then run make again)"
  fi
  [ "$APT_UPDATED" = 1 ] || { apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. Python: a venv, and the project installed only when pyproject.toml changed.
command -v "$PYTHON" >/dev/null || fail "no $PYTHON; install Python 3.11+ (apt-get install -y python3 python3-venv)"
[ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$PYTHON" -m venv "$VENV" || fail "cannot create a venv: apt-get install -y python3-venv"; }
stamp="$VENV/.setup-stamp"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing the project and its dependencies into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[dev]"
  echo "$want" > "$stamp"
fi

# 2. A Chromium: Playwright's own when installed, else the system one, else Debian's package.
pw_browsers=${PLAYWRIGHT_BROWSERS_PATH:-${XDG_CACHE_HOME:-$HOME/.cache}/ms-playwright}
if [ -n "${CHROMIUM_EXECUTABLE:-}" ]; then
  [ -x "$CHROMIUM_EXECUTABLE" ] || fail "CHROMIUM_EXECUTABLE=$CHROMIUM_EXECUTABLE is not executable"
elif compgen -G "$pw_browsers/chromium-*/INSTALLATION_COMPLETE" >/dev/null; then
  : # Playwright's own browser; esia_e2e/library/chromium.py prefers it
else
  if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
    log "no Chromium found; installing Debian's chromium (Playwright cannot download browsers here)"
    apt_install chromium
  fi
  # Headless runs take the headless shell, as Playwright does with its own builds: about half
  # the CPU of the full browser per login (esia_e2e/library/chromium.py). Headed runs keep chromium.
  if ! command -v chromium-headless-shell >/dev/null; then
    if [ "$IS_ROOT" = 1 ]; then
      log "installing Debian's chromium-headless-shell for headless runs"
      apt_install chromium-headless-shell
    else
      log "chromium-headless-shell is missing: headless runs use the full chromium (slower;" \
          "sudo apt-get install -y chromium-headless-shell)"
    fi
  fi
fi

# 2b. OpenSSL's GOST engine: the oracle that GOST signatures are checked against (tests/gost_oracle.py).
if ! openssl engine gost >/dev/null 2>&1; then
  if [ "$IS_ROOT" = 1 ]; then
    log "installing OpenSSL's GOST engine (libengine-gost-openssl), the signature oracle"
    apt_install libengine-gost-openssl
  else
    log "OpenSSL's GOST engine is missing: the oracle tests will be skipped here" \
        "(sudo apt-get install -y libengine-gost-openssl to run them; CI installs it)"
  fi
fi

# 3. ffmpeg, so that pytest-playwright's --video works (Playwright cannot download its own).
if [ "$WITH_VIDEO" = 1 ]; then
  command -v ffmpeg >/dev/null || { log "installing ffmpeg for --video"; apt_install --no-install-recommends ffmpeg; }
  "$VENV/bin/python" scripts/link_ffmpeg.py >/dev/null
fi

# 4. The Allure CLI, pinned by package-lock.json; Allure 2 runs on Java.
command -v java >/dev/null || { log "installing a Java runtime for Allure"; apt_install default-jre-headless; }
command -v npm >/dev/null || { log "installing Node.js and npm for the Allure CLI"; apt_install nodejs npm; }
# gitlab-ci-local (the GitLab recipe's test) copies the project with rsync.
command -v rsync >/dev/null || { log "installing rsync for gitlab-ci-local"; apt_install rsync; }
if [ ! -x node_modules/.bin/allure ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing the Allure CLI (npm ci)"
  npm ci --no-audit --no-fund --no-update-notifier --loglevel=error >/dev/null
fi
