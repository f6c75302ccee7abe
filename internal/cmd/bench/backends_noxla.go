// SPDX-License-Identifier: Apache-2.0

//go:build !(((linux && (amd64 || arm64)) || (darwin && arm64) || (windows && amd64)) && cgo && !noxla)

package main

import (
	"errors"

	"github.com/gomlx/compute"
)

func newXLAAsync(string) (compute.Backend, error) {
	return nil, errors.New("this binary was built without XLA (-tags noxla or CGO_ENABLED=0)")
}
