// SPDX-License-Identifier: Apache-2.0

package notebooks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
	"github.com/gonbviz/gonbviz/internal/dsv"
	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
)

// executed runs the notebook once per test binary and returns its executed bytes.
var executedCache = map[string][]byte{}

func execute(t *testing.T, name string) []byte {
	t.Helper()
	if b, ok := executedCache[name]; ok {
		return b
	}
	notebooktest.Require(t)
	out, err := notebooktest.Execute(t, name, 6*time.Minute)
	if err != nil {
		t.Fatalf("executing %s: %v", name, err)
	}
	executedCache[name] = out
	if os.Getenv("GONBVIZ_UPDATE_DOCS") == "1" {
		dst := filepath.Join("..", "..", "docs", "notebooks", name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// inlineRows returns the rows of a spec's inline data, given as rows or as CSV/TSV text.
func inlineRows(t *testing.T, data any) []any {
	t.Helper()
	rows, ok := dsv.InlineRows(data)
	if !ok {
		t.Fatalf("no readable inline data in %.200v", data)
	}
	return rows
}

// chartOutputs returns the display outputs that are gonbviz charts.
func chartOutputs(t *testing.T, executed []byte) []notebooktest.Output {
	outs, err := notebooktest.Parse(executed)
	if err != nil {
		t.Fatal(err)
	}
	var charts []notebooktest.Output
	for _, o := range outs {
		if o.Type == "error" {
			t.Errorf("cell %d failed: %s: %s", o.Cell, o.EName, o.EValue)
		}
		if _, ok := o.Data["application/vnd.vegalite.v5+json"]; ok {
			charts = append(charts, o)
		}
	}
	return charts
}

func TestChartsNotebook(t *testing.T) {
	executed := execute(t, "00-charts.ipynb")
	charts := chartOutputs(t, executed)
	if len(charts) != 3 {
		t.Fatalf("%d chart outputs, want 3 (bar, slider, live)", len(charts))
	}
	// The live output was updated in place: one output, holding the last update.
	if txt, _ := charts[2].DataText("text/plain"); txt != "Vega-Lite line chart: update 3 of 3" {
		t.Errorf("live output holds %q, want the last update", txt)
	}
	for _, c := range charts {
		var spec map[string]any
		if err := json.Unmarshal(c.Data["application/vnd.vegalite.v5+json"], &spec); err != nil {
			t.Errorf("cell %d: the Vega-Lite output is not a JSON object: %v", c.Cell, err)
			continue
		}
		if spec["$schema"] != "https://vega.github.io/schema/vega-lite/v5.json" {
			t.Errorf("cell %d: spec $schema = %v", c.Cell, spec["$schema"])
		}
		if _, ok := c.DataText("text/html"); ok {
			t.Errorf("cell %d: a chart output carries text/html (a library copy travels with it)", c.Cell)
		}
		svg, ok := c.DataText("image/svg+xml")
		if !ok || !strings.HasPrefix(svg, "<svg") {
			t.Errorf("cell %d: no image/svg+xml", c.Cell)
		}
		if txt, ok := c.DataText("text/plain"); !ok || !strings.HasPrefix(txt, "Vega-Lite ") {
			t.Errorf("cell %d: text/plain = %q", c.Cell, txt)
		}
	}
	// The invalid chart's cell shows the problem with its path, and no chart.
	outs, _ := notebooktest.Parse(executed)
	var sawError, sawReturn bool
	for _, o := range outs {
		if h, ok := o.DataText("text/html"); ok && strings.Contains(h, "gonbviz-error") &&
			strings.Contains(h, `/encoding/y/field: field &#34;bee&#34; is not in the data`) {
			sawError = true
		}
		if o.Type == "stream" && strings.Contains(o.Text, "Display returned an error: true") {
			sawReturn = true
		}
	}
	if !sawError || !sawReturn {
		t.Errorf("the invalid chart's error was not shown (%v) or not returned (%v)", sawError, sawReturn)
	}
}

func TestTrainingCurvesNotebook(t *testing.T) {
	executed := execute(t, "01-training-curves.ipynb")
	charts := chartOutputs(t, executed)
	if len(charts) != 2 {
		t.Fatalf("%d chart outputs, want 2 (the live dashboard, the sweep)", len(charts))
	}
	// The dashboard's output holds its final state, with the static SVG.
	var spec map[string]any
	if err := json.Unmarshal(charts[0].Data["application/vnd.vegalite.v5+json"], &spec); err != nil {
		t.Fatal(err)
	}
	title, _ := spec["title"].(map[string]any)
	backend := kernelBackend()
	if sub, _ := title["subtitle"].(string); !strings.Contains(sub, "step 3000/3000") || !strings.Contains(sub, "steps/s") ||
		!strings.Contains(sub, "backend "+backend) {
		t.Errorf("dashboard progress line: %q (want backend %s)", sub, backend)
	}
	if svg, ok := charts[0].DataText("image/svg+xml"); !ok || !strings.HasPrefix(svg, "<svg") {
		t.Error("the dashboard's final state has no static SVG")
	}
	// The sweep overlays the three runs: its data (CSV text, see vegalite.Data.Compact) has
	// rows of each.
	var sweep map[string]any
	if err := json.Unmarshal(charts[1].Data["application/vnd.vegalite.v5+json"], &sweep); err != nil {
		t.Fatal(err)
	}
	runs := map[any]bool{}
	for _, r := range inlineRows(t, sweep["data"]) {
		runs[r.(map[string]any)["run"]] = true
	}
	for _, run := range []string{"lr=0.0003", "lr=0.001", "lr=0.003"} {
		if !runs[run] {
			t.Errorf("the sweep chart lacks run %s (runs %v)", run, runs)
		}
	}
	// The backend line was printed.
	outs, _ := notebooktest.Parse(executed)
	sawBackend := false
	for _, o := range outs {
		if o.Type == "stream" && strings.HasPrefix(o.Text, "backend: ") {
			sawBackend = true
			if backend == xlatest.XLACPUName && !strings.HasPrefix(o.Text, "backend: xla (CPU PJRT plugin ") {
				t.Errorf("the notebook did not train on XLA on the CPU: %s", o.Text)
			}
		}
	}
	if !sawBackend {
		t.Error("the backend choice was not printed")
	}
}

// kernelBackend is the backend the notebooks' cells train on: "xla-cpu" where
// scripts/setup-xla.sh installed the CPU plugin (the kernel's PJRT_PLUGIN_LIBRARY_PATH points
// at it), or in CI (GONBVIZ_REQUIRE_XLA=1), where it must have; else "go".
func kernelBackend() string {
	if os.Getenv(xlatest.RequireEnv) == "1" || xlatest.CPUChoice().Kind == backendsel.KindXLACPU {
		return xlatest.XLACPUName
	}
	return xlatest.GoName
}
