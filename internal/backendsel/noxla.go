// SPDX-License-Identifier: Apache-2.0

//go:build !(((linux && (amd64 || arm64)) || (darwin && arm64) || (windows && amd64)) && cgo && !noxla)

package backendsel

import (
	"errors"

	"github.com/gomlx/compute"
)

// XLACompiledIn tells whether the XLA backend is part of this binary. It is false when built
// with -tags noxla, with CGO_ENABLED=0 or on a platform go-xla does not support.
const XLACompiledIn = false

func disableAutoInstall() {}

func preflight(string) error { return nil }

func newCPUClient(string) (compute.Backend, error) { return nil, errors.New(noXLAReason) }
