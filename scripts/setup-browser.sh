#!/usr/bin/env bash
# Installs what the real-browser tests need: Debian's Chromium and the DejaVu fonts (apt),
# and playwright-core with the pinned vega packages (npm ci in scripts/node). Playwright
# drives /usr/bin/chromium; it never downloads a browser of its own.
# Needs root (or sudo) for apt; skips apt when Chromium is already installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi dejavu; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup-browser.sh: Chromium is missing; install Debian's chromium and fonts-dejavu-core as root" >&2; exit 1; }
    SUDO=sudo
  fi
  echo "== apt-get install chromium fonts-dejavu-core"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
echo "chromium: $(chromium --version 2>/dev/null | head -1)"
