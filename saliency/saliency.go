// SPDX-License-Identifier: Apache-2.0

// Package saliency says which parts of an input drove a GoMLX classifier's decision: it
// computes attributions (one value per input element) by automatic differentiation inside
// the GoMLX graph, on any backend (the pure-Go one, XLA on the CPU or a GPU).
//
//	res, err := saliency.Compute(backend, store, modelFn, images, saliency.Options{
//		Method: saliency.IntegratedGradients, // 64 steps from a black image by default
//	})
//	fmt.Println(res.Summary()) // the completeness check: sum of attributions vs f(x) − f(baseline)
//
// The model function is any GoMLX model function from a batch of inputs [batch, ...] to
// logits [batch, classes], called with the root scope of the Store that holds its trained
// variables (a Store without them gets the model's initial weights, as model.Exec gives).
// The target of each example is a chosen class, by default the predicted one; the
// differentiated output is its logit (Options.Output: or its softmax probability).
//
// # Methods
//
//   - Gradient: ∂f/∂x at the input (vanilla gradient, "saliency map").
//   - GradientTimesInput: x ⊙ ∂f/∂x.
//   - SmoothGrad: the mean gradient at Samples noisy copies of the input (Gaussian noise of
//     standard deviation Noise × the input's range, seeded: the same Seed gives the same
//     attributions on every run and backend).
//   - IntegratedGradients: (x − b) ⊙ ∫₀¹ ∂f/∂x(b + α(x − b)) dα, from the baseline b (zeros
//     by default) with the midpoint rule over Steps points. Its attributions add up to
//     f(x) − f(b) (completeness): Result.Completeness reports how closely, per example.
//
// # Batching
//
// Every method evaluates gradients at many points: (example, step) or (example, sample)
// pairs. One graph execution takes up to Options.BatchSize pairs at once: the interpolation
// points or noisy copies are built inside the graph from the examples, the gradients of all
// of them come from one backward pass, and they are summed over the steps inside the graph
// too, so that an execution returns one attribution per example. The last, partial batch is
// padded to the same shape (weight zero), so the graph is compiled once per call shape.
//
// # Errors
//
// Bad input (a nil backend, store, model function or inputs; inputs that are not float32 of
// rank 2 or more or that hold NaN or Inf; targets out of range; a baseline of the wrong
// size; negative steps or samples) gets one error naming the argument and what is expected.
// A panic in the model function or in GoMLX comes back as an error.
package saliency

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// ModelFn is a GoMLX model function: inputs [batch, ...] to logits [batch, classes]. The
// demo package's models (demo.CNN().Fn, a demo.Setup's ModelGraph) fit it, with a wrapper
// where they take a slice of inputs.
type ModelFn func(scope *model.Scope, x *graph.Node) *graph.Node

// Method is an attribution method.
type Method string

// The methods (see the package documentation).
const (
	Gradient            Method = "gradient"
	GradientTimesInput  Method = "gradient_x_input"
	SmoothGrad          Method = "smoothgrad"
	IntegratedGradients Method = "integrated_gradients"
)

// Methods lists the methods.
var Methods = []Method{Gradient, GradientTimesInput, SmoothGrad, IntegratedGradients}

// Title is the method's name for people: "gradient", "gradient × input", "SmoothGrad",
// "integrated gradients".
func (m Method) Title() string {
	switch m {
	case Gradient:
		return "gradient"
	case GradientTimesInput:
		return "gradient × input"
	case SmoothGrad:
		return "SmoothGrad"
	case IntegratedGradients:
		return "integrated gradients"
	}
	return string(m)
}

// Output is what is differentiated: the target class's logit or its probability.
type Output string

// Outputs.
const (
	Logit       Output = "logit"
	Probability Output = "probability"
)

// Defaults.
const (
	DefaultMethod    = IntegratedGradients
	DefaultOutput    = Logit
	DefaultSteps     = 64
	DefaultSamples   = 32
	DefaultNoise     = 0.15
	DefaultBatchSize = 256
)

// Options of Compute. The zero value is integrated gradients of the predicted class's logit,
// 64 steps from a zero baseline.
type Options struct {
	// Method; default IntegratedGradients.
	Method Method
	// Targets holds the class to explain for each example (len = number of examples); a
	// negative value means the predicted class. Nil: the predicted class of every example.
	Targets []int
	// Output differentiated: Logit (default) or Probability (softmax).
	Output Output
	// Steps of integrated gradients (midpoint rule); default 64.
	Steps int
	// Baseline of integrated gradients, flat and row-major: one input's values (shared by
	// every example) or one per example (the size of the inputs). Nil: zeros.
	Baseline []float32
	// Samples of SmoothGrad; default 32.
	Samples int
	// Noise of SmoothGrad: the noise's standard deviation as a fraction of each example's
	// range (max − min of its values; 1 where they are all equal). Default 0.15.
	Noise float64
	// Seed of SmoothGrad's noise.
	Seed uint64
	// BatchSize is the most (example, step) or (example, sample) pairs one graph execution
	// evaluates; default 256. Lower it for large inputs or models.
	BatchSize int
}

// Completeness of one example's integrated gradients: its attributions' sum against the
// difference of the model's output between the input and the baseline.
type Completeness struct {
	// Sum of the attributions.
	Sum float64
	// Delta is f(x) − f(baseline), f the target's logit or probability.
	Delta float64
	// RelError is |Sum − Delta| / |Delta| (|Sum − Delta| where Delta is 0).
	RelError float64
}

// Result holds the attributions of a batch of examples and how they came about.
type Result struct {
	Method Method
	Output Output
	// Shape of the inputs and of the attributions: [examples, ...].
	Shape []int
	// Inputs is a copy of the inputs, flat and row-major.
	Inputs []float32
	// Attributions, flat and row-major, in Shape.
	Attributions []float32
	// Targets holds the class explained, per example.
	Targets []int
	// Predicted holds the class of the highest logit, per example.
	Predicted []int
	// Probabilities holds the softmax of the logits at the input, per example and class.
	Probabilities [][]float64
	// Scores holds f at the input (the target's logit or probability), per example.
	Scores []float64
	// Steps of integrated gradients, Samples of SmoothGrad (0 for the other methods).
	Steps, Samples int
	// Baseline used by integrated gradients (flat, one value per input element of every
	// example); nil for the other methods.
	Baseline []float32
	// BaselineScores holds f at the baseline, per example (integrated gradients only).
	BaselineScores []float64
	// Completeness per example (integrated gradients only).
	Completeness []Completeness
	// Executions counts the graph executions that computed gradients.
	Executions int
	// Notes say what went wrong without stopping the computation (non-finite attributions).
	Notes []string
}

// Len is the number of examples.
func (r *Result) Len() int { return r.Shape[0] }

// Size is the number of input elements of one example.
func (r *Result) Size() int { return len(r.Attributions) / r.Shape[0] }

// Example returns the attributions of example i (a slice of Attributions, not a copy).
func (r *Result) Example(i int) []float32 {
	d := r.Size()
	return r.Attributions[i*d : (i+1)*d]
}

// Input returns the input of example i (a slice of Inputs, not a copy).
func (r *Result) Input(i int) []float32 {
	d := r.Size()
	return r.Inputs[i*d : (i+1)*d]
}

// MaxRelError is the worst completeness error of integrated gradients and its example;
// (NaN, -1) for the other methods.
func (r *Result) MaxRelError() (relError float64, example int) {
	if len(r.Completeness) == 0 {
		return math.NaN(), -1
	}
	relError, example = -1, -1
	for i, c := range r.Completeness {
		if !(c.RelError <= relError) { // NaN wins
			relError, example = c.RelError, i
		}
	}
	return relError, example
}

// Summary is one line: the method, its parameters and, for integrated gradients, the
// completeness check, e.g. "integrated gradients from zeros of the target's logit, 64 steps,
// 256 examples in 16 executions: sum of attributions = f(x) − f(baseline) within 0.21%
// (worst: example 17, 9.63 vs 9.65)".
func (r *Result) Summary() string {
	var b strings.Builder
	b.WriteString(r.Method.Title())
	if r.Method == IntegratedGradients {
		if slices.ContainsFunc(r.Baseline, func(v float32) bool { return v != 0 }) {
			b.WriteString(" from the given baseline")
		} else {
			b.WriteString(" from zeros")
		}
	}
	fmt.Fprintf(&b, " of the target's %s", r.Output)
	switch r.Method {
	case IntegratedGradients:
		fmt.Fprintf(&b, ", %d steps", r.Steps)
	case SmoothGrad:
		fmt.Fprintf(&b, ", %d samples", r.Samples)
	}
	fmt.Fprintf(&b, ", %d examples in %d executions", r.Len(), r.Executions)
	if e, i := r.MaxRelError(); i >= 0 {
		fmt.Fprintf(&b, ": sum of attributions = f(x) − f(baseline) within %.3g%% (worst: example %d, %.4g vs %.4g)",
			100*e, i, r.Completeness[i].Sum, r.Completeness[i].Delta)
	}
	for _, n := range r.Notes {
		b.WriteString("; ")
		b.WriteString(n)
	}
	return b.String()
}

// Compute computes the attributions of inputs (float32, [examples, ...]) for the model fn
// whose variables are in store, on backend. It compiles its graphs for this call; an
// Explainer keeps them for the next calls.
func Compute(backend compute.Backend, store *model.Store, fn ModelFn, inputs *tensors.Tensor, opts Options) (*Result, error) {
	e, err := New(backend, store, fn)
	if err != nil {
		return nil, err
	}
	defer e.Finalize()
	return e.Compute(inputs, opts)
}
