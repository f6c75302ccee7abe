// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"errors"
	"html"
	"math"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
	"github.com/gonbviz/gonbviz/internal/bundle"
	"github.com/gonbviz/gonbviz/internal/testing/chartcheck"
	"github.com/gonbviz/gonbviz/internal/testing/trainingtest"
	"github.com/gonbviz/gonbviz/runs"
	"github.com/gonbviz/gonbviz/schedule"
)

func TestDashboardRecordsAndDraws(t *testing.T) {
	s := trainingtest.Setup(t, nil, demo.Config{})
	var r recorder
	dir := filepath.Join(t.TempDir(), "run")
	d, err := AttachDashboard(s.Loop, DashboardOptions{
		Title: "digits", Eval: []train.Dataset{s.ValidationDS}, EvalEvery: schedule.EverySteps(50),
		RunDir: dir, RunName: "test", Model: s.Description, Backend: "go",
		UpdateEvery: 100 * time.Millisecond, DisplayOptions: []Option{r.option()},
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := s.Train(200); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	if err := d.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	// Recorded: train metrics every step, evaluations every 50 steps and at the end.
	run, err := runs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, info := range run.SeriesList() {
		names[info.Name] = len(run.Series(info.Name))
	}
	for _, want := range []string{"train/loss", "train/loss_ma", "train/accuracy", "train/accuracy_ma"} {
		if names[want] != 200 {
			t.Errorf("series %s has %d points, want 200 (all: %v)", want, names[want], names)
		}
	}
	if n := names["eval/validation/accuracy"]; n != 4 {
		t.Errorf("eval/validation/accuracy has %d points, want 4 (steps 50, 100, 150, 200; the end is step 200)", n)
	}
	acc := run.Series("eval/validation/accuracy")
	if last := acc[len(acc)-1].Value; last < 0.8 {
		t.Errorf("validation accuracy %v after 200 steps", last)
	}
	m := run.Meta()
	if m.Model != s.Description || m.Backend != "go" || m.EndTime.IsZero() {
		t.Errorf("meta: %+v", m)
	}
	// Drawn: a few in-place updates (at most one per UpdateEvery, not one per step), the last
	// one final. The bound follows the time taken, so a slow machine cannot fail it.
	if most := int(elapsed/(100*time.Millisecond)) + 3; len(r.sends) == 0 || len(r.sends) > most || len(r.sends) >= 200 {
		t.Fatalf("%d sends for 200 steps in %v (at most %d)", len(r.sends), elapsed, most)
	}
	last := r.sends[len(r.sends)-1]
	if svg, _ := last.mime[bundle.MIMESVG].(string); !strings.HasPrefix(svg, "<svg") {
		t.Error("the final state has no static SVG")
	}
	spec := last.mime[bundle.MIMEVegaLite].(map[string]any)
	title := spec["title"].(map[string]any)
	if sub, _ := title["subtitle"].(string); !strings.Contains(sub, "step 200/200") || !strings.Contains(sub, "steps/s") || !strings.Contains(sub, "backend go") {
		t.Errorf("progress line: %q", sub)
	}
	// One source: the chart left in the notebook says what Progress says after Close
	// (the run's average rate and elapsed time, not the last rate window's).
	if sub, _ := title["subtitle"].(string); sub != d.Progress() {
		t.Errorf("the chart's progress line %q, Progress() %q", sub, d.Progress())
	}
	if svg, _ := last.mime[bundle.MIMESVG].(string); !strings.Contains(svg, html.EscapeString(d.Progress())) {
		t.Errorf("the static SVG does not show Progress() %q", d.Progress())
	}
	for _, s := range r.sends {
		if s.displayID != r.sends[0].displayID || s.displayID == "" {
			t.Fatal("updates did not go to one display id")
		}
	}
	if d.Err() != nil {
		t.Errorf("dashboard error: %v", d.Err())
	}
}

func TestAttachDashboardErrors(t *testing.T) {
	if _, err := AttachDashboard(nil, DashboardOptions{}); err == nil || !strings.Contains(err.Error(), "loop is nil") {
		t.Errorf("nil loop: %v", err)
	}
	s := trainingtest.Setup(t, nil, demo.Config{})
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	if _, err := AttachDashboard(s.Loop, DashboardOptions{RunDir: file, NoDisplay: true}); err == nil {
		t.Error("a run directory that is a file was accepted")
	}
}

// A NaN loss is drawn as a gap and named in the progress line, and nothing panics.
func TestDashboardNaNIsNamed(t *testing.T) {
	s := trainingtest.Setup(t, nil, demo.Config{})
	var r recorder
	d, err := AttachDashboard(s.Loop, DashboardOptions{RunDir: filepath.Join(t.TempDir(), "run"), DisplayOptions: []Option{r.option()}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Train(20); err != nil {
		t.Fatal(err)
	}
	d.add("train/loss", 21, math.NaN(), 1)
	chart, err := d.Chart()
	if err != nil {
		t.Fatalf("the chart of a run with a NaN loss: %v", err)
	}
	spec, err := chart.JSON()
	if err != nil {
		t.Fatalf("a chart with a NaN loss is not valid: %v", err)
	}
	if !strings.Contains(chartcheck.Subtitle(spec), "train/loss has NaN/Inf at step 21 (drawn as gaps)") {
		t.Error("the NaN is not named in the progress line")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
}

// On each backend the dashboard names the backend it trains on (DashboardOptions.Backend
// unset), and a capture attached to the same loop records sound snapshots of every kind.
// (That it summarises on the host on both, XLA's CPU plugin keeping tensors in host memory
// too, is capture's to test: it needs the capture's internals.)
func TestDashboardAndCaptureOnEachBackend(t *testing.T) {
	xlatest.Run(t, func(t *testing.T, backend compute.Backend) {
		want := path.Base(t.Name()) // the subtest: "go" or "xla-cpu"
		every := schedule.EverySteps(25)
		c, err := capture.New(capture.Options{Weights: every, Gradients: every, Activations: every,
			RunDir: filepath.Join(t.TempDir(), "capture")})
		if err != nil {
			t.Fatal(err)
		}
		s := trainingtest.Setup(t, backend, demo.Config{Capture: c})
		var r recorder
		dir := filepath.Join(t.TempDir(), "run")
		d, err := AttachDashboard(s.Loop, DashboardOptions{Eval: []train.Dataset{s.ValidationDS}, EvalEvery: schedule.EverySteps(50),
			RunDir: dir, DisplayOptions: []Option{r.option()}})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Train(100); err != nil {
			t.Fatal(err)
		}
		if err := errors.Join(d.Close(), c.Close(), d.Err(), c.Err()); err != nil {
			t.Fatal(err)
		}
		if got := backendsel.Label(backend); got != want {
			t.Errorf("backend %q (%s) is labelled %q, want %q", backend.Name(), backend.Description(), got, want)
		}
		run, err := runs.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if m := run.Meta(); m.Backend != want {
			t.Errorf("run metadata says backend %q, want %q", m.Backend, want)
		}
		spec := r.sends[len(r.sends)-1].mime[bundle.MIMEVegaLite].(map[string]any)
		if sub, _ := spec["title"].(map[string]any)["subtitle"].(string); !strings.Contains(sub, "backend "+want) {
			t.Errorf("progress line %q does not name backend %s", sub, want)
		}
		if acc := run.Series("eval/validation/accuracy"); len(acc) == 0 || acc[len(acc)-1].Value < 0.8 {
			t.Errorf("validation accuracy %v after 100 steps", acc)
		}
		for _, kind := range []capture.Kind{capture.KindWeights, capture.KindGradients, capture.KindActivations} {
			snaps := c.Snapshots(kind)
			if len(snaps) == 0 {
				t.Errorf("no %s snapshots", kind)
			}
			for _, sn := range snaps {
				trainingtest.CheckSnapshot(t, sn)
			}
		}
	})
}
