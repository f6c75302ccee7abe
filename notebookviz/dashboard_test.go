// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"errors"
	"fmt"
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

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
	"github.com/gonbviz/gonbviz/internal/bundle"
	"github.com/gonbviz/gonbviz/runs"
)

func trainingSetup(t *testing.T, cfg demo.Config) *demo.Setup {
	t.Helper()
	return trainingSetupOn(t, xlatest.Go(t), cfg)
}

func trainingSetupOn(t *testing.T, backend compute.Backend, cfg demo.Config) *demo.Setup {
	t.Helper()
	data, err := demo.LoadData(0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := demo.New(backend, cfg, data)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Finalize)
	return s
}

func TestDashboardRecordsAndDraws(t *testing.T) {
	s := trainingSetup(t, demo.Config{})
	var r recorder
	dir := filepath.Join(t.TempDir(), "run")
	d, err := AttachDashboard(s.Loop, DashboardOptions{
		Title: "digits", Eval: []train.Dataset{s.ValidationDS}, EvalEvery: EverySteps(50),
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

func TestSchedules(t *testing.T) {
	count := func(s Schedule, start, end int) []int {
		sc := scheduler{s: s}
		var at []int
		for step := start + 1; step <= end; step++ {
			if sc.due(step, start, end, time.Now()) {
				at = append(at, step)
			}
		}
		return at
	}
	if got := count(EverySteps(25), 0, 100); len(got) != 4 || got[0] != 25 {
		t.Errorf("EverySteps(25): %v", got)
	}
	if got := count(NTimes(4), 0, 100); len(got) != 4 || got[3] != 100 {
		t.Errorf("NTimes(4): %v", got)
	}
	if got := count(Exponential(10, 2), 0, 100); len(got) != 4 || got[0] != 10 || got[3] != 80 {
		t.Errorf("Exponential(10, 2): %v", got)
	}
	if err := Exponential(10, 1).check(); err == nil || !strings.Contains(err.Error(), "factor must be above 1") {
		t.Errorf("Exponential(10, 1): %v", err)
	}
}

func TestAttachDashboardErrors(t *testing.T) {
	if _, err := AttachDashboard(nil, DashboardOptions{}); err == nil || !strings.Contains(err.Error(), "loop is nil") {
		t.Errorf("nil loop: %v", err)
	}
	s := trainingSetup(t, demo.Config{})
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	if _, err := AttachDashboard(s.Loop, DashboardOptions{RunDir: file, NoDisplay: true}); err == nil {
		t.Error("a run directory that is a file was accepted")
	}
}

// Curves gonbviz draws itself stay under the row limit, however many series and runs.
func TestCurvesStayUnderTheRowLimit(t *testing.T) {
	dir := t.TempDir()
	var dirs []string
	for r := 0; r < 4; r++ {
		rd := filepath.Join(dir, fmt.Sprint("run", r))
		run, err := runs.Create(rd, runs.Meta{Name: fmt.Sprint("run", r)})
		if err != nil {
			t.Fatal(err)
		}
		for step := int64(1); step <= 3000; step++ {
			for _, name := range []string{"train/loss", "train/accuracy", "train/other", "eval/validation/loss"} {
				run.Add(name, step, 1/float64(step))
			}
		}
		if err := run.Close(); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, rd)
	}
	chart, err := CompareRuns("many", dirs...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Prepare(chart) // the default row limit applies
	if err != nil {
		t.Fatalf("CompareRuns hit the row limit: %v", err)
	}
	if n, _ := inlineRows(b.Spec); n > DefaultMaxRows || n < 2000 {
		t.Errorf("%d rows", n)
	}
}

// A NaN loss is drawn as a gap and named in the progress line, and nothing panics.
func TestDashboardNaNIsNamed(t *testing.T) {
	s := trainingSetup(t, demo.Config{})
	var r recorder
	d, err := AttachDashboard(s.Loop, DashboardOptions{RunDir: filepath.Join(t.TempDir(), "run"), DisplayOptions: []Option{r.option()}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Train(20); err != nil {
		t.Fatal(err)
	}
	d.add("train/loss", 21, math.NaN(), 1)
	spec, err := d.Chart().JSON()
	if err != nil {
		t.Fatalf("a chart with a NaN loss is not valid: %v", err)
	}
	if !strings.Contains(string(spec), "train/loss has NaN/Inf at step 21 (drawn as gaps)") {
		t.Error("the NaN is not named in the progress line")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
}

// On each backend the dashboard names the backend it trains on (DashboardOptions.Backend
// unset), and a capture attached to the same loop summarises on the host on both (XLA's CPU
// plugin keeps tensors in host memory too).
func TestDashboardAndCaptureOnEachBackend(t *testing.T) {
	xlatest.Run(t, func(t *testing.T, backend compute.Backend) {
		want := path.Base(t.Name()) // the subtest: "go" or "xla-cpu"
		c, err := NewCapture(CaptureOptions{Weights: EverySteps(25), Gradients: EverySteps(25), Activations: EverySteps(25),
			RunDir: filepath.Join(t.TempDir(), "capture")})
		if err != nil {
			t.Fatal(err)
		}
		s := trainingSetupOn(t, backend, demo.Config{Capture: c})
		var r recorder
		dir := filepath.Join(t.TempDir(), "run")
		d, err := AttachDashboard(s.Loop, DashboardOptions{Eval: []train.Dataset{s.ValidationDS}, EvalEvery: EverySteps(50),
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
		if got := backendLabel(backend); got != want {
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
		if c.onDevice { // both backends keep their tensors in host memory
			t.Errorf("capture summarised on the device on %s; the host kernel is faster there", want)
		}
		for _, kind := range []string{KindWeights, KindGradients, KindActivations} {
			snaps := c.Snapshots(kind)
			if len(snaps) == 0 {
				t.Errorf("no %s snapshots", kind)
			}
			for _, sn := range snaps {
				checkSnapshot(t, sn)
			}
		}
	})
}
