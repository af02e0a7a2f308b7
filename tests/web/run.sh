#!/bin/bash
# Runs the web app's browser test: headless Debian chromium driven by playwright-core,
# against the real `piseruma serve` (built here if no build is found; PISERUMA_BIN to choose).
# Usage: tests/web/run.sh            (from anywhere; needs root or sudo for apt-get)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
command -v node >/dev/null || { echo "run.sh: Node.js (>= 20) is needed" >&2; exit 1; }

# The server under test: PISERUMA_BIN, or the dev preset's binary brought up to date
# (a no-op right after scripts/test has built it).
if [ -z "${PISERUMA_BIN:-}" ]; then
  echo "== building piseruma (dev preset)"
  (cd "$root" && cmake --preset dev >/dev/null && cmake --build --preset dev --target piseruma)
  export PISERUMA_BIN="$root/build/dev/api/piseruma"
fi

cd "$here"
echo "== npm ci (playwright-core, no browser download)"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
echo "== browser test against $PISERUMA_BIN"
node --test --test-concurrency=1 --test-reporter=spec app.spec.mjs demo.spec.mjs
