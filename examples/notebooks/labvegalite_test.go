// SPDX-License-Identifier: Apache-2.0

package notebooks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
)

// TestJupyterLabVegaLiteIsPinned: the vega-lite that the installed JupyterLab's own
// renderer bundles (it draws every notebook chart) is the one scripts/node pins as
// vega-lite-jupyterlab, which the tests compile the charts with to check that JupyterLab
// draws what gonbviz draws (charts.TestJupyterLabDrawsTheSame,
// TestNotebookChartsDrawnAlikeByJupyterLab). A JupyterLab upgrade fails here until the
// pin follows it.
func TestJupyterLabVegaLiteIsPinned(t *testing.T) {
	venv := notebooktest.Require(t)
	static := filepath.Join(venv, "share", "jupyter", "lab", "static")
	files, err := filepath.Glob(filepath.Join(static, "*.js"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no JupyterLab static bundle in %s (%v)", static, err)
	}
	re := regexp.MustCompile(`name:"vega-lite",version:"([0-9.]+)"`)
	var lab []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			lab = append(lab, string(m[1]))
		}
	}
	if len(lab) != 1 {
		t.Fatalf("JupyterLab's bundle names vega-lite versions %q, want exactly one", lab)
	}
	pkg, err := os.ReadFile(filepath.Join("..", "..", "scripts", "node", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(pkg, &p); err != nil {
		t.Fatal(err)
	}
	if want := "npm:vega-lite@" + lab[0]; p.Dependencies["vega-lite-jupyterlab"] != want {
		t.Errorf("scripts/node/package.json pins vega-lite-jupyterlab %q; JupyterLab bundles vega-lite %s: pin %q",
			p.Dependencies["vega-lite-jupyterlab"], lab[0], want)
	}
}

// TestNotebookChartsDrawnAlikeByJupyterLab: every chart output of the example notebooks,
// compiled by JupyterLab's vega-lite, draws the SVG that ours draws, byte for byte.
func TestNotebookChartsDrawnAlikeByJupyterLab(t *testing.T) {
	nodecheck.Require(t)
	specs := map[string][]byte{}
	for _, name := range []string{"00-charts.ipynb", "01-training-curves.ipynb", "03-weights-activations-gradients.ipynb", "05-decisions.ipynb"} {
		for i, c := range chartOutputs(t, execute(t, name)) {
			specs[fmt.Sprintf("%s/%d (cell %d)", name, i, c.Cell)] = c.Data["application/vnd.vegalite.v5+json"]
		}
	}
	ours, err := nodecheck.Check(specs, true)
	if err != nil {
		t.Fatal(err)
	}
	lab, err := nodecheck.CheckJupyterLab(specs)
	if err != nil {
		t.Fatal(err)
	}
	for name := range specs {
		o, l := ours[name], lab[name]
		switch {
		case !o.OK || !l.OK:
			t.Errorf("%s: errors with our vega-lite %q, with JupyterLab's %q", name, o.Errors, l.Errors)
		case o.SVG != l.SVG:
			t.Errorf("%s: JupyterLab's vega-lite draws another SVG (%d bytes, ours %d)", name, len(l.SVG), len(o.SVG))
		case !strings.HasPrefix(o.SVG, "<svg"):
			t.Errorf("%s: no SVG", name)
		}
	}
	t.Logf("%d notebook charts drawn alike", len(specs))
}
