#!/usr/bin/env bash
# Installs Go 1.26.8, the version gonbviz is built and tested with, on a Linux x86-64 machine
# that has no Go (the Dockerfile runs it; a fresh Debian has only an older golang package).
#
# The files come from the Go module proxy, as the toolchain module
# golang.org/toolchain@v0.0.1-go1.26.8.linux-amd64: the same zip that `GOTOOLCHAIN=go1.26.8`
# downloads, checked here against its pinned SHA-256 before anything is unpacked. It goes to
# ${GONBVIZ_GOROOT:-/usr/local/go}; put its bin on PATH.
#
# Idempotent: with Go 1.26.8 already at that place it does nothing. Environment: GONBVIZ_GOROOT
# (where Go goes), GOPROXY (its first http(s) entry is used; default https://proxy.golang.org).
# Needs curl and unzip.
set -euo pipefail

GO_VERSION="go1.26.8"
ZIP_SHA256="30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7" # linux-amd64
GOROOT_DIR="${GONBVIZ_GOROOT:-/usr/local/go}"

log() { printf '== %s\n' "$*"; }
die() { printf 'setup-go.sh: %s\n' "$*" >&2; exit 1; }

if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
  die "only Linux x86-64 is pinned here ($(uname -s) $(uname -m)); install $GO_VERSION from https://go.dev/dl"
fi
if [ -x "$GOROOT_DIR/bin/go" ] && [ "$("$GOROOT_DIR/bin/go" env GOVERSION 2>/dev/null)" = "$GO_VERSION" ]; then
  log "$GO_VERSION at $GOROOT_DIR: up to date"
  exit 0
fi
command -v curl >/dev/null || die "curl is needed"
command -v unzip >/dev/null || die "unzip is needed"

proxy="https://proxy.golang.org"
IFS=',|' read -r -a entries <<<"${GOPROXY:-}"
for e in "${entries[@]}"; do
  case "$e" in http://* | https://*) proxy="${e%/}"; break ;; esac
done
version="v0.0.1-$GO_VERSION.linux-amd64"
url="$proxy/golang.org/toolchain/@v/$version.zip"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
log "downloading $url (about 70 MB)"
curl -fsSL --retry 3 -o "$tmp/go.zip" "$url"
have="$(sha256sum "$tmp/go.zip" | cut -d' ' -f1)"
[ "$have" = "$ZIP_SHA256" ] || die "$url has SHA-256 $have, want $ZIP_SHA256"
unzip -q "$tmp/go.zip" -d "$tmp/x"
src="$tmp/x/golang.org/toolchain@$version"
[ -x "$src/bin/go" ] || die "the toolchain zip has no bin/go"
# Module zips need not keep file modes: the programs are made executable as the go command
# does when it switches toolchains.
chmod -R a+rX "$src"
chmod a+x "$src"/bin/* "$src"/pkg/tool/*/*
rm -rf "$GOROOT_DIR.new"
mkdir -p "$(dirname "$GOROOT_DIR")"
mv "$src" "$GOROOT_DIR.new"
rm -rf "$GOROOT_DIR"
mv "$GOROOT_DIR.new" "$GOROOT_DIR"
got="$("$GOROOT_DIR/bin/go" env GOVERSION)"
[ "$got" = "$GO_VERSION" ] || die "$GOROOT_DIR/bin/go says $got, want $GO_VERSION"
log "installed $("$GOROOT_DIR/bin/go" version) at $GOROOT_DIR"
