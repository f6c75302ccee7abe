// SPDX-License-Identifier: Apache-2.0

// Package capture marks the tensors inside a GoMLX model that gonbviz may record while
// training: the output of each layer (its activations). Weights and gradients need no
// marking; see notebookviz.NewCapture, which records all three and draws them.
//
// Put one call after each layer of the model function:
//
//	func model(scope *model.Scope, x *graph.Node) *graph.Node {
//		x = layers.DenseWithBias(scope.In("dense0"), x, 128)
//		x = activation.Relu(x)
//		x = capture.Activation(scope.In("dense0"), x) // recorded as "/dense0"
//		...
//	}
//
// Activation returns x unchanged and adds nothing to the graph unless a capture is
// attached to the model's Store, so the call can stay in the model for good: evaluation
// graphs, inference executors and stores without a capture are never touched.
package capture

import (
	"sync"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Tapper is what a capture registers for a Store: it decides, per graph, whether and how
// an activation is recorded. notebookviz.Capture implements it.
type Tapper interface {
	// TapActivation is called at graph-building time for every Activation call on the
	// Store. It returns the node to use in place of x (x itself, as a rule).
	TapActivation(scope *model.Scope, name string, x *graph.Node) *graph.Node
}

// The Store -> Tapper registry; a map rather than a Store parameter, because Store
// parameters are saved with checkpoints and a Tapper is not data.
var (
	mu      sync.RWMutex
	tappers = map[*model.Store]Tapper{}
)

// Register makes t the Tapper of store (nil removes it). A Store has at most one.
func Register(store *model.Store, t Tapper) {
	mu.Lock()
	defer mu.Unlock()
	if t == nil {
		delete(tappers, store)
		return
	}
	tappers[store] = t
}

// Registered returns the Tapper of store, or nil.
func Registered(store *model.Store) Tapper {
	mu.RLock()
	defer mu.RUnlock()
	return tappers[store]
}

// Activation marks x as the activation of the layer at scope, named after the scope's
// path ("/model/hidden_0"); see ActivationNamed to choose the name. It returns x.
func Activation(scope *model.Scope, x *graph.Node) *graph.Node {
	if scope == nil {
		return x
	}
	return ActivationNamed(scope, scope.Scope(), x)
}

// ActivationNamed is Activation with an explicit name for the layer.
func ActivationNamed(scope *model.Scope, name string, x *graph.Node) *graph.Node {
	if scope == nil || x == nil {
		return x
	}
	t := Registered(scope.Store())
	if t == nil {
		return x
	}
	if name == "" {
		name = "/"
	}
	return t.TapActivation(scope, name, x)
}
