// SPDX-License-Identifier: Apache-2.0

package saliency

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Explainer computes attributions for one model, keeping its compiled graphs from one call
// of Compute to the next (one per shape of the batches). It is not safe for concurrent use.
type Explainer struct {
	backend compute.Backend
	store   *model.Store
	fn      ModelFn
	// forward gives the logits; interp the summed gradients at interpolation points
	// (integrated gradients, and the gradient itself as one point at α = 1); noisy the summed
	// gradients at noisy copies (SmoothGrad). The gradient graphs are made on first use, one
	// per Output.
	forward       *model.Exec
	interp, noisy map[Output]*model.Exec
	finalized     bool
}

// New returns an Explainer of the model fn, whose variables are in store, on backend.
func New(backend compute.Backend, store *model.Store, fn ModelFn) (*Explainer, error) {
	switch {
	case backend == nil:
		return nil, errors.New("saliency: backend is nil; pass the backend the model was trained on (e.g. demo.Backend())")
	case store == nil:
		return nil, errors.New("saliency: store is nil; pass the model.Store that holds the model's variables")
	case fn == nil:
		return nil, errors.New("saliency: model function is nil; pass a func(scope *model.Scope, x *graph.Node) *graph.Node giving logits [batch, classes]")
	}
	e := &Explainer{backend: backend, store: store, fn: fn,
		interp: map[Output]*model.Exec{}, noisy: map[Output]*model.Exec{}}
	var err error
	if e.forward, err = model.NewExec(backend, store, e.forwardGraph); err != nil {
		return nil, fmt.Errorf("saliency: %w", err)
	}
	return e, nil
}

// gradExec returns the interpolation (noisy false) or SmoothGrad graph of output o.
func (e *Explainer) gradExec(noisy bool, o Output) (*model.Exec, error) {
	cache, build := e.interp, e.interpGraph
	if noisy {
		cache, build = e.noisy, e.noisyGraph
	}
	if x := cache[o]; x != nil {
		return x, nil
	}
	x, err := model.NewExec(e.backend, e.store, func(scope *model.Scope, in []*graph.Node) []*graph.Node {
		return build(scope, in, o == Probability)
	})
	if err != nil {
		return nil, fmt.Errorf("saliency: %w", err)
	}
	cache[o] = x
	return x, nil
}

// Finalize frees the compiled graphs. The Store and its variables are left alone.
func (e *Explainer) Finalize() {
	if e == nil || e.finalized {
		return
	}
	e.finalized = true
	e.forward.Finalize()
	for _, cache := range []map[Output]*model.Exec{e.interp, e.noisy} {
		for _, x := range cache {
			x.Finalize()
		}
	}
}

// logitsOf checks the model function's output: logits [batch, classes].
func (e *Explainer) logitsOf(scope *model.Scope, x *graph.Node) *graph.Node {
	logits := e.fn(scope, x)
	batch := x.Shape().Dimensions[0]
	if logits == nil || logits.Rank() != 2 || logits.Shape().Dimensions[0] != batch {
		got := "nil"
		if logits != nil {
			got = fmt.Sprintf("%s %v", strings.ToLower(logits.DType().String()), logits.Shape().Dimensions)
		}
		panic(&inputError{fmt.Sprintf("saliency: the model function returned %s for inputs %v; want logits [%d, classes]", got, x.Shape().Dimensions, batch)})
	}
	if logits.DType() != x.DType() {
		logits = graph.ConvertDType(logits, x.DType())
	}
	return logits
}

func (e *Explainer) forwardGraph(scope *model.Scope, x *graph.Node) *graph.Node {
	return e.logitsOf(scope, x)
}

// targetSum is Σ_{i,j} w_j f_t(points_ij): the differentiated output of a batch of
// points [n·k, ...] built from n examples and k steps or samples. onehot [n, C] selects
// each example's target (zero rows pad a batch); weights [k] weigh the steps (zeros pad).
func (e *Explainer) targetSum(scope *model.Scope, points, onehot, weights *graph.Node, probability bool) *graph.Node {
	n, k := onehot.Shape().Dimensions[0], weights.Shape().Dimensions[0]
	f := e.logitsOf(scope, points)
	if probability {
		f = graph.Softmax(f, -1)
	}
	c := f.Shape().Dimensions[1]
	if onehot.Shape().Dimensions[1] != c {
		panic(&inputError{fmt.Sprintf("saliency: the model function gives %d classes here but %d at the inputs", c, onehot.Shape().Dimensions[1])})
	}
	oh := graph.BroadcastToDims(graph.InsertAxes(onehot, 1), n, k, c)
	w := graph.BroadcastToDims(graph.Reshape(weights, 1, k, 1), n, k, c)
	sel := graph.Reshape(graph.Mul(oh, w), n*k, c)
	return graph.ReduceAllSum(graph.Mul(f, sel))
}

// sumGradients returns Σ_j w_j ∇f_t(points_ij) for each example i: [n, ...].
func sumGradients(out, points *graph.Node, n, k int) *graph.Node {
	grad := graph.Gradient(out, points)[0]
	dims := points.Shape().Dimensions[1:]
	return graph.ReduceSum(graph.Reshape(grad, append([]int{n, k}, dims...)...), 1)
}

// interpGraph: inputs x, base [n, ...], onehot [n, C], alphas, weights [k]; points
// base + α_j (x − base).
func (e *Explainer) interpGraph(scope *model.Scope, in []*graph.Node, probability bool) []*graph.Node {
	x, base, onehot, alphas, weights := in[0], in[1], in[2], in[3], in[4]
	n, k := x.Shape().Dimensions[0], alphas.Shape().Dimensions[0]
	dims := x.Shape().Dimensions[1:]
	full := append([]int{n, k}, dims...)
	ones := make([]int, len(dims))
	for i := range ones {
		ones[i] = 1
	}
	a := graph.BroadcastToDims(graph.Reshape(alphas, append([]int{1, k}, ones...)...), full...)
	diff := graph.BroadcastToDims(graph.InsertAxes(graph.Sub(x, base), 1), full...)
	b := graph.BroadcastToDims(graph.InsertAxes(base, 1), full...)
	points := graph.Reshape(graph.Add(b, graph.Mul(a, diff)), append([]int{n * k}, dims...)...)
	out := e.targetSum(scope, points, onehot, weights, probability)
	return []*graph.Node{sumGradients(out, points, n, k)}
}

// noisyGraph: inputs x [n, ...], noise [n, k, ...], onehot [n, C], weights [k]; points
// x + noise_j.
func (e *Explainer) noisyGraph(scope *model.Scope, in []*graph.Node, probability bool) []*graph.Node {
	x, noise, onehot, weights := in[0], in[1], in[2], in[3]
	n, k := x.Shape().Dimensions[0], weights.Shape().Dimensions[0]
	dims := x.Shape().Dimensions[1:]
	full := append([]int{n, k}, dims...)
	points := graph.Add(graph.BroadcastToDims(graph.InsertAxes(x, 1), full...), noise)
	points = graph.Reshape(points, append([]int{n * k}, dims...)...)
	out := e.targetSum(scope, points, onehot, weights, probability)
	return []*graph.Node{sumGradients(out, points, n, k)}
}

// Compute computes the attributions of inputs (float32, [examples, ...]); see the package
// documentation for the methods and Options for their parameters.
func (e *Explainer) Compute(inputs *tensors.Tensor, opts Options) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, panicError(r)
		}
	}()
	c, err := e.check(inputs, opts)
	if err != nil {
		return nil, err
	}
	res = &Result{Method: c.opts.Method, Output: c.opts.Output, Shape: slices.Clone(inputs.Shape().Dimensions), Inputs: c.x}
	n, d := c.n, c.d

	logits, classes, err := e.logits(c.x, n, c.dims, c.opts.BatchSize)
	if err != nil {
		return nil, err
	}
	res.Targets = make([]int, n)
	res.Predicted = make([]int, n)
	res.Probabilities = make([][]float64, n)
	res.Scores = make([]float64, n)
	for i := range n {
		row := logits[i*classes : (i+1)*classes]
		res.Predicted[i] = argmax(row)
		res.Probabilities[i] = softmax(row)
		res.Targets[i] = res.Predicted[i]
		if c.opts.Targets != nil && c.opts.Targets[i] >= 0 {
			if c.opts.Targets[i] >= classes {
				return nil, fmt.Errorf("saliency: Options.Targets[%d] = %d, but the model has %d classes; want 0..%d, or -1 for the predicted class", i, c.opts.Targets[i], classes, classes-1)
			}
			res.Targets[i] = c.opts.Targets[i]
		}
		res.Scores[i] = score(row, res.Probabilities[i], res.Targets[i], c.opts.Output)
	}
	onehot := make([]float32, n*classes)
	for i, t := range res.Targets {
		onehot[i*classes+t] = 1
	}

	var grads []float32
	switch c.opts.Method {
	case Gradient, GradientTimesInput:
		grads, res.Executions, err = e.interpolated(c, make([]float32, n*d), onehot, classes, []float32{1}, []float32{1})
	case IntegratedGradients:
		res.Steps = c.opts.Steps
		res.Baseline = make([]float32, n*d)
		for i := range n {
			if len(c.opts.Baseline) == d {
				copy(res.Baseline[i*d:], c.opts.Baseline)
			} else if c.opts.Baseline != nil {
				copy(res.Baseline[i*d:(i+1)*d], c.opts.Baseline[i*d:])
			}
		}
		alphas, weights := midpoint(c.opts.Steps)
		grads, res.Executions, err = e.interpolated(c, res.Baseline, onehot, classes, alphas, weights)
	case SmoothGrad:
		res.Samples = c.opts.Samples
		grads, res.Executions, err = e.smoothed(c, onehot, classes)
	}
	if err != nil {
		return nil, err
	}

	res.Attributions = grads
	switch c.opts.Method {
	case GradientTimesInput:
		for j := range grads {
			grads[j] *= c.x[j]
		}
	case IntegratedGradients:
		for j := range grads {
			grads[j] *= c.x[j] - res.Baseline[j]
		}
		if err := e.completeness(res, c, classes); err != nil {
			return nil, err
		}
	}
	if bad := nonFinite(res.Attributions, d); len(bad) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("the attributions of %d examples (first: %d) hold NaN or Inf", len(bad), bad[0]))
	}
	return res, nil
}

// completeness evaluates f at the baselines and fills BaselineScores and Completeness.
func (e *Explainer) completeness(res *Result, c checked, classes int) error {
	logits, _, err := e.logits(res.Baseline, c.n, c.dims, c.opts.BatchSize)
	if err != nil {
		return err
	}
	res.BaselineScores = make([]float64, c.n)
	res.Completeness = make([]Completeness, c.n)
	for i := range c.n {
		row := logits[i*classes : (i+1)*classes]
		res.BaselineScores[i] = score(row, softmax(row), res.Targets[i], c.opts.Output)
		var sum float64
		for _, a := range res.Example(i) {
			sum += float64(a)
		}
		delta := res.Scores[i] - res.BaselineScores[i]
		rel := math.Abs(sum - delta)
		if delta != 0 {
			rel /= math.Abs(delta)
		}
		res.Completeness[i] = Completeness{Sum: sum, Delta: delta, RelError: rel}
	}
	return nil
}

// checked is Compute's validated input.
type checked struct {
	opts Options
	x    []float32
	n, d int
	dims []int // of one example
}

func (e *Explainer) check(inputs *tensors.Tensor, opts Options) (checked, error) {
	var c checked
	if e == nil || e.forward == nil || e.finalized {
		return c, errors.New("saliency: the Explainer is nil or finalized; make one with saliency.New")
	}
	if inputs == nil {
		return c, errors.New("saliency: inputs is nil; pass a float32 tensor [examples, ...]")
	}
	shape := inputs.Shape()
	if shape.DType != dtypes.Float32 {
		return c, fmt.Errorf("saliency: inputs are %s %v; want float32 [examples, ...] (convert the values to float32)", strings.ToLower(shape.DType.String()), shape.Dimensions)
	}
	if shape.Rank() < 2 || shape.Dimensions[0] < 1 || shape.Size() == 0 {
		return c, fmt.Errorf("saliency: inputs have shape %v; want float32 [examples, ...] with at least one example and one value each", shape.Dimensions)
	}
	if opts.Method == "" {
		opts.Method = DefaultMethod
	}
	if !slices.Contains(Methods, opts.Method) {
		return c, fmt.Errorf("saliency: Options.Method %q is unknown; valid: %v", opts.Method, Methods)
	}
	if opts.Output == "" {
		opts.Output = DefaultOutput
	}
	if opts.Output != Logit && opts.Output != Probability {
		return c, fmt.Errorf("saliency: Options.Output %q is unknown; valid: %q, %q", opts.Output, Logit, Probability)
	}
	for _, p := range []struct {
		name string
		v    *int
		def  int
	}{{"Steps", &opts.Steps, DefaultSteps}, {"Samples", &opts.Samples, DefaultSamples}, {"BatchSize", &opts.BatchSize, DefaultBatchSize}} {
		if *p.v < 0 {
			return c, fmt.Errorf("saliency: Options.%s is %d; want a positive number, or 0 for the default (%d)", p.name, *p.v, p.def)
		}
		if *p.v == 0 {
			*p.v = p.def
		}
	}
	if opts.Noise == 0 {
		opts.Noise = DefaultNoise
	}
	if !(opts.Noise > 0) || math.IsInf(opts.Noise, 0) {
		return c, fmt.Errorf("saliency: Options.Noise is %g; want a positive fraction of the input's range (default %g)", opts.Noise, DefaultNoise)
	}
	c.n = shape.Dimensions[0]
	c.d = shape.Size() / c.n
	c.dims = slices.Clone(shape.Dimensions[1:])
	if opts.Targets != nil && len(opts.Targets) != c.n {
		return c, fmt.Errorf("saliency: Options.Targets has %d values for %d examples; want one class per example (-1: the predicted class), or nil", len(opts.Targets), c.n)
	}
	if opts.Baseline != nil {
		if opts.Method != IntegratedGradients {
			return c, fmt.Errorf("saliency: Options.Baseline is for %s only, not %s", IntegratedGradients.Title(), opts.Method.Title())
		}
		if len(opts.Baseline) != c.d && len(opts.Baseline) != c.n*c.d {
			return c, fmt.Errorf("saliency: Options.Baseline has %d values; want %d (one input %v, shared) or %d (one per example)", len(opts.Baseline), c.d, c.dims, c.n*c.d)
		}
		if i := firstNonFinite(opts.Baseline); i >= 0 {
			return c, fmt.Errorf("saliency: Options.Baseline[%d] is %g; want finite values", i, opts.Baseline[i])
		}
	}
	c.opts = opts
	x, err := tensors.CopyFlatData[float32](inputs)
	if err != nil {
		return c, fmt.Errorf("saliency: reading inputs: %w", err)
	}
	if i := firstNonFinite(x); i >= 0 {
		return c, fmt.Errorf("saliency: inputs hold %g at example %d (flat index %d); want finite values", x[i], i/c.d, i)
	}
	c.x = x
	return c, nil
}

// logits runs the model on n examples (flat x, each of shape dims) in batches of at most
// batch examples; it returns the logits, flat [n, classes], and the number of classes.
func (e *Explainer) logits(x []float32, n int, dims []int, batch int) ([]float32, int, error) {
	d := len(x) / n
	rows := min(n, batch)
	var out []float32
	classes := 0
	buf := make([]float32, rows*d)
	for start := 0; start < n; start += rows {
		m := min(rows, n-start)
		clear(buf)
		copy(buf, x[start*d:(start+m)*d])
		res, err := e.run(e.forward, tensors.FromFlatDataAndDimensions(buf, append([]int{rows}, dims...)...))
		if err != nil {
			return nil, 0, err
		}
		classes = len(res[0]) / rows
		out = append(out, res[0][:m*classes]...)
	}
	return out, classes, nil
}

// run executes exec on args (freed after) and copies its outputs to the host.
func (e *Explainer) run(exec *model.Exec, args ...*tensors.Tensor) (outs [][]float32, err error) {
	defer func() {
		for _, a := range args {
			_ = a.FinalizeAll()
		}
		if r := recover(); r != nil {
			outs, err = nil, panicError(r)
		}
	}()
	anyArgs := make([]any, len(args))
	for i, a := range args {
		anyArgs[i] = a
	}
	results, err := exec.Exec(anyArgs...)
	if err != nil {
		return nil, execError(err)
	}
	for _, r := range results {
		v, err := tensors.CopyFlatData[float32](r)
		_ = r.FinalizeAll()
		if err != nil {
			return nil, fmt.Errorf("saliency: %w", err)
		}
		outs = append(outs, v)
	}
	return outs, nil
}

// plan splits n examples × m steps into executions of at most batch pairs: rows examples
// and cols steps each.
func plan(n, m, batch int) (rows, cols int) {
	if m >= batch {
		return 1, min(m, batch)
	}
	return max(1, min(n, batch/m)), m
}

// interpolated sums the weighted gradients at base + α(x − base) over the steps, for every
// example: [n·d].
func (e *Explainer) interpolated(c checked, base, onehot []float32, classes int, alphas, weights []float32) ([]float32, int, error) {
	n, d, m := c.n, c.d, len(alphas)
	rows, cols := plan(n, m, c.opts.BatchSize)
	out := make([]float32, n*d)
	xb, bb, ob := make([]float32, rows*d), make([]float32, rows*d), make([]float32, rows*classes)
	ab, wb := make([]float32, cols), make([]float32, cols)
	shape := append([]int{rows}, c.dims...)
	exec, err := e.gradExec(false, c.opts.Output)
	if err != nil {
		return nil, 0, err
	}
	execs := 0
	for start := 0; start < n; start += rows {
		r := min(rows, n-start)
		clear(xb)
		clear(bb)
		clear(ob)
		copy(xb, c.x[start*d:(start+r)*d])
		copy(bb, base[start*d:(start+r)*d])
		copy(ob, onehot[start*classes:(start+r)*classes])
		for s := 0; s < m; s += cols {
			clear(ab)
			clear(wb)
			copy(ab, alphas[s:])
			copy(wb, weights[s:])
			res, err := e.run(exec,
				tensors.FromFlatDataAndDimensions(slices.Clone(xb), shape...),
				tensors.FromFlatDataAndDimensions(slices.Clone(bb), shape...),
				tensors.FromFlatDataAndDimensions(slices.Clone(ob), rows, classes),
				tensors.FromFlatDataAndDimensions(slices.Clone(ab), cols),
				tensors.FromFlatDataAndDimensions(slices.Clone(wb), cols))
			if err != nil {
				return nil, execs, err
			}
			execs++
			for j, g := range res[0][:r*d] {
				out[start*d+j] += g
			}
		}
	}
	return out, execs, nil
}

// smoothed averages the gradients at Samples noisy copies of every example: [n·d]. The
// noise of example i, sample s comes from its own stream (Seed, i·Samples + s), so that it
// does not depend on how the pairs are batched.
func (e *Explainer) smoothed(c checked, onehot []float32, classes int) ([]float32, int, error) {
	n, d, m := c.n, c.d, c.opts.Samples
	rows, cols := plan(n, m, c.opts.BatchSize)
	out := make([]float32, n*d)
	ob := make([]float32, rows*classes)
	wb := make([]float32, cols)
	shape := append([]int{rows}, c.dims...)
	noiseShape := append([]int{rows, cols}, c.dims...)
	exec, err := e.gradExec(true, c.opts.Output)
	if err != nil {
		return nil, 0, err
	}
	execs := 0
	for start := 0; start < n; start += rows {
		r := min(rows, n-start)
		xb := make([]float32, rows*d)
		copy(xb, c.x[start*d:(start+r)*d])
		clear(ob)
		copy(ob, onehot[start*classes:(start+r)*classes])
		for s := 0; s < m; s += cols {
			noise := make([]float32, rows*cols*d)
			for i := range r {
				ex := c.x[(start+i)*d : (start+i+1)*d]
				sigma := float64(slices.Max(ex) - slices.Min(ex))
				if sigma == 0 {
					sigma = 1
				}
				sigma *= c.opts.Noise
				for j := 0; j < cols && s+j < m; j++ {
					rng := rand.New(rand.NewPCG(c.opts.Seed, uint64(start+i)*uint64(m)+uint64(s+j)))
					dst := noise[(i*cols+j)*d : (i*cols+j+1)*d]
					for k := range dst {
						dst[k] = float32(sigma * rng.NormFloat64())
					}
				}
			}
			clear(wb)
			for j := 0; j < cols && s+j < m; j++ {
				wb[j] = 1 / float32(m)
			}
			res, err := e.run(exec,
				tensors.FromFlatDataAndDimensions(slices.Clone(xb), shape...),
				tensors.FromFlatDataAndDimensions(noise, noiseShape...),
				tensors.FromFlatDataAndDimensions(slices.Clone(ob), rows, classes),
				tensors.FromFlatDataAndDimensions(slices.Clone(wb), cols))
			if err != nil {
				return nil, execs, err
			}
			execs++
			for j, g := range res[0][:r*d] {
				out[start*d+j] += g
			}
		}
	}
	return out, execs, nil
}

// midpoint gives the points and weights of the midpoint rule on [0, 1] with m intervals.
func midpoint(m int) (alphas, weights []float32) {
	alphas, weights = make([]float32, m), make([]float32, m)
	for j := range m {
		alphas[j] = float32((float64(j) + 0.5) / float64(m))
		weights[j] = float32(1 / float64(m))
	}
	return alphas, weights
}

func argmax(row []float32) int {
	best := 0
	for i, v := range row {
		if v > row[best] {
			best = i
		}
	}
	return best
}

func softmax(row []float32) []float64 {
	p := make([]float64, len(row))
	hi := float64(slices.Max(row))
	var sum float64
	for i, v := range row {
		p[i] = math.Exp(float64(v) - hi)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

func score(logits []float32, probs []float64, target int, o Output) float64 {
	if o == Probability {
		return probs[target]
	}
	return float64(logits[target])
}

func firstNonFinite(x []float32) int {
	for i, v := range x {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return i
		}
	}
	return -1
}

// nonFinite lists the examples (of d values each) holding NaN or Inf.
func nonFinite(x []float32, d int) []int {
	var bad []int
	for i := 0; i*d < len(x); i++ {
		if firstNonFinite(x[i*d:(i+1)*d]) >= 0 {
			bad = append(bad, i)
		}
	}
	return bad
}

// inputError is a problem with the model function found while building a graph; it
// reaches the caller as it is, without GoMLX's wrapping.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

// execError words a failed graph execution or compilation.
func execError(err error) error {
	var ie *inputError
	if errors.As(err, &ie) {
		return ie
	}
	msg := err.Error()
	if strings.Contains(msg, "SelectAndScatter") {
		return fmt.Errorf("saliency: this backend cannot differentiate the model: its max pooling (graph.MaxPool) needs SelectAndScatter, which the Go backend lacks; run on XLA (bash scripts/setup-xla.sh), or write the pool as a reshape and graph.ReduceMax (as demo.CNNGraph does): %w", err)
	}
	if _, cause, ok := strings.Cut(msg, "panicked: "); ok { // GoMLX's wrapping of a panic while building the graph
		return fmt.Errorf("saliency: building the graph of the model function: %s", cause)
	}
	return fmt.Errorf("saliency: running the model function: %w", err)
}

// panicError turns a recovered panic (the model function's, or GoMLX's) into an error.
func panicError(r any) error {
	if err, ok := r.(error); ok {
		return execError(err)
	}
	return fmt.Errorf("saliency: %v", r)
}
