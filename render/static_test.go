// SPDX-License-Identifier: Apache-2.0

package render

import (
	"strings"
	"testing"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// A static image of a chart driven by a bound parameter (a slider, a drop-down, a
// checkbox) says which values it shows; the interactive view, where the controls show
// them, does not. Charts without bound parameters carry no such note.
func TestStaticSVGSaysWhatBoundParamsShow(t *testing.T) {
	one := func(int) float64 { return 1 }
	two := append(synthetic(KindWeights, "/a/weights", 5, one), synthetic(KindWeights, "/b/weights", 5, one)...)
	single := synthetic(KindWeights, "/a/weights", 5, one)
	build := func(snaps []Snapshot, mode string) vl.Chart {
		t.Helper()
		c, err := HistogramsChart(snaps, HistogramsOptions{Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	hist, err := Histogram(normalValues(1000), HistogramOptions{Title: "weights"})
	if err != nil {
		t.Fatal(err)
	}
	dist, err := DistributionsChart(two, DistributionsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	plain := vl.NewChart().Data(vl.Values([]map[string]any{{"x": 1}, {"x": 2}})).
		Params(vl.NewParam("size").Value(40).Bind(vl.BindRange(10, 100, 1))).
		Mark(vl.Point()).Encode(vl.X("x:Q"), vl.Size(vl.Value(40)))
	cases := []struct {
		name  string
		chart vl.Chart
		want  []string // in the static SVG; none: no note
	}{
		{"histograms-slider", build(two, ModeSlider), []string{
			"showing tensor /a/weights (1 of 2), step 50 of 10–50; change them with the drop-down and the slider in the interactive view"}},
		{"histograms-slider-one-tensor", build(single, ModeSlider), []string{
			"showing step 50 of 10–50; move the slider in the interactive view"}},
		{"histograms-overlay", build(two, ModeOverlay), []string{
			"showing tensor /a/weights (1 of 2); pick another with the drop-down in the interactive view"}},
		{"histograms-offset", build(two, ModeOffset), []string{"showing tensor /a/weights (1 of 2)"}},
		{"curves", CurvesChart(sampleCurves("", 0.01, -1), CurvesOptions{Title: "digits MLP"}), []string{
			"showing smoothing 0.6 of 0–0.9, log scale (losses) off; change them with the slider and the checkbox in the interactive view"}},
		{"untitled", plain, []string{"showing size 40 of 10–100; move the slider in the interactive view"}},
		{"histogram", hist, nil},
		{"distributions", dist, nil},
	}
	for _, c := range cases {
		b, err := Prepare(c.chart)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, w := range c.want {
			if !strings.Contains(b.SVG, w) {
				t.Errorf("%s: the static SVG does not say %q", c.name, w)
			}
		}
		if c.want == nil && strings.Contains(b.SVG, "showing ") {
			t.Errorf("%s: a chart without bound parameters has a note in its static SVG", c.name)
		}
		if strings.Contains(string(b.SpecJSON), "showing ") {
			t.Errorf("%s: the interactive spec carries the static note", c.name)
		}
	}
}
