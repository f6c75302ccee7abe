// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"path/filepath"
	"testing"

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
