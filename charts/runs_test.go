// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/render"
	"github.com/gonbviz/gonbviz/runs"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// Curves gonbviz draws itself stay under the row limit, however many series and runs.
func TestCurvesStayUnderTheRowLimit(t *testing.T) {
	dir := t.TempDir()
	var dirs []string
	for r := 0; r < 4; r++ {
		rd := filepath.Join(dir, fmt.Sprint("run", r))
		run, err := runs.Create(rd, runs.Meta{Name: fmt.Sprint("run", r)})
		if err != nil {
			t.Fatal(err)
		}
		for step := int64(1); step <= 3000; step++ {
			for _, name := range []string{"train/loss", "train/accuracy", "train/other", "eval/validation/loss"} {
				run.Add(name, step, 1/float64(step))
			}
		}
		if err := run.Close(); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, rd)
	}
	chart, err := charts.CompareRuns(dirs, charts.CompareRunsOptions{Title: "many"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := render.Chart(chart) // the default row limit applies
	if err != nil {
		t.Fatalf("CompareRuns hit the row limit: %v", err)
	}
	m, err := vl.Spec{JSON: out.SpecJSON()}.Value()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(dataRows(t, m["data"])); n > render.DefaultMaxRows || n < 2000 {
		t.Errorf("%d rows", n)
	}
}

// CompareRuns says which argument is wrong and what to pass.
func TestCompareRunsErrors(t *testing.T) {
	if _, err := charts.CompareRuns(nil, charts.CompareRunsOptions{}); err == nil ||
		!strings.Contains(err.Error(), "charts.CompareRuns: dirs is empty; pass the run directories") {
		t.Errorf("no dirs: %v", err)
	}
	run, err := runs.Create(filepath.Join(t.TempDir(), "run"), runs.Meta{Name: "one"})
	if err != nil {
		t.Fatal(err)
	}
	for step := int64(1); step <= 10; step++ {
		run.Add("train/loss", step, 1/float64(step))
		run.Add("train/loss_ma", step, 1/float64(step))
	}
	if err := run.Close(); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing")
	if _, err := charts.CompareRuns([]string{run.Dir(), missing}, charts.CompareRunsOptions{}); err == nil ||
		!strings.Contains(err.Error(), "charts.CompareRuns: dirs[1]: ") {
		t.Errorf("a missing run: %v", err)
	}
	// Moving averages are left out: the smoothing control does their work.
	c, err := charts.CompareRuns([]string{run.Dir()}, charts.CompareRunsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if s := string(spec); !strings.Contains(s, `"training curves"`) || !strings.Contains(s, "train/loss") || strings.Contains(s, "train/loss_ma") {
		t.Errorf("CompareRuns of one run: not titled \"training curves\", or without train/loss, or with its moving average: %.300s", s)
	}
}
