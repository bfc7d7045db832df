#!/usr/bin/env bash
# The README's test command: installs cmkg with its dev extra into .venv (once), installs the
# system services the tests start (SPARQL servers, a browser), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
if [ "${1:-}" = "--setup-only" ]; then
  exit 0
fi
exec .venv/bin/python -m pytest "$@"
