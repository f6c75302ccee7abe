// SPDX-License-Identifier: Apache-2.0

// Package trainingtest trains the demo MLP for tests: on the pure-Go backend unless one is
// given, with or without a capture, and frees it when the test ends; CheckSnapshot checks
// what a capture recorded.
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

// CheckSnapshot checks that a snapshot is consistent: its bin counts sum to its count of
// finite values, which with the non-finite ones make the tensor's size; nine increasing
// percentiles from its min to its max; a non-negative std, a positive norm, and a
// histogram range that holds min and max.
func CheckSnapshot(t testing.TB, s capture.Snapshot) {
	t.Helper()
	var total int64
	for _, n := range s.Counts {
		total += n
	}
	size := 1
	for _, d := range s.Shape {
		size *= d
	}
	if total != s.Count || s.Count+s.NaN+s.PosInf+s.NegInf != int64(size) {
		t.Errorf("%s %s step %d: counts sum to %d, Count %d, shape %v", s.Kind, s.Name, s.Step, total, s.Count, s.Shape)
	}
	if len(s.Percentiles) != len(capture.TensorBoardPercentiles) {
		t.Fatalf("%s %s: %d percentiles", s.Kind, s.Name, len(s.Percentiles))
	}
	if s.Percentiles[0] != s.Min || s.Percentiles[8] != s.Max {
		t.Errorf("%s %s: percentiles 0/100 = %g/%g, min/max %g/%g", s.Kind, s.Name, s.Percentiles[0], s.Percentiles[8], s.Min, s.Max)
	}
	for i := 1; i < len(s.Percentiles); i++ {
		if s.Percentiles[i] < s.Percentiles[i-1] {
			t.Errorf("%s %s: percentiles not increasing: %v", s.Kind, s.Name, s.Percentiles)
		}
	}
	if !(s.Std >= 0) || !(s.Norm > 0) || s.Lo > s.Min || s.Hi < s.Max {
		t.Errorf("%s %s: std %g norm %g range [%g,%g] min/max %g/%g", s.Kind, s.Name, s.Std, s.Norm, s.Lo, s.Hi, s.Min, s.Max)
	}
}
