// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/runs"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// TestDemo runs the main job (shortened) and checks its report: written, offline, and, in
// Chromium with the network blocked, every chart interactive.
func TestDemo(t *testing.T) {
	out := t.TempDir()
	var stdout bytes.Buffer
	if err := runDemo(out, 400, 200, &stdout); err != nil {
		t.Fatalf("demo: %v\n%s", err, stdout.String())
	}
	log := stdout.String()
	for _, want := range []string{"backend: ", "main run: 400 steps", "sweep lr=0.003: 200 steps", "wrote " + filepath.Join(out, "report.html")} {
		if !strings.Contains(log, want) {
			t.Errorf("demo output lacks %q:\n%s", want, log)
		}
	}
	report, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(report)
	if n := strings.Count(page, `class="gonbviz-chart"`); n != 13 {
		t.Errorf("%d charts in the report, want 13 (curves, 4 distributions, 3 features, 4 decisions, sweep)", n)
	}
	for _, want := range []string{"<h2>Summary</h2>", "validation", "MLP 64-128-64-10", "<h2>Weights, gradients and activations</h2>", "gradients histograms",
		"<h2>Features</h2>", "digits: each pixel in train, validation and test", "/model/hidden_1: PCA at the first and last step",
		"/model/hidden_1: t-SNE at the first and last step",
		"<h2>Decisions</h2>", "confusion matrix (test digits)", "reliability diagram", "most confidently wrong", "integrated gradients: a right and a wrong prediction",
		"Completeness: integrated gradients from zeros of the target"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The four runs are on disk and read back.
	dirs, _ := filepath.Glob(filepath.Join(out, "runs", "*"))
	if len(dirs) != 4 {
		t.Errorf("%d run directories, want 4", len(dirs))
	}
	for _, dir := range dirs {
		if _, err := runs.Open(dir); err != nil {
			t.Errorf("run %s: %v", dir, err)
		}
	}
	// The main run's capture is on disk: 40 snapshots of each of 6 variables' weights and
	// gradients and 2 layers' activations.
	snaps, notes, err := capture.Read(filepath.Join(out, "runs", "main"))
	if err != nil || len(notes) > 0 || len(snaps) != 40*(6+6+2) {
		t.Errorf("main run capture: %d snapshots, notes %v, err %v", len(snaps), notes, err)
	}
	// Each run is a TensorBoard run too: its event files read back with the same scalars
	// and, for the main run, the capture's histograms.
	tb, err := tensorboard.Read(filepath.Join(out, "runs", "main"))
	if err != nil || len(tb.Runs) != 1 || len(tb.Runs[0].Scalars) == 0 || len(tb.Runs[0].Histograms) == 0 {
		t.Errorf("main run's TensorBoard log: %+v, %v", tb, err)
	} else if hs := capture.TensorBoardSnapshots(&tb.Runs[0], 0); len(hs) != len(snaps) {
		t.Errorf("%d histograms in the event files, %d snapshots in the run", len(hs), len(snaps))
	} else if g := tb.Runs[0].Graph; g == nil || !slices.ContainsFunc(g.Nodes, func(n tensorboard.GraphNode) bool {
		return n.Name == "model/output/dense/weights" && n.Op == "Variable"
	}) {
		t.Errorf("the main run's event files hold no graph of the model: %+v", g)
	}
	browsertest.Require(t)
	shot := filepath.Join(out, "report.png")
	if d := os.Getenv("GONBVIZ_ARTIFACTS"); d != "" {
		shot = filepath.Join(d, "demo-report.png")
	}
	// The features section's PCA (the sixth chart, after the curves and the four
	// distributions): its step slider and its hover, which shows the digit.
	r, err := browsertest.Run(browsertest.Job{URL: "file://" + filepath.Join(out, "report.html"), JavaScript: true, Screenshot: shot,
		Hover: &browsertest.Hover{Chart: 6, Selector: ".mark-symbol path", Nth: 0}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Charts) != 13 {
		t.Fatalf("%d charts in Chromium, want 13", len(r.Charts))
	}
	if !strings.Contains(r.Charts[6].ViewSVG, "PCA at the first and last step") {
		t.Errorf("chart 6 is not the features section's PCA")
	}
	if tip := r.Tooltip; tip == nil || !tip.Visible || len(tip.Images) != 1 || !tip.Images[0].Decoded || !strings.Contains(tip.Text, "prediction") {
		t.Errorf("hovering a point of the hidden layer's PCA: tooltip %+v, want the digit's image, its label and prediction", tip)
	}
	if len(r.Blocked) > 0 || len(r.PageErrors) > 0 || len(r.ConsoleErrors) > 0 {
		t.Errorf("blocked %v, errors %v %v", r.Blocked, r.PageErrors, r.ConsoleErrors)
	}
	for _, c := range r.Charts {
		if c.State != "interactive" || c.ViewMarks == 0 {
			t.Errorf("chart %s: %q with %d marks (%s)", c.ID, c.State, c.ViewMarks, c.Note)
		}
	}
}
