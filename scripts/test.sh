#!/usr/bin/env bash
# The whole gonbviz test suite, on a fresh Debian machine. It installs what the tests need:
#   - the pinned Node packages (vega 5.33.1, vega-lite 5.23.0, vega-embed 6.29.0,
#     playwright-core), exactly as scripts/node/package-lock.json pins them;
#   - JupyterLab + nbclient in .venv and the GoNB kernel (scripts/setup-jupyter.sh), with XLA's
#     CPU PJRT plugin in the same .venv (scripts/setup-xla.sh), so the tests train on XLA too;
#   - Debian's Chromium for the real-browser checks (scripts/setup-browser.sh; apt, as root);
# then checks formatting and vet, runs every Go test with the cross-checks required (a
# missing tool fails the run instead of skipping tests), the Go-backend tests in a build
# without XLA, and the race detector on the packages with goroutines.
set -euo pipefail
cd "$(dirname "$0")/.."

export GOEXPERIMENT=simd          # the fast Go backend; set for every build
export GOMLX_NO_AUTO_INSTALL=1    # never download XLA plugins
export GONBVIZ_REQUIRE_NODE=1     # Node cross-checks must run, not skip
export GONBVIZ_REQUIRE_JUPYTER=1  # notebooks must execute with the real GoNB kernel
export GONBVIZ_REQUIRE_BROWSER=1  # real-browser checks must run
export GONBVIZ_REQUIRE_XLA=1      # the XLA-on-the-CPU halves of the tests must run
export GOFLAGS="${GOFLAGS:-} -mod=readonly"

command -v go >/dev/null || { echo "scripts/test.sh: Go 1.26 is needed (https://go.dev/dl)" >&2; exit 1; }
command -v node >/dev/null || { echo "scripts/test.sh: Node.js (20 or later) and npm are needed for the cross-check tests" >&2; exit 1; }

echo "== npm ci (scripts/node)"
npm ci --prefix scripts/node --no-audit --no-fund --loglevel=error
echo "== JupyterLab + GoNB"
bash scripts/setup-jupyter.sh
echo "== Chromium"
bash scripts/setup-browser.sh

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './scripts/node/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt needed on:" >&2; echo "$unformatted" >&2; exit 1
fi

echo "== go vet"
go vet ./...

echo "== staticcheck"
STATICCHECK_VERSION=v0.8.2
GOBIN_DIR="$(go env GOBIN)"; GOBIN_DIR="${GOBIN_DIR:-$(go env GOPATH | cut -d: -f1)/bin}"
if ! go version -m "$GOBIN_DIR/staticcheck" 2>/dev/null | grep -q "mod[[:space:]]*honnef.co/go/tools[[:space:]]*$STATICCHECK_VERSION"; then
  (cd / && GOFLAGS= GOWORK=off GOBIN="$GOBIN_DIR" go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION")
fi
"$GOBIN_DIR/staticcheck" ./...

echo "== go test"
go test -count=1 -timeout 20m ./...

echo "== docs site (docs/site, not committed; its pages are checked in Chromium by internal/cmd/site's test)"
bash scripts/build-site.sh

echo "== without XLA: -tags noxla tests and a CGO_ENABLED=0 build (the pure-Go backend alone)"
GONBVIZ_REQUIRE_XLA=0 go test -count=1 -tags noxla ./internal/backendsel/... ./demo/ ./internal/graphhisto/
CGO_ENABLED=0 go build -o /dev/null ./cmd/gonbviz

echo "== go test -race (packages with goroutines)"
# checkptr=0: the race detector's pointer checks reject the Go backend's AVX-512 matmul
# (GOEXPERIMENT=simd), which is not a race; everything else stays instrumented.
go test -count=1 -race -gcflags=all=-d=checkptr=0 -timeout 20m \
  ./vegalite/ ./internal/testing/nodecheck/ ./internal/svgrender/ ./runs/ ./internal/histo/ ./notebookviz/ ./capture/ ./schedule/ ./tensorboard/
# -short: the t-SNE of the whole digits (and scikit-learn's) is slow under the race detector.
go test -count=1 -race -short -gcflags=all=-d=checkptr=0 -timeout 20m ./projection/
