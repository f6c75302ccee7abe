// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/saliency"
)

// runSaliency measures integrated gradients (zero baseline, midpoint rule) of the predicted
// class's logit for the first -images digits images (validation, then train) through the
// demo CNN, on each backend present: package saliency, which batches (image, step) pairs
// into few graph executions, next to the same computation written plainly: for each
// image, one forward pass for its prediction, then one forward+backward execution per
// step. Both are compiled and warmed up before they are timed; the attributions of the two
// are compared. The images are explained in groups of -group: each group by one variant then
// the other (the order alternating from group to group), so that bursts of load on a shared
// machine hit both alike; a variant's time is the sum over the groups.
func runSaliency(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("saliency", flag.ContinueOnError)
	images := fs.Int("images", 256, "images explained")
	steps := fs.Int("steps", 64, "integration steps")
	batch := fs.Int("batch", saliency.DefaultBatchSize, "(image, step) pairs per graph execution of the batched computation")
	group := fs.Int("group", 32, "images per group (the variants alternate group by group)")
	trainSteps := fs.Int("train", 0, "training steps of the CNN before (0: its initial weights; the work is the same)")
	backendNames := fs.String("backends", "go,xla-cpu", "backends, comma-separated; xla-cpu is skipped with a note where no plugin is installed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *images < 1 || *steps < 1 || *batch < 1 || *group < 1 || *trainSteps < 0 {
		return fmt.Errorf("-images, -steps, -batch and -group must be positive, -train not negative")
	}
	weights := "initial weights (seed 0)"
	if *trainSteps > 0 {
		weights = fmt.Sprintf("trained %d steps (Adam, lr 0.003)", *trainSteps)
	}
	fmt.Fprintf(out, "integrated gradients (%d steps, midpoint rule, zero baseline) of the predicted logit, %d digits images, demo CNN (%s)\n", *steps, *images, weights)
	fmt.Fprintf(out, "CPU: %s\n", cpuModel())
	fmt.Fprintf(out, "batched: package saliency, up to %d (image, step) pairs per execution; plain: one forward per image, then one forward+backward per step and image;\n", *batch)
	fmt.Fprintf(out, "the variants alternate in groups of %d images\n", *group)

	var rows [][]string
	ratios := map[string]float64{}
	var names []string
	for _, name := range strings.Split(*backendNames, ",") {
		backend, label, err := newBackend(strings.TrimSpace(name))
		if err != nil {
			if name == "xla-cpu" {
				fmt.Fprintf(out, "(xla-cpu skipped: %v)\n", err)
				continue
			}
			return err
		}
		r, err := saliencyOn(backend, *images, *steps, *batch, *group, *trainSteps)
		backend.Finalize()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		names = append(names, name)
		ratios[name] = r.plain.Seconds() / r.batched.Seconds()
		pairs := float64(*images * *steps)
		rows = append(rows,
			[]string{name, label, "batched", fmt.Sprint(r.batchedExecs), fmt.Sprintf("%.2f", r.batched.Seconds()), fmt.Sprintf("%.0f", pairs/r.batched.Seconds()), fmt.Sprintf("%.3g%%", 100*r.completeness), ""},
			[]string{name, label, "plain", fmt.Sprint(r.plainExecs), fmt.Sprintf("%.2f", r.plain.Seconds()), fmt.Sprintf("%.0f", pairs/r.plain.Seconds()), "", fmt.Sprintf("%.2g", r.diff)})
	}
	if len(names) == 0 {
		return fmt.Errorf("no backend ran")
	}
	table(out, []string{"backend", "", "variant", "executions", "seconds", "pairs/s", "completeness (worst)", "max diff vs batched"}, rows)
	fmt.Fprintln(out, "(completeness: worst |Σ attributions − (f(x) − f(0))| / |f(x) − f(0)|; max diff: max |plain − batched| / max |batched| over all attributions)")
	worst := math.Inf(1)
	var each []string
	for _, n := range names {
		worst = min(worst, ratios[n])
		each = append(each, fmt.Sprintf("%s=%.2f", n, ratios[n]))
	}
	fmt.Fprintf(out, "saliency: batched/plain=%.2f (the lowest of %s)\n", worst, strings.Join(each, " "))
	return nil
}

type saliencyTimes struct {
	batched, plain           time.Duration
	batchedExecs, plainExecs int
	completeness, diff       float64
}

// saliencyOn times both computations on one backend.
func saliencyOn(backend compute.Backend, images, steps, batch, group, trainSteps int) (saliencyTimes, error) {
	var r saliencyTimes
	s, err := demo.DigitsCNN(backend, demo.Config{LearningRate: 0.003})
	if err != nil {
		return r, err
	}
	defer s.Finalize()
	if trainSteps > 0 {
		if err := s.Train(trainSteps); err != nil {
			return r, err
		}
	}
	var pixels []float32
	for _, split := range []string{"validation", "train"} {
		x, _, err := s.Examples(split)
		if err != nil {
			return r, err
		}
		pixels = append(pixels, tensors.MustCopyFlatData[float32](x)...)
	}
	const d = 64
	if images*d > len(pixels) {
		return r, fmt.Errorf("-images %d: the digits have %d", images, len(pixels)/d)
	}
	pixels = pixels[:images*d]
	opts := saliency.Options{Method: saliency.IntegratedGradients, Steps: steps, BatchSize: batch}

	e, err := saliency.New(backend, s.Store, s.ModelGraph)
	if err != nil {
		return r, err
	}
	defer e.Finalize()
	p, err := newPlainIG(backend, s.Store, s.ModelGraph)
	if err != nil {
		return r, err
	}
	defer p.finalize()

	batched := func(x []float32) (*saliency.Result, error) {
		return e.Compute(tensors.FromFlatDataAndDimensions(slices.Clone(x), len(x)/d, d), opts)
	}
	plainRun := func(x []float32) ([]float32, int, error) {
		var attrs []float32
		execs := 0
		for i := 0; i < len(x); i += d {
			a, n, err := p.explain(x[i:i+d], steps)
			if err != nil {
				return nil, 0, err
			}
			attrs = append(attrs, a...)
			execs += n
		}
		return attrs, execs, nil
	}
	// Warm-up: compiles the graphs of every shape the timed runs use (a group's batches,
	// and the last group's when it is smaller).
	if _, err := batched(pixels[:min(group, images)*d]); err != nil {
		return r, err
	}
	if last := images % group; last != 0 && images > group {
		if _, err := batched(pixels[:last*d]); err != nil {
			return r, err
		}
	}
	if _, _, err := plainRun(pixels[:d]); err != nil {
		return r, err
	}

	var attrBatched, attrPlain []float32
	for g, start := 0, 0; start < images; g, start = g+1, start+group {
		x := pixels[start*d : min(images, start+group)*d]
		for k := range 2 {
			t0 := time.Now()
			if (g+k)%2 == 0 {
				res, err := batched(x)
				if err != nil {
					return r, err
				}
				r.batched += time.Since(t0)
				r.batchedExecs += res.Executions
				attrBatched = append(attrBatched, res.Attributions...)
				worst, _ := res.MaxRelError()
				r.completeness = max(r.completeness, worst)
			} else {
				attrs, execs, err := plainRun(x)
				if err != nil {
					return r, err
				}
				r.plain += time.Since(t0)
				r.plainExecs += execs
				attrPlain = append(attrPlain, attrs...)
			}
		}
	}
	var diff, scale float64
	for j, a := range attrBatched {
		diff = max(diff, math.Abs(float64(attrPlain[j]-a)))
		scale = max(scale, math.Abs(float64(a)))
	}
	r.diff = diff / scale
	return r, nil
}

// plainIG is integrated gradients as a textbook loop: one execution per step.
type plainIG struct {
	forward, grad *model.Exec
}

func newPlainIG(backend compute.Backend, store *model.Store, fn saliency.ModelFn) (*plainIG, error) {
	forward, err := model.NewExec(backend, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return graph.ArgMax(fn(scope, x), -1)
	})
	if err != nil {
		return nil, err
	}
	grad, err := model.NewExec(backend, store, func(scope *model.Scope, point, target *graph.Node) *graph.Node {
		logits := fn(scope, point)
		onehot := graph.OneHot(target, logits.Shape().Dimensions[1], logits.DType())
		return graph.Gradient(graph.ReduceAllSum(graph.Mul(logits, onehot)), point)[0]
	})
	if err != nil {
		forward.Finalize()
		return nil, err
	}
	return &plainIG{forward: forward, grad: grad}, nil
}

func (p *plainIG) finalize() {
	p.forward.Finalize()
	p.grad.Finalize()
}

// explain returns the attributions of one image x and the executions it took.
func (p *plainIG) explain(x []float32, steps int) ([]float32, int, error) {
	outs, err := p.forward.Exec(tensors.FromFlatDataAndDimensions(slices.Clone(x), 1, len(x)))
	if err != nil {
		return nil, 0, err
	}
	target := tensors.MustCopyFlatData[int32](outs[0])
	_ = outs[0].FinalizeAll()
	sum := make([]float32, len(x))
	for k := range steps {
		alpha := float32((float64(k) + 0.5) / float64(steps))
		point := make([]float32, len(x))
		for j, v := range x {
			point[j] = alpha * v
		}
		outs, err := p.grad.Exec(tensors.FromFlatDataAndDimensions(point, 1, len(x)), tensors.FromFlatDataAndDimensions(target, 1))
		if err != nil {
			return nil, 0, err
		}
		g := tensors.MustCopyFlatData[float32](outs[0])
		_ = outs[0].FinalizeAll()
		for j := range g {
			sum[j] += g[j]
		}
	}
	for j := range sum {
		sum[j] = sum[j] / float32(steps) * x[j]
	}
	return sum, 1 + steps, nil
}
