// SPDX-License-Identifier: Apache-2.0

//go:build ((linux && (amd64 || arm64)) || (darwin && arm64) || (windows && amd64)) && cgo && !noxla

package main

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/go-xla/compute/xla"
	"github.com/gomlx/go-xla/pjrt"
)

// newXLASync creates an XLA backend whose PJRT CPU client runs each execution on the calling
// thread (client option asynchronous=false) instead of handing it to its thread pool.
func newXLASync(plugin string) (compute.Backend, error) {
	xla.EnableAutoInstall(false)
	return xla.NewWithOptions(plugin, pjrt.NamedValuesMap{"asynchronous": false})
}
