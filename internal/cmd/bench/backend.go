// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"

	"github.com/gonbviz/gonbviz/internal/backendsel"
)

// backendFlag adds -backend go|xla-cpu to a benchmark's flags.
func backendFlag(fs *flag.FlagSet) *string {
	return fs.String("backend", "go", `backend to train on: "go" (pure Go) or "xla-cpu" (XLA's CPU plugin, bash scripts/setup-xla.sh)`)
}

// newBackend creates the named backend: "go", or "xla-cpu" as backendsel finds it on this
// machine (GOMLX_BACKEND ignored, a GPU ignored). label is what the tables print.
func newBackend(name string) (b compute.Backend, label string, err error) {
	switch name {
	case "go":
		b, err = gobackend.New("")
		return b, "Go backend", err
	case "xla-cpu":
		c := backendsel.CPU()
		if c.Kind != backendsel.KindXLACPU {
			return nil, "", fmt.Errorf("-backend xla-cpu: no XLA CPU plugin found (%s); bash scripts/setup-xla.sh installs it", c)
		}
		b, used, err := backendsel.New(c)
		if err != nil {
			return nil, "", err
		}
		if used.Kind != backendsel.KindXLACPU {
			b.Finalize()
			return nil, "", fmt.Errorf("-backend xla-cpu: %s", used)
		}
		return b, "XLA CPU plugin", nil
	}
	return nil, "", fmt.Errorf(`-backend %q: want "go" or "xla-cpu"`, name)
}
