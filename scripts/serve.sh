#!/usr/bin/env bash
# The README's run command: installs cmkg into .venv (once) and starts the service on the
# embedded default store (var/store), created on first start with the ontology, the reference
# statistics and the sample articles. Extra arguments go to `cmkg serve` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if ! .venv/bin/python -c "import cmkg.api.cli" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e .
fi
exec .venv/bin/cmkg serve "$@"
