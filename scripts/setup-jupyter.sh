#!/usr/bin/env bash
# Installs a real JupyterLab with the GoNB (Go) kernel for gonbviz: for users, for CI and for
# the Dockerfile. Idempotent: every step checks whether its result is already there, at the
# pinned version, and skips itself if so (a re-run takes a few seconds: the link of the
# cache-warming program).
#
#   1. a Python virtual environment at ${GONBVIZ_VENV:-<repo>/.venv} with the exact pins of
#      scripts/requirements-jupyter.txt (JupyterLab 4.6, nbclient, nbconvert, nbformat);
#   2. goimports from golang.org/x/tools v0.52.0 (GoNB needs it) into $(go env GOBIN) or
#      $(go env GOPATH)/bin;
#   3. the GoNB kernel v0.11.4, built from a throw-away module (this proxy serves gonb only by
#      exact version, so `go install ...@v0.11.4` fails asking for the version list);
#   4. XLA's CPU PJRT plugin in the same venv (scripts/setup-xla.sh; Linux x86-64 only);
#   5. the kernel registered INTO THE VENV (<venv>/share/jupyter/kernels/gonb), so a global
#      Jupyter is left untouched, with a kernel.json `env` that GoNB leaves empty filled in:
#      GOEXPERIMENT=simd, GOMLX_NO_AUTO_INSTALL=1, a PATH reaching go, goimports and gonb, and
#      PJRT_PLUGIN_LIBRARY_PATH at the XLA CPU plugin's directory (cells run in a temporary
#      directory, where no .venv is found), so that cells train with XLA;
#   6. the Go build cache and gonbviz's bytecode cache warmed for the packages the notebooks
#      import (scripts/warm-cache.sh), so that a new user's first chart cell takes seconds,
#      not half a minute. Skipped with GONBVIZ_WARM_CACHE=0, or where scripts/ has no gonbviz
#      sources next to it (the Dockerfile runs it once they are copied).
#
# Environment: GONBVIZ_VENV (where the venv goes), PYTHON (the interpreter that creates it,
# default python3; >= 3.10), GONBVIZ_WARM_CACHE (0: leave the caches cold). Needs Go (1.26) and
# network access to PyPI and the Go proxy the first time. Afterwards: `source
# scripts/jupyter-env.sh` puts the venv's jupyter on PATH.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${GONBVIZ_VENV:-$REPO/.venv}"
PYTHON="${PYTHON:-python3}"
REQUIREMENTS="$REPO/scripts/requirements-jupyter.txt"
GOIMPORTS_VERSION="v0.52.0"
GONB_VERSION="v0.11.4"

log() { printf '== %s\n' "$*"; }
die() { printf 'setup-jupyter.sh: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null || die "Go (1.26) is needed: https://go.dev/dl"

# The go commands below run outside the repository (no go.mod, no go.work) and without a
# -mod flag inherited from the caller (scripts/test.sh sets -mod=readonly, which `go get`
# and `go install pkg@version` refuse).
gofilter_flags() {
  local out=() f
  for f in ${GOFLAGS:-}; do
    case "$f" in -mod=*) ;; *) out+=("$f") ;; esac
  done
  printf '%s' "${out[*]:-}"
}
GOFLAGS_CLEAN="$(gofilter_flags)"
gocmd() { GOFLAGS="$GOFLAGS_CLEAN" GOWORK=off go "$@"; }

GOROOT_BIN="$(go env GOROOT)/bin"
GOBIN_DIR="$(go env GOBIN)"
if [ -z "$GOBIN_DIR" ]; then
  GOBIN_DIR="$(go env GOPATH | cut -d: -f1)/bin"
fi
mkdir -p "$GOBIN_DIR"

# module_version BINARY MODULE: the version of MODULE (main module or dependency) that BINARY
# was built from, as `go version -m` reports it; empty if BINARY is missing or not Go.
module_version() {
  [ -x "$1" ] || return 0
  go version -m "$1" 2>/dev/null | awk -v m="$2" '($1 == "mod" || $1 == "dep") && $2 == m { print $3; exit }'
}

START=$SECONDS

# ---------------------------------------------------------------------------------------------
# 1. Python virtual environment with the pinned Jupyter packages.
# ---------------------------------------------------------------------------------------------
# pins_ok: every `name==version` line of the requirements file is installed at that version.
pins_ok() {
  [ -x "$VENV/bin/python" ] || return 1
  "$VENV/bin/python" - "$REQUIREMENTS" <<'PY' 2>/dev/null
import re, sys
from importlib.metadata import version, PackageNotFoundError
bad = []
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
    if not m:
        continue
    try:
        have = version(m.group(1))
    except PackageNotFoundError:
        have = None
    if have != m.group(2):
        bad.append(f"{m.group(1)}: want {m.group(2)}, have {have}")
if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
PY
}

if pins_ok; then
  log "venv $VENV: up to date"
else
  command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set PYTHON to a Python >= 3.10)"
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
    || die "$PYTHON is $("$PYTHON" --version 2>&1); JupyterLab 4.6 needs Python >= 3.10 (set PYTHON)"
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating venv $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  log "pip install -r scripts/requirements-jupyter.txt"
  "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$REQUIREMENTS"
  pins_ok || die "the venv does not match $REQUIREMENTS after pip install"
fi

# ---------------------------------------------------------------------------------------------
# 2. goimports.
# ---------------------------------------------------------------------------------------------
if [ "$(module_version "$GOBIN_DIR/goimports" golang.org/x/tools)" = "$GOIMPORTS_VERSION" ]; then
  log "goimports $GOIMPORTS_VERSION: up to date"
else
  log "go install golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION"
  (cd / && GOBIN="$GOBIN_DIR" gocmd install "golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION")
fi

# ---------------------------------------------------------------------------------------------
# 3. GoNB, built from a throw-away module.
# ---------------------------------------------------------------------------------------------
# GoNB's own version string comes from version/versiontag.go, which says v0.11.1 in the
# v0.11.4 module zip; -X sets it right, so `gonb -V` (and GONB_VERSION in cells) says v0.11.4.
# The check goes by the module version recorded in the binary, which cannot be wrong.
if [ "$(module_version "$GOBIN_DIR/gonb" github.com/janpfeifer/gonb)" = "$GONB_VERSION" ]; then
  log "gonb $GONB_VERSION: up to date"
else
  log "building gonb $GONB_VERSION"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (
    cd "$tmp"
    gocmd mod init tmp >/dev/null 2>&1
    gocmd get "github.com/janpfeifer/gonb@$GONB_VERSION"
    gocmd build -ldflags "-X github.com/janpfeifer/gonb/version.GitTag=$GONB_VERSION" \
      -o "$tmp/gonb" github.com/janpfeifer/gonb
  )
  mv -f "$tmp/gonb" "$GOBIN_DIR/gonb"
  rm -rf "$tmp"
  trap - EXIT
fi

# ---------------------------------------------------------------------------------------------
# 4. XLA's CPU PJRT plugin.
# ---------------------------------------------------------------------------------------------
XLA_PLUGIN="$(GONBVIZ_VENV="$VENV" bash "$REPO/scripts/setup-xla.sh" | tail -n 1)"
XLA_PLUGIN_DIR=""
case "$XLA_PLUGIN" in /*.so) XLA_PLUGIN_DIR="$(dirname "$XLA_PLUGIN")" ;; esac

# ---------------------------------------------------------------------------------------------
# 5. The kernel spec, inside the venv.
# ---------------------------------------------------------------------------------------------
# GoNB's --install writes to $JUPYTER_DATA_DIR/kernels/gonb (default ~/.local/share/jupyter);
# the venv's data dir <venv>/share/jupyter is on the venv jupyter's search path (first, as
# jupyter_core prefers the environment over the user dir inside a venv). --force_deps because
# gopls (only used for auto-complete and hover) is optional. The kernel.json `env` is then
# rewritten: GoNB writes it empty. jupyter_client expands ${VAR} in env values from the
# server's environment, so PATH keeps whatever else the user has.
KERNEL_DIR="$VENV/share/jupyter/kernels/gonb"
KERNEL_JSON="$KERNEL_DIR/kernel.json"
KERNEL_PATH="$GOROOT_BIN:$GOBIN_DIR:\${PATH}"

# kernel_ok: kernel.json runs our gonb binary and has exactly the env we want.
kernel_ok() {
  [ -f "$KERNEL_JSON" ] || return 1
  "$VENV/bin/python" - "$KERNEL_JSON" "$GOBIN_DIR/gonb" "$KERNEL_PATH" "$XLA_PLUGIN_DIR" <<'PY' 2>/dev/null
import json, sys
spec = json.load(open(sys.argv[1]))
want_env = {"GOEXPERIMENT": "simd", "GOMLX_NO_AUTO_INSTALL": "1", "PATH": sys.argv[3]}
if sys.argv[4]:
    want_env["PJRT_PLUGIN_LIBRARY_PATH"] = sys.argv[4]
ok = spec.get("argv", [None])[0] == sys.argv[2] and spec.get("env") == want_env \
    and spec.get("language") == "go"
sys.exit(0 if ok else 1)
PY
}

if kernel_ok; then
  log "kernel spec $KERNEL_DIR: up to date"
else
  log "registering the gonb kernel in $KERNEL_DIR"
  JUPYTER_DATA_DIR="$VENV/share/jupyter" PATH="$GOBIN_DIR:$GOROOT_BIN:$PATH" \
    "$GOBIN_DIR/gonb" --install --force_deps 2>&1 | sed 's/^/   gonb: /'
  [ -f "$KERNEL_JSON" ] || die "gonb --install did not write $KERNEL_JSON"
  "$VENV/bin/python" - "$KERNEL_JSON" "$KERNEL_PATH" "$GOBIN_DIR/gonb" "$XLA_PLUGIN_DIR" <<'PY'
import json, os, sys
path, kernel_path, gonb, xla_dir = sys.argv[1:5]
spec = json.load(open(path))
# GoNB copies itself into the kernel dir when its binary lies under /tmp or the user cache
# dir (it takes that for a throw-away `go run` build) and points argv at the copy: undo
# that, so a rebuilt gonb is what runs.
spec["argv"][0] = gonb
for copy in ("gonb", "gonb~"):
    copy = os.path.join(os.path.dirname(path), copy)
    if os.path.isfile(copy):
        os.remove(copy)
spec["env"] = {
    "GOEXPERIMENT": "simd",          # the fast (SIMD) Go backend of GoMLX, for every cell build
    "GOMLX_NO_AUTO_INSTALL": "1",    # never download XLA plugins from a cell
    "PATH": kernel_path,             # go, goimports, gonb; then the server's own PATH
}
if xla_dir:
    spec["env"]["PJRT_PLUGIN_LIBRARY_PATH"] = xla_dir  # XLA's CPU plugin (scripts/setup-xla.sh)
with open(path + ".tmp", "w") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
os.replace(path + ".tmp", path)
PY
  kernel_ok || die "kernel spec $KERNEL_JSON is not as expected after rewriting it"
fi

# ---------------------------------------------------------------------------------------------
# 6. The caches a notebook's first cells would fill.
# ---------------------------------------------------------------------------------------------
WARMED="no (GONBVIZ_WARM_CACHE=0)"
if [ "${GONBVIZ_WARM_CACHE:-1}" != 0 ]; then
  if grep -qs '^module github.com/gonbviz/gonbviz$' "$REPO/go.mod"; then
    PATH="$GOBIN_DIR:$GOROOT_BIN:$PATH" bash "$REPO/scripts/warm-cache.sh"
    WARMED="yes (scripts/warm-cache.sh)"
  else
    WARMED="no: no gonbviz sources at $REPO (run scripts/warm-cache.sh once they are there)"
    log "cache warming skipped: $REPO has no gonbviz go.mod"
  fi
fi

# ---------------------------------------------------------------------------------------------
# Summary.
# ---------------------------------------------------------------------------------------------
echo
echo "Installed (setup took $((SECONDS - START)) s):"
"$VENV/bin/python" - <<'PY'
import sys
from importlib.metadata import version
print(f"  python         {sys.version.split()[0]}  ({sys.prefix})")
for p in ("jupyterlab", "nbclient", "nbconvert", "nbformat", "jupyter_client", "jupyter_server"):
    print(f"  {p:<14} {version(p)}")
PY
echo "  go             $(go env GOVERSION)  ($GOROOT_BIN/go)"
echo "  goimports      $(module_version "$GOBIN_DIR/goimports" golang.org/x/tools)  ($GOBIN_DIR/goimports)"
echo "  gonb           $(module_version "$GOBIN_DIR/gonb" github.com/janpfeifer/gonb)  ($GOBIN_DIR/gonb, -V says $("$GOBIN_DIR/gonb" -V 2>/dev/null))"
if command -v gopls >/dev/null 2>&1 || [ -x "$GOBIN_DIR/gopls" ]; then
  echo "  gopls          present (auto-complete in JupyterLab)"
else
  echo "  gopls          not installed (optional: auto-complete/hover only; go install golang.org/x/tools/gopls@v0.23.0)"
fi
if [ -n "$XLA_PLUGIN_DIR" ]; then
  echo "  XLA CPU plugin $XLA_PLUGIN"
else
  echo "  XLA CPU plugin none for this platform (the pure-Go backend)"
fi
echo "  kernel spec    $KERNEL_JSON"
echo "  caches warm    $WARMED"
echo
venv_show="$VENV"
case "$VENV" in "$REPO"/*) venv_show="${VENV#"$REPO"/}" ;; esac
echo "Start JupyterLab (from $REPO):"
echo "  $venv_show/bin/jupyter lab"
echo "or, with the venv's jupyter, go and gonb on PATH:"
if [ "$VENV" = "$REPO/.venv" ]; then
  echo "  source scripts/jupyter-env.sh && jupyter lab"
else
  echo "  export GONBVIZ_VENV=$VENV; source scripts/jupyter-env.sh && jupyter lab"
fi
