// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/digits"
	"github.com/gonbviz/gonbviz/schedule"
)

// TestProjectionOfCapturedProbe: the demo MLP trains with a capture that keeps a probe
// batch's activations (KeepProbe); ProbeSteps turns a hidden layer's into the steps of
// ProjectionSteps, which draws them with a slider.
func TestProjectionOfCapturedProbe(t *testing.T) {
	set, err := digits.Load()
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	flat := make([]float32, 0, n*digits.NumFeatures)
	for _, r := range set.Features[:n] {
		flat = append(flat, r...)
	}
	var s *demo.Setup
	c, err := capture.New(capture.Options{
		Weights: schedule.Never(), Gradients: schedule.Never(), Activations: schedule.EverySteps(100),
		Probe:      tensors.FromFlatDataAndDimensions(flat, n, digits.NumFeatures),
		ProbeModel: func(scope *model.Scope, x *graph.Node) *graph.Node { return s.ModelGraph(scope, x) },
		KeepProbe:  true,
		RunDir:     t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	backend, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	s, err = demo.DigitsMLP(backend, demo.Config{Capture: c})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Finalize()
	if err := s.Train(300); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := charts.ProbeSteps(c.Probes(), "/model/nope"); err == nil || !strings.Contains(err.Error(), `"/model/hidden_0"`) {
		t.Errorf("an unknown layer: error %v, want one naming the layers kept", err)
	}
	steps, err := charts.ProbeSteps(c.Probes(), "/model/hidden_0")
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) < 3 || steps[len(steps)-1].Step != 300 {
		t.Fatalf("%d steps kept, the last %d; want every 100 steps to 300", len(steps), steps[len(steps)-1].Step)
	}
	chart, err := charts.ProjectionSteps(steps, charts.ProjectionOptions{Labels: set.Labels[:n]})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if sub := subtitleOf(t, chart); !strings.Contains(sub, "300 points of 128 features") {
		t.Errorf("subtitle %q", sub)
	}
	if !strings.Contains(string(spec), `"at_step"`) {
		t.Error("no step slider")
	}
}
