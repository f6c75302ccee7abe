// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"math"
	"path/filepath"

	"github.com/gonbviz/gonbviz/runs"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// TensorBoardCurves returns the scalar series of a TensorBoard log (tensorboard.Read: the
// logs of TensorBoard, TensorFlow, tensorboardX and PyTorch, and gonbviz runs written with
// DashboardOptions.TensorBoard) as curves for Curves: one per run and tag, named by the
// tag, Run the run's name in the log (the log directory's own name for the run "."), kind
// and split guessed from the tag as the run store guesses them (runs.GuessSeriesInfo:
// "train/loss" is a train loss, "eval/validation/accuracy" an evaluation accuracy), Wall
// counted from the run's first scalar. Each curve has at most about maxPoints points (0:
// as many as fit one chart of them all): past that, each group of steps keeps its lowest
// and highest values and its first NaN or ±Inf, so spikes and gaps survive.
func TensorBoardCurves(log *tensorboard.Log, maxPoints int) []Curve {
	if log == nil {
		return nil
	}
	n := 0
	for _, r := range log.Runs {
		n += len(r.Scalars)
	}
	if maxPoints <= 0 {
		maxPoints = pointBudget(n)
	}
	var out []Curve
	for _, r := range log.Runs {
		name := r.Name
		if name == "." {
			name = filepath.Base(filepath.Clean(log.Dir))
		}
		first := math.Inf(1)
		for _, s := range r.Scalars {
			if len(s.Points) > 0 {
				first = min(first, s.Points[0].Wall)
			}
		}
		for _, s := range r.Scalars {
			info := runs.GuessSeriesInfo(s.Tag)
			c := Curve{Run: name, Name: s.Tag, Kind: string(info.Kind), Split: info.Split, Points: make([]CurvePoint, len(s.Points))}
			for i, p := range s.Points {
				c.Points[i] = CurvePoint{Step: p.Step, Wall: p.Wall - first, Value: p.Value}
			}
			c.Points = thinCurve(c.Points, maxPoints)
			out = append(out, c)
		}
	}
	return out
}

// thinCurve keeps at most about limit of points (sorted by step): the first and the last, and in
// each of (limit-2)/2 groups of consecutive points the lowest and highest finite values (in
// step order) and the first non-finite one.
func thinCurve(points []CurvePoint, limit int) []CurvePoint {
	limit = max(limit, 5)
	if len(points) <= limit {
		return points
	}
	groups := (limit - 2) / 2
	out := make([]CurvePoint, 0, limit+groups)
	out = append(out, points[0])
	inner := points[1 : len(points)-1]
	for g := range groups {
		part := inner[g*len(inner)/groups : (g+1)*len(inner)/groups]
		lo, hi, bad := -1, -1, -1
		for i, p := range part {
			switch {
			case math.IsNaN(p.Value) || math.IsInf(p.Value, 0):
				if bad < 0 {
					bad = i
				}
			case lo < 0:
				lo, hi = i, i
			case p.Value < part[lo].Value:
				lo = i
			case p.Value > part[hi].Value:
				hi = i
			}
		}
		for i := range part {
			if i == lo || i == hi || i == bad {
				out = append(out, part[i])
			}
		}
	}
	return append(out, points[len(points)-1])
}
