// SPDX-License-Identifier: Apache-2.0

package notebooks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
)

// vegaBlocked lists blocked requests that would mean our charts needed the network.
func vegaBlocked(urls []string) []string {
	var bad []string
	for _, u := range urls {
		l := strings.ToLower(u)
		if strings.Contains(l, "vega") || strings.Contains(l, "jsdelivr") || strings.Contains(l, "unpkg") {
			bad = append(bad, u)
		}
	}
	return bad
}

// writeTrusted writes an executed notebook into root under name and signs it with
// jupyter trust, so JupyterLab runs its outputs' scripts.
func writeTrusted(t *testing.T, root, name string, executed []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(root, name), executed, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := notebooktest.Command(t, root, "trust", name).CombinedOutput(); err != nil {
		t.Fatalf("jupyter trust: %v\n%s", err, out)
	}
}

// checkDrawn checks that the page asked the network for no chart library and drew
// wantCharts charts, each interactive with marks.
func checkDrawn(t *testing.T, where string, r browsertest.Result, wantCharts int) {
	t.Helper()
	if bad := vegaBlocked(r.Blocked); len(bad) > 0 {
		t.Errorf("%s: the charts asked the network for %v", where, bad)
	}
	if len(r.Charts) != wantCharts {
		t.Fatalf("%s: %d gonbviz charts on the page, want %d", where, len(r.Charts), wantCharts)
	}
	for _, c := range r.Charts {
		if c.State != "interactive" || c.ViewMarks == 0 {
			t.Errorf("%s: chart %s is %q with %d marks (note %q)", where, c.ID, c.State, c.ViewMarks, c.Note)
		}
	}
}

// checkInteractive is checkDrawn, and moving the slider changed the second chart.
func checkInteractive(t *testing.T, where string, r browsertest.Result, wantCharts int) {
	t.Helper()
	checkDrawn(t, where, r, wantCharts)
	if r.Sliders != 1 || r.AfterSlider == nil {
		t.Fatalf("%s: %d sliders", where, r.Sliders)
	}
	before, after := r.Charts[1].ViewMarks, r.AfterSlider[1].ViewMarks
	if after == 0 || after >= before {
		t.Errorf("%s: moving the slider did not change the view: %d marks before, %d after", where, before, after)
	}
}

// TestChartsInJupyterLab opens the executed notebook in a real JupyterLab (loopback) in
// headless Chromium: trusted and untrusted, the charts are interactive (drawn by
// JupyterLab's own vega renderer from the Vega-Lite spec) and the slider filters the view; exported
// to HTML with nbconvert and opened with the network blocked, with JavaScript or without,
// and sanitized, the static SVGs show.
func TestChartsInJupyterLab(t *testing.T) {
	browsertest.Require(t)
	executed := execute(t, "00-charts.ipynb")
	root := t.TempDir()
	// Jupyter's notary trusts by content hash: the untrusted copy must differ from the
	// trusted one, or signing one signs both.
	var nb map[string]any
	if err := json.Unmarshal(executed, &nb); err != nil {
		t.Fatal(err)
	}
	nb["metadata"].(map[string]any)["title"] = "an untrusted copy"
	untrusted, _ := json.Marshal(nb)
	writeTrusted(t, root, "charts.ipynb", executed)
	if err := os.WriteFile(filepath.Join(root, "untrusted.ipynb"), untrusted, 0o644); err != nil {
		t.Fatal(err)
	}
	art := browsertest.Artifacts(t)
	lab := notebooktest.StartLab(t, root)

	t.Run("trusted", func(t *testing.T) {
		r, err := browsertest.Run(browsertest.Job{
			URL: lab.NotebookURL("charts.ipynb"), JavaScript: true, AllowHosts: []string{"127.0.0.1"},
			Prepare: "jupyterlab", TimeoutMS: 90000,
			Screenshot: filepath.Join(art, "jupyterlab.png"), SliderScreenshot: filepath.Join(art, "jupyterlab-slider.png"),
			Slider: &browsertest.SliderMove{Value: "300"},
		})
		if err != nil {
			t.Fatalf("%v\nserver log:\n%s", err, lab.Log())
		}
		checkInteractive(t, "JupyterLab", r, 3)
	})

	t.Run("untrusted", func(t *testing.T) {
		// JupyterLab's vega renderer is a safe one: an untrusted notebook's charts are
		// interactive too (the outputs carry no script of ours to strip).
		r, err := browsertest.Run(browsertest.Job{
			URL: lab.NotebookURL("untrusted.ipynb"), JavaScript: true, AllowHosts: []string{"127.0.0.1"},
			Prepare: "jupyterlab", TimeoutMS: 90000,
			Screenshot: filepath.Join(art, "jupyterlab-untrusted.png"), Slider: &browsertest.SliderMove{Value: "300"},
		})
		if err != nil {
			t.Fatalf("%v\nserver log:\n%s", err, lab.Log())
		}
		checkInteractive(t, "untrusted JupyterLab", r, 3)
		t.Logf("untrusted: %d visible charts, drawn by %+v", r.VisibleCharts, r.Renderers)
	})

	// nbconvert's HTML export shows each chart's static SVG (interactive offline export is
	// gonbviz export's), with JavaScript and without, and when its sanitizer strips
	// scripts and event handlers as GitHub's renderer does.
	if out, err := notebooktest.Command(t, root, "nbconvert", "--to", "html", "charts.ipynb").CombinedOutput(); err != nil {
		t.Fatalf("nbconvert: %v\n%s", err, out)
	}
	if out, err := notebooktest.Command(t, root, "nbconvert", "--to", "html", "--HTMLExporter.sanitize_html=True",
		"--output", "charts-sanitized", "charts.ipynb").CombinedOutput(); err != nil {
		t.Fatalf("nbconvert (sanitized): %v\n%s", err, out)
	}
	for _, c := range []struct {
		name, file string
		js         bool
	}{{"exported", "charts.html", true}, {"exported-nojs", "charts.html", false}, {"sanitized", "charts-sanitized.html", false}} {
		t.Run(c.name, func(t *testing.T) {
			page := filepath.Join(root, c.file)
			html, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(html), `class="gonbviz-lib"`); n != 0 {
				t.Errorf("%d library copies in the exported page, want none", n)
			}
			r, err := browsertest.Run(browsertest.Job{
				URL: "file://" + page, JavaScript: c.js, WaitFor: "static", TimeoutMS: 60000,
				Screenshot: filepath.Join(art, c.name+".png"),
			})
			if err != nil {
				t.Fatal(err)
			}
			if bad := vegaBlocked(r.Blocked); len(bad) > 0 {
				t.Errorf("the page asked the network for %v", bad)
			}
			if r.VisibleCharts != 3 || r.Renderers.SVGOutputs != 3 {
				t.Errorf("%d visible charts in %d SVG outputs, want 3; outputs:\n%s", r.VisibleCharts, r.Renderers.SVGOutputs, strings.Join(r.Outputs, "\n"))
			}
		})
	}
}

// keepDocImage copies a screenshot into docs/images under name when GONBVIZ_UPDATE_DOCS=1
// (the README shows them).
func keepDocImage(t *testing.T, src, name string) {
	t.Helper()
	if os.Getenv("GONBVIZ_UPDATE_DOCS") != "1" {
		return
	}
	png, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "docs", "images")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTrainingCurvesInJupyterLab opens the executed, trusted notebook 01 in a real
// JupyterLab: the live dashboard (as the training left it) and the sweep are drawn,
// interactive, with nothing asked of the network.
func TestTrainingCurvesInJupyterLab(t *testing.T) {
	browsertest.Require(t)
	executed := execute(t, "01-training-curves.ipynb")
	root := t.TempDir()
	writeTrusted(t, root, "curves.ipynb", executed)
	lab := notebooktest.StartLab(t, root)
	shot := filepath.Join(browsertest.Artifacts(t), "jupyterlab-dashboard.png")
	r, err := browsertest.Run(browsertest.Job{
		URL: lab.NotebookURL("curves.ipynb"), JavaScript: true, AllowHosts: []string{"127.0.0.1"},
		Prepare: "jupyterlab", TimeoutMS: 120000, Screenshot: shot, ChartInView: true,
	})
	if err != nil {
		t.Fatalf("%v\nserver log:\n%s", err, lab.Log())
	}
	checkDrawn(t, "JupyterLab", r, 2) // the dashboard, the sweep
	keepDocImage(t, shot, "jupyterlab-dashboard.png")
}
