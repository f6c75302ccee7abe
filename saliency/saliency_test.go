// SPDX-License-Identifier: Apache-2.0

package saliency_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
	"github.com/gonbviz/gonbviz/saliency"
)

// trained returns a demo model trained for steps on backend, and n validation examples.
func trained(t *testing.T, backend compute.Backend, cfg demo.Config, steps, n int) (*demo.Setup, *tensors.Tensor, []int) {
	t.Helper()
	s, err := demo.DigitsMLP(backend, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Finalize)
	if err := s.Train(steps); err != nil {
		t.Fatal(err)
	}
	x, labels, err := s.Examples("validation")
	if err != nil {
		t.Fatal(err)
	}
	return s, firstRows(t, x, n), labels[:n]
}

// firstRows returns the first n rows of a float32 tensor [rows, ...].
func firstRows(t *testing.T, x *tensors.Tensor, n int) *tensors.Tensor {
	t.Helper()
	flat, err := tensors.CopyFlatData[float32](x)
	if err != nil {
		t.Fatal(err)
	}
	dims := slices.Clone(x.Shape().Dimensions)
	d := len(flat) / dims[0]
	dims[0] = n
	return tensors.FromFlatDataAndDimensions(flat[:n*d], dims...)
}

// plainIG is integrated gradients written plainly: for each example and each step, one
// execution of the model and its gradient at one point (midpoint rule, zero baseline).
func plainIG(t *testing.T, backend compute.Backend, store *model.Store, fn saliency.ModelFn, x []float32, dims []int, target, steps int) []float32 {
	t.Helper()
	exec, err := model.NewExec(backend, store, func(scope *model.Scope, point, onehot *graph.Node) *graph.Node {
		out := graph.ReduceAllSum(graph.Mul(fn(scope, point), onehot))
		return graph.Gradient(out, point)[0]
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	sum := make([]float64, len(x))
	for k := range steps {
		alpha := (float64(k) + 0.5) / float64(steps)
		point := make([]float32, len(x))
		for j, v := range x {
			point[j] = float32(alpha * float64(v))
		}
		onehot := make([]float32, 10)
		onehot[target] = 1
		out, err := exec.Exec(tensors.FromFlatDataAndDimensions(point, append([]int{1}, dims...)...), tensors.FromFlatDataAndDimensions(onehot, 1, 10))
		if err != nil {
			t.Fatal(err)
		}
		g := tensors.MustCopyFlatData[float32](out[0])
		for j := range g {
			sum[j] += float64(g[j])
		}
	}
	attr := make([]float32, len(x))
	for j := range x {
		attr[j] = float32(sum[j] / float64(steps) * float64(x[j]))
	}
	return attr
}

// maxRelDiff is max |a − b| / max |b|.
func maxRelDiff(a, b []float32) float64 {
	var diff, scale float64
	for i := range a {
		diff = max(diff, math.Abs(float64(a[i])-float64(b[i])))
		scale = max(scale, math.Abs(float64(b[i])))
	}
	return diff / scale
}

// Integrated gradients with 64 steps add up to f(x) − f(baseline) within 1% for every
// example, for the demo MLP and CNN trained on the digits, on each backend; the batched
// computation equals the plain one (one execution per step and example).
func TestIntegratedGradientsCompleteness(t *testing.T) {
	xlatest.Run(t, func(t *testing.T, backend compute.Backend) {
		for _, c := range []struct {
			name  string
			cfg   demo.Config
			steps int
		}{
			{"mlp", demo.Config{LearningRate: 0.003}, 300},
			{"cnn", demo.Config{Model: "cnn", LearningRate: 0.01}, 40},
		} {
			t.Run(c.name, func(t *testing.T) {
				s, x, labels := trained(t, backend, c.cfg, c.steps, 16)
				res, err := saliency.Compute(backend, s.Store, s.ModelGraph, x, saliency.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Log(res.Summary())
				if res.Method != saliency.IntegratedGradients || res.Steps != 64 || len(res.Completeness) != 16 {
					t.Fatalf("result %s, %d steps, %d completeness rows", res.Method, res.Steps, len(res.Completeness))
				}
				right := 0
				for i, cc := range res.Completeness {
					if !(cc.RelError < 0.01) {
						t.Errorf("example %d: sum of attributions %.5g, f(x) − f(0) = %.5g: off by %.3g%%", i, cc.Sum, cc.Delta, 100*cc.RelError)
					}
					if res.Predicted[i] == labels[i] {
						right++
					}
					if res.Targets[i] != res.Predicted[i] {
						t.Errorf("example %d: target %d, predicted %d", i, res.Targets[i], res.Predicted[i])
					}
				}
				if right < 10 {
					t.Errorf("only %d of 16 predictions right: the model did not train", right)
				}
				for _, i := range []int{0, 5} {
					plain := plainIG(t, backend, s.Store, s.ModelGraph, res.Input(i), []int{64}, res.Targets[i], 64)
					if d := maxRelDiff(res.Example(i), plain); !(d < 1e-4) {
						t.Errorf("example %d: batched and plain integrated gradients differ by %.3g (relative)", i, d)
					}
				}

				// Another class than the predicted one, from another baseline (the mean image):
				// f(x) − f(b) is smaller there and the relu kinks on the path weigh more, so
				// the bound is the 5% of the method's authors (Sundararajan et al. 2017).
				flat := tensors.MustCopyFlatData[float32](x)
				mean := make([]float32, 64)
				for i, v := range flat {
					mean[i%64] += v / 16
				}
				targets := make([]int, 16)
				for i := range targets {
					targets[i] = (res.Predicted[i] + 1) % 10
				}
				other, err := saliency.Compute(backend, s.Store, s.ModelGraph, x, saliency.Options{Targets: targets, Baseline: mean})
				if err != nil {
					t.Fatal(err)
				}
				if e, i := other.MaxRelError(); !(e < 0.05) || !slices.Equal(other.Targets, targets) {
					t.Errorf("other targets from the mean image: completeness off by %.3g%% at example %d; targets %v", 100*e, i, other.Targets)
				}
				if other.Completeness[0].Delta == res.Completeness[0].Delta {
					t.Errorf("another target and baseline gave the same f(x) − f(b) %g", other.Completeness[0].Delta)
				}
			})
		}
	})
}

// linear is a model with known gradients: logits = x·W + b, W [4, 3].
var (
	linW = [][]float32{{1, -2, 0.5}, {0, 3, -1}, {2, 1, 1}, {-1, 0.25, 4}}
	linB = []float32{0.1, -0.2, 0.3}
)

func linear(scope *model.Scope, x *graph.Node) *graph.Node {
	w := graph.Const(x.Graph(), linW)
	b := graph.Const(x.Graph(), linB)
	return graph.Add(graph.MatMul(x, w), graph.BroadcastToDims(graph.InsertAxes(b, 0), x.Shape().Dimensions[0], 3))
}

// On a linear model every method has a closed form: the gradient of logit t is W[:, t];
// gradient × input and integrated gradients from zero are x ⊙ W[:, t]; SmoothGrad is
// W[:, t] whatever the noise. The probability's gradient is p_t (W[:, t] − Σ_c p_c W[:, c]).
func TestLinearModel(t *testing.T) {
	xs := [][]float32{{1, 2, 3, 4}, {-1, 0.5, 0, 2}, {0.3, -0.7, 1.1, 0}}
	var flat []float32
	for _, x := range xs {
		flat = append(flat, x...)
	}
	in := tensors.FromFlatDataAndDimensions(flat, 3, 4)
	xlatest.Run(t, func(t *testing.T, backend compute.Backend) {
		e, err := saliency.New(backend, model.NewStore(), linear)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Finalize()
		targets := []int{2, -1, 0}
		for _, m := range saliency.Methods {
			for _, out := range []saliency.Output{saliency.Logit, saliency.Probability} {
				res, err := e.Compute(in, saliency.Options{Method: m, Output: out, Targets: targets, Steps: 16, Samples: 5, Seed: 7})
				if err != nil {
					t.Fatal(err)
				}
				for i, x := range xs {
					tc := res.Targets[i]
					if targets[i] >= 0 && tc != targets[i] || targets[i] < 0 && tc != res.Predicted[i] {
						t.Fatalf("%s: example %d target %d", m, i, tc)
					}
					grad := make([]float64, 4)
					for j := range 4 {
						grad[j] = float64(linW[j][tc])
						if out == saliency.Probability {
							p := res.Probabilities[i]
							var mix float64
							for c := range 3 {
								mix += p[c] * float64(linW[j][c])
							}
							grad[j] = p[tc] * (grad[j] - mix)
						}
					}
					want := make([]float64, 4)
					for j := range 4 {
						switch m {
						case saliency.Gradient:
							want[j] = grad[j]
						case saliency.GradientTimesInput:
							want[j] = grad[j] * float64(x[j])
						case saliency.IntegratedGradients, saliency.SmoothGrad:
							if out == saliency.Probability { // not linear: checked by completeness below
								want = nil
							} else if m == saliency.IntegratedGradients {
								want[j] = grad[j] * float64(x[j])
							} else {
								want[j] = grad[j]
							}
						}
						if want == nil {
							break
						}
					}
					got := res.Example(i)
					for j := range want {
						if math.Abs(float64(got[j])-want[j]) > 1e-5*(1+math.Abs(want[j])) {
							t.Errorf("%s of the %s, example %d: attributions %v, want %v", m, out, i, got, want)
							break
						}
					}
				}
				if m == saliency.IntegratedGradients {
					if e, i := res.MaxRelError(); !(e < 0.01) {
						t.Errorf("integrated gradients of the %s: completeness off by %.3g%% at example %d", out, 100*e, i)
					}
				} else if len(res.Completeness) != 0 {
					t.Errorf("%s reports completeness", m)
				}
			}
		}
	})
}

// How the pairs are batched changes nothing but the number of executions: the noise of
// SmoothGrad comes from a stream per (example, sample).
func TestBatching(t *testing.T) {
	backend := xlatest.Go(t)
	s, x, _ := trained(t, backend, demo.Config{Model: "cnn"}, 0, 5)
	e, err := saliency.New(backend, s.Store, s.ModelGraph)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Finalize()
	for _, c := range []struct {
		opts saliency.Options
		// executions for batch sizes 1, 3, 7, 1024
		execs []int
	}{
		{saliency.Options{Method: saliency.IntegratedGradients, Steps: 6}, []int{30, 10, 5, 1}},
		{saliency.Options{Method: saliency.SmoothGrad, Samples: 4, Seed: 3}, []int{20, 10, 5, 1}},
		{saliency.Options{Method: saliency.Gradient}, []int{5, 2, 1, 1}},
	} {
		var first *saliency.Result
		for k, bs := range []int{1, 3, 7, 1024} {
			opts := c.opts
			opts.BatchSize = bs
			res, err := e.Compute(x, opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Executions != c.execs[k] {
				t.Errorf("%s, batch size %d: %d executions, want %d", opts.Method, bs, res.Executions, c.execs[k])
			}
			if first == nil {
				first = res
			} else if d := maxRelDiff(res.Attributions, first.Attributions); !(d < 1e-5) {
				t.Errorf("%s: batch size %d changes the attributions by %.3g", opts.Method, bs, d)
			}
		}
	}
	a, err := e.Compute(x, saliency.Options{Method: saliency.SmoothGrad, Samples: 4, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.Compute(x, saliency.Options{Method: saliency.SmoothGrad, Samples: 4, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.Compute(x, saliency.Options{Method: saliency.Gradient})
	if err != nil {
		t.Fatal(err)
	}
	if maxRelDiff(a.Attributions, b.Attributions) < 1e-3 || maxRelDiff(a.Attributions, g.Attributions) < 1e-3 {
		t.Errorf("SmoothGrad: another seed, or the plain gradient, gives the same attributions")
	}
}

// Bad input gets one error naming the argument.
func TestErrors(t *testing.T) {
	backend := xlatest.Go(t)
	store := model.NewStore()
	ok := tensors.FromFlatDataAndDimensions(make([]float32, 8), 2, 4)
	nan := tensors.FromFlatDataAndDimensions([]float32{0, 1, 2, 3, 4, float32(math.NaN()), 6, 7}, 2, 4)
	for _, c := range []struct {
		name    string
		backend compute.Backend
		store   *model.Store
		fn      saliency.ModelFn
		x       *tensors.Tensor
		opts    saliency.Options
		want    string
	}{
		{"nil backend", nil, store, linear, ok, saliency.Options{}, "backend is nil"},
		{"nil store", backend, nil, linear, ok, saliency.Options{}, "store is nil"},
		{"nil model", backend, store, nil, ok, saliency.Options{}, "model function is nil"},
		{"nil inputs", backend, store, linear, nil, saliency.Options{}, "inputs is nil"},
		{"float64", backend, store, linear, tensors.FromValue([][]float64{{1, 2, 3, 4}}), saliency.Options{}, "want float32"},
		{"rank 1", backend, store, linear, tensors.FromValue([]float32{1, 2, 3, 4}), saliency.Options{}, "want float32 [examples, ...]"},
		{"NaN", backend, store, linear, nan, saliency.Options{}, "inputs hold NaN at example 1"},
		{"method", backend, store, linear, ok, saliency.Options{Method: "lime"}, `Options.Method "lime" is unknown`},
		{"output", backend, store, linear, ok, saliency.Options{Output: "loss"}, `Options.Output "loss" is unknown`},
		{"steps", backend, store, linear, ok, saliency.Options{Steps: -3}, "Options.Steps is -3"},
		{"samples", backend, store, linear, ok, saliency.Options{Samples: -1}, "Options.Samples is -1"},
		{"noise", backend, store, linear, ok, saliency.Options{Noise: math.Inf(1)}, "Options.Noise is +Inf"},
		{"targets length", backend, store, linear, ok, saliency.Options{Targets: []int{1}}, "Options.Targets has 1 values for 2 examples"},
		{"target range", backend, store, linear, ok, saliency.Options{Targets: []int{0, 3}}, "Options.Targets[1] = 3, but the model has 3 classes"},
		{"baseline size", backend, store, linear, ok, saliency.Options{Baseline: make([]float32, 5)}, "Options.Baseline has 5 values; want 4 (one input [4], shared) or 8"},
		{"baseline method", backend, store, linear, ok, saliency.Options{Method: saliency.Gradient, Baseline: make([]float32, 4)}, "Options.Baseline is for integrated gradients only"},
		{"logits rank", backend, store, func(scope *model.Scope, x *graph.Node) *graph.Node { return graph.ReduceAllSum(x) }, ok, saliency.Options{}, "the model function returned float32 [] for inputs [2 4]; want logits [2, classes]"},
		{"model panics", backend, store, func(scope *model.Scope, x *graph.Node) *graph.Node { panic(errors.New("bad layer")) }, ok, saliency.Options{}, "bad layer"},
		{"model shape error", backend, store, func(scope *model.Scope, x *graph.Node) *graph.Node { return graph.MatMul(x, x) }, ok, saliency.Options{}, "saliency:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := saliency.Compute(c.backend, c.store, c.fn, c.x, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) || res != nil {
				t.Errorf("got %v, %v; want an error with %q", res, err, c.want)
			}
			if err != nil && strings.Count(err.Error(), "saliency:") != 1 {
				t.Errorf("error %q: want one \"saliency:\" prefix", err)
			}
		})
	}
	var e *saliency.Explainer
	if _, err := e.Compute(ok, saliency.Options{}); err == nil {
		t.Error("nil Explainer: no error")
	}
}
