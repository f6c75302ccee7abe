// SPDX-License-Identifier: Apache-2.0

package capture_test

import (
	"cmp"
	"math"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
	"github.com/gonbviz/gonbviz/internal/digits"
	"github.com/gonbviz/gonbviz/internal/testing/trainingtest"
	"github.com/gonbviz/gonbviz/schedule"
)

func byName(snaps []capture.Snapshot) map[string][]capture.Snapshot {
	m := map[string][]capture.Snapshot{}
	for _, s := range snaps {
		m[s.Name] = append(m[s.Name], s)
	}
	return m
}

func TestCaptureOnHost(t *testing.T) {
	c, s := trainingtest.Captured(t, nil, demo.Config{}, capture.Options{Summaries: capture.SummariesOnHost}, 50)
	weights := byName(c.Snapshots(capture.KindWeights))
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
			trainingtest.CheckSnapshot(t, sn)
		}
		if len(list) != 5 || list[0].Step != 10 || list[4].Step != 50 {
			t.Errorf("weights of %s at steps %v, want 10..50 every 10", name, steps)
		}
		params += int(list[0].Count)
	}
	if params != s.ParamCount {
		t.Errorf("weights count %d values, the model has %d parameters", params, s.ParamCount)
	}
	grads := byName(c.Snapshots(capture.KindGradients))
	if len(grads) != 6 {
		t.Fatalf("gradients of %d variables, want 6: %v", len(grads), keys(grads))
	}
	for name, list := range grads {
		for _, sn := range list {
			trainingtest.CheckSnapshot(t, sn)
			// Adam's first steps move each weight by about the learning rate (0.001).
			if !(sn.UpdateRatio > 1e-5 && sn.UpdateRatio < 1) {
				t.Errorf("gradients of %s step %d: update ratio %g", name, sn.Step, sn.UpdateRatio)
			}
		}
		if _, ok := weights[name]; !ok {
			t.Errorf("gradient of %s, which has no weights", name)
		}
	}
	acts := byName(c.Snapshots(capture.KindActivations))
	if len(acts) != 2 || len(acts["/model/hidden_0"]) != 5 {
		t.Fatalf("activations: %v", keys(acts))
	}
	for _, list := range acts {
		for _, sn := range list {
			trainingtest.CheckSnapshot(t, sn)
			if sn.Shape[0] != demo.DefaultBatchSize || sn.Min < 0 || !(sn.Dead >= 0 && sn.Dead <= 1) {
				t.Errorf("relu activations %s: shape %v min %g dead %g", sn.Name, sn.Shape, sn.Min, sn.Dead)
			}
		}
	}
	// The run directory holds the same snapshots.
	read, notes, err := capture.Read(c.RunDir())
	if err != nil || len(notes) > 0 {
		t.Fatal(err, notes)
	}
	if got, want := len(read), len(c.Snapshots("")); got != want {
		t.Errorf("run holds %d snapshots, memory %d", got, want)
	}
	for _, s := range read {
		if s.Kind == capture.KindGradients && !(s.UpdateRatio > 0) {
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
	host, _ := trainingtest.Captured(t, backend, demo.Config{}, capture.Options{Summaries: capture.SummariesOnHost}, 20)
	dev, _ := trainingtest.Captured(t, backend, demo.Config{}, capture.Options{Summaries: capture.SummariesOnDevice}, 20)
	for _, kind := range []capture.Kind{capture.KindWeights, capture.KindGradients, capture.KindActivations} {
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
				trainingtest.CheckSnapshot(t, b)
				close := func(x, y float64) bool { return math.Abs(x-y) <= 1e-4*(1+math.Abs(x)) }
				if a.Step != b.Step || a.Count != b.Count || !close(a.Min, b.Min) || !close(a.Max, b.Max) ||
					!close(a.Mean, b.Mean) || !close(a.Norm, b.Norm) || !close(a.Dead, b.Dead) ||
					(kind == capture.KindGradients && !(math.Abs(a.UpdateRatio-b.UpdateRatio) <= 1e-3*b.UpdateRatio)) {
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
	data, err := digits.LoadSplits()
	if err != nil {
		t.Fatal(err)
	}
	features, _ := data.Validation.Flat()
	probe := tensors.FromFlatDataAndDimensions(features[:32*digits.NumFeatures], 32, digits.NumFeatures)
	// The model function only reads the configuration.
	modelFn := (&demo.Setup{Config: demo.Config{}.WithDefaults()}).ModelGraph
	for _, where := range []capture.Summaries{capture.SummariesOnHost, capture.SummariesOnDevice} {
		opts := capture.Options{Weights: schedule.Never(), Gradients: schedule.EverySteps(1), Activations: schedule.NTimes(4), Keep: 5,
			Probe: probe, ProbeModel: modelFn, Summaries: where, KeepProbe: where == capture.SummariesOnHost}
		c, _ := trainingtest.Captured(t, nil, demo.Config{}, opts, 40)
		checkProbeAndBounds(t, c)
		// Both hidden layers' histograms are recorded, with the probe's activations kept
		// beside them or not.
		if n := len(byName(c.Snapshots(capture.KindActivations))); n != 2 {
			t.Errorf("summaries %v, keep probe %v: activations of %d layers recorded, want 2", where, opts.KeepProbe, n)
		}
		if n := len(c.Probes()); opts.KeepProbe && n == 0 {
			t.Errorf("summaries %v: KeepProbe kept no activations", where)
		}
	}
}

func checkProbeAndBounds(t *testing.T, c *capture.Capture) {
	t.Helper()
	if n := len(c.Snapshots(capture.KindWeights)); n != 0 {
		t.Errorf("schedule.Never(): %d weight snapshots", n)
	}
	for name, list := range byName(c.Snapshots(capture.KindGradients)) {
		if len(list) > 5 || list[0].Step != 1 || list[len(list)-1].Step != 40 {
			var steps []int
			for _, s := range list {
				steps = append(steps, s.Step)
			}
			t.Errorf("gradients of %s kept at steps %v: want at most 5, first 1 and last 40", name, steps)
		}
	}
	for name, list := range byName(c.Snapshots(capture.KindActivations)) {
		if list[0].Shape[0] != 32 {
			t.Errorf("probe activations %s: shape %v, want the 32-example probe", name, list[0].Shape)
		}
	}
}

// Gated by its Dataset, a capture compiles a second training graph, once, for the steps
// it records; without the wrapper every step's graph has the taps. Both record the same.
func TestCaptureGatedAndUngated(t *testing.T) {
	results := map[bool][]capture.Snapshot{}
	for _, gated := range []bool{true, false} {
		every := schedule.EverySteps(10)
		c, err := capture.New(capture.Options{Weights: every, Gradients: every, Activations: every,
			Summaries: capture.SummariesOnHost, RunDir: filepath.Join(t.TempDir(), "run")})
		if err != nil {
			t.Fatal(err)
		}
		s := trainingtest.Setup(t, nil, demo.Config{Capture: c})
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
	for _, list := range [][]capture.Snapshot{g, u} {
		slices.SortStableFunc(list, func(a, b capture.Snapshot) int {
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
		opts capture.Options
		want string
	}{
		{capture.Options{Bins: -3}, "Options.Bins"},
		{capture.Options{Bins: 5000}, "Options.Bins"},
		{capture.Options{Keep: 1}, "Options.Keep"},
		{capture.Options{Weights: schedule.EverySteps(-1)}, "negative"},
		{capture.Options{Gradients: schedule.Exponential(10, 0.5)}, "factor must be above 1"},
		{capture.Options{ProbeModel: func(*model.Scope, *graph.Node) *graph.Node { return nil }}, "Options.Probe"},
		{capture.Options{Summaries: capture.Summaries(7)}, "Options.Summaries"},
	} {
		if _, err := capture.New(tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v): %v, want an error naming %q", tc.opts, err, tc.want)
		}
	}
	var nilCapture *capture.Capture
	if err := nilCapture.Attach(nil); err == nil || !strings.Contains(err.Error(), "capture.New") {
		t.Errorf("nil capture: %v", err)
	}
	c, err := capture.New(capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Attach(nil); err == nil || !strings.Contains(err.Error(), "train.NewLoop") {
		t.Errorf("nil loop: %v", err)
	}
	if _, _, err := capture.Read(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a run directory") {
		t.Errorf("Read of an empty directory: %v", err)
	}
	// Attached twice, to two loops: refused.
	s1 := trainingtest.Setup(t, nil, demo.Config{Capture: c})
	s2 := trainingtest.Setup(t, nil, demo.Config{})
	if err := c.Attach(s2.Loop); err == nil || !strings.Contains(err.Error(), "already attached") {
		t.Errorf("second Attach: %v", err)
	}
	_ = s1
}

// With SummariesAuto a capture summarises on the host on the pure-Go backend and on XLA's
// CPU plugin: both keep tensors in host memory, where the host kernel is faster.
func TestCaptureAutoSummarisesOnHostOnCPU(t *testing.T) {
	xlatest.Run(t, func(t *testing.T, backend compute.Backend) {
		c, _ := trainingtest.Captured(t, backend, demo.Config{}, capture.Options{}, 10)
		if capture.OnDevice(c) {
			t.Errorf("capture summarised on the device on %s; the host kernel is faster there", path.Base(t.Name()))
		}
	})
}
