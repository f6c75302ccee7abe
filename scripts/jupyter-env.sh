# shellcheck shell=bash
# Source this (bash or zsh) to use the Jupyter that scripts/setup-jupyter.sh installed:
#
#   source scripts/jupyter-env.sh && jupyter lab
#
# It exports
#   GONBVIZ_VENV      the venv (${GONBVIZ_VENV:-<repo>/.venv}, as setup-jupyter.sh uses it);
#   JUPYTER_DATA_DIR  <venv>/share/jupyter: where the gonb kernel spec lives, and where Jupyter
#                     writes its runtime files, away from ~/.local/share/jupyter;
#   JUPYTER_PATH      <venv>/share/jupyter first, so the venv's gonb kernel wins over any other
#                     kernel named gonb (e.g. an older, globally installed GoNB);
#   PATH              <venv>/bin, then Go's bin and $(go env GOBIN or GOPATH/bin) (go,
#                     goimports, gonb).
# Sourcing it twice does not grow PATH or JUPYTER_PATH. It does not activate the venv's
# Python for anything else, and does not check the installation (run setup-jupyter.sh).

if [ -n "${BASH_SOURCE:-}" ]; then
  _gonbviz_here="${BASH_SOURCE[0]}"
elif [ -n "${ZSH_VERSION:-}" ]; then
  # shellcheck disable=SC2296
  _gonbviz_here="${(%):-%x}"
else
  _gonbviz_here="$0"
fi
_gonbviz_repo="$(cd "$(dirname "$_gonbviz_here")/.." && pwd)"

export GONBVIZ_VENV="${GONBVIZ_VENV:-$_gonbviz_repo/.venv}"
export JUPYTER_DATA_DIR="$GONBVIZ_VENV/share/jupyter"

# _gonbviz_prepend VAR DIR: puts DIR first in the colon-separated list VAR, once.
_gonbviz_prepend() {
  local cur
  eval "cur=\"\${$1:-}\""
  case ":$cur:" in
    *":$2:"*) cur=":$cur:"; cur="${cur//:$2:/:}"; cur="${cur#:}"; cur="${cur%:}" ;;
  esac
  if [ -n "$cur" ]; then
    eval "export $1=\"\$2:\$cur\""
  else
    eval "export $1=\"\$2\""
  fi
}

_gonbviz_prepend JUPYTER_PATH "$GONBVIZ_VENV/share/jupyter"
if command -v go >/dev/null 2>&1; then
  _gonbviz_gobin="$(go env GOBIN)"
  [ -n "$_gonbviz_gobin" ] || _gonbviz_gobin="$(go env GOPATH | cut -d: -f1)/bin"
  _gonbviz_prepend PATH "$_gonbviz_gobin"
  _gonbviz_prepend PATH "$(go env GOROOT)/bin"
  unset _gonbviz_gobin
fi
_gonbviz_prepend PATH "$GONBVIZ_VENV/bin"

unset -f _gonbviz_prepend
unset _gonbviz_here _gonbviz_repo
