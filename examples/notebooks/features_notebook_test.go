// SPDX-License-Identifier: Apache-2.0

package notebooks

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
)

// featureCharts are notebook 04's charts, in order, and a phrase each one's subtitle
// must hold.
var featureCharts = []struct{ what, subtitle string }{
	{"feature distributions", "train 120 rows, test 58 rows"},
	{"scatter matrix", "178 rows in 3 classes"},
	{"PCA of the wine", "PCA of 178 points of 13 features"},
	{"t-SNE of the digits", "t-SNE of 1,797 points of 64 features"},
	{"PCA of the hidden layer over training", "PCA of 500 points of 64 features · 7 steps, 1 to 1,500"},
	{"t-SNE of the hidden layer, first and last step", "t-SNE of 500 points of 64 features · 2 steps, 1 to 1,500"},
}

func TestFeaturesNotebook(t *testing.T) {
	executed := execute(t, "04-features.ipynb")
	outs, _ := notebooktest.Parse(executed)
	for _, o := range outs {
		if o.Type == "stream" && strings.TrimSpace(o.Text) != "" {
			t.Errorf("cell %d printed: %s", o.Cell, o.Text)
		}
	}
	charts := chartOutputs(t, executed)
	if len(charts) != len(featureCharts) {
		t.Fatalf("%d chart outputs, want %d", len(charts), len(featureCharts))
	}
	for i, want := range featureCharts {
		raw := charts[i].Data["application/vnd.vegalite.v5+json"]
		var spec map[string]any
		if err := json.Unmarshal(raw, &spec); err != nil {
			t.Fatal(err)
		}
		if sub := subtitleText(spec); !strings.Contains(sub, want.subtitle) {
			t.Errorf("%s: subtitle %q lacks %q", want.what, sub, want.subtitle)
		}
		if svg, ok := charts[i].DataText("image/svg+xml"); !ok || !strings.HasPrefix(svg, "<svg") {
			t.Errorf("%s has no static SVG", want.what)
		}
	}
	for _, i := range []int{4, 5} {
		if raw := string(charts[i].Data["application/vnd.vegalite.v5+json"]); !strings.Contains(raw, `"at_step"`) {
			t.Errorf("%s has no step slider", featureCharts[i].what)
		}
	}
	// The digits' t-SNE carries each digit's image for the hover, and its static SVG none.
	if raw := string(charts[3].Data["application/vnd.vegalite.v5+json"]); !strings.Contains(raw, "data:image/png;base64,") || !strings.Contains(raw, "datum.png") {
		t.Error("the digits' t-SNE carries no images for the hover")
	}
	if svg, _ := charts[3].DataText("image/svg+xml"); strings.Contains(svg, "base64") {
		t.Error("the digits' t-SNE's static SVG carries images")
	}
	t.Logf("the digits' t-SNE output: %d bytes of Vega-Lite, %d of SVG", len(charts[3].Data["application/vnd.vegalite.v5+json"]), len(charts[3].Data["image/svg+xml"]))
	// The trained MLP's mistakes are crosses.
	if raw := string(charts[4].Data["application/vnd.vegalite.v5+json"]); !strings.Contains(raw, `"cross"`) {
		t.Error("the hidden layer's PCA does not mark wrong predictions")
	}
}

// subtitleText is a spec's subtitle, its lines joined by spaces.
func subtitleText(spec map[string]any) string {
	title, _ := spec["title"].(map[string]any)
	switch s := title["subtitle"].(type) {
	case string:
		return s
	case []any:
		var parts []string
		for _, p := range s {
			parts = append(parts, p.(string))
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// TestFeaturesNotebookInJupyterLab opens the executed, trusted notebook 04 in a real
// JupyterLab in headless Chromium: all six charts turn interactive, with nothing asked of
// the network; moving the first step slider (the hidden layer's PCA) to its start
// redraws that chart; hovering a digit of the t-SNE shows its image in the tooltip; and
// dragging a rectangle in the scatter matrix's first panel greys the points outside it
// in every panel, the same points in each.
func TestFeaturesNotebookInJupyterLab(t *testing.T) {
	browsertest.Require(t)
	executed := execute(t, "04-features.ipynb")
	root := t.TempDir()
	writeTrusted(t, root, "features.ipynb", executed)
	lab := notebooktest.StartLab(t, root)
	art := browsertest.Artifacts(t)
	r, err := browsertest.Run(browsertest.Job{
		URL: lab.NotebookURL("features.ipynb"), JavaScript: true, AllowHosts: []string{"127.0.0.1"},
		Prepare: "jupyterlab", TimeoutMS: 180000,
		Screenshot:       filepath.Join(art, "jupyterlab-features.png"),
		SliderScreenshot: filepath.Join(art, "jupyterlab-features-slider.png"),
		Slider:           &browsertest.SliderMove{Value: "1"},
		Hover:            &browsertest.Hover{Chart: 3, Selector: ".mark-symbol path", Nth: 0, Screenshot: filepath.Join(art, "jupyterlab-features-hover.png")},
		Drag: &browsertest.Drag{Chart: 1, Selector: `g.mark-symbol[class*="cell_"]`, Nth: 0, From: [2]float64{0.02, 0.02}, To: [2]float64{0.55, 0.6},
			Screenshot: filepath.Join(art, "jupyterlab-features-brush.png")},
	})
	if err != nil {
		t.Fatalf("%v\nserver log:\n%s", err, lab.Log())
	}
	checkDrawn(t, "JupyterLab", r, len(featureCharts))
	if r.Sliders != 2 || len(r.AfterSlider) != len(r.Charts) {
		t.Fatalf("%d sliders, %d charts after moving one", r.Sliders, len(r.AfterSlider))
	}
	if before, after := r.Charts[4].ViewSVG, r.AfterSlider[4].ViewSVG; before == after || after == "" {
		t.Error("moving the step slider to step 1 did not redraw the hidden layer's PCA")
	}
	if r.Charts[5].ViewSVG != r.AfterSlider[5].ViewSVG {
		t.Error("the first slider moved the other chart too")
	}
	// The hover.
	if tip := r.Tooltip; tip == nil || !tip.Visible || len(tip.Images) != 1 {
		t.Errorf("hovering a digit of the t-SNE: tooltip %+v, want one image", tip)
	} else if im := tip.Images[0]; !strings.HasPrefix(im.Src, "data:image/png;base64,") || !im.Decoded || im.Width != 48 {
		t.Errorf("the tooltip's image: %.60q, decoded %v, %d×%d", im.Src, im.Decoded, im.Width, im.Height)
	}
	// The brush: before, no point is grey; after, in every scatter panel the same number
	// of points, some but not all.
	if len(r.AfterDrag) != len(r.Charts) {
		t.Fatalf("%d charts after the drag", len(r.AfterDrag))
	}
	before, after := panelFills(r.Charts[1].ViewSVG), panelFills(r.AfterDrag[1].ViewSVG)
	if len(before) < 2 || len(after) != len(before) {
		t.Fatalf("scatter panels: %d before the drag, %d after", len(before), len(after))
	}
	for p := range before {
		if before[p].grey != 0 {
			t.Errorf("panel %d: %d grey points before the drag", p, before[p].grey)
		}
		if a := after[p]; a.points != before[p].points || a.grey == 0 || a.grey == a.points || a.grey != after[0].grey {
			t.Errorf("panel %d after the drag: %d of %d points grey (panel 0: %d); want the same points outside the brush grey in every panel",
				p, a.grey, a.points, after[0].grey)
		}
	}
	t.Logf("the brush greyed %d of %d points in each of %d panels", after[0].grey, after[0].points, len(after))
}

// panelFill counts the points of one scatter panel and those drawn grey (unselected).
type panelFill struct{ points, grey int }

// panelFills counts, in a chart's view SVG, the points of each group of symbols (one per
// scatter panel, named cell_R_C) and the grey ones among them.
func panelFills(svg string) []panelFill {
	var out []panelFill
	parts := strings.Split(svg, `<g class="mark-symbol`)
	for _, p := range parts[1:] {
		if !strings.HasPrefix(p, " role-mark cell_") {
			continue // a legend's symbols, the diagonal's invisible axis layer
		}
		if end := strings.Index(p, "</g>"); end >= 0 {
			p = p[:end]
		}
		out = append(out, panelFill{points: strings.Count(p, "<path"), grey: strings.Count(p, `fill="#d0d0d0"`)})
	}
	return out
}
