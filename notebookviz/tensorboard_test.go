// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/ml/train"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/internal/testing/tbcheck"
	"github.com/gonbviz/gonbviz/internal/testing/trainingtest"
	"github.com/gonbviz/gonbviz/runs"
	"github.com/gonbviz/gonbviz/schedule"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// A run trained with DashboardOptions.TensorBoard is a log TensorBoard reads: its own
// loaders find every scalar the run store holds (step and value, as float32), a histogram
// for every snapshot of the capture, and the configuration; a second run in the same cell
// (IfExists Overwrite) replaces the event files.
func TestDashboardWritesTensorBoard(t *testing.T) {
	tbcheck.Python(t)
	every := schedule.EverySteps(50)
	c, err := capture.New(capture.Options{Weights: every, Gradients: every, Activations: every})
	if err != nil {
		t.Fatal(err)
	}
	s := trainingtest.Setup(t, nil, demo.Config{Capture: c})
	dia, err := diagram.FromTrainer(s.Trainer, s.ModelGraph, demo.MLP().InputShapes, diagram.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	d, err := AttachDashboard(s.Loop, DashboardOptions{Diagram: dia,
		Eval: []train.Dataset{s.ValidationDS}, EvalEvery: every, RunDir: dir, RunName: "tb",
		Model: s.Description, Hyperparameters: map[string]any{"lr": 0.001, "batch": 64},
		NoDisplay: true, Capture: c, TensorBoard: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Train(150); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(d.Close(), d.Err(), c.Err()); err != nil {
		t.Fatal(err)
	}

	run, err := runs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string][]runs.Point{}
	if _, err := run.ScanScalars(func(series string, p runs.Point) error {
		stored[series] = append(stored[series], p)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	snaps, _, err := capture.Read(dir)
	if err != nil {
		t.Fatal(err)
	}

	dump := tbcheck.Read(t, dir)
	tb := dump.Runs["."]
	if len(dump.Runs) != 1 || tb == nil {
		t.Fatalf("TensorBoard found the runs %v in the run directory, want \".\"", dump.Runs)
	}
	if len(tb.Files) != 1 || !tb.Files[0].CRCOK {
		t.Errorf("event files %+v", tb.Files)
	}
	// Scalars: every series, every point.
	if len(stored) < 5 || len(stored["train/loss"]) != 150 || len(stored["eval/validation/accuracy"]) != 3 {
		t.Fatalf("the run store holds %d series (train/loss: %d points)", len(stored), len(stored["train/loss"]))
	}
	for name, points := range stored {
		got := tb.Scalars[name]
		if len(got) != len(points) {
			t.Errorf("series %q: TensorBoard read %d points, the run store holds %d", name, len(got), len(points))
			continue
		}
		for i, p := range points {
			if int64(got[i][0]) != p.Step || float64(got[i][2]) != float64(float32(p.Value)) {
				t.Errorf("series %q point %d: TensorBoard read step %v value %v, the run store holds %d %v", name, i, got[i][0], got[i][2], p.Step, p.Value)
				break
			}
		}
	}
	if len(tb.Scalars) != len(stored) {
		t.Errorf("TensorBoard read %d scalar series, the run store holds %d", len(tb.Scalars), len(stored))
	}
	// Histograms: one per snapshot, tagged kind/name, at its step, with its count.
	kinds := map[capture.Kind]int{}
	for _, sn := range snaps {
		tag := capture.TensorBoardTag(sn.Kind, sn.Name)
		found := false
		for _, h := range tb.Histo[tag] {
			if h.Step == int64(sn.Step) && float64(h.Num) == float64(sn.Count) && float64(h.Min) == sn.Min && float64(h.Max) == sn.Max {
				found = true
			}
		}
		if !found {
			t.Errorf("no histogram %q at step %d with %d values in TensorBoard's view", tag, sn.Step, sn.Count)
		}
		if len(tb.Tensors["histograms"][tag]) != len(tb.Histo[tag]) {
			t.Errorf("histogram %q: the plugin view holds %d, the legacy one %d", tag, len(tb.Tensors["histograms"][tag]), len(tb.Histo[tag]))
		}
		kinds[sn.Kind]++
	}
	if kinds[capture.KindWeights] == 0 || kinds[capture.KindGradients] == 0 || kinds[capture.KindActivations] == 0 {
		t.Errorf("snapshots by kind %v", kinds)
	}
	n := 0
	for _, h := range tb.Histo {
		n += len(h)
	}
	if n != len(snaps) {
		t.Errorf("TensorBoard read %d histograms, the capture wrote %d snapshots", n, len(snaps))
	}
	// The graph: every op of the diagram, with its inputs.
	want := dia.TensorBoardGraph()
	if tb.Graph == nil || len(tb.Graph.Nodes) != len(want.Nodes) {
		t.Errorf("TensorBoard read the graph %+v, we wrote %d nodes", tb.Graph, len(want.Nodes))
	} else {
		for i, n := range want.Nodes {
			if got := tb.Graph.Nodes[i]; got.Name != n.Name || got.Op != n.Op || strings.Join(got.Input, ",") != strings.Join(n.Inputs, ",") {
				t.Errorf("graph node %d: TensorBoard read %s %s %v, we wrote %s %s %v", i, got.Name, got.Op, got.Input, n.Name, n.Op, n.Inputs)
			}
		}
	}
	// The configuration.
	text := tb.Tensors["text"]["config"]
	if len(text) != 1 || len(text[0].Text) != 1 {
		t.Fatalf("config text %+v", text)
	}
	for _, want := range []string{"| run | tb (", "| model | " + s.Description, "| backend | go |", "| lr | 0.001 |", "| batch | 64 |"} {
		if !strings.Contains(text[0].Text[0], want) {
			t.Errorf("config text %q lacks %q", text[0].Text[0], want)
		}
	}

	// TensorBoard's server serves the same run; its pages draw it.
	checkTensorBoardServer(t, dir, stored, snaps, want)

	// Overwritten: the old event files go with the run.
	s2 := trainingtest.Setup(t, nil, demo.Config{})
	d2, err := AttachDashboard(s2.Loop, DashboardOptions{RunDir: dir, IfExists: runs.Overwrite, NoDisplay: true, TensorBoard: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Train(10); err != nil {
		t.Fatal(err)
	}
	if err := d2.Close(); err != nil {
		t.Fatal(err)
	}
	log, err := tensorboard.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r := log.Run("."); r == nil || len(r.Files) != 1 || len(r.Scalar("train/loss")) != 10 || len(r.Histograms) != 0 {
		t.Errorf("after an overwrite: %+v", log)
	}
}

// ReadTensorBoard reads the logs of TensorBoard's own writer and of tensorboardX (PyTorch's
// format) into curves and snapshots that draw; its errors name the argument.
func TestReadTensorBoard(t *testing.T) {
	tbcheck.Python(t)
	dir := t.TempDir()
	tbcheck.WriteTensorBoard(t, dir)
	tbcheck.WriteTensorBoardX(t, dir)
	log, err := ReadTensorBoard(dir, TensorBoardOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range log.Runs {
		names = append(names, r.Name)
	}
	if strings.Join(names, " ") != "tbx tbx/compare/a tbx/compare/b v1 v2" {
		t.Fatalf("runs %v", names)
	}
	tbx := log.Run("tbx")
	if len(tbx.Curves) != 2 || len(tbx.Curves[0].Points) != 200 || tbx.Curves[0].Run != "tbx" {
		t.Errorf("tbx curves %d (%+v)", len(tbx.Curves), tbx.Curves)
	}
	if k := tbx.Kinds(); len(k) != 1 || k[0] != capture.KindOther || len(tbx.SnapshotsOf(capture.KindOther)) != 8 {
		t.Errorf("tbx snapshots: kinds %v, %d", k, len(tbx.Snapshots))
	}
	if len(tbx.Texts) != 1 || !strings.Contains(tbx.Texts[0], "hello from *tensorboardX*") {
		t.Errorf("tbx texts %q", tbx.Texts)
	}
	if n := len(log.Curves()); n != 2+1+1+1+2 {
		t.Errorf("%d curves in all", n)
	}
	if _, err := charts.Curves(log.Curves(), charts.CurvesOptions{}); err != nil {
		t.Error(err)
	}
	for _, r := range log.Runs {
		for _, k := range r.Kinds() {
			if _, err := charts.Histograms(r.SnapshotsOf(k), charts.HistogramsOptions{}); err != nil {
				t.Errorf("run %s: %v", r.Name, err)
			}
			if _, err := charts.Distributions(r.SnapshotsOf(k), charts.DistributionsOptions{}); err != nil {
				t.Errorf("run %s: %v", r.Name, err)
			}
		}
	}
	// Bounded: at most MaxPoints per series.
	small, err := ReadTensorBoard(dir, TensorBoardOptions{MaxPoints: 20, MaxHistograms: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r := small.Run("tbx"); len(r.Curves[0].Points) > 20 || len(r.SnapshotsOf(capture.KindOther)) != 4 {
		t.Errorf("MaxPoints 20: %d points; MaxHistograms 2: %d snapshots", len(r.Curves[0].Points), len(r.Snapshots))
	}
	for _, c := range []struct {
		logdir string
		opts   TensorBoardOptions
		want   string
	}{
		{"", TensorBoardOptions{}, "logdir is empty"},
		{filepath.Join(dir, "missing"), TensorBoardOptions{}, "missing"},
		{dir, TensorBoardOptions{Bins: -1}, "TensorBoardOptions.Bins is -1"},
		{dir, TensorBoardOptions{MaxPoints: 2}, "ReadOptions.MaxPoints is 2"},
	} {
		if _, err := ReadTensorBoard(c.logdir, c.opts); err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "notebookviz: ReadTensorBoard") {
			t.Errorf("ReadTensorBoard(%q, %+v): %v, want an error with %q", c.logdir, c.opts, err, c.want)
		}
	}
}
