#!/usr/bin/env bash
# The README's test command. On a fresh machine it:
#   1. creates .venv and installs cmkg with its dev extra (once; idempotent);
#   2. installs what the tests start: Virtuoso (Debian) and Oxigraph's server (PyPI) for the
#      store tests, Debian's Chromium for the query-UI test (scripts/install-*.sh; idempotent);
#   3. runs pytest (extra arguments go to pytest).
# CMKG_SKIP_SYSTEM_DEPS=1 skips step 2 (the server and browser tests then say why they skip,
# or fail when CMKG_REQUIRE_SERVERS=1, as in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if ! .venv/bin/python -c "import cmkg.api.cli, pytest, playwright, schemathesis, nbclient" 2>/dev/null \
   || [ pyproject.toml -nt .venv/.cmkg-installed ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  touch .venv/.cmkg-installed
fi
if [ "${1:-}" = "--setup-only" ]; then
  exit 0
fi
if [ "${CMKG_SKIP_SYSTEM_DEPS:-0}" != "1" ]; then
  bash scripts/install-sparql-servers.sh
  bash scripts/install-browser.sh
fi
exec .venv/bin/python -m pytest "$@"
