// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/internal/starter"
	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
)

func TestNewCommand(t *testing.T) {
	root, err := starter.FindCheckout(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "first.ipynb")
	code, out, errOut := runCmd(t, "", "new", path)
	if code != 0 || !strings.Contains(out, "wrote "+path+": a starter notebook using gonbviz at "+root) {
		t.Fatalf("gonbviz new: exit %d\n%s%s", code, out, errOut)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "-replace=github.com/gonbviz/gonbviz="+root+`\n"`) {
		t.Errorf("the first cell does not point at %s", root)
	}
	code, _, errOut = runCmd(t, "", "new", path)
	if code != 1 || !strings.Contains(errOut, "first.ipynb already exists; gonbviz new never overwrites a notebook") {
		t.Errorf("gonbviz new over an existing file: exit %d, %q", code, errOut)
	}
	if after, _ := os.ReadFile(path); string(after) != string(data) {
		t.Error("the existing notebook was changed")
	}
	code, _, errOut = runCmd(t, "", "new", "-gonbviz", dir, filepath.Join(dir, "second.ipynb"))
	if code != 2 || !strings.Contains(errOut, "not a gonbviz checkout") {
		t.Errorf("-gonbviz pointing elsewhere: exit %d, %q", code, errOut)
	}
	if code, _, errOut = runCmd(t, "", "new"); code != 2 || !strings.Contains(errOut, "usage: gonbviz new") {
		t.Errorf("no name: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCmd(t, "", "new", "-gonbviz", root, filepath.Join(dir, "notes.txt"))
	if code != 1 || !strings.Contains(errOut, "name the notebook NAME.ipynb") {
		t.Errorf("a .txt name: exit %d, %q", code, errOut)
	}
}

// The notebook gonbviz new writes, outside this repository, runs in the real GoNB kernel:
// no cell fails, the chart, the diagram, the dashboard and the gradient health are shown,
// and the last cell, a new process, finds the run the training cell recorded.
func TestNewNotebookRunsInGoNB(t *testing.T) {
	notebooktest.Require(t)
	runsRoot := t.TempDir()
	t.Setenv("GONBVIZ_RUNS", runsRoot)
	path := filepath.Join(t.TempDir(), "first.ipynb")
	if code, out, errOut := runCmd(t, "", "new", path); code != 0 {
		t.Fatalf("gonbviz new: exit %d\n%s%s", code, out, errOut)
	}
	executed, err := notebooktest.Execute(t, path, 6*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	logCellTimes(t, executed)
	outs, err := notebooktest.Parse(executed)
	if err != nil {
		t.Fatal(err)
	}
	var charts, diagrams int
	var recorded, latest string
	for _, o := range outs {
		switch {
		case o.Type == "error":
			t.Errorf("cell %d failed: %s: %s", o.Cell, o.EName, o.EValue)
		case o.Type == "stream":
			for _, line := range strings.Split(o.Text, "\n") {
				if d, ok := strings.CutPrefix(line, "recorded in "); ok {
					recorded = d
				}
				if d, ok := strings.CutPrefix(line, "latest run: "); ok {
					latest = d
				}
			}
		}
		if _, ok := o.Data["application/vnd.vegalite.v5+json"]; ok {
			charts++
		}
		if h, ok := o.DataText("text/html"); ok {
			if strings.Contains(h, `class="gonbviz-diagram"`) {
				diagrams++
			}
			if strings.Contains(h, "gonbviz-error") {
				t.Errorf("cell %d shows an error: %.300s", o.Cell, h)
			}
		}
	}
	if charts != 3 || diagrams != 1 {
		t.Errorf("%d charts and %d diagrams shown, want 3 (first chart, dashboard, gradient health) and 1", charts, diagrams)
	}
	if recorded == "" || filepath.Dir(recorded) != runsRoot {
		t.Errorf("the training cell recorded in %q, want a new run under $GONBVIZ_RUNS=%s", recorded, runsRoot)
	}
	if want := recorded + " (MLP "; latest == "" || !strings.HasPrefix(latest, want) || !strings.HasSuffix(latest, ", finished)") {
		t.Errorf("the last cell read %q, want the run the training cell recorded, finished (%s...)", latest, want)
	}
	// The gradient-health chart is the last chart, and has the demo MLP's layers.
	var last notebooktest.Output
	for _, o := range outs {
		if _, ok := o.Data["application/vnd.vegalite.v5+json"]; ok {
			last = o
		}
	}
	if txt, _ := last.DataText("text/plain"); !strings.Contains(txt, "gradient health") {
		t.Errorf("the last chart is %q, want the gradient health", txt)
	}
	if !strings.Contains(string(last.Data["application/vnd.vegalite.v5+json"]), "/model/hidden_0/dense/weights") {
		t.Error("the gradient-health chart lacks the first layer's weights")
	}
}

// logCellTimes logs how long each code cell took (nbclient's timing metadata).
func logCellTimes(t *testing.T, executed []byte) {
	var nb struct {
		Cells []struct {
			CellType string `json:"cell_type"`
			Metadata struct {
				Execution map[string]string `json:"execution"`
			} `json:"metadata"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(executed, &nb); err != nil {
		return
	}
	for i, c := range nb.Cells {
		start, err1 := time.Parse(time.RFC3339Nano, c.Metadata.Execution["iopub.execute_input"])
		end, err2 := time.Parse(time.RFC3339Nano, c.Metadata.Execution["shell.execute_reply"])
		if c.CellType == "code" && err1 == nil && err2 == nil {
			t.Logf("cell %d: %.1f s", i, end.Sub(start).Seconds())
		}
	}
}
