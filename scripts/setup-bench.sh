#!/usr/bin/env bash
# Installs PyTorch for the backends benchmark, `go run ./internal/cmd/bench backends`, which
# compares GoMLX training steps/s (Go backend, XLA's CPU plugin) with eager PyTorch on the
# CPU. PyTorch is a benchmark-only tool: no gonbviz code, test or notebook needs it, so it
# goes into its own virtual environment, ${GONBVIZ_BENCH_VENV:-<repo>/.venv-bench}, with the
# exact pins of scripts/requirements-bench.txt (about 4.4 GB: PyPI's torch wheel needs its
# CUDA libraries to import, even on the CPU).
#
# Idempotent: does nothing when the venv already has the pinned torch. Environment:
# GONBVIZ_BENCH_VENV (where the venv goes), PYTHON (the interpreter that creates it, default
# python3; >= 3.10). Needs network access to PyPI the first time.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${GONBVIZ_BENCH_VENV:-$REPO/.venv-bench}"
PYTHON="${PYTHON:-python3}"
REQUIREMENTS="$REPO/scripts/requirements-bench.txt"
TORCH_PIN="$(grep -E '^torch==' "$REQUIREMENTS" | cut -d= -f3)"

log() { printf '== %s\n' "$*"; }
die() { printf 'setup-bench.sh: %s\n' "$*" >&2; exit 1; }

if [ -x "$VENV/bin/python" ] &&
  have="$("$VENV/bin/python" -c 'import torch; print(torch.__version__.split("+")[0])' 2>/dev/null)" &&
  [ "$have" = "$TORCH_PIN" ]; then
  log "torch $have already in $VENV"
  exit 0
fi
command -v "$PYTHON" >/dev/null || die "$PYTHON not found; set PYTHON to a Python >= 3.10"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || die "$PYTHON is older than 3.10"
if [ ! -x "$VENV/bin/python" ]; then
  log "python venv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
log "pip install -r scripts/requirements-bench.txt (torch $TORCH_PIN; about 4.4 GB)"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
"$VENV/bin/python" -c 'import torch; print("torch", torch.__version__, "threads", torch.get_num_threads())'
