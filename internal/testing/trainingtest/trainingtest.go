// SPDX-License-Identifier: Apache-2.0

// Package trainingtest trains the demo MLP for tests: on the pure-Go backend unless one is
// given, with or without a capture, and frees it when the test ends.
package trainingtest

import (
	"path/filepath"
	"testing"

	"github.com/gomlx/compute"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
	"github.com/gonbviz/gonbviz/schedule"
)

// Setup builds the demo MLP of cfg on backend (nil: the pure-Go backend).
func Setup(t testing.TB, backend compute.Backend, cfg demo.Config) *demo.Setup {
	t.Helper()
	if backend == nil {
		backend = xlatest.Go(t)
	}
	s, err := demo.DigitsMLP(backend, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Finalize)
	return s
}

// Captured trains the demo MLP of cfg on backend (nil: the pure-Go backend) for steps
// steps with a capture of opts, whose schedules default to every 10 steps and RunDir to a
// temporary directory, and returns the closed capture.
func Captured(t testing.TB, backend compute.Backend, cfg demo.Config, opts capture.Options, steps int) (*capture.Capture, *demo.Setup) {
	t.Helper()
	for _, s := range []*schedule.Schedule{&opts.Weights, &opts.Gradients, &opts.Activations} {
		if s.IsZero() {
			*s = schedule.EverySteps(10)
		}
	}
	if opts.RunDir == "" {
		opts.RunDir = filepath.Join(t.TempDir(), "run")
	}
	c, err := capture.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Capture = c
	s := Setup(t, backend, cfg)
	if err := s.Train(steps); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Err(); err != nil {
		t.Fatal(err)
	}
	return c, s
}
