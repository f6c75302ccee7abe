// SPDX-License-Identifier: Apache-2.0

package notebooks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// The TensorBoard notebook, executed by the real GoNB kernel: the gonbviz run writes event
// files (scalars, histograms, config, graph) next to its run store, and the PyTorch-style
// log (testdata/pytorch-log, tensorboardX's format) is overlaid with it and drawn as
// histograms and distributions.
func TestTensorBoardNotebook(t *testing.T) {
	executed := execute(t, "06-tensorboard.ipynb")
	charts := chartOutputs(t, executed)
	// The live dashboard, the overlay, the PyTorch histograms and distributions.
	if len(charts) != 4 {
		t.Fatalf("%d chart outputs, want 4", len(charts))
	}
	raw := func(i int) string { return string(charts[i].Data["application/vnd.vegalite.v5+json"]) }
	var overlay map[string]any
	if err := json.Unmarshal(charts[1].Data["application/vnd.vegalite.v5+json"], &overlay); err != nil {
		t.Fatal(err)
	}
	rows := inlineRows(t, overlay["data"])
	runs := map[string]map[string]int{}
	for _, r := range rows {
		row := r.(map[string]any)
		run, series := row["run"].(string), row["series"].(string)
		if runs[run] == nil {
			runs[run] = map[string]int{}
		}
		runs[run][series]++
	}
	for _, want := range [][2]string{{"gonbviz-mlp", "train/loss"}, {"gonbviz-mlp", "eval/validation/accuracy"}, {"pytorch-mlp", "train/loss"}, {"pytorch-mlp", "eval/validation/accuracy"}} {
		if runs[want[0]][want[1]] == 0 {
			t.Errorf("the overlay has no %s of run %s: %v", want[1], want[0], runs)
		}
	}
	if !strings.Contains(raw(2), "fc1.weight") || !strings.Contains(raw(3), "fc1.weight") {
		t.Errorf("the PyTorch histograms and distributions do not name fc1.weight")
	}
	outs, err := notebooktest.Parse(executed)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, o := range outs {
		if o.Type == "stream" {
			text.WriteString(o.Text)
		}
	}
	for _, want := range []string{"1 event file in the run directory", "tensorboard --logdir", "run pytorch-mlp: 3 scalar series, 20 histograms"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the notebook's text lacks %q:\n%s", want, text.String())
		}
	}
	// The run the notebook wrote is a TensorBoard log with its graph.
	log, err := tensorboard.Read(filepath.Join(os.TempDir(), "gonbviz-notebook-06", "gonbviz-mlp"))
	if err != nil {
		t.Fatal(err)
	}
	r := log.Runs[0]
	if len(r.Scalar("train/loss")) == 0 || len(r.Histograms) == 0 || r.Graph == nil || len(r.Text("config")) != 1 {
		t.Errorf("the notebook's run as TensorBoard reads it: %d train/loss points, %d histogram series, graph %v, config %v",
			len(r.Scalar("train/loss")), len(r.Histograms), r.Graph != nil, r.Text("config"))
	}
}
