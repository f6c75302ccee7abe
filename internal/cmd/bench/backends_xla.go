// SPDX-License-Identifier: Apache-2.0

//go:build ((linux && (amd64 || arm64)) || (darwin && arm64) || (windows && amd64)) && cgo && !noxla

package main

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/go-xla/compute/xla"
	"github.com/gomlx/go-xla/pjrt"
)

// newXLAAsync creates an XLA backend as go-xla does by default: its PJRT CPU client hands each
// execution to its thread pool and waits (client option asynchronous=true), where backendsel
// runs executions on the calling thread.
func newXLAAsync(plugin string) (compute.Backend, error) {
	xla.EnableAutoInstall(false)
	return xla.NewWithOptions(plugin, pjrt.NamedValuesMap{"asynchronous": true})
}
