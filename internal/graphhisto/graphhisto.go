// SPDX-License-Identifier: Apache-2.0

// Package graphhisto builds histogram summaries inside a GoMLX graph, so that on an
// accelerator only a few hundred numbers per tensor cross to the host: gonbviz's capture
// uses it on XLA devices, and internal/cmd/gpuhist times it against torch.histc.
package graphhisto

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// Layout of a summary vector (float64): these header entries, then the fineBins counts.
const (
	Count  = iota // finite values
	NaN           // NaN values
	PosInf        // +Inf values
	NegInf        // -Inf values
	Min           // smallest finite value
	Max           // largest finite value
	Sum           // sum of the finite values
	SumSq         // sum of their squares
	Dead          // activations: units <= 0 for the whole batch (-1 otherwise)
	Units         // activations: units per example (0 otherwise)
	Header        // number of header entries
)

// Summary builds the summary vector of x: counts and moments of its finite values, a
// histogram of fineBins equal-width bins over their min..max (a constant tensor puts
// everything in bin 0), and, for activations of rank 2 or more, the number of units that
// are <= 0 for every example (the first axis is the batch).
func Summary(x *graph.Node, fineBins int, activations bool) *graph.Node {
	g := x.Graph()
	fine := fineBins
	flat := graph.Reshape(x, -1)
	dt := flat.DType()
	finite := graph.IsFinite(flat)
	nan := graph.IsNaN(flat)
	pos := graph.And(graph.Not(finite), graph.GreaterThan(flat, graph.ScalarZero(g, dt)))
	negInf := graph.And(graph.Not(finite), graph.And(graph.Not(nan), graph.Not(pos)))
	count := func(b *graph.Node) *graph.Node {
		return graph.ReduceAllSum(graph.ConvertDType(b, dtypes.Float64))
	}
	zeros := graph.ZerosLike(flat)
	big := graph.Scalar(g, dt, math.MaxFloat32)
	mn := graph.ReduceAllMin(graph.Where(finite, flat, graph.BroadcastToShape(big, flat.Shape())))
	mx := graph.ReduceAllMax(graph.Where(finite, flat, graph.BroadcastToShape(graph.Neg(big), flat.Shape())))
	clean := graph.Where(finite, flat, zeros)
	sum := graph.ReduceAllSum(graph.ConvertDType(clean, dtypes.Float64))
	sumSq := graph.ReduceAllSum(graph.ConvertDType(graph.Square(clean), dtypes.Float64))
	// Bin index of each finite value over [mn, mx]; a constant tensor goes to bin 0.
	span := graph.Sub(mx, mn)
	safeSpan := graph.Where(graph.GreaterThan(span, graph.ScalarZero(g, dt)), span, graph.ScalarOne(g, dt))
	idx := graph.Floor(graph.Mul(graph.Div(graph.Sub(clean, mn), safeSpan), graph.Scalar(g, dt, float64(fine))))
	idx = graph.ClipScalar(idx, 0, float64(fine-1))
	ii := graph.ConvertDType(idx, dtypes.Int32)
	ii = graph.Where(finite, ii, graph.BroadcastToShape(graph.Scalar(g, dtypes.Int32, fine), ii.Shape())) // out of range: dropped
	ones := graph.ConvertDType(finite, dtypes.Float64)
	hist := graph.ScatterSum(graph.Zeros(g, shapes.Make(dtypes.Float64, fine+1)), graph.Reshape(ii, -1, 1), ones, false, false)
	hist = graph.Slice(hist, graph.AxisRange(0, fine))
	dead, units := graph.Scalar(g, dtypes.Float64, -1.0), graph.Scalar(g, dtypes.Float64, 0.0)
	if activations && x.Rank() >= 2 && x.Shape().Dimensions[0] > 0 {
		perUnit := graph.ReduceMax(graph.Reshape(x, x.Shape().Dimensions[0], -1), 0)
		dead = count(graph.LessOrEqual(perUnit, graph.ScalarZero(g, dt)))
		units = graph.Scalar(g, dtypes.Float64, float64(perUnit.Shape().Size()))
	}
	f64 := func(n *graph.Node) *graph.Node { return graph.Reshape(graph.ConvertDType(n, dtypes.Float64), 1) }
	header := []*graph.Node{
		f64(count(finite)), f64(count(nan)), f64(count(pos)), f64(count(negInf)),
		f64(mn), f64(mx), f64(sum), f64(sumSq), f64(dead), f64(units),
	}
	return graph.Concatenate(append(header, hist), 0)
}
