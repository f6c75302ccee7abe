// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/svgrender"
	"github.com/gonbviz/gonbviz/internal/testing/chartcheck"
	"github.com/gonbviz/gonbviz/internal/testing/trainingtest"
	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// synthetic returns snapshots of one tensor at steps 10..10*n, normal-ish counts.
func synthetic(kind capture.Kind, name string, n int, norm func(i int) float64) []capture.Snapshot {
	var out []capture.Snapshot
	for i := range n {
		counts := []int64{1, 4, 10, 20, 10, 4, 1}
		s := capture.Snapshot{Kind: kind, Name: name, Step: 10 * (i + 1), Shape: []int{5, 10}, Lo: -1, Hi: 1, Counts: counts,
			Count: 50, Min: -1, Max: 1, Std: 0.3, Norm: norm(i), UpdateRatio: 1e-3, Dead: -1,
			Percentiles: []float64{-1, -0.5, -0.3, -0.1, 0, 0.1, 0.3, 0.5, 1}}
		if kind == capture.KindActivations {
			s.Dead = 0.1
		}
		out = append(out, s)
	}
	return out
}

// capture.Diagnose flags what GradientHealth and ActivationStats name in their subtitles:
// vanishing, exploding and NaN gradients, stalled updates, dead units.
func TestDiagnose(t *testing.T) {
	one := func(int) float64 { return 1 }
	healthy := append(synthetic(capture.KindGradients, "/a/weights", 5, one), synthetic(capture.KindGradients, "/b/weights", 5, one)...)
	if f := capture.Diagnose(healthy); len(f) != 0 {
		t.Errorf("healthy run flagged: %v", f)
	}
	vanish := append(synthetic(capture.KindGradients, "/a/weights", 5, func(int) float64 { return 1e-6 }), synthetic(capture.KindGradients, "/b/weights", 5, one)...)
	f := capture.Diagnose(vanish)
	if len(f) != 1 || !strings.HasPrefix(f[0], "vanishing: ") || !strings.Contains(f[0], "/a/weights") {
		t.Errorf("vanishing gradients: %v", f)
	}
	explode := synthetic(capture.KindGradients, "/a/weights", 5, func(i int) float64 { return math.Pow(10, float64(i)) })
	explode[4].NaN = 3
	f = capture.Diagnose(explode)
	if len(f) != 2 || !strings.Contains(f[0], "3 NaN/Inf") || !strings.Contains(f[1], "grew 10000x") {
		t.Errorf("exploding gradients: %v", f)
	}
	stalled := synthetic(capture.KindGradients, "/a/weights", 2, one)
	stalled[1].UpdateRatio = 1e-7
	if f := capture.Diagnose(stalled); len(f) != 1 || !strings.HasPrefix(f[0], "stalled: ") {
		t.Errorf("stalled updates: %v", f)
	}
	dead := synthetic(capture.KindActivations, "/relu", 3, one)
	dead[2].Dead = 0.8
	if f := capture.Diagnose(dead); len(f) != 1 || !strings.Contains(f[0], "80% of /relu") {
		t.Errorf("dead units: %v", f)
	}
}

func TestDistributionChartsRender(t *testing.T) {
	c, _ := trainingtest.Captured(t, nil, demo.Config{}, capture.Options{Summaries: capture.SummariesOnHost}, 60)
	built := map[string]vl.Chart{}
	add := func(name string, ch vl.Chart, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		built[name] = ch
	}
	for _, kind := range []capture.Kind{capture.KindWeights, capture.KindGradients, capture.KindActivations} {
		snaps := c.Snapshots(kind)
		for _, mode := range []charts.Mode{charts.ModeSlider, charts.ModeOverlay, charts.ModeOffset} {
			ch, err := charts.Histograms(snaps, charts.HistogramsOptions{Mode: mode})
			add(string(kind)+"-"+string(mode), ch, err)
		}
		ch, err := charts.Distributions(snaps, charts.DistributionsOptions{})
		add(string(kind)+"-dist", ch, err)
	}
	ch, err := charts.GradientHealth(c.Snapshots(capture.KindGradients), charts.GradientHealthOptions{})
	add("health", ch, err)
	ch, err = charts.ActivationStats(c.Snapshots(capture.KindActivations), charts.ActivationStatsOptions{})
	add("acts", ch, err)

	// Bad input: errors that name the function and say what to pass, never a panic.
	for _, tc := range []struct {
		name string
		err  error
		want []string
	}{
		{"no snapshots", errOf(charts.Histograms(nil, charts.HistogramsOptions{})),
			[]string{"charts.Histograms: no snapshots", "capture.Capture.Snapshots(kind)", "capture.Read(runDir)"}},
		{"no snapshots (distributions)", errOf(charts.Distributions(nil, charts.DistributionsOptions{})),
			[]string{"charts.Distributions: no snapshots", "capture.Capture.Snapshots(kind)"}},
		{"mixed kinds", errOf(charts.Histograms(c.Snapshots(""), charts.HistogramsOptions{})),
			[]string{"charts.Histograms: snapshots of kinds", "mixed; pass one kind"}},
		{"bad mode", errOf(charts.Histograms(c.Snapshots(capture.KindWeights), charts.HistogramsOptions{Mode: "ridge"})),
			[]string{`charts.Histograms: unknown Mode "ridge"`, "ModeSlider, ModeOverlay or ModeOffset"}},
		{"no bin counts", errOf(charts.Histograms([]capture.Snapshot{{Kind: capture.KindWeights, Name: "/w", Step: 1, Shape: []int{2}}}, charts.HistogramsOptions{})),
			[]string{"charts.Histograms: no snapshot has bin counts (Snapshot.Counts)", "capture.Capture.Snapshots(kind)"}},
		{"negative size", errOf(charts.Histograms(c.Snapshots(capture.KindWeights), charts.HistogramsOptions{MaxSteps: -1})),
			[]string{"charts.Histograms: Width, Height and MaxSteps must not be negative"}},
		{"health of weights", errOf(charts.GradientHealth(c.Snapshots(capture.KindWeights), charts.GradientHealthOptions{})),
			[]string{`charts.GradientHealth: needs gradients snapshots, got "weights"`, "capture.Capture.Snapshots(capture.KindGradients)"}},
		{"activations of gradients", errOf(charts.ActivationStats(c.Snapshots(capture.KindGradients), charts.ActivationStatsOptions{})),
			[]string{`charts.ActivationStats: needs activations snapshots, got "gradients"`, "capture.Capture.Snapshots(capture.KindActivations)"}},
	} {
		for _, w := range tc.want {
			if tc.err == nil || !strings.Contains(tc.err.Error(), w) {
				t.Errorf("%s: error %v, want one with %q", tc.name, tc.err, w)
			}
		}
	}

	// NaN gradients and a hostile name: drawn with a note, escaped.
	hostile := "</script><img src=x onerror=alert(1)> \"&'\u2028\u2029"
	nan := synthetic(capture.KindGradients, hostile, 4, func(i int) float64 { return 1 })
	nan[2].NaN, nan[3].Count, nan[3].NaN = 7, 0, 50
	nan[3].Percentiles = nil
	for _, mode := range []charts.Mode{charts.ModeSlider, charts.ModeOffset} {
		ch, err := charts.Histograms(nan, charts.HistogramsOptions{Mode: mode})
		add("nan-"+string(mode), ch, err)
	}
	ch, err = charts.Distributions(nan, charts.DistributionsOptions{})
	add("nan-dist", ch, err)
	ch, err = charts.GradientHealth(nan, charts.GradientHealthOptions{})
	add("nan-health", ch, err)

	specs := map[string][]byte{}
	for name, ch := range built {
		spec, err := ch.JSON()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := vl.Validate(spec); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if strings.Contains(string(spec), "</script>") {
			t.Errorf("%s: spec JSON holds a raw </script>", name)
		}
		specs[name] = spec
	}
	if !strings.Contains(chartcheck.Subtitle(specs["nan-slider"]), "7 NaN/Inf values from step 30 (not drawn)") {
		t.Error("the NaN gradients are not named in the subtitle")
	}
	// The static SVG of the slider chart shows the last step, escaped.
	out, err := render.Chart(built["nan-slider"])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.SVG(), "step 40") && !strings.Contains(out.SVG(), "step 30") {
		t.Errorf("static slider chart does not label its step")
	}
	html, err := out.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.SVG(), "<img src=x") || strings.Contains(string(html), "<img src=x") {
		t.Error("hostile tensor name reached the SVG or HTML unescaped")
	}
	out, err = render.Chart(built["gradients-slider"])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.SVG(), "step 60") {
		t.Error("static gradient histogram does not show the last step (60)")
	}

	checkInVega(t, specs)
}

// errOf is the error of a chart builder's result.
func errOf(_ vl.Chart, err error) error { return err }

// The slider of Histograms moves over steps, and the subtitle says how many of the
// snapshots it reaches: each step drawn is a position that shows that step's histogram.
func TestHistogramsSliderMovesOverSteps(t *testing.T) {
	snaps := synthetic(capture.KindWeights, "/dense/weights", 50, func(int) float64 { return 1 }) // steps 10..500
	c, err := charts.Histograms(snaps, charts.HistogramsOptions{MaxSteps: 25})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	m, _ := vl.Spec{JSON: spec}.Value()
	sub, _ := m["title"].(map[string]any)["subtitle"].(string)
	steps := map[float64]bool{}
	for _, r := range dataRows(t, m["data"]) {
		steps[r.(map[string]any)["step"].(float64)] = true
	}
	if want := fmt.Sprintf("50 snapshots, steps 10–500 (%d drawn)", len(steps)); !strings.Contains(sub, want) || len(steps) != 25 {
		t.Errorf("subtitle %q, want %q (%d steps in the data)", sub, want, len(steps))
	}
	var slider map[string]any
	for _, p := range m["params"].([]any) {
		if p := p.(map[string]any); p["name"] == charts.StepParam {
			slider = p
		}
	}
	if slider == nil {
		t.Fatalf("no %s slider: %v", charts.StepParam, m["params"])
	}
	bind := slider["bind"].(map[string]any)
	lo, hi, inc := bind["min"].(float64), bind["max"].(float64), bind["step"].(float64)
	if lo != 10 || hi != 500 || slider["value"] != 500.0 {
		t.Errorf("slider over %v..%v from %v, want the steps drawn, 10..500, from 500", lo, hi, slider["value"])
	}
	for s := range steps {
		if math.Mod(s-lo, inc) != 0 {
			t.Errorf("step %v is no position of the slider (%v..%v by %v)", s, lo, hi, inc)
		}
	}
	// Set to a step drawn, the chart shows that step; between two, the one before.
	var sorted []int
	for s := range steps {
		sorted = append(sorted, int(s))
	}
	slices.Sort(sorted)
	mid, next := sorted[12], sorted[13]
	for _, at := range []struct{ value, shown int }{{10, 10}, {mid, mid}, {next - 1, mid}, {500, 500}} {
		slider["value"] = at.value
		moved, _ := vl.SafeJSON(m)
		res, err := sceneRenderer.RenderWithWarnings(context.Background(), moved)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf(`"text":"step %d"`, at.shown); !strings.Contains(string(res.Scenegraph), want) {
			t.Errorf("slider at %d: the chart does not show %s", at.value, want)
		}
	}
}

// The zoom hint under the slider shows where one can drag, in the interactive view only:
// nothing can be dragged in the static SVG.
func TestZoomHintIsInteractiveOnly(t *testing.T) {
	c, err := charts.Histograms(synthetic(capture.KindWeights, "/dense/weights", 5, func(int) float64 { return 1 }), charts.HistogramsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := render.Chart(c)
	if err != nil {
		t.Fatal(err)
	}
	const hint = "drag here to zoom"
	if !strings.Contains(string(out.SpecJSON()), hint) {
		t.Errorf("the interactive spec lacks the hint %q", hint)
	}
	if !strings.HasPrefix(out.SVG(), "<svg") || strings.Contains(out.SVG(), hint) {
		t.Errorf("the static SVG shows the hint %q", hint)
	}
	if r, err := svgrender.RenderWithWarnings(context.Background(), out.SpecJSON()); err != nil || !strings.Contains(r.SVG, hint) {
		t.Errorf("the interactive chart does not draw the hint: %v", err)
	}
}
