// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"cmp"
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
	"github.com/gonbviz/gonbviz/internal/digits"
	"github.com/gonbviz/gonbviz/internal/mlpdemo"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// captured trains the demo MLP for steps steps with a capture (every 10 steps) and returns it.
func captured(t *testing.T, cfg mlpdemo.Config, opts CaptureOptions, steps int) (*Capture, *mlpdemo.Setup) {
	t.Helper()
	return capturedOn(t, xlatest.Go(t), cfg, opts, steps)
}

// capturedOn is captured on the given backend.
func capturedOn(t *testing.T, backend compute.Backend, cfg mlpdemo.Config, opts CaptureOptions, steps int) (*Capture, *mlpdemo.Setup) {
	t.Helper()
	if opts.Weights.isZero() {
		opts.Weights = EverySteps(10)
	}
	if opts.Gradients.isZero() {
		opts.Gradients = EverySteps(10)
	}
	if opts.Activations.isZero() {
		opts.Activations = EverySteps(10)
	}
	if opts.RunDir == "" {
		opts.RunDir = filepath.Join(t.TempDir(), "run")
	}
	c, err := NewCapture(opts)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Capture = c
	s := trainingSetupOn(t, backend, cfg)
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

func byName(snaps []Snapshot) map[string][]Snapshot {
	m := map[string][]Snapshot{}
	for _, s := range snaps {
		m[s.Name] = append(m[s.Name], s)
	}
	return m
}

func checkSnapshot(t *testing.T, s Snapshot) {
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
	if len(s.Percentiles) != len(TensorBoardPercentiles) {
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

func TestCaptureOnHost(t *testing.T) {
	c, s := captured(t, mlpdemo.Config{}, CaptureOptions{Summaries: SummariesOnHost}, 50)
	weights := byName(c.Snapshots(KindWeights))
	// 3 dense layers: weights and biases.
	if len(weights) != 6 {
		t.Fatalf("weights of %d variables, want 6: %v", len(weights), keys(weights))
	}
	params := 0
	for name, list := range weights {
		if !strings.HasPrefix(name, "/model/") {
			t.Errorf("weights of %q: not a model variable", name)
		}
		steps := []int{}
		for _, sn := range list {
			steps = append(steps, sn.Step)
			checkSnapshot(t, sn)
		}
		if len(list) != 5 || list[0].Step != 10 || list[4].Step != 50 {
			t.Errorf("weights of %s at steps %v, want 10..50 every 10", name, steps)
		}
		params += int(list[0].Count)
	}
	if params != s.ParamCount {
		t.Errorf("weights count %d values, the model has %d parameters", params, s.ParamCount)
	}
	grads := byName(c.Snapshots(KindGradients))
	if len(grads) != 6 {
		t.Fatalf("gradients of %d variables, want 6: %v", len(grads), keys(grads))
	}
	for name, list := range grads {
		for _, sn := range list {
			checkSnapshot(t, sn)
			// Adam's first steps move each weight by about the learning rate (0.001).
			if !(sn.UpdateRatio > 1e-5 && sn.UpdateRatio < 1) {
				t.Errorf("gradients of %s step %d: update ratio %g", name, sn.Step, sn.UpdateRatio)
			}
		}
		if _, ok := weights[name]; !ok {
			t.Errorf("gradient of %s, which has no weights", name)
		}
	}
	acts := byName(c.Snapshots(KindActivations))
	if len(acts) != 2 || len(acts["/model/hidden_0"]) != 5 {
		t.Fatalf("activations: %v", keys(acts))
	}
	for _, list := range acts {
		for _, sn := range list {
			checkSnapshot(t, sn)
			if sn.Shape[0] != mlpdemo.DefaultBatchSize || sn.Min < 0 || !(sn.Dead >= 0 && sn.Dead <= 1) {
				t.Errorf("relu activations %s: shape %v min %g dead %g", sn.Name, sn.Shape, sn.Min, sn.Dead)
			}
		}
	}
	// The run directory holds the same snapshots.
	read, notes, err := ReadCapture(c.RunDir())
	if err != nil || len(notes) > 0 {
		t.Fatal(err, notes)
	}
	if got, want := len(read), len(c.Snapshots("")); got != want {
		t.Errorf("run holds %d snapshots, memory %d", got, want)
	}
	for _, s := range read {
		if s.Kind == KindGradients && !(s.UpdateRatio > 0) {
			t.Errorf("gradient snapshot %s step %d written without its update ratio (%g)", s.Name, s.Step, s.UpdateRatio)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// The in-graph summaries agree with the host kernel on the same training run, on each backend.
func TestCaptureOnDeviceMatchesHost(t *testing.T) {
	xlatest.Run(t, captureOnDeviceMatchesHost)
}

func captureOnDeviceMatchesHost(t *testing.T, backend compute.Backend) {
	host, _ := capturedOn(t, backend, mlpdemo.Config{}, CaptureOptions{Summaries: SummariesOnHost}, 20)
	dev, _ := capturedOn(t, backend, mlpdemo.Config{}, CaptureOptions{Summaries: SummariesOnDevice}, 20)
	for _, kind := range []string{KindWeights, KindGradients, KindActivations} {
		h, d := byName(host.Snapshots(kind)), byName(dev.Snapshots(kind))
		if len(h) != len(d) || len(h) == 0 {
			t.Fatalf("%s: host %v, device %v", kind, keys(h), keys(d))
		}
		for name, hl := range h {
			dl := d[name]
			if len(dl) != len(hl) {
				t.Fatalf("%s %s: %d host snapshots, %d device", kind, name, len(hl), len(dl))
			}
			for i := range hl {
				a, b := hl[i], dl[i]
				checkSnapshot(t, b)
				close := func(x, y float64) bool { return math.Abs(x-y) <= 1e-4*(1+math.Abs(x)) }
				if a.Step != b.Step || a.Count != b.Count || !close(a.Min, b.Min) || !close(a.Max, b.Max) ||
					!close(a.Mean, b.Mean) || !close(a.Norm, b.Norm) || !close(a.Dead, b.Dead) ||
					(kind == KindGradients && !(math.Abs(a.UpdateRatio-b.UpdateRatio) <= 1e-3*b.UpdateRatio)) {
					t.Errorf("%s %s step %d: host %+v\ndevice %+v", kind, name, a.Step, a, b)
				}
				// Bin counts may differ by values on a bin edge (float32 vs float64 arithmetic).
				diff := int64(0)
				for j := range a.Counts {
					diff += abs64(a.Counts[j] - b.Counts[j])
				}
				if diff > a.Count/100+2 {
					t.Errorf("%s %s step %d: counts differ by %d: host %v device %v", kind, name, a.Step, diff, a.Counts, b.Counts)
				}
			}
		}
	}
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestCaptureProbeAndBounds(t *testing.T) {
	data, err := mlpdemo.LoadData(0)
	if err != nil {
		t.Fatal(err)
	}
	features, _ := data.Validation.Flat()
	probe := tensors.FromFlatDataAndDimensions(features[:32*digits.NumFeatures], 32, digits.NumFeatures)
	// The model function only reads the configuration.
	modelFn := (&mlpdemo.Setup{Config: mlpdemo.Config{}.WithDefaults()}).ModelGraph
	for _, where := range []Summaries{SummariesOnHost, SummariesOnDevice} {
		opts := CaptureOptions{Weights: Never(), Gradients: EverySteps(1), Activations: NTimes(4), Keep: 5,
			Probe: probe, ProbeModel: modelFn, Summaries: where}
		c, _ := captured(t, mlpdemo.Config{}, opts, 40)
		checkProbeAndBounds(t, c)
	}
}

func checkProbeAndBounds(t *testing.T, c *Capture) {
	t.Helper()
	if n := len(c.Snapshots(KindWeights)); n != 0 {
		t.Errorf("Never(): %d weight snapshots", n)
	}
	for name, list := range byName(c.Snapshots(KindGradients)) {
		if len(list) > 5 || list[0].Step != 1 || list[len(list)-1].Step != 40 {
			var steps []int
			for _, s := range list {
				steps = append(steps, s.Step)
			}
			t.Errorf("gradients of %s kept at steps %v: want at most 5, first 1 and last 40", name, steps)
		}
	}
	for name, list := range byName(c.Snapshots(KindActivations)) {
		if list[0].Shape[0] != 32 {
			t.Errorf("probe activations %s: shape %v, want the 32-example probe", name, list[0].Shape)
		}
	}
}

// The hand-written snapshot encoding reads back like encoding/json's.
func TestSnapshotJSON(t *testing.T) {
	s := Snapshot{Kind: KindGradients, Name: `</script> "&\u2028`, Step: 7, Wall: 1.5, Shape: []int{3, 4}, Lo: -1e-9, Hi: 2.5,
		Counts: []int64{1, 0, 11}, Count: 12, NaN: 1, PosInf: 2, NegInf: 3, Min: -1e-9, Max: 2.5, Mean: 1.5e-7, Std: 1.0 / 3,
		Norm: 2e22, Percentiles: []float64{-1e-9, 0.1, 2.5}, UpdateRatio: 1e-3, Dead: -1}
	got := appendSnapshotJSON(nil, s)
	want, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("encoding differs:\n got %s\nwant %s", got, want)
	}
}

// Gated by its Dataset, a capture compiles a second training graph, once, for the steps
// it records; without the wrapper every step's graph has the taps. Both record the same.
func TestCaptureGatedAndUngated(t *testing.T) {
	results := map[bool][]Snapshot{}
	for _, gated := range []bool{true, false} {
		every := EverySteps(10)
		c, err := NewCapture(CaptureOptions{Weights: every, Gradients: every, Activations: every,
			Summaries: SummariesOnHost, RunDir: filepath.Join(t.TempDir(), "run")})
		if err != nil {
			t.Fatal(err)
		}
		s := trainingSetup(t, mlpdemo.Config{Capture: c})
		execs := 0
		s.Trainer.OnExecCreation(func(_ *model.Exec, gt train.GraphType) {
			if gt == train.TrainType {
				execs++
			}
		})
		var ds train.Dataset = s.TrainDS
		if gated {
			ds = c.Dataset(ds)
		}
		if _, err := s.Loop.RunSteps(ds, 30); err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 2, false: 1}[gated]; execs != want {
			t.Errorf("gated=%v: %d training graphs compiled, want %d", gated, execs, want)
		}
		results[gated] = c.Snapshots("")
	}
	g, u := results[true], results[false]
	// The gated step graph records the weights with the gradients, so the order differs.
	for _, list := range [][]Snapshot{g, u} {
		slices.SortStableFunc(list, func(a, b Snapshot) int {
			return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Step, b.Step))
		})
	}
	if len(g) != len(u) || len(g) != 3*(6+6+2) {
		t.Fatalf("gated %d snapshots, ungated %d, want %d", len(g), len(u), 3*14)
	}
	for i := range g {
		if g[i].Kind != u[i].Kind || g[i].Name != u[i].Name || g[i].Step != u[i].Step || g[i].Count != u[i].Count ||
			math.Abs(g[i].Mean-u[i].Mean) > 1e-6*(1+math.Abs(u[i].Mean)) ||
			math.Abs(g[i].UpdateRatio-u[i].UpdateRatio) > 1e-4*math.Abs(u[i].UpdateRatio) {
			t.Errorf("snapshot %d: gated %s %s step %d mean %g update ratio %g, ungated %s %s step %d mean %g update ratio %g", i,
				g[i].Kind, g[i].Name, g[i].Step, g[i].Mean, g[i].UpdateRatio, u[i].Kind, u[i].Name, u[i].Step, u[i].Mean, u[i].UpdateRatio)
		}
	}
}

func TestCaptureBadInput(t *testing.T) {
	for _, tc := range []struct {
		opts CaptureOptions
		want string
	}{
		{CaptureOptions{Bins: -3}, "CaptureOptions.Bins"},
		{CaptureOptions{Bins: 5000}, "CaptureOptions.Bins"},
		{CaptureOptions{Keep: 1}, "CaptureOptions.Keep"},
		{CaptureOptions{Weights: EverySteps(-1)}, "negative"},
		{CaptureOptions{Gradients: Exponential(10, 0.5)}, "factor must be above 1"},
		{CaptureOptions{ProbeModel: func(*model.Scope, *graph.Node) *graph.Node { return nil }}, "CaptureOptions.Probe"},
		{CaptureOptions{Summaries: Summaries(7)}, "CaptureOptions.Summaries"},
	} {
		if _, err := NewCapture(tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewCapture(%+v): %v, want an error naming %q", tc.opts, err, tc.want)
		}
	}
	var nilCapture *Capture
	if err := nilCapture.Attach(nil); err == nil || !strings.Contains(err.Error(), "NewCapture") {
		t.Errorf("nil capture: %v", err)
	}
	c, err := NewCapture(CaptureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Attach(nil); err == nil || !strings.Contains(err.Error(), "train.NewLoop") {
		t.Errorf("nil loop: %v", err)
	}
	if _, _, err := ReadCapture(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a run directory") {
		t.Errorf("ReadCapture of an empty directory: %v", err)
	}
	// Attached twice, to two loops: refused.
	s1 := trainingSetup(t, mlpdemo.Config{Capture: c})
	s2 := trainingSetup(t, mlpdemo.Config{})
	if err := c.Attach(s2.Loop); err == nil || !strings.Contains(err.Error(), "already attached") {
		t.Errorf("second Attach: %v", err)
	}
	_ = s1
}

// A run that blows up: GoMLX stops at the NaN loss; the capture keeps the NaN gradients,
// Diagnose says so, and every chart still draws (gaps and notes, no error).
func TestCaptureExplodingRun(t *testing.T) {
	every := EverySteps(1)
	c, err := NewCapture(CaptureOptions{Weights: every, Gradients: every, Activations: every,
		Summaries: SummariesOnHost, RunDir: filepath.Join(t.TempDir(), "run")})
	if err != nil {
		t.Fatal(err)
	}
	s := trainingSetup(t, mlpdemo.Config{Optimizer: "sgd", LearningRate: 1e4, Capture: c})
	if err := s.Train(200); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("training with lr=1e4 did not stop on a NaN loss: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	flags := strings.Join(Diagnose(c.Snapshots("")), "\n")
	if !strings.Contains(flags, "exploding: 8192 NaN/Inf gradient values in /model/hidden_0/dense/weights") {
		t.Errorf("flags do not name the NaN gradients:\n%s", flags)
	}
	var charts []vl.Chart
	for _, kind := range []string{KindWeights, KindGradients, KindActivations} {
		for _, mode := range []string{ModeSlider, ModeOffset, ModeOverlay} {
			ch, err := HistogramsChart(c.Snapshots(kind), HistogramsOptions{Mode: mode})
			if err != nil {
				t.Fatal(kind, mode, err)
			}
			charts = append(charts, ch)
		}
		ch, err := DistributionsChart(c.Snapshots(kind), DistributionsOptions{})
		if err != nil {
			t.Fatal(kind, err)
		}
		charts = append(charts, ch)
	}
	health, err := GradientHealthChart(c.Snapshots(KindGradients), "")
	if err != nil {
		t.Fatal(err)
	}
	acts, err := ActivationStatsChart(c.Snapshots(KindActivations), "")
	if err != nil {
		t.Fatal(err)
	}
	for i, ch := range append(charts, health, acts) {
		if _, err := Prepare(ch); err != nil {
			t.Errorf("chart %d: %v", i, err)
		}
	}
	if spec, _ := health.JSON(); !strings.Contains(string(spec), "exploding") {
		t.Error("the gradient-health subtitle does not flag the explosion")
	}
}

// TestUpdateSums checks the terms of the host update ratio against a plain loop.
func TestUpdateSums(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5, 1000} {
		cur := make([]float32, n)
		prev := make([]float64, n)
		for i := range cur {
			cur[i] = float32(i%7) - 2.5
			prev[i] = float64(i%5) - 1
		}
		var upd, w float64
		for i, x := range cur {
			d := float64(x) - prev[i]
			upd += d * d
			w += prev[i] * prev[i]
		}
		if gu, gw := updateSums(cur, prev); math.Abs(gu-upd) > 1e-9*max(1, upd) || math.Abs(gw-w) > 1e-9*max(1, w) {
			t.Errorf("n=%d: updateSums %g, %g; want %g, %g", n, gu, gw, upd, w)
		}
	}
	if u, w := updateSums([]float64{1, 2}, []float64{1}); u != 0 || w != 0 {
		t.Errorf("lengths differ: %g, %g, want zeros", u, w)
	}
}
