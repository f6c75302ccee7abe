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

func TestWeightsActivationsGradientsNotebook(t *testing.T) {
	executed := execute(t, "03-weights-activations-gradients.ipynb")
	charts := chartOutputs(t, executed)
	// Two dashboards, two gradient-health charts, distributions, activations, a histogram.
	if len(charts) != 7 {
		t.Fatalf("%d chart outputs, want 7", len(charts))
	}
	spec := func(i int) (map[string]any, string) {
		raw := charts[i].Data["application/vnd.vegalite.v5+json"]
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return m, string(raw)
	}
	// The dashboards name the backend the cells trained on.
	dash, _ := spec(0)
	if sub, backend := subtitleText(dash), kernelBackend(); !strings.Contains(sub, "backend "+backend) {
		t.Errorf("the sigmoid dashboard's progress line %q does not name backend %s", sub, backend)
	}
	// The sigmoid network's gradients vanish, and the chart says so; the ReLU one's do not.
	sig, _ := spec(1)
	if sub := subtitleText(sig); !strings.Contains(sub, "vanishing: the RMS gradient of /model/hidden_0/dense/weights") {
		t.Errorf("sigmoid gradient health does not flag vanishing gradients: %q", sub)
	}
	relu, _ := spec(3)
	if sub := subtitleText(relu); strings.Contains(sub, "vanishing") || strings.Contains(sub, "⚠") {
		t.Errorf("ReLU + layer norm gradient health is flagged: %q", sub)
	}
	// Read back from the run directories: every sigmoid layer, and the ReLU activations.
	dist, _ := spec(4)
	layers := map[any]bool{}
	for _, r := range inlineRows(t, dist["data"]) {
		layers[r.(map[string]any)["name"]] = true
	}
	for _, layer := range []string{"/model/hidden_0/dense/weights", "/model/hidden_5/dense/weights", "/model/output/dense/biases"} {
		if !layers[layer] {
			t.Errorf("the distributions chart lacks %s", layer)
		}
	}
	hist, raw := spec(5)
	if !strings.Contains(raw, `"at_step"`) || !strings.Contains(raw, "/model/hidden_5") {
		t.Error("the activation histograms lack their step slider or layers")
	}
	if sub := subtitleText(hist); !strings.Contains(sub, "6 layers · 30 snapshots") {
		t.Errorf("activation histograms subtitle: %q", sub)
	}
	last, _ := spec(6)
	if sub := subtitleText(last); !strings.Contains(sub, "1 NaN and 1 +Inf") {
		t.Errorf("the histogram does not name its non-finite values: %q", sub)
	}
	// Every chart carries its static SVG.
	for i, c := range charts {
		if svg, ok := c.DataText("image/svg+xml"); !ok || !strings.HasPrefix(svg, "<svg") {
			t.Errorf("chart %d has no static SVG", i)
		}
	}
	outs, _ := notebooktest.Parse(executed)
	for _, o := range outs {
		if o.Type == "stream" && strings.Contains(o.Text, "error") {
			t.Errorf("cell %d printed: %s", o.Cell, o.Text)
		}
	}
}

// TestWeightsNotebookInJupyterLab opens the executed, trusted notebook 03 in a real
// JupyterLab: all seven charts (dashboards, gradient health, distributions, histograms,
// a histogram of a slice) turn interactive, drawn, with nothing asked of the network.
func TestWeightsNotebookInJupyterLab(t *testing.T) {
	browsertest.Require(t)
	executed := execute(t, "03-weights-activations-gradients.ipynb")
	root := t.TempDir()
	writeTrusted(t, root, "weights.ipynb", executed)
	lab := notebooktest.StartLab(t, root)
	r, err := browsertest.Run(browsertest.Job{
		URL: lab.NotebookURL("weights.ipynb"), JavaScript: true, AllowHosts: []string{"127.0.0.1"},
		Prepare: "jupyterlab", TimeoutMS: 120000,
		Screenshot: filepath.Join(browsertest.Artifacts(t), "jupyterlab-weights.png"),
	})
	if err != nil {
		t.Fatalf("%v\nserver log:\n%s", err, lab.Log())
	}
	checkDrawn(t, "JupyterLab", r, 7)
}
