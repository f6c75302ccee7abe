// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"strings"

	"github.com/gonbviz/gonbviz/runs"
	"github.com/gonbviz/gonbviz/tensorboard"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// chartRowBudget is how many rows the curve and capture charts carry at most, in all:
// below the 5000 rows a notebook output accepts by default, so they downsample rather
// than hit that guard rail.
const chartRowBudget = 4500

// maxCurvePoints bounds the points per series of the curve charts: a chart a few hundred
// pixels wide shows no more (the run store keeps each bucket's extremes, so spikes and
// gaps survive), and every point is redrawn on each update of a live chart.
const maxCurvePoints = 500

// pointBudget is the points per series when n series share a chart.
func pointBudget(n int) int {
	if n <= 0 {
		return maxCurvePoints
	}
	return min(maxCurvePoints, max(50, chartRowBudget/n))
}

// RunCurves reads the series of a recorded run as curves for Curves, named run, with
// at most maxPoints points each (the run store's downsampled view, which keeps each
// bucket's extremes). maxPoints 0 picks as many as fit a chart of all the run's series.
func RunCurves(run *runs.Run, name string, maxPoints int) []Curve {
	list := run.SeriesList()
	if maxPoints <= 0 {
		maxPoints = pointBudget(len(list))
	}
	var out []Curve
	for _, info := range list {
		out = append(out, Curve{Run: name, Name: info.Name, Kind: string(info.Kind), Split: info.Split,
			Points: curvePoints(run.SeriesN(info.Name, maxPoints))})
	}
	return out
}

// curvePoints are the points of a recorded series as a curve's (an unknown epoch is 0).
func curvePoints(pts []runs.Point) []CurvePoint {
	out := make([]CurvePoint, len(pts))
	for i, p := range pts {
		out[i] = CurvePoint{Step: p.Step, Wall: p.Wall, Value: p.Value}
		if p.HasEpoch() {
			out[i].Epoch = p.Epoch
		}
	}
	return out
}

// CompareRunsOptions styles CompareRuns.
type CompareRunsOptions struct {
	Title string // default "training curves"
	// Width and Height of each chart; defaults as for Curves.
	Width, Height int
}

// CompareRuns overlays the curves of several recorded runs (run directories written by a
// dashboard or with package runs), one colour per run, with a legend that selects runs:
// e.g. a learning-rate sweep. Runs are named by their name, else their id. A directory
// that is no gonbviz run but a TensorBoard log (event files of TensorBoard, tensorboardX or
// PyTorch, see tensorboard.Read) adds each of its runs, named as TensorBoardCurves names
// them, so that a PyTorch run and a gonbviz one can be compared. Moving-average series are
// left out (the smoothing control does their work).
func CompareRuns(dirs []string, opts CompareRunsOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	if len(dirs) == 0 {
		return vl.Chart{}, fmt.Errorf("charts.CompareRuns: dirs is empty; pass the run directories to compare (Dashboard.RunDir(), or runs.List(root))")
	}
	opened := make([]*runs.Run, len(dirs))
	logs := make([]*tensorboard.Log, len(dirs))
	nSeries := 0
	for i, dir := range dirs {
		run, err := runs.Open(dir)
		if err != nil {
			log, tbErr := tensorboard.Read(dir)
			if tbErr != nil || !hasScalars(log) {
				return vl.Chart{}, fmt.Errorf("charts.CompareRuns: dirs[%d]: %w (nor is it a TensorBoard log with scalars)", i, err)
			}
			logs[i] = log
			for _, r := range log.Runs {
				for _, s := range r.Scalars {
					if !strings.HasSuffix(s.Tag, "_ma") {
						nSeries++
					}
				}
			}
			continue
		}
		opened[i] = run
		for _, info := range run.SeriesList() {
			if !strings.HasSuffix(info.Name, "_ma") {
				nSeries++
			}
		}
	}
	var curves []Curve
	for i, run := range opened {
		var cs []Curve
		if run == nil {
			cs = TensorBoardCurves(logs[i], pointBudget(nSeries))
		} else {
			m := run.Meta()
			name := m.Name
			if name == "" {
				name = m.ID
			}
			cs = RunCurves(run, name, pointBudget(nSeries))
		}
		for _, c := range cs {
			// Moving averages repeat what the smoothing control does; one line per metric
			// and split keeps several runs readable.
			if !strings.HasSuffix(c.Name, "_ma") {
				curves = append(curves, c)
			}
		}
	}
	return Curves(curves, CurvesOptions{Title: opts.Title, Width: opts.Width, Height: opts.Height})
}

// hasScalars reports whether a TensorBoard log holds a scalar series.
func hasScalars(log *tensorboard.Log) bool {
	for _, r := range log.Runs {
		if len(r.Scalars) > 0 {
			return true
		}
	}
	return false
}

// guard turns a panic inside the package into an error, so none escapes the public API.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("charts: internal error (please report it): %v", r)
	}
}
