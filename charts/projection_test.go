// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/charts"
)

func TestProjectionErrors(t *testing.T) {
	rows := [][]float64{{0, 1}, {1, 0}, {2, 2}, {3, 1}, {1, 1}}
	big := make([][]float64, charts.MaxProjectionPoints+1)
	for i := range big {
		big[i] = []float64{float64(i % 7), float64(i % 11)}
	}
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"no rows", func() error { _, err := charts.Projection([][]float64{}, 0, charts.ProjectionOptions{}); return err }, "x has no rows"},
		{"ragged", func() error {
			_, err := charts.Projection([][]float64{{1, 2}, {3}}, 0, charts.ProjectionOptions{})
			return err
		}, "row 1 has 1 values"},
		{"labels", func() error {
			_, err := charts.Projection(rows, 0, charts.ProjectionOptions{Labels: []int{0, 1}})
			return err
		}, "opts.Labels has 2 entries for 5 rows"},
		{"predictions", func() error {
			_, err := charts.Projection(rows, 0, charts.ProjectionOptions{Predictions: []int{0, 1, 2, 3, -1}})
			return err
		}, "opts.Predictions[4] is -1"},
		{"class", func() error {
			_, err := charts.Projection(rows, 0, charts.ProjectionOptions{Labels: []int{0, 1, 2, 0, 1}, Classes: []string{"a", "b"}})
			return err
		}, "opts.Labels[2] is 2"},
		{"method", func() error {
			_, err := charts.Projection(rows, 0, charts.ProjectionOptions{Method: "umap"})
			return err
		}, `opts.Method is "umap"`},
		{"too many", func() error { _, err := charts.Projection(big, 0, charts.ProjectionOptions{}); return err }, "set opts.Sample"},
		{"steps rows", func() error {
			_, err := charts.ProjectionSteps([]charts.ProjectionStep{{Step: 0, X: rows}, {Step: 10, X: rows[:4]}}, charts.ProjectionOptions{})
			return err
		}, "steps[1].X (step 10) has 4 rows, steps[0] has 5"},
		{"steps order", func() error {
			_, err := charts.ProjectionSteps([]charts.ProjectionStep{{Step: 10, X: rows}, {Step: 10, X: rows}}, charts.ProjectionOptions{})
			return err
		}, "steps[1] is step 10, after step 10"},
		{"steps rows", func() error {
			many := make([][]float64, 1000)
			for i := range many {
				many[i] = []float64{float64(i % 7), float64(i % 11)}
			}
			var steps []charts.ProjectionStep
			for s := range 5 {
				steps = append(steps, charts.ProjectionStep{Step: s, X: many})
			}
			_, err := charts.ProjectionSteps(steps, charts.ProjectionOptions{})
			return err
		}, "1,000 points at 5 steps make 5,000 rows, more than a chart carries (4,500); set opts.Sample to 900 or fewer"},
		{"no steps", func() error { _, err := charts.ProjectionSteps(nil, charts.ProjectionOptions{}); return err }, "steps is empty"},
		{"nan", func() error {
			_, err := charts.Projection([][]float64{{0, 1}, {1, 0}, {math.NaN(), 1}}, 0, charts.ProjectionOptions{})
			return err
		}, "row 2, feature 0 is NaN"},
	}
	for _, c := range cases {
		err := c.run()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// TestProjectionSample: past MaxProjectionPoints, Sample draws that many rows, the same
// for the same seed, and says so.
func TestProjectionSample(t *testing.T) {
	big := make([][]float64, charts.MaxProjectionPoints+500)
	for i := range big {
		big[i] = []float64{float64(i % 7), float64(i % 11), float64(i % 13)}
	}
	chart, err := charts.Projection(big, 0, charts.ProjectionOptions{Sample: 300, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if sub := subtitleOf(t, chart); !strings.Contains(sub, "300 points") || !strings.Contains(sub, "a random sample of 4,500, seed 3") {
		t.Errorf("subtitle %q does not say the sample", sub)
	}
	again, _ := charts.Projection(big, 0, charts.ProjectionOptions{Sample: 300, Seed: 3})
	a, _ := chart.JSON()
	b, _ := again.JSON()
	if string(a) != string(b) {
		t.Error("the same seed drew another chart")
	}
}

// TestProjectionConstantFeatures: constant features, even all of them, draw (no NaN).
func TestProjectionConstantFeatures(t *testing.T) {
	for _, rows := range [][][]float64{
		{{1, 5, 0}, {2, 5, 0}, {3, 5, 0}, {4, 5, 0}},
		{{1, 1}, {1, 1}, {1, 1}},
	} {
		chart, err := charts.Projection(rows, 0, charts.ProjectionOptions{})
		if err != nil {
			t.Fatal(err)
		}
		spec, err := chart.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(spec), "NaN") {
			t.Errorf("%v: the spec has NaN", rows)
		}
	}
}
