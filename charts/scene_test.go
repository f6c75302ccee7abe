// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/svgrender"
	"github.com/gonbviz/gonbviz/internal/testing/chartcheck"
	"github.com/gonbviz/gonbviz/render"
)

// sceneRenderer renders with the scenegraph, for checks of what a chart draws.
var sceneRenderer = svgrender.New(svgrender.Options{Scenegraph: true})

// scene renders a spec in QuickJS (the same SVG as Node: see
// TestCompactChartsDrawAsRows) and returns what it draws; with static, as the static
// SVG draws it (render.StaticSpec: interactive-only layers left out, the values of bound
// parameters said).
func scene(t *testing.T, name string, spec []byte, static bool) *chartcheck.Scene {
	t.Helper()
	var err error
	if static {
		if spec, err = render.StaticSpec(spec); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	res, err := sceneRenderer.RenderWithWarnings(context.Background(), spec)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	s, err := chartcheck.Parse(res.Scenegraph)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// drawn renders a spec and checks the geometry of its bars and areas.
func drawn(t *testing.T, name string, spec []byte, opts chartcheck.Options) chartcheck.Report {
	t.Helper()
	rep := chartcheck.Check(scene(t, name, spec, false), opts)
	for _, p := range rep.Problems {
		t.Errorf("%s: %s", name, p)
	}
	return rep
}

// Every chart gonbviz draws with bars or areas draws them from zero: bars stand on the
// x axis with the height of their count, areas start at zero unless they are bands.
func TestChartsDrawBarsAndAreasFromZero(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	few := make([]float64, 178)
	for i := range few {
		few[i] = 3 + rng.NormFloat64()
	}
	hists := map[string]any{
		"histogram-100k":      normalValues(100000),
		"histogram-178":       few,
		"histogram-constant":  []float32{4, 4, 4},
		"histogram-negative":  []int{-90, -80, -80, -75, -70, -70, -70},
		"histogram-tiny-bins": append(make([]float64, 5000), 1),
	}
	for name, v := range hists {
		c, err := charts.Histogram(v, charts.HistogramOptions{Title: name})
		if err != nil {
			t.Fatal(err)
		}
		m, spec := histogramSpec(t, c)
		bins := len(dataRows(t, m["data"]))
		if rep := drawn(t, name, spec, chartcheck.Options{}); rep.Bars != bins {
			t.Errorf("%s: %d bars checked, want %d (one per bin)", name, rep.Bars, bins)
		}
	}

	// The gallery's charts (their golden specs). Bands between two fields float on purpose.
	bands := []string{"child_layer_0_marks", "child_layer_1_marks", "child_layer_2_marks", "child_layer_3_marks"}
	floating := map[string][]string{
		"distributions":      bands,
		"distributions-long": bands,
		"activation-stats":   {"concat_0_layer_0_marks"},
		"feature-box-plots":  {"child_layer_1_marks"}, // the boxes, from the first quartile to the third
	}
	stacked := map[string][]string{"histogram-stacked-log": {"marks"}}
	valueField := map[string]string{ // the field of the bars' heights, where it is not the count
		"histogram-groups":      "density",
		"feature-distributions": "density",
		"scatter-matrix":        "density",
	}
	want := map[string][2]int{ // least bars, areas checked
		"histogram":          {charts.DefaultHistogramBins, 0},
		"histograms":         {1, 1},
		"histograms-offset":  {0, 1},
		"histograms-overlay": {0, 0},
		"distributions":      {0, 0},
		"gradient-health":    {0, 0},
		"activation-stats":   {0, 0},
		// The new charts' bars: histograms and the ranking of features (horizontal bars).
		"histogram-groups":      {24, 0},
		"histogram-stacked-log": {30, 0},
		"feature-distributions": {30 + 13, 0},
		"scatter-matrix":        {4 * 3 * 20, 0},
	}
	specs := goldenSpecs(t)
	for _, name := range slices.Sorted(maps.Keys(specs)) {
		rep := drawn(t, name, specs[name], chartcheck.Options{Floating: floating[name], Stacked: stacked[name], ValueField: valueField[name]})
		if w := want[name]; rep.Bars < w[0] || rep.Areas < w[1] {
			t.Errorf("%s: %d bars and %d areas checked, want at least %d and %d", name, rep.Bars, rep.Areas, w[0], w[1])
		}
		if strings.Contains(name, "curves") || name == "compare-runs" {
			if rep.Bars+rep.Areas > 0 {
				t.Errorf("%s: curves draw %d bars and %d areas", name, rep.Bars, rep.Areas)
			}
		}
	}
}

// Every chart of the gallery places its text where it can be read, in the interactive spec
// and in the static SVG: a title and axis titles, nothing cut off, legend entries in view,
// axis labels apart with none that vega had to hide to keep them so (a browser would show
// them crowded), no grid line through a label, no truncated name.
func TestChartsLayOutTheirText(t *testing.T) {
	untitled := map[string][]string{
		// The strip under the slider is where one drags to zoom: its axis repeats the one above.
		"histograms": {"x axis of concat_1_group"},
		// Axes of feature names: the chart's title and the panels' headers say what they are.
		"correlations":          {"x axis of root", "y axis of root"},
		"feature-distributions": {"y axis of concat_0_concat_0_group"},
		"feature-box-plots":     {"y axis of cell"},
	}
	specs := goldenSpecs(t)
	for _, name := range slices.Sorted(maps.Keys(specs)) {
		for _, static := range []bool{false, true} {
			opts := chartcheck.LayoutOptions{Untitled: untitled[name], NoHiddenLabels: true}
			for _, p := range chartcheck.Layout(scene(t, name, specs[name], static), opts) {
				t.Errorf("%s (static %v): %s", name, static, p)
			}
		}
	}
}
