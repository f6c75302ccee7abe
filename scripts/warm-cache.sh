#!/usr/bin/env bash
# Warms the two caches a notebook cell's first run would otherwise fill, so that a new user's
# first chart cell takes seconds instead of half a minute (docs/measurements/firstcell-*.txt;
# `go run ./internal/cmd/bench firstcell` measures it):
#
#   1. the Go build cache ($(go env GOCACHE)): every package the example notebooks and the
#      starter notebook (`gonbviz new`) import, with all their dependencies, the standard
#      library included, compiled the way a GoNB cell compiles them: in a throw-away module set
#      up by the notebooks' first cell (gonbviz replaced by this checkout, GoNB's module at the
#      pinned version), with `go get` then `go build`, and GOEXPERIMENT=simd as the kernel sets
#      it. GoNB builds a cell as `go build -o BINARY` in such a module, so the packages are
#      found in the cache and only the cell's own code is compiled and linked;
#   2. gonbviz's bytecode cache ($GONBVIZ_CACHE_DIR, default gonbviz under the user cache
#      directory): the program built in step 1 renders one chart, which compiles vega and
#      vega-lite to QuickJS bytecode once and stores it (internal/svgrender/cache.go).
#
# Both caches belong to the user who runs this: run it as the user who runs the notebooks.
# scripts/setup-jupyter.sh and the Dockerfile call it. Idempotent: a re-run with warm caches
# takes a few seconds (the link of one program). Needs Go, python3 (to read the notebooks) and,
# the first time, the modules in the module cache or the Go module proxy.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GONB_VERSION="v0.11.4" # as scripts/setup-jupyter.sh installs it, and the notebooks' first cell pins it

log() { printf '== %s\n' "$*"; }
die() { printf 'warm-cache.sh: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null || die "Go (1.26) is needed: https://go.dev/dl"
command -v python3 >/dev/null || die "python3 is needed (it reads the notebooks' imports)"

# The kernel's build environment (kernel.json, scripts/setup-jupyter.sh): GOEXPERIMENT=simd;
# no -mod flag and no workspace, as in GoNB's own module.
export GOEXPERIMENT=simd
flags=()
for f in ${GOFLAGS:-}; do
  case "$f" in -mod=*) ;; *) flags+=("$f") ;; esac
done
export GOFLAGS="${flags[*]:-}"
export GOWORK=off

START=$SECONDS

# The non-standard packages the notebooks import (a first path element with a dot), from the
# code cells of examples/notebooks/*.ipynb and the starter notebook's source.
mapfile -t pkgs < <(python3 - "$REPO" <<'PY'
import glob, json, os, re, sys
repo = sys.argv[1]
sources = []
for path in sorted(glob.glob(os.path.join(repo, "examples", "notebooks", "*.ipynb"))):
    with open(path) as f:
        nb = json.load(f)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            sources.append("".join(src) if isinstance(src, list) else src)
starter = os.path.join(repo, "internal", "starter", "notebook.txt")
if os.path.exists(starter):
    with open(starter) as f:
        sources.append(f.read())
pkgs = set()
imp = re.compile(r'^\s*(?:import\s+)?(?:[A-Za-z_.][A-Za-z0-9_]*\s+)?"([^"\s]+)"\s*$')
for src in sources:
    block = False
    for line in src.splitlines():
        s = line.strip()
        if s.startswith("import ("):
            block = True
            continue
        if block and s == ")":
            block = False
            continue
        if block or s.startswith("import "):
            m = imp.match(s)
            if m and "." in m.group(1).split("/")[0]:
                pkgs.add(m.group(1))
for p in sorted(pkgs):
    print(p)
PY
)
[ "${#pkgs[@]}" -gt 0 ] || die "found no imports in $REPO/examples/notebooks"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
{
  echo "// The packages the notebooks import, compiled as a GoNB cell compiles them, and one chart"
  echo "// rendered (the bytecode cache). Written by scripts/warm-cache.sh."
  echo "package main"
  echo
  echo "import ("
  echo '	"fmt"'
  echo '	"os"'
  echo
  echo '	_ "github.com/janpfeifer/gonb/gonbui"'
  echo '	"github.com/gonbviz/gonbviz/render"'
  echo '	vl "github.com/gonbviz/gonbviz/vegalite"'
  for p in "${pkgs[@]}"; do
    case "$p" in
      github.com/gonbviz/gonbviz/render | github.com/gonbviz/gonbviz/vegalite | github.com/janpfeifer/gonb/gonbui) ;;
      *) printf '\t_ "%s"\n' "$p" ;;
    esac
  done
  echo ")"
  cat <<'GO'

func main() {
	rows := []map[string]any{{"step": 0, "loss": 2.0}, {"step": 10, "loss": 1.2}, {"step": 20, "loss": 0.9}}
	chart := vl.NewChart().Data(vl.Values(rows)).Mark(vl.Line()).Encode(vl.X("step:Q"), vl.Y("loss:Q"))
	svg, err := render.SVG(chart)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rendering a chart:", err)
		os.Exit(1)
	}
	fmt.Printf("rendered a chart: %d bytes of SVG\n", len(svg))
}
GO
} >main.go

log "warming the Go build cache $(go env GOCACHE): ${#pkgs[@]} packages the notebooks import"
go mod init gonb_warm >/dev/null 2>&1
go mod edit -require=github.com/gonbviz/gonbviz@v0.0.0-00010101000000-000000000000 \
  -replace=github.com/gonbviz/gonbviz="$REPO"
go get "github.com/janpfeifer/gonb@$GONB_VERSION" 2>&1 | grep -v '^go: \(added\|downloading\|upgraded\|finding\)' || true
go get 2>&1 | grep -v '^go: \(added\|downloading\|upgraded\|finding\)' || true
go build -o warm .

cache="${GONBVIZ_CACHE_DIR:-}"
[ -n "$cache" ] || cache="$(python3 -c 'import os; print(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"))')/gonbviz"
log "warming the bytecode cache $cache"
./warm
log "caches warm (took $((SECONDS - START)) s)"
