// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/svgrender"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// synthetic returns snapshots of one tensor at steps 10..10*n, normal-ish counts.
func synthetic(kind, name string, n int, norm func(i int) float64) []Snapshot {
	var out []Snapshot
	for i := range n {
		counts := []int64{1, 4, 10, 20, 10, 4, 1}
		s := Snapshot{Kind: kind, Name: name, Step: 10 * (i + 1), Shape: []int{5, 10}, Lo: -1, Hi: 1, Counts: counts,
			Count: 50, Min: -1, Max: 1, Std: 0.3, Norm: norm(i), UpdateRatio: 1e-3, Dead: -1,
			Percentiles: []float64{-1, -0.5, -0.3, -0.1, 0, 0.1, 0.3, 0.5, 1}}
		if kind == KindActivations {
			s.Dead = 0.1
		}
		out = append(out, s)
	}
	return out
}

func TestDiagnose(t *testing.T) {
	one := func(int) float64 { return 1 }
	healthy := append(synthetic(KindGradients, "/a/weights", 5, one), synthetic(KindGradients, "/b/weights", 5, one)...)
	if f := Diagnose(healthy); len(f) != 0 {
		t.Errorf("healthy run flagged: %v", f)
	}
	vanish := append(synthetic(KindGradients, "/a/weights", 5, func(int) float64 { return 1e-6 }), synthetic(KindGradients, "/b/weights", 5, one)...)
	f := Diagnose(vanish)
	if len(f) != 1 || !strings.HasPrefix(f[0], "vanishing: ") || !strings.Contains(f[0], "/a/weights") {
		t.Errorf("vanishing gradients: %v", f)
	}
	explode := synthetic(KindGradients, "/a/weights", 5, func(i int) float64 { return math.Pow(10, float64(i)) })
	explode[4].NaN = 3
	f = Diagnose(explode)
	if len(f) != 2 || !strings.Contains(f[0], "3 NaN/Inf") || !strings.Contains(f[1], "grew 10000x") {
		t.Errorf("exploding gradients: %v", f)
	}
	stalled := synthetic(KindGradients, "/a/weights", 2, one)
	stalled[1].UpdateRatio = 1e-7
	if f := Diagnose(stalled); len(f) != 1 || !strings.HasPrefix(f[0], "stalled: ") {
		t.Errorf("stalled updates: %v", f)
	}
	dead := synthetic(KindActivations, "/relu", 3, one)
	dead[2].Dead = 0.8
	if f := Diagnose(dead); len(f) != 1 || !strings.Contains(f[0], "80% of /relu") {
		t.Errorf("dead units: %v", f)
	}
}

func TestDistributionChartsRender(t *testing.T) {
	c, _ := captured(t, demo.Config{}, CaptureOptions{Summaries: SummariesOnHost}, 60)
	charts := map[string]vl.Chart{}
	add := func(name string, ch vl.Chart, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		charts[name] = ch
	}
	for _, kind := range []string{KindWeights, KindGradients, KindActivations} {
		snaps := c.Snapshots(kind)
		for _, mode := range []string{ModeSlider, ModeOverlay, ModeOffset} {
			ch, err := HistogramsChart(snaps, HistogramsOptions{Mode: mode})
			add(kind+"-"+mode, ch, err)
		}
		ch, err := DistributionsChart(snaps, DistributionsOptions{})
		add(kind+"-dist", ch, err)
	}
	ch, err := GradientHealthChart(c.Snapshots(KindGradients), "")
	add("health", ch, err)
	ch, err = ActivationStatsChart(c.Snapshots(KindActivations), "")
	add("acts", ch, err)

	// Bad input: errors that say what to pass, never a panic.
	if _, err := HistogramsChart(nil, HistogramsOptions{}); err == nil || !strings.Contains(err.Error(), "Capture.Snapshots") {
		t.Errorf("no snapshots: %v", err)
	}
	if _, err := HistogramsChart(c.Snapshots(""), HistogramsOptions{}); err == nil || !strings.Contains(err.Error(), "mixed") {
		t.Errorf("mixed kinds: %v", err)
	}
	if _, err := HistogramsChart(c.Snapshots(KindWeights), HistogramsOptions{Mode: "ridge"}); err == nil || !strings.Contains(err.Error(), "ModeOffset") {
		t.Errorf("bad mode: %v", err)
	}
	if _, err := GradientHealthChart(c.Snapshots(KindWeights), ""); err == nil {
		t.Error("GradientHealthChart took weight snapshots")
	}

	// NaN gradients and a hostile name: drawn with a note, escaped.
	hostile := "</script><img src=x onerror=alert(1)> \"&'\u2028\u2029"
	nan := synthetic(KindGradients, hostile, 4, func(i int) float64 { return 1 })
	nan[2].NaN, nan[3].Count, nan[3].NaN = 7, 0, 50
	nan[3].Percentiles = nil
	for _, mode := range []string{ModeSlider, ModeOffset} {
		ch, err := HistogramsChart(nan, HistogramsOptions{Mode: mode})
		add("nan-"+mode, ch, err)
	}
	ch, err = DistributionsChart(nan, DistributionsOptions{})
	add("nan-dist", ch, err)
	ch, err = GradientHealthChart(nan, "")
	add("nan-health", ch, err)

	specs := map[string][]byte{}
	for name, ch := range charts {
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
	if !strings.Contains(string(specs["nan-slider"]), "7 NaN/Inf values from step 30 (not drawn)") {
		t.Error("the NaN gradients are not named in the subtitle")
	}
	// The static SVG of the slider chart shows the last step, escaped.
	b, err := Prepare(charts["nan-slider"])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.SVG, "step 40") && !strings.Contains(b.SVG, "step 30") {
		t.Errorf("static slider chart does not label its step")
	}
	html, err := b.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.SVG, "<img src=x") || strings.Contains(html, "<img src=x") {
		t.Error("hostile tensor name reached the SVG or HTML unescaped")
	}
	b, err = Prepare(charts["gradients-slider"])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.SVG, "step 60") {
		t.Error("static gradient histogram does not show the last step (60)")
	}

	checkInVega(t, specs)
}

// The slider of HistogramsChart moves over steps, and the subtitle says how many of the
// snapshots it reaches: each step drawn is a position that shows that step's histogram.
func TestHistogramsSliderMovesOverSteps(t *testing.T) {
	snaps := synthetic(KindWeights, "/dense/weights", 50, func(int) float64 { return 1 }) // steps 10..500
	c, err := HistogramsChart(snaps, HistogramsOptions{MaxSteps: 25})
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
		if p := p.(map[string]any); p["name"] == StepParam {
			slider = p
		}
	}
	if slider == nil {
		t.Fatalf("no %s slider: %v", StepParam, m["params"])
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
	c, err := HistogramsChart(synthetic(KindWeights, "/dense/weights", 5, func(int) float64 { return 1 }), HistogramsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Prepare(c)
	if err != nil {
		t.Fatal(err)
	}
	const hint = "drag here to zoom"
	if !strings.Contains(string(b.SpecJSON), hint) {
		t.Errorf("the interactive spec lacks the hint %q", hint)
	}
	if !strings.HasPrefix(b.SVG, "<svg") || strings.Contains(b.SVG, hint) {
		t.Errorf("the static SVG shows the hint %q", hint)
	}
	if r, err := svgrender.RenderWithWarnings(context.Background(), b.SpecJSON); err != nil || !strings.Contains(r.SVG, hint) {
		t.Errorf("the interactive chart does not draw the hint: %v", err)
	}
}
