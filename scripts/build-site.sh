#!/usr/bin/env bash
# Builds gonbviz's docs site from the executed notebooks in docs/notebooks into docs/site/
# (or the folder given): docs/site/index.html is the entry point. The site works offline,
# from the file system or any static web server: the vega libraries are files in lib/,
# once for the whole site, and no page loads anything from the network. The site is not
# committed (it is made from files that are); the tests build it into a temporary folder
# and check every page in Chromium (internal/cmd/site).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOEXPERIMENT=simd GOMLX_NO_AUTO_INSTALL=1
out="${1:-docs/site}"
go run ./internal/cmd/site -o "$out" -notebooks docs/notebooks -gallery docs/gallery
