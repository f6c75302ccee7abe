// SPDX-License-Identifier: Apache-2.0

// Package xlatest gives tests the backends they run on: the pure-Go backend always, and XLA on
// the CPU where a CPU PJRT plugin is installed (scripts/setup-xla.sh puts one in the
// repository's .venv, where backendsel finds it). Without a plugin the XLA half of a test is
// skipped, or fails when GONBVIZ_REQUIRE_XLA=1 (as in CI), so that CI cannot pass on the Go
// backend alone.
//
// One XLA backend is made per test process and kept: a PJRT client starts thread pools and
// compiles nothing twice, so tests share it as a notebook's cells share one.
package xlatest

import (
	"os"
	"sync"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"

	"github.com/gonbviz/gonbviz/internal/backendsel"
)

// RequireEnv, when "1", turns a missing XLA CPU plugin from a skip into a failure.
const RequireEnv = "GONBVIZ_REQUIRE_XLA"

// CPUChoice is what backendsel finds for XLA on the CPU on this machine (backendsel.CPU).
func CPUChoice() backendsel.Choice { return backendsel.CPU() }

var cpu struct {
	once    sync.Once
	backend compute.Backend
	used    backendsel.Choice
	why     string
}

// CPU returns the process's XLA CPU backend and the choice behind it, or skips the test (fails
// it under GONBVIZ_REQUIRE_XLA=1) with the reason when there is none.
func CPU(t testing.TB) (compute.Backend, backendsel.Choice) {
	t.Helper()
	cpu.once.Do(func() {
		c := CPUChoice()
		if c.Kind != backendsel.KindXLACPU {
			cpu.why = "no XLA CPU plugin: " + c.String()
			return
		}
		b, used, err := backendsel.New(c)
		switch {
		case err != nil:
			cpu.why = "XLA CPU plugin failed: " + err.Error()
		case used.Kind != backendsel.KindXLACPU:
			cpu.why = "XLA CPU plugin failed: " + used.String()
			b.Finalize()
		default:
			cpu.backend, cpu.used = b, used
		}
	})
	if cpu.backend == nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s (%s=1; bash scripts/setup-xla.sh installs the plugin)", cpu.why, RequireEnv)
		}
		t.Skipf("%s (bash scripts/setup-xla.sh installs the plugin)", cpu.why)
	}
	return cpu.backend, cpu.used
}

// Go returns a new pure-Go backend; the test finalizes it when it ends.
func Go(t testing.TB) compute.Backend {
	t.Helper()
	b, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Finalize)
	return b
}

// Names of the subtests Run makes.
const (
	GoName     = "go"
	XLACPUName = "xla-cpu"
)

// Run runs fn as two subtests, "go" on the pure-Go backend and "xla-cpu" on XLA on the CPU
// (skipped, or failed under GONBVIZ_REQUIRE_XLA=1, without a plugin).
func Run(t *testing.T, fn func(t *testing.T, backend compute.Backend)) {
	t.Helper()
	t.Run(GoName, func(t *testing.T) { fn(t, Go(t)) })
	t.Run(XLACPUName, func(t *testing.T) {
		b, _ := CPU(t)
		fn(t, b)
	})
}
