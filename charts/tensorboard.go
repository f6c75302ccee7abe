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
// counted from the run's first scalar. Each curve has at most maxPoints points (0: as many
// as fit one chart of them all), downsampled as a run's own views are (runs.Downsample):
// each group of steps keeps its lowest and highest values and its first NaN or ±Inf, so
// spikes and gaps survive.
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
			pts := make([]runs.Point, len(s.Points))
			for i, p := range s.Points {
				pts[i] = runs.Point{Step: p.Step, Wall: p.Wall - first, Epoch: math.NaN(), Value: p.Value}
			}
			out = append(out, Curve{Run: name, Name: s.Tag, Kind: string(info.Kind), Split: info.Split,
				Points: curvePoints(runs.Downsample(pts, maxPoints))})
		}
	}
	return out
}
