// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/internal/testing/trainingtest"
	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// savePage writes the charts to a self-contained page (render.Page), as
// notebookviz.SaveHTML does.
func savePage(t *testing.T, path, title string, cs ...vl.Chart) {
	t.Helper()
	outs := make([]*render.Output, len(cs))
	for i, c := range cs {
		var err error
		if outs[i], err = render.Chart(c); err != nil {
			t.Fatalf("chart %d: %v", i, err)
		}
	}
	page, err := render.Page(title, outs...)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCurvesInChromium shows training curves (one run with a NaN, and three runs) in
// Chromium: interactive, marks drawn, no errors.
func TestCurvesInChromium(t *testing.T) {
	browsertest.Require(t)
	dir := browsertest.Artifacts(t)
	page := filepath.Join(dir, "curves.html")
	single := mustCurves(t, sampleCurves("", 0.01, 120), charts.CurvesOptions{Title: "digits MLP", Subtitle: "step 300/300 · 52 steps/s · backend go"})
	multi := mustCurves(t, threeRuns(), charts.CurvesOptions{Title: "learning rates"})
	savePage(t, page, "curves", single, multi)
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
	c, _ := trainingtest.Captured(t, nil, demo.Config{}, capture.Options{Summaries: capture.SummariesOnHost}, 60)
	var built []vl.Chart
	add := func(ch vl.Chart, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		built = append(built, ch)
	}
	add(charts.Histograms(c.Snapshots(capture.KindGradients), charts.HistogramsOptions{}))
	add(charts.Histograms(c.Snapshots(capture.KindActivations), charts.HistogramsOptions{Mode: charts.ModeOverlay}))
	add(charts.Histograms(c.Snapshots(capture.KindWeights), charts.HistogramsOptions{Mode: charts.ModeOffset}))
	add(charts.Distributions(c.Snapshots(capture.KindWeights), charts.DistributionsOptions{}))
	add(charts.GradientHealth(c.Snapshots(capture.KindGradients), charts.GradientHealthOptions{}))
	add(charts.ActivationStats(c.Snapshots(capture.KindActivations), charts.ActivationStatsOptions{}))
	dir := browsertest.Artifacts(t)
	page := filepath.Join(dir, "distributions.html")
	savePage(t, page, "distributions", built...)
	r, err := browsertest.Run(browsertest.Job{URL: "file://" + page, JavaScript: true, Screenshot: filepath.Join(dir, "distributions.png"),
		Slider: &browsertest.SliderMove{Value: "0"}, SliderScreenshot: filepath.Join(dir, "distributions-step0.png")})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.PageErrors)+len(r.ConsoleErrors)+len(r.Blocked) > 0 {
		t.Errorf("errors %v %v, blocked %v", r.PageErrors, r.ConsoleErrors, r.Blocked)
	}
	if len(r.Charts) != len(built) {
		t.Fatalf("%d charts on the page, want %d", len(r.Charts), len(built))
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
