// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"log"
	"math"
	"os"
	"strings"

	"github.com/gonbviz/gonbviz/charts"
)

// irisRows reads the irises as rows of 4 measurements, their species and the feature
// names.
func irisRows() (rows [][]float64, labels []int, names []string) {
	iris, err := charts.ReadFeatures(strings.NewReader(irisCSV), charts.ReadFeaturesOptions{Label: "class"})
	if err != nil {
		log.Fatal(err)
	}
	s := iris.Splits[0]
	x, w := s.X.([]float64), s.Width
	for i := range len(x) / w {
		rows = append(rows, x[i*w:(i+1)*w])
	}
	return rows, s.Labels, iris.Names
}

// nearestCentroid predicts each row's class as that of the nearest class mean: a
// classifier simple enough to get some irises wrong.
func nearestCentroid(rows [][]float64, labels []int, classes int) []int {
	mean := make([][]float64, classes)
	count := make([]float64, classes)
	for c := range mean {
		mean[c] = make([]float64, len(rows[0]))
	}
	for i, r := range rows {
		for j, v := range r {
			mean[labels[i]][j] += v
		}
		count[labels[i]]++
	}
	pred := make([]int, len(rows))
	for i, r := range rows {
		best := math.Inf(1)
		for c := range mean {
			d := 0.0
			for j, v := range r {
				d += (v - mean[c][j]/count[c]) * (v - mean[c][j]/count[c])
			}
			if d < best {
				best, pred[i] = d, c
			}
		}
	}
	return pred
}

// Fisher's irises projected on their first two principal components, coloured by
// species; a nearest-centroid classifier's mistakes are crosses, where versicolor and
// virginica meet. The bars beside say how much of the variance each component explains.
// Hovering a point shows its index, species, prediction and measurements.
func ExampleProjection() {
	rows, labels, names := irisRows()
	chart, err := charts.Projection(rows, 0, charts.ProjectionOptions{
		Title:       "iris: PCA",
		Labels:      labels,
		Predictions: nearestCentroid(rows, labels, 3),
		Classes:     []string{"setosa", "versicolor", "virginica"},
		Features:    names,
	})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render projection.vl.json -o projection.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("projection.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The same points at several steps of training, with a slider over the steps: here the
// wine data standardised and mixed with less and less of a fixed noise, as a layer's
// activations sort the classes out over training. t-SNE starts each step from the
// previous step's layout, so the slider moves the points rather than redrawing them.
func ExampleProjectionSteps() {
	wine := wineSplits()
	var rows [][]float64
	var labels []int
	for _, s := range wine.Splits {
		x, w := s.X.([]float64), s.Width
		for i := range len(x) / w {
			rows = append(rows, x[i*w:(i+1)*w])
		}
		labels = append(labels, s.Labels...)
	}
	std := standardized(rows)
	var steps []charts.ProjectionStep
	for k, step := range []int{0, 100, 200, 400} {
		signal := float64(k) / 3
		x := make([][]float64, len(std))
		for i, r := range std {
			x[i] = make([]float64, len(r))
			for j, v := range r {
				noise := math.Sin(float64(i*31+j*17)) * 1.5 // fixed, not random
				x[i][j] = signal*v + (1-signal)*noise
			}
		}
		steps = append(steps, charts.ProjectionStep{Step: step, X: x})
	}
	chart, err := charts.ProjectionSteps(steps, charts.ProjectionOptions{
		Title:   "wine over (mock) training: t-SNE",
		Method:  charts.ProjectTSNE,
		Labels:  labels,
		Classes: wine.Classes,
	})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render projection-steps.vl.json -o projection-steps.svg` draws it at the last step.
	if err := os.WriteFile("projection-steps.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// standardized scales each column to mean 0 and standard deviation 1.
func standardized(rows [][]float64) [][]float64 {
	f := len(rows[0])
	out := make([][]float64, len(rows))
	for i := range out {
		out[i] = make([]float64, f)
	}
	for j := range f {
		var mean, sq float64
		for _, r := range rows {
			mean += r[j]
		}
		mean /= float64(len(rows))
		for _, r := range rows {
			sq += (r[j] - mean) * (r[j] - mean)
		}
		sd := math.Sqrt(sq / float64(len(rows)))
		for i, r := range rows {
			out[i][j] = (r[j] - mean) / max(sd, 1e-12)
		}
	}
	return out
}
