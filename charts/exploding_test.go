// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/testing/trainingtest"
	"github.com/gonbviz/gonbviz/render"
	"github.com/gonbviz/gonbviz/schedule"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// A run that blows up: GoMLX stops at the NaN loss; the capture keeps the NaN gradients,
// capture.Diagnose says so, and every chart still draws (gaps and notes, no error).
func TestCaptureExplodingRun(t *testing.T) {
	every := schedule.EverySteps(1)
	c, err := capture.New(capture.Options{Weights: every, Gradients: every, Activations: every,
		Summaries: capture.SummariesOnHost, RunDir: filepath.Join(t.TempDir(), "run")})
	if err != nil {
		t.Fatal(err)
	}
	s := trainingtest.Setup(t, nil, demo.Config{Optimizer: "sgd", LearningRate: 1e4, Capture: c})
	if err := s.Train(200); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("training with lr=1e4 did not stop on a NaN loss: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	flags := strings.Join(capture.Diagnose(c.Snapshots("")), "\n")
	if !strings.Contains(flags, "exploding: 8192 NaN/Inf gradient values in /model/hidden_0/dense/weights") {
		t.Errorf("flags do not name the NaN gradients:\n%s", flags)
	}
	var built []vl.Chart
	for _, kind := range []capture.Kind{capture.KindWeights, capture.KindGradients, capture.KindActivations} {
		for _, mode := range []charts.Mode{charts.ModeSlider, charts.ModeOffset, charts.ModeOverlay} {
			ch, err := charts.Histograms(c.Snapshots(kind), charts.HistogramsOptions{Mode: mode})
			if err != nil {
				t.Fatal(kind, mode, err)
			}
			built = append(built, ch)
		}
		ch, err := charts.Distributions(c.Snapshots(kind), charts.DistributionsOptions{})
		if err != nil {
			t.Fatal(kind, err)
		}
		built = append(built, ch)
	}
	health, err := charts.GradientHealth(c.Snapshots(capture.KindGradients), charts.GradientHealthOptions{})
	if err != nil {
		t.Fatal(err)
	}
	acts, err := charts.ActivationStats(c.Snapshots(capture.KindActivations), charts.ActivationStatsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, ch := range append(built, health, acts) {
		if _, err := render.Chart(ch); err != nil {
			t.Errorf("chart %d: %v", i, err)
		}
	}
	if spec, _ := health.JSON(); !strings.Contains(string(spec), "exploding") {
		t.Error("the gradient-health subtitle does not flag the explosion")
	}
}
