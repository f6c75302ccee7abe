#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# gpucheck.sh: what does internal/backendsel choose on a machine with an NVIDIA GPU, and does a
# tiny graph run there? Meant to be run ONCE on such a machine (H100/H200), which may have no Go,
# no Go module cache and no network. So the binaries are built HERE first, into the ignored bin/:
#
#   internal/cmd/gpucheck/gpucheck.sh build     # here: bin/gpucheck (cgo, XLA) + bin/gpucheck-nocgo
#   internal/cmd/gpucheck/gpucheck.sh           # there, from the repo root, with bin/ carried along
#
# There it prints the machine (GPU, driver, glibc, Python/pip and any JAX CUDA PJRT packages),
# looks for PJRT plugin files anywhere on the local disk, runs bin/gpucheck (Select, New, x*2 and a
# timed chain of 1024x1024 matmuls) and, if that did not pick CUDA but plugin files were found
# outside the places Select searches, runs it once more with those directories as extra roots.
# It never installs or downloads anything (GOMLX_NO_AUTO_INSTALL=1).
#
# What the GPU machine needs for an XLA/CUDA result: a CUDA PJRT plugin, e.g. JAX's
# site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so (pip package jax-cuda13-pjrt, with the
# NVIDIA libraries of "jax[cuda13]" in site-packages/nvidia), installed in a venv, conda env, the
# user's or the system's site-packages, or pointed at by PJRT_PLUGIN_LIBRARY_PATH. Without one the
# check reports "no XLA PJRT plugin found" and runs on the pure-Go backend: that is the honest result.
# bin/gpucheck needs glibc >= 2.34 (built on Debian 12); if it cannot start, bin/gpucheck-nocgo
# (no XLA) still reports what Select found.
#
# Output ends with one line "GPUCHECK: <verdict>"; exit status 0 when a graph ran (on any backend).

set -u
cd "$(dirname "$0")/../../.." || exit 2

if [ "${1:-run}" = build ]; then
  set -e
  export GOEXPERIMENT=simd GOMLX_NO_AUTO_INSTALL=1
  go build -o bin/gpucheck ./internal/cmd/gpucheck
  CGO_ENABLED=0 go build -o bin/gpucheck-nocgo ./internal/cmd/gpucheck
  ls -l bin/gpucheck bin/gpucheck-nocgo
  exit 0
fi

export GOMLX_NO_AUTO_INSTALL=1
T=${GPUCHECK_TIMEOUT:-150} # seconds per gpucheck run
section() { printf '\n=== %s\n' "$*"; }

section machine
uname -srm
ldd --version 2>/dev/null | head -1
grep -m1 'model name' /proc/cpuinfo
ls -l /dev/nvidia* 2>&1 | head -8
ls /proc/driver/nvidia/gpus 2>&1 | head -4
head -1 /proc/driver/nvidia/version 2>/dev/null
if command -v nvidia-smi >/dev/null; then
  timeout 30 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  timeout 30 nvidia-smi | grep -m1 'CUDA Version'
else
  echo "nvidia-smi: not found"
fi

section python
for py in python3 python; do
  command -v "$py" >/dev/null || continue
  timeout 30 "$py" -c 'import sys, site; print(sys.version.split()[0], sys.prefix, site.getsitepackages(), site.getusersitepackages())'
  timeout 30 "$py" -m pip --version 2>&1 | head -1
  timeout 30 "$py" -m pip list 2>/dev/null | grep -iE '^(jax|jaxlib|jax-cuda|nvidia-cu|torch) ' | head -20
  break
done
command -v python3 >/dev/null || command -v python >/dev/null || echo "no python"
echo "VIRTUAL_ENV=${VIRTUAL_ENV:-} CONDA_PREFIX=${CONDA_PREFIX:-} PJRT_PLUGIN_LIBRARY_PATH=${PJRT_PLUGIN_LIBRARY_PATH:-} GOMLX_BACKEND=${GOMLX_BACKEND:-}"

section "PJRT plugin files on local disks"
found=$(timeout 60 find / \( -path /proc -o -path /sys -o -path /dev -o -path /run \) -prune -o \
  -type f \( -name xla_cuda_plugin.so -o -name 'pjrt_c_api_*_plugin.so' -o -name 'pjrt[-_]plugin[-_]*.so' \) \
  -print 2>/dev/null | grep -v "^$PWD/" | head -20)
if [ -n "$found" ]; then echo "$found"; else echo "none"; fi

bin=bin/gpucheck
if [ ! -x "$bin" ]; then
  echo "GPUCHECK: FAIL bin/gpucheck missing: run 'internal/cmd/gpucheck/gpucheck.sh build' where Go is, and carry bin/"
  exit 2
fi
if ! msg=$("$bin" -h 2>&1); then
  echo "bin/gpucheck cannot start here (glibc too old?): $(echo "$msg" | head -2)"
  bin=bin/gpucheck-nocgo
fi

section "gpucheck (default discovery): $bin"
timeout -k 10 "$T" "$bin" 2>&1 | tee /tmp/gpucheck.out
rc=${PIPESTATUS[0]}
result=$(grep '^RESULT:' /tmp/gpucheck.out | tail -1)

if ! grep -q '^selected: backend: xla (CUDA\|^selected: backend: xla:' /tmp/gpucheck.out && [ -n "$found" ]; then
  roots=$(echo "$found" | xargs -r -n1 dirname | sort -u | paste -sd: -)
  section "gpucheck again, with the plugin directories found as extra roots"
  timeout -k 10 "$T" "$bin" -roots "$roots" 2>&1 | tee /tmp/gpucheck2.out
  rc2=${PIPESTATUS[0]}
  if [ "$rc2" -eq 0 ]; then rc=0; fi
  result="$result | with -roots: $(grep '^RESULT:' /tmp/gpucheck2.out | tail -1)"
fi

case $rc in
  0) echo "GPUCHECK: OK ${result#RESULT: OK }" ;;
  124 | 137) echo "GPUCHECK: TIMEOUT after ${T}s ${result}" ;;
  *) echo "GPUCHECK: FAIL rc=$rc ${result}" ;;
esac
exit "$rc"
