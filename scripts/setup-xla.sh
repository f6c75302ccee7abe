#!/usr/bin/env bash
# Installs XLA's CPU PJRT plugin, so that gonbviz trains with XLA on machines without a GPU:
# the pinned, hash-checked PyPI package of scripts/requirements-xla.txt, into the Python
# virtual environment ${GONBVIZ_VENV:-<repo>/.venv} (made if missing), where
# internal/backendsel finds it for `go run ./cmd/gonbviz demo`, the tests and, through the
# kernel's PJRT_PLUGIN_LIBRARY_PATH (scripts/setup-jupyter.sh), the GoNB kernel.
#
# Idempotent: a re-run with the pinned version in place does nothing. Only Linux x86-64 has a
# wheel; elsewhere it says so and exits 0 (gonbviz then uses the pure-Go backend, or a GPU
# plugin). Environment: GONBVIZ_VENV, PYTHON (the interpreter that makes the venv, default
# python3). Prints the plugin's path on stdout (and nothing else there).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${GONBVIZ_VENV:-$REPO/.venv}"
PYTHON="${PYTHON:-python3}"
REQUIREMENTS="$REPO/scripts/requirements-xla.txt"
PACKAGE="lammps-jax-pjrt-cpu"
MODULE="lammps_jax_pjrt_cpu"
PLUGIN_FILE="pjrt_c_api_cpu_plugin.so"

log() { printf '== %s\n' "$*" >&2; } # stdout carries the plugin's path alone
die() { printf 'setup-xla.sh: %s\n' "$*" >&2; exit 1; }

if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
  log "XLA CPU plugin: $PACKAGE has no wheel for $(uname -s) $(uname -m); gonbviz will use the pure-Go backend (or a GPU plugin)"
  exit 0
fi

want="$(sed -n "s/^$PACKAGE==\([^ ]*\).*/\1/p" "$REQUIREMENTS")"
[ -n "$want" ] || die "no $PACKAGE==VERSION line in $REQUIREMENTS"

# plugin_path: the installed plugin file, when the installed version is the pinned one.
plugin_path() {
  [ -x "$VENV/bin/python" ] || return 1
  "$VENV/bin/python" - "$PACKAGE" "$want" "$MODULE" "$PLUGIN_FILE" <<'PY' 2>/dev/null
import os, sys, importlib.util
from importlib.metadata import version, PackageNotFoundError
package, want, module, plugin = sys.argv[1:5]
try:
    have = version(package)
except PackageNotFoundError:
    sys.exit(1)
spec = importlib.util.find_spec(module)
if have != want or spec is None or not spec.submodule_search_locations:
    sys.exit(1)
path = os.path.join(list(spec.submodule_search_locations)[0], plugin)
if not os.path.isfile(path):
    sys.exit(1)
print(path)
PY
}

if path="$(plugin_path)"; then
  log "XLA CPU plugin $PACKAGE $want: up to date"
else
  if [ ! -x "$VENV/bin/python" ]; then
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set PYTHON to a Python 3 interpreter)"
    log "creating venv $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  log "pip install --no-deps --require-hashes -r scripts/requirements-xla.txt ($PACKAGE $want, about 63 MB)"
  "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
    --no-deps --require-hashes -r "$REQUIREMENTS"
  path="$(plugin_path)" || die "$PACKAGE $want is not installed in $VENV after pip install"
fi
echo "$path"
