// SPDX-License-Identifier: Apache-2.0

// Package capture records what happens inside a GoMLX model while it trains: histograms,
// moments and norms of its weights, gradients and activations, on a schedule, into a run
// directory (package runs) and memory. Package charts draws what it recorded; Diagnose
// names vanishing or exploding gradients, stalled updates and dead layers.
//
//	c, err := capture.New(capture.Options{Gradients: schedule.EverySteps(100)})
//	trainer := train.NewTrainer(backend, store, modelFn, lossFn, c.Optimizer(optimizer.Adam().Done()), nil, nil)
//	loop := train.NewLoop(trainer)
//	err = c.Attach(loop)
//	_, err = loop.RunSteps(c.Dataset(trainDS), 2000)
//	err = c.Close()
//	chart, err := charts.GradientHealth(c.Snapshots(capture.KindGradients), charts.GradientHealthOptions{})
//
// Weights and gradients need no marking. Activations are the outputs of the layers the
// model function marks, with one call after each layer:
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
//
// # Reading a capture back
//
// The snapshots are in the run directory, so a later cell of a notebook (a new process)
// or another program reads them with Read; runs.Latest finds the newest run, the one an
// earlier cell trained when it gave no RunDir:
//
//	meta, err := runs.Latest("") // the default root, $GONBVIZ_RUNS or gonbviz-runs in the temp dir
//	snaps, _, err := capture.Read(meta.Dir)
//	chart, err := charts.GradientHealth(capture.OfKind(snaps, capture.KindGradients), charts.GradientHealthOptions{})
package capture

import (
	"sync"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// tapper is what a capture registers for a Store: it decides, per graph, whether and how
// an activation is recorded. Capture implements it.
type tapper interface {
	// tapActivation is called at graph-building time for every Activation call on the
	// Store. It returns the node to use in place of x (x itself, as a rule).
	tapActivation(scope *model.Scope, name string, x *graph.Node) *graph.Node
}

// The Store -> tapper registry; a map rather than a Store parameter, because Store
// parameters are saved with checkpoints and a tapper is not data.
var (
	mu      sync.RWMutex
	tappers = map[*model.Store]tapper{}
)

// Register makes t the tapper of store (nil removes it). A Store has at most one.
func register(store *model.Store, t tapper) {
	mu.Lock()
	defer mu.Unlock()
	if t == nil {
		delete(tappers, store)
		return
	}
	tappers[store] = t
}

// Registered returns the tapper of store, or nil.
func registered(store *model.Store) tapper {
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
	t := registered(scope.Store())
	if t == nil {
		return x
	}
	if name == "" {
		name = "/"
	}
	return t.tapActivation(scope, name, x)
}
