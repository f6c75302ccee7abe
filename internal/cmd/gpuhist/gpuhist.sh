#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# gpuhist.sh: the in-graph histogram summary on XLA/CUDA against torch.histc, on a lent GPU
# machine (which may have no Go and no network). Build here, run there with bin/ carried:
#
#   internal/cmd/gpuhist/gpuhist.sh build   # here: bin/gpuhist (cgo, XLA)
#   internal/cmd/gpuhist/gpuhist.sh         # there, from the repository root
#
# It never installs or downloads anything. The last line is
# "gpuhist: ours_ms=... torch_ms=... ours/torch=..." (goal: ours/torch at most 2).
set -u
cd "$(dirname "$0")/../../.." || exit 2
if [ "${1:-run}" = build ]; then
  set -e
  GOEXPERIMENT=simd GOMLX_NO_AUTO_INSTALL=1 go build -o bin/gpuhist ./internal/cmd/gpuhist
  ls -l bin/gpuhist
  exit 0
fi
export GOMLX_NO_AUTO_INSTALL=1
command -v nvidia-smi >/dev/null && timeout 30 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
timeout "${GPUHIST_TIMEOUT:-240}" bin/gpuhist "$@"
