#!/usr/bin/env bash
# Install the SPARQL servers that tests/test_store.py and benchmarks/scaleout.py start on
# loopback (scripts/sparql_servers.py): Virtuoso 7 (Debian package virtuoso-opensource) and
# Oxigraph server (the oxigraph PyPI package, a binary in .venv).
#
# Idempotent: what is installed already is left alone. Exits non-zero with a message when a
# server cannot be installed. Needs .venv (scripts/test.sh --setup-only makes it) and, for
# Virtuoso, apt-get as root (or sudo).
#
# Note: the Debian package also registers a system Virtuoso service (ports 1111 and 8890). The
# tests never use it; on a machine with systemd you may stop it:
#   systemctl disable --now virtuoso-opensource-7
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "install-sparql-servers: $*" >&2
  exit 1
}

# -- Virtuoso ---------------------------------------------------------------------------------
# virtuoso-t is the server; isql-vt (same package set) runs its bulk loader for the benchmark
if ! command -v virtuoso-t >/dev/null 2>&1 || ! command -v isql-vt >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 ||
    fail "virtuoso-t is missing and there is no apt-get: install Virtuoso 7 (virtuoso-opensource) by hand"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "need root (or sudo) to apt-get install virtuoso-opensource"
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q || fail "apt-get update failed"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtuoso-opensource ||
    fail "apt-get install virtuoso-opensource failed"
fi
command -v virtuoso-t >/dev/null 2>&1 || fail "virtuoso-t is still missing after the install"
command -v isql-vt >/dev/null 2>&1 || fail "isql-vt is still missing after the install"
[ -d /var/lib/virtuoso-opensource-7/vsp ] ||
  fail "Virtuoso's web root /var/lib/virtuoso-opensource-7/vsp is missing (reinstall virtuoso-opensource-7)"

# -- Oxigraph server ---------------------------------------------------------------------------
PY=.venv/bin/python
[ -x "$PY" ] || fail ".venv is missing: run scripts/test.sh --setup-only first"
if ! [ -x .venv/bin/oxigraph ]; then
  "$PY" -m pip install --quiet 'oxigraph>=0.5,<0.6' || fail "pip install oxigraph failed"
fi
.venv/bin/oxigraph --version >/dev/null 2>&1 || fail ".venv/bin/oxigraph does not run"

echo "install-sparql-servers: $(.venv/bin/oxigraph --version), $(dpkg-query -W -f='virtuoso-opensource ${Version}' virtuoso-opensource 2>/dev/null || echo 'virtuoso-t')"
