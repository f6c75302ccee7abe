// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/vegalite"
)

func sliderChart() vegalite.Chart {
	rows := make([]map[string]any, 20)
	for i := range rows {
		rows[i] = map[string]any{"x": i, "y": (i * 7) % 11}
	}
	return vegalite.NewChart().Title("Points below the threshold").
		Data(vegalite.Values(rows)).
		Params(vegalite.NewParam("threshold").Value(10).Bind(vegalite.BindRange(0, 10, 1).Name("threshold "))).
		Transform(vegalite.Filter("datum.y <= threshold")).
		Mark(vegalite.Point().Filled(true).Size(80)).
		Encode(vegalite.X("x:Q"), vegalite.Y("y:Q").Scale(vegalite.Scale{}.Domain([]float64{0, 10})))
}

// TestStandaloneHTMLInChromium opens a page written by SaveHTML in headless Chromium with
// every network request blocked: the charts turn interactive, the slider changes the view;
// with JavaScript disabled the static SVGs show.
func TestStandaloneHTMLInChromium(t *testing.T) {
	browsertest.Require(t)
	dir := browsertest.Artifacts(t)
	page := filepath.Join(dir, "standalone.html")
	if err := SaveHTML(page, "gonbviz standalone", barChart("Bars"), sliderChart()); err != nil {
		t.Fatal(err)
	}
	r, err := browsertest.Run(browsertest.Job{
		URL: "file://" + page, JavaScript: true,
		Screenshot: filepath.Join(dir, "standalone-interactive.png"),
		Slider:     &browsertest.SliderMove{Value: "3"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Blocked) > 0 {
		t.Errorf("the page tried the network: %v", r.Blocked)
	}
	if len(r.PageErrors) > 0 || len(r.ConsoleErrors) > 0 {
		t.Errorf("errors: %v %v", r.PageErrors, r.ConsoleErrors)
	}
	if len(r.Charts) != 2 {
		t.Fatalf("%d charts on the page, want 2", len(r.Charts))
	}
	for _, c := range r.Charts {
		if c.State != "interactive" || c.ViewMarks == 0 || c.StaticVisible {
			t.Errorf("chart %s: state %q, %d marks, static visible %v, note %q", c.ID, c.State, c.ViewMarks, c.StaticVisible, c.Note)
		}
	}
	if r.Sliders != 1 || r.AfterSlider == nil {
		t.Fatalf("sliders: %d", r.Sliders)
	}
	before, after := r.Charts[1], r.AfterSlider[1]
	if after.ViewMarks >= before.ViewMarks || after.ViewMarks == 0 {
		t.Errorf("moving the slider to 3 did not filter points: %d marks before, %d after", before.ViewMarks, after.ViewMarks)
	}

	// No JavaScript: the static SVGs are what the reader sees.
	r, err = browsertest.Run(browsertest.Job{
		URL: "file://" + page, JavaScript: false,
		Screenshot: filepath.Join(dir, "standalone-nojs.png"),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Charts {
		if !c.StaticVisible || c.State != "" {
			t.Errorf("no-JS chart %s: static visible %v, state %q", c.ID, c.StaticVisible, c.State)
		}
	}
}

// TestCurvesInChromium shows training curves (one run with a NaN, and three runs) in
// Chromium: interactive, marks drawn, no errors.
func TestCurvesInChromium(t *testing.T) {
	browsertest.Require(t)
	dir := browsertest.Artifacts(t)
	page := filepath.Join(dir, "curves.html")
	single := CurvesChart(sampleCurves("", 0.01, 120), CurvesOptions{Title: "digits MLP", Subtitle: "step 300/300 · 52 steps/s · backend go"})
	multi := CurvesChart(append(append(sampleCurves("lr=0.01", 0.01, -1), sampleCurves("lr=0.003", 0.003, -1)...),
		sampleCurves("lr=0.03", 0.03, -1)...), CurvesOptions{Title: "learning rates"})
	if err := SaveHTML(page, "curves", single, multi); err != nil {
		t.Fatal(err)
	}
	r, err := browsertest.Run(browsertest.Job{URL: "file://" + page, JavaScript: true, Screenshot: filepath.Join(dir, "curves.png"),
		Slider: &browsertest.SliderMove{Value: "0"}, SliderScreenshot: filepath.Join(dir, "curves-unsmoothed.png")})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.PageErrors)+len(r.ConsoleErrors)+len(r.Blocked) > 0 {
		t.Errorf("errors %v %v, blocked %v", r.PageErrors, r.ConsoleErrors, r.Blocked)
	}
	for _, c := range r.Charts {
		if c.State != "interactive" || c.ViewMarks == 0 {
			t.Errorf("chart %s: %q, %d marks, note %q", c.ID, c.State, c.ViewMarks, c.Note)
		}
	}
	// The smoothing slider (the first on the page) redraws the first chart's curves.
	if r.Sliders != 2 || r.AfterSlider == nil {
		t.Fatalf("%d sliders, want 2 (one smoothing slider per chart)", r.Sliders)
	}
	if r.AfterSlider[0].ViewSVG == r.Charts[0].ViewSVG {
		t.Error("moving the smoothing slider to 0 did not change the curves")
	}
	if r.AfterSlider[1].ViewSVG != r.Charts[1].ViewSVG {
		t.Error("the first chart's slider changed the second chart")
	}
}

// TestDistributionChartsInChromium draws what a capture recorded in Chromium: every chart
// interactive without errors, and the histograms' step slider (the first on the page)
// brings back the first step.
func TestDistributionChartsInChromium(t *testing.T) {
	browsertest.Require(t)
	c, _ := captured(t, demo.Config{}, CaptureOptions{Summaries: SummariesOnHost}, 60)
	var charts []vegalite.Chart
	add := func(ch vegalite.Chart, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		charts = append(charts, ch)
	}
	add(HistogramsChart(c.Snapshots(KindGradients), HistogramsOptions{}))
	add(HistogramsChart(c.Snapshots(KindActivations), HistogramsOptions{Mode: ModeOverlay}))
	add(HistogramsChart(c.Snapshots(KindWeights), HistogramsOptions{Mode: ModeOffset}))
	add(DistributionsChart(c.Snapshots(KindWeights), DistributionsOptions{}))
	add(GradientHealthChart(c.Snapshots(KindGradients), ""))
	add(ActivationStatsChart(c.Snapshots(KindActivations), ""))
	dir := browsertest.Artifacts(t)
	page := filepath.Join(dir, "distributions.html")
	if err := SaveHTML(page, "distributions", charts...); err != nil {
		t.Fatal(err)
	}
	r, err := browsertest.Run(browsertest.Job{URL: "file://" + page, JavaScript: true, Screenshot: filepath.Join(dir, "distributions.png"),
		Slider: &browsertest.SliderMove{Value: "0"}, SliderScreenshot: filepath.Join(dir, "distributions-step0.png")})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.PageErrors)+len(r.ConsoleErrors)+len(r.Blocked) > 0 {
		t.Errorf("errors %v %v, blocked %v", r.PageErrors, r.ConsoleErrors, r.Blocked)
	}
	if len(r.Charts) != len(charts) {
		t.Fatalf("%d charts on the page, want %d", len(r.Charts), len(charts))
	}
	for _, ch := range r.Charts {
		if ch.State != "interactive" || ch.ViewMarks == 0 {
			t.Errorf("chart %s: %q, %d marks, note %q", ch.ID, ch.State, ch.ViewMarks, ch.Note)
		}
	}
	if r.AfterSlider == nil {
		t.Fatal("no slider moved")
	}
	before, after := r.Charts[0].ViewSVG, r.AfterSlider[0].ViewSVG
	if !strings.Contains(before, "step 60") || !strings.Contains(after, "step 10") {
		t.Errorf("the step slider did not go from the last step (60) to the first (10)")
	}
	if r.AfterSlider[1].ViewSVG != r.Charts[1].ViewSVG {
		t.Error("the first chart's slider changed the second chart")
	}
}
