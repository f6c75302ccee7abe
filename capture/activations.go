// SPDX-License-Identifier: Apache-2.0

package capture

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/support/exceptions"
)

// Activations runs modelFn once on inputs (inference: the store's current variables, no
// training step) and returns, by name, the whole value of every activation the model marks
// with Activation (or ActivationNamed), as host tensors: the feature maps of a
// convolutional layer for one image, for charts.FeatureMaps. The model's own outputs come
// back in outputs. With a Capture attached to the store, the capture records nothing of
// this run.
//
// modelFn is the model function the store's variables were trained with (the same scopes);
// a variable it creates that the store lacks is initialised as the store would initialise
// it. Marks inside graph constructs that GoMLX builds more than once are recorded once per
// name, the first.
func Activations(backend compute.Backend, store *model.Store, modelFn func(scope *model.Scope, inputs []*graph.Node) []*graph.Node,
	inputs ...*tensors.Tensor) (activations map[string]*tensors.Tensor, outputs []*tensors.Tensor, err error) {
	const fn = "capture.Activations"
	switch {
	case backend == nil:
		return nil, nil, fmt.Errorf("%s: backend is nil; pass the backend the model runs on", fn)
	case store == nil:
		return nil, nil, fmt.Errorf("%s: store is nil; pass the model's Store (its variables)", fn)
	case modelFn == nil:
		return nil, nil, fmt.Errorf("%s: modelFn is nil; pass the model function", fn)
	case len(inputs) == 0:
		return nil, nil, fmt.Errorf("%s: no inputs; pass the model's inputs, such as one image as a batch of one", fn)
	}
	for i, in := range inputs {
		if in == nil {
			return nil, nil, fmt.Errorf("%s: inputs[%d] is nil", fn, i)
		}
	}

	rec := &activationRecorder{prev: registered(store)}
	numOutputs := -1
	e := exceptions.TryCatch[error](func() {
		exec, err := model.NewExec(backend, store, func(scope *model.Scope, xs []*graph.Node) []*graph.Node {
			register(store, rec)
			defer register(store, rec.prev)
			outs := modelFn(scope, xs)
			numOutputs = len(outs)
			for _, name := range rec.names {
				outs = append(outs, rec.nodes[name])
			}
			return outs
		})
		if err != nil {
			panic(err)
		}
		defer exec.Finalize()
		args := make([]any, len(inputs))
		for i, in := range inputs {
			args[i] = in
		}
		results, err := exec.Exec(args...)
		if err != nil {
			panic(err)
		}
		outputs = results[:numOutputs]
		activations = make(map[string]*tensors.Tensor, len(rec.names))
		for i, name := range rec.names {
			activations[name] = results[numOutputs+i]
		}
	})
	if e != nil {
		return nil, nil, fmt.Errorf("%s: running the model: %w", fn, e)
	}
	if len(activations) == 0 {
		return nil, outputs, fmt.Errorf("%s: the model marks no activation; call capture.Activation(scope, x) after the layers to see", fn)
	}
	return activations, outputs, nil
}

// ActivationNames returns the names of activations, sorted, for messages and pickers.
func ActivationNames(activations map[string]*tensors.Tensor) []string {
	names := make([]string, 0, len(activations))
	for n := range activations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupActivation returns the activation called name, or an error that lists the names
// there are.
func LookupActivation(activations map[string]*tensors.Tensor, name string) (*tensors.Tensor, error) {
	if t, ok := activations[name]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("capture: no activation %q; the model marks %s", name, strings.Join(quoted(ActivationNames(activations)), ", "))
}

func quoted(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}

// activationRecorder is the tapper of one Activations run: it keeps the node of each name (the
// first, in the order the model marks them).
type activationRecorder struct {
	prev  tapper
	mu    sync.Mutex
	names []string
	nodes map[string]*graph.Node
}

func (r *activationRecorder) tapActivation(_ *model.Scope, name string, x *graph.Node) *graph.Node {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.nodes == nil {
		r.nodes = map[string]*graph.Node{}
	}
	if _, ok := r.nodes[name]; !ok {
		r.nodes[name] = x
		r.names = append(r.names, name)
	}
	return x
}
