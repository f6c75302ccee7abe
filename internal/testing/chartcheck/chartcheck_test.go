// SPDX-License-Identifier: Apache-2.0

package chartcheck

import (
	"context"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/svgrender"
)

var renderer = svgrender.New(svgrender.Options{MaxEngines: 1, Scenegraph: true})

func check(t *testing.T, spec string, opts Options) Report {
	t.Helper()
	res, err := renderer.RenderWithWarnings(context.Background(), []byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	scene, err := Parse(res.Scenegraph)
	if err != nil {
		t.Fatal(err)
	}
	return Check(scene, opts)
}

const binnedData = `"data": {"values": [
	{"lo": 0, "hi": 1, "count": 3}, {"lo": 1, "hi": 2, "count": 120}, {"lo": 2, "hi": 3, "count": 0}, {"lo": 3, "hi": 4, "count": 40}]},
	"width": 200, "height": 100`

// A histogram of pre-binned data with a ranged x and no bin {binned: true} is drawn as
// floating horizontal dashes: the check must see it. With the flag, the bars stand on zero.
func TestPreBinnedHistogram(t *testing.T) {
	dashes := `{` + binnedData + `, "mark": "bar", "encoding": {
		"x": {"field": "lo", "type": "quantitative", "scale": {"zero": false}}, "x2": {"field": "hi"},
		"y": {"field": "count", "type": "quantitative"}}}`
	rep := check(t, dashes, Options{})
	if !strings.Contains(strings.Join(rep.Problems, "\n"), "not from the zero") {
		t.Errorf("floating dashes pass the check: %+v", rep)
	}
	bars := `{` + binnedData + `, "mark": "bar", "encoding": {
		"x": {"field": "lo", "type": "quantitative", "bin": {"binned": true}, "scale": {"zero": false}}, "x2": {"field": "hi"},
		"y": {"field": "count", "type": "quantitative"}}}`
	if rep := check(t, bars, Options{}); len(rep.Problems) > 0 || rep.Bars != 4 {
		t.Errorf("binned bars: %+v", rep)
	}
	// Bars of a log scale start at 1, once they are not stacked (stacked, they start at 0,
	// which a log scale cannot place: no bar is drawn).
	logBars := strings.Replace(bars, `"count": 0}`, `"count": 1}`, 1)
	stacked := strings.Replace(logBars, `"type": "quantitative"}}}`, `"type": "quantitative", "scale": {"type": "log"}}}}`, 1)
	if rep := check(t, stacked, Options{}); len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "no place for 0") {
		t.Errorf("stacked log bars: %+v", rep)
	}
	logBars = strings.Replace(logBars, `"type": "quantitative"}}}`, `"type": "quantitative", "scale": {"type": "log"}, "stack": null}}}`, 1)
	if rep := check(t, logBars, Options{}); len(rep.Problems) > 0 || rep.Bars != 4 {
		t.Errorf("log bars: %+v", rep)
	}
	// A bar whose height does not match its value.
	wrong := strings.Replace(bars, `"y": {"field": "count"`, `"y": {"field": "hi"`, 1)
	if rep := check(t, wrong, Options{}); len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "px high") {
		t.Errorf("bars of the wrong height pass: %+v", rep)
	}
}

// Stacked bars stand on each other: listed in Options.Stacked they pass, and a bar
// that floats above its stack does not. On a log scale, bars may stand on the bottom of
// the plot (y2 at the domain's minimum).
func TestStackedAndLogFloorBars(t *testing.T) {
	const stackData = `"data": {"values": [
		{"lo": 0, "hi": 1, "g": "a", "count": 3}, {"lo": 0, "hi": 1, "g": "b", "count": 5},
		{"lo": 1, "hi": 2, "g": "a", "count": 2}, {"lo": 1, "hi": 2, "g": "b", "count": 4}]},
		"width": 200, "height": 100`
	stacked := `{` + stackData + `, "mark": "bar", "encoding": {
		"x": {"field": "lo", "type": "quantitative", "bin": {"binned": true}}, "x2": {"field": "hi"},
		"y": {"field": "count", "type": "quantitative"}, "color": {"field": "g", "type": "nominal"}}}`
	if rep := check(t, stacked, Options{}); len(rep.Problems) == 0 {
		t.Errorf("stacked bars pass without Options.Stacked: %+v", rep)
	}
	if rep := check(t, stacked, Options{Stacked: []string{"marks"}}); len(rep.Problems) > 0 || rep.Bars != 4 {
		t.Errorf("stacked bars: %+v", rep)
	}
	// Bars that float: y from count to count+1, none on zero or on another.
	floating := `{` + stackData + `, "transform": [{"calculate": "datum.count + 10", "as": "top"}], "mark": "bar", "encoding": {
		"x": {"field": "lo", "type": "quantitative", "bin": {"binned": true}}, "x2": {"field": "hi"},
		"y": {"field": "count", "type": "quantitative"}, "y2": {"field": "top"}}}`
	if rep := check(t, floating, Options{Stacked: []string{"marks"}}); len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "not from the zero") {
		t.Errorf("floating bars pass as a stack: %+v", rep)
	}
	if rep := check(t, stacked, Options{Stacked: []string{"layer_0_marks"}}); len(rep.Problems) == 0 || !strings.Contains(strings.Join(rep.Problems, "\n"), `"layer_0_marks"`) {
		t.Errorf("a stale Stacked name: %+v", rep)
	}
	logFloor := `{` + binnedData + `, "transform": [{"filter": "datum.count > 0"}], "mark": "bar", "encoding": {
		"x": {"field": "lo", "type": "quantitative", "bin": {"binned": true}}, "x2": {"field": "hi"},
		"y": {"field": "count", "type": "quantitative", "scale": {"type": "log", "domain": [0.1, 1000]}, "stack": null},
		"y2": {"datum": 0.1}}}`
	if rep := check(t, logFloor, Options{}); len(rep.Problems) > 0 || rep.Bars != 3 {
		t.Errorf("log bars on the floor: %+v", rep)
	}
}

// Horizontal bars (a band y scale) start at x's zero; floating ones do not pass.
func TestHorizontalBars(t *testing.T) {
	bars := `{` + binnedData + `, "mark": "bar", "encoding": {
		"y": {"field": "lo", "type": "nominal"}, "x": {"field": "count", "type": "quantitative"}}}`
	if rep := check(t, bars, Options{}); len(rep.Problems) > 0 || rep.Bars != 4 {
		t.Errorf("horizontal bars: %+v", rep)
	}
	floating := `{` + binnedData + `, "mark": "bar", "encoding": {
		"y": {"field": "lo", "type": "nominal"}, "x": {"field": "count", "type": "quantitative"}, "x2": {"field": "hi"}}}`
	if rep := check(t, floating, Options{}); len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "not from the zero of x scale") {
		t.Errorf("floating horizontal bars pass: %+v", rep)
	}
}

func TestAreas(t *testing.T) {
	area := `{` + binnedData + `, "mark": "area", "encoding": {
		"x": {"field": "lo", "type": "quantitative"}, "y": {"field": "count", "type": "quantitative"}}}`
	if rep := check(t, area, Options{}); len(rep.Problems) > 0 || rep.Areas != 1 {
		t.Errorf("area from zero: %+v", rep)
	}
	band := `{` + binnedData + `, "mark": "area", "encoding": {
		"x": {"field": "lo", "type": "quantitative"}, "y": {"field": "count", "type": "quantitative"}, "y2": {"field": "hi"}}}`
	if rep := check(t, band, Options{}); len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "Options.Floating") {
		t.Errorf("a band passes as an area from zero: %+v", rep)
	}
	if rep := check(t, band, Options{Floating: []string{"marks"}}); len(rep.Problems) > 0 || rep.Areas != 0 {
		t.Errorf("a band named in Floating: %+v", rep)
	}
	if rep := check(t, band, Options{Floating: []string{"marks", "layer_0_marks"}}); len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], `"layer_0_marks"`) {
		t.Errorf("a stale Floating name: %+v", rep)
	}
}

func TestParse(t *testing.T) {
	if _, err := Parse(nil); err == nil || !strings.Contains(err.Error(), "Scenegraph: true") {
		t.Errorf("Parse(nil): %v", err)
	}
	if _, err := Parse([]byte("{")); err == nil {
		t.Error("Parse of broken JSON: no error")
	}
}

func layoutOf(t *testing.T, spec string, opts LayoutOptions) []string {
	t.Helper()
	res, err := renderer.RenderWithWarnings(context.Background(), []byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	scene, err := Parse(res.Scenegraph)
	if err != nil {
		t.Fatal(err)
	}
	return Layout(scene, opts)
}

const layoutData = `"data": {"values": [
	{"x": 0, "y": 1, "s": "train/loss"}, {"x": 350, "y": 2, "s": "eval/validation/accuracy"}, {"x": 400, "y": 3, "s": "train/loss"}]}`

// Each layout check passes a plain chart and fails the chart broken for it.
func TestLayout(t *testing.T) {
	plain := `{` + layoutData + `, "title": "T", "width": 200, "height": 100, "mark": "point", "encoding": {
		"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"},
		"color": {"field": "s", "type": "nominal", "legend": {"labelLimit": 0}}}}`
	if p := layoutOf(t, plain, LayoutOptions{}); len(p) > 0 {
		t.Errorf("a plain chart: %v", p)
	}
	broken := []struct{ name, old, new, want string }{
		{"no title", `"title": "T",`, ``, "has no title"},
		{"no axis title", `"type": "quantitative"}, "y"`, `"type": "quantitative", "title": null}, "y"`, `x axis of root has no title`},
		{"text cut off", `"mark": "point"`, `"autosize": "none", "mark": {"type": "text", "dx": 180, "text": "far out"}`, `text "far out"`},
		{"legend outside", `"legend": {"labelLimit": 0}}}}`, `"legend": {"labelLimit": 0, "orient": "none", "legendX": 400, "legendY": 0}}}, "autosize": "none"}`, "legend entry"},
		{"labels touch", `"type": "quantitative"}, "y"`, `"type": "quantitative", "axis": {"labelOverlap": false, "labelFlush": true, "tickCount": 40, "labelFontSize": 14}}, "y"`, "px apart"},
		{"grid through labels", `"type": "quantitative"}, "y"`, `"type": "quantitative", "axis": {"labelPadding": -30}}, "y"`, "grid line"},
		{"truncated legend", `"labelLimit": 0`, `"labelLimit": 60`, `legend label "eval/validation/accuracy" is truncated`},
	}
	for _, b := range broken {
		spec := strings.Replace(plain, b.old, b.new, 1)
		if spec == plain {
			t.Fatalf("%s: the spec did not change", b.name)
		}
		p := layoutOf(t, spec, LayoutOptions{})
		if !strings.Contains(strings.Join(p, "\n"), b.want) {
			t.Errorf("%s: want a problem with %q, got %q", b.name, b.want, p)
		}
	}
	// Ticks too dense for their labels: vega hides every other one in its estimate, a
	// browser shows them all, crowded.
	dense := strings.Replace(plain, `"type": "quantitative"}, "y"`, `"type": "quantitative", "axis": {"tickCount": 40}}, "y"`, 1)
	if p := layoutOf(t, dense, LayoutOptions{}); len(p) > 0 {
		t.Errorf("hidden labels fail without NoHiddenLabels: %v", p)
	}
	if p := layoutOf(t, dense, LayoutOptions{NoHiddenLabels: true}); len(p) != 1 || !strings.Contains(p[0], "hidden by vega's labelOverlap") {
		t.Errorf("hidden labels with NoHiddenLabels: %v", p)
	}
	noAxisTitle := strings.Replace(plain, `"type": "quantitative"}, "y"`, `"type": "quantitative", "title": null}, "y"`, 1)
	if p := layoutOf(t, noAxisTitle, LayoutOptions{Untitled: []string{"x axis of root"}}); len(p) > 0 {
		t.Errorf("an untitled axis listed in Untitled: %v", p)
	}
	if p := layoutOf(t, plain, LayoutOptions{Untitled: []string{"x axis of nowhere"}}); len(p) != 1 || !strings.Contains(p[0], "does not draw") {
		t.Errorf("a stale Untitled name: %v", p)
	}
}
