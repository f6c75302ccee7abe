#!/usr/bin/env bash
# Installs Graphviz (Debian's graphviz package, for its `dot`) for the layout benchmark,
# `go run ./internal/cmd/bench layout`, which compares gonbviz's layout engine with dot.
# Graphviz is a benchmark-only tool: no gonbviz code, test or notebook needs it.
# Idempotent: does nothing when `dot` is already on PATH. Needs root (or sudo) for apt.
set -euo pipefail

if command -v dot >/dev/null 2>&1; then
  echo "dot: $(dot -V 2>&1 | head -1)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup-graphviz.sh: dot is missing; install Debian's graphviz as root" >&2; exit 1; }
  SUDO=sudo
fi
echo "== apt-get install graphviz"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends graphviz >/dev/null
echo "dot: $(dot -V 2>&1 | head -1)"
