#!/usr/bin/env bash
# Installs the headless browser the UI test drives (tests/test_ui.py): Debian's chromium and
# chromium-driver. Idempotent: does nothing when both are present. Needs root (or sudo).
# The test never downloads a browser of its own (no `playwright install`).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  echo "chromium and chromium-driver already installed: $(chromium --version 2>/dev/null || true)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-liberation
chromium --version
