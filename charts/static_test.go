// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"testing"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/testing/chartcheck"
	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// The static image of a chart driven by its controls (the histograms' step slider and
// tensor drop-down, the curves' smoothing slider and log-scale checkbox) says which values
// it shows; the interactive view, where the controls show them, does not. Charts without
// such controls carry no such note (the histogram's zoom is bound to its scales).
func TestStaticSVGSaysWhatControlsShow(t *testing.T) {
	one := func(int) float64 { return 1 }
	two := append(synthetic(capture.KindWeights, "/a/weights", 5, one), synthetic(capture.KindWeights, "/b/weights", 5, one)...)
	single := synthetic(capture.KindWeights, "/a/weights", 5, one)
	build := func(snaps []capture.Snapshot, mode charts.Mode) vl.Chart {
		t.Helper()
		c, err := charts.Histograms(snaps, charts.HistogramsOptions{Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	hist, err := charts.Histogram(normalValues(1000), charts.HistogramOptions{Title: "weights"})
	if err != nil {
		t.Fatal(err)
	}
	dist, err := charts.Distributions(two, charts.DistributionsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		chart vl.Chart
		want  []string // in the static SVG; none: no note
	}{
		{"histograms-slider", build(two, charts.ModeSlider), []string{
			"showing tensor /a/weights (1 of 2), step 50 of 10–50; change them with the drop-down and the slider in the interactive view"}},
		{"histograms-slider-one-tensor", build(single, charts.ModeSlider), []string{
			"showing step 50 of 10–50; move the slider in the interactive view"}},
		{"histograms-overlay", build(two, charts.ModeOverlay), []string{
			"showing tensor /a/weights (1 of 2); pick another with the drop-down in the interactive view"}},
		{"histograms-offset", build(two, charts.ModeOffset), []string{"showing tensor /a/weights (1 of 2)"}},
		{"curves", mustCurves(t, sampleCurves("", 0.01, -1), charts.CurvesOptions{Title: "digits MLP"}), []string{
			"showing smoothing 0.6 of 0–0.9, log scale (losses) off; change them with the slider and the checkbox in the interactive view"}},
		{"histogram", hist, nil},
		{"distributions", dist, nil},
	}
	for _, c := range cases {
		out, err := render.Chart(c.chart)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, problem := range chartcheck.StaticNoteProblems(out.SVG(), out.SpecJSON(), c.want) {
			t.Errorf("%s: %s", c.name, problem)
		}
	}
}
