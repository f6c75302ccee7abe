// SPDX-License-Identifier: Apache-2.0

package capture

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/support/exceptions"
)

// captureOptimizer computes the gradients itself (as GoMLX's optimizers do), lets the
// capture tap them, hands them to the wrapped optimizer, and then measures each update
// against the weights it changed.
type captureOptimizer struct {
	inner optimizer.Interface
	c     *Capture
}

var _ train.OptimizeWithGradients = (*captureOptimizer)(nil)

// UpdateGraph implements optimizer.Interface.
func (o *captureOptimizer) UpdateGraph(scope *model.Scope, g *graph.Graph, loss *graph.Node) {
	c := o.c
	if !c.tapsOn() { // a gated capture's plain training graph
		o.inner.UpdateGraph(scope, g, loss)
		return
	}
	// Every tap of this graph is made by the time this returns.
	if c.onDevice {
		defer batchSummaries(g)
	} else {
		defer batchRaw(g)
	}
	// A step graph of a gated capture (or any on the device) also records the new weights and
	// measures the updates, in the graph: on the host, that would take a copy of every
	// weight the step before and another after.
	c.mu.Lock()
	inGraph := c.onDevice || c.gated
	c.mu.Unlock()
	withGrads, ok := o.inner.(train.OptimizeWithGradients)
	// On the device, the weights are summarised in the training graph, after the update.
	weightsHere := inGraph && !c.opts.Weights.IsNever()
	if !ok || c.opts.Gradients.IsNever() {
		if !ok {
			c.mu.Lock()
			c.noteLocked("gradients not recorded: the optimizer does not implement train.OptimizeWithGradients (GoMLX's SGD, Adam and RMSProp do)")
			c.mu.Unlock()
		}
		o.inner.UpdateGraph(scope, g, loss)
		if weightsHere {
			c.tapWeights(scope, g)
		}
		return
	}
	if !loss.Shape().IsScalar() {
		exceptions.Panicf("capture: the optimizer needs a scalar loss, got shape %s", loss.Shape())
	}
	// The same variables, in the same order, as Scope.BuildTrainableVariablesGradientsGraph.
	var vars []*model.Variable
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			vars = append(vars, v)
		}
	}
	before := make([]*graph.Node, len(vars))
	for i, v := range vars {
		before[i] = v.NodeValue(g)
	}
	grads := scope.BuildTrainableVariablesGradientsGraph(loss)
	for i, grad := range grads {
		if i < len(vars) {
			c.tap(KindGradients, vars[i].Path(), grad)
		}
	}
	withGrads.UpdateGraphWithGradients(scope, grads, loss.DType())
	if weightsHere {
		c.tapWeights(scope, g)
	}

	// Update and weight norms computed in the graph: two float64 per variable, a few
	// reductions; otherwise they come from a host copy of the weights taken the step before.
	if !inGraph {
		return
	}
	var norms []*graph.Node
	names := make([]string, 0, len(vars))
	for i, v := range vars {
		if !before[i].DType().IsFloat() {
			continue
		}
		after := v.NodeValue(g)
		norm := func(x *graph.Node) *graph.Node {
			x = graph.ConvertDType(x, dtypes.Float64)
			return graph.Reshape(graph.Sqrt(graph.ReduceAllSum(graph.Square(x))), 1)
		}
		norms = append(norms, norm(graph.Sub(after, before[i])), norm(before[i]))
		names = append(names, v.Path())
	}
	if len(norms) > 0 {
		graph.Concatenate(norms, 0).SetLogged(tapUpdate)
		c.mu.Lock()
		c.updateNames = names
		c.mu.Unlock()
	}
}

// tapWeights summarises every trainable variable's new value in the graph.
func (c *Capture) tapWeights(scope *model.Scope, g *graph.Graph) {
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			c.tap(KindWeights, v.Path(), v.NodeValue(g))
		}
	}
	c.mu.Lock()
	c.weightsInGraph = true
	c.mu.Unlock()
}

// UpdateGraphWithGradients implements train.OptimizeWithGradients (gradient
// accumulation): the gradients are passed through unrecorded.
func (o *captureOptimizer) UpdateGraphWithGradients(scope *model.Scope, grads []*graph.Node, lossDType dtypes.DType) {
	withGrads, ok := o.inner.(train.OptimizeWithGradients)
	if !ok {
		exceptions.Panicf("capture: the wrapped optimizer %T does not implement train.OptimizeWithGradients, needed to accumulate gradients", o.inner)
	}
	withGrads.UpdateGraphWithGradients(scope, grads, lossDType)
}

// Clear implements optimizer.Interface.
func (o *captureOptimizer) Clear(scope *model.Scope) error { return o.inner.Clear(scope) }
