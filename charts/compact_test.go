// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/dsv"
	"github.com/gonbviz/gonbviz/internal/svgrender"
	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
	"github.com/gonbviz/gonbviz/render"
	"github.com/gonbviz/gonbviz/runs"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// dataRows returns the rows of an inline data object, in rows or in CSV text (Compact).
func dataRows(t *testing.T, data any) []any {
	t.Helper()
	rows, ok := dsv.InlineRows(data)
	if !ok {
		t.Fatalf("no readable inline data in %.200v", data)
	}
	return rows
}

// rowsForm returns a copy of a decoded spec with every CSV data set written as rows, and
// how many it changed: the spec as gonbviz wrote it before Compact.
func rowsForm(t *testing.T, spec any) (any, int) {
	t.Helper()
	n := 0
	var conv func(v any) any
	conv = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			out := make(map[string]any, len(x))
			for k, e := range x {
				out[k] = conv(e)
			}
			if _, ok := x["values"].(string); ok {
				if _, ok := dsv.Delimiter(x["format"]); ok {
					out["values"] = dataRows(t, x)
					delete(out, "format")
					n++
				}
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = conv(e)
			}
			return out
		}
		return v
	}
	return conv(spec), n
}

// hostile is a run and tensor name that would break out of a <script> or an SVG
// attribute if it were not escaped, with the line separators Vega's expressions reject.
const hostile = "</script><img src=x onerror=alert(1)> \"&'\u2028\u2029, a"

// hostileCharts are small charts of every builder with a hostile run or tensor name and
// NaN values, not in the gallery: their specs must be safe in a <script>, their pictures
// must escape the names, and they must carry no notes (gonbviz's charts name their gaps
// in the subtitle).
func hostileCharts(t *testing.T) map[string]vl.Chart {
	t.Helper()
	cases := map[string]vl.Chart{}
	add := func(name string, c vl.Chart, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cases[name] = c
	}
	c, err := charts.Curves(append(sampleCurves("lr=0.01", 0.01, 60), sampleCurves(hostile, 0.03, 120)...),
		charts.CurvesOptions{Title: "learning rates <&>"})
	add("hostile-curves", c, err)
	c, err = charts.Histogram([]float64{1, 2, 2, 3, math.NaN(), math.Inf(1)}, charts.HistogramOptions{Title: hostile, XTitle: "weights <&>"})
	add("hostile-histogram", c, err)
	grads := append(synthetic(capture.KindGradients, hostile, 3, func(i int) float64 { return 1 + float64(i) }),
		synthetic(capture.KindGradients, "/model/output/dense/weights", 3, func(int) float64 { return 2 })...)
	grads[1].NaN, grads[2].Count, grads[2].NaN = 7, 0, 50
	grads[2].Percentiles = nil
	c, err = charts.Histograms(grads, charts.HistogramsOptions{})
	add("hostile-histograms", c, err)
	c, err = charts.Distributions(grads, charts.DistributionsOptions{})
	add("hostile-distributions", c, err)
	c, err = charts.GradientHealth(grads, charts.GradientHealthOptions{})
	add("hostile-gradient-health", c, err)
	acts := synthetic(capture.KindActivations, hostile, 3, func(int) float64 { return 1 })
	acts[1].Count = 0
	c, err = charts.ActivationStats(acts, charts.ActivationStatsOptions{})
	add("hostile-activation-stats", c, err)
	return cases
}

// gonbviz's charts (the gallery's golden specs, and the hostile charts) carry their data
// as CSV, and draw exactly what the same spec with rows draws: the static SVG
// (render.StaticSpec) and the full spec, in QuickJS and in Node, with no warnings; and the
// row limit counts their CSV rows as it counts rows. Their specs are safe in a <script>,
// and their SVGs escape the names they draw.
func TestCompactChartsDrawAsRows(t *testing.T) {
	all := goldenSpecs(t)
	for name, c := range hostileCharts(t) {
		spec, err := c.Build()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(spec.Notes) > 0 {
			t.Errorf("%s: notes %v (gonbviz's charts name their gaps in the subtitle)", name, spec.Notes)
		}
		all[name] = spec.JSON
	}
	specs := map[string][]byte{}
	for name, specJSON := range all {
		spec := vl.Spec{JSON: specJSON}
		m, err := spec.Value()
		if err != nil {
			t.Fatal(err)
		}
		rows, n := rowsForm(t, m)
		if n == 0 {
			t.Fatalf("%s: no CSV data in the spec", name)
		}
		if strings.Contains(string(spec.JSON), "</script") || strings.Contains(string(spec.JSON), "\u2028") {
			t.Errorf("%s: the spec is not safe in a <script>", name)
		}
		rowsJSON, err := vl.SafeJSON(rows)
		if err != nil {
			t.Fatal(err)
		}
		if err := vl.Validate(spec.JSON); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		// Past a limit of 1 row, the row limit names the count and where the most rows are:
		// the same for CSV as for rows.
		_, errCSV := render.Spec(spec.JSON, render.WithMaxRows(1), render.WithoutStatic())
		_, errRows := render.Spec(rowsJSON, render.WithMaxRows(1), render.WithoutStatic())
		if errCSV == nil || errRows == nil || errCSV.Error() != errRows.Error() || !strings.Contains(errCSV.Error(), "inline data rows") {
			t.Errorf("%s: the row limit counts the CSV spec as %v\nand the rows spec as %v", name, errCSV, errRows)
		}
		specs[name+"/csv"], specs[name+"/rows"] = spec.JSON, rowsJSON
		if static, err := render.StaticSpec(spec.JSON); err != nil {
			t.Fatalf("%s: %v", name, err)
		} else if string(static) != string(spec.JSON) {
			sm, err := vl.Spec{JSON: static}.Value()
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := rowsForm(t, sm)
			specs[name+"/static/csv"] = static
			specs[name+"/static/rows"], _ = vl.SafeJSON(rows)
		}
	}
	var names []string
	for k := range specs {
		if form, ok := strings.CutSuffix(k, "/csv"); ok {
			names = append(names, form)
		}
	}
	for _, name := range names {
		var svg [2]string
		for i, form := range []string{"/rows", "/csv"} {
			r, err := svgrender.RenderWithWarnings(context.Background(), specs[name+form])
			if err != nil {
				t.Fatalf("%s%s: %v", name, form, err)
			}
			if len(r.Warnings) > 0 {
				t.Errorf("%s%s: warnings %v", name, form, r.Warnings)
			}
			svg[i] = sameClips(r.SVG)
		}
		if svg[0] != svg[1] || !strings.HasPrefix(svg[1], "<svg") {
			t.Errorf("%s: QuickJS draws the CSV spec differently (%d bytes, rows %d)", name, len(svg[1]), len(svg[0]))
		}
		if strings.Contains(svg[1], "<img src=x") || strings.Contains(svg[1], "</script>") {
			t.Errorf("%s: a hostile name reached the SVG unescaped", name)
		}
	}
	nodecheck.Require(t)
	res, err := nodecheck.Check(specs, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		rows, csv := res[name+"/rows"], res[name+"/csv"]
		if !csv.OK || len(csv.Warnings) > 0 || csv.Items == 0 || !rows.OK || len(rows.Warnings) > 0 {
			t.Errorf("%s: csv ok=%v errors=%v warnings=%v items=%d; rows ok=%v warnings=%v",
				name, csv.OK, csv.Errors, csv.Warnings, csv.Items, rows.OK, rows.Warnings)
		}
		if sameClips(rows.SVG) != sameClips(csv.SVG) || rows.Items != csv.Items {
			t.Errorf("%s: Node draws the CSV spec differently (%d bytes, %d items; rows %d bytes, %d items)",
				name, len(csv.SVG), csv.Items, len(rows.SVG), rows.Items)
		}
	}
}

var clipID = regexp.MustCompile(`clip[0-9]+|gradient_[0-9]+`)

// sameClips numbers the clip paths and gradients of an SVG in their order: vega numbers
// them with a counter that lives as long as its engine, so the same chart drawn later
// gets others.
func sameClips(svg string) string {
	ids := map[string]string{}
	return clipID.ReplaceAllStringFunc(svg, func(id string) string {
		if _, ok := ids[id]; !ok {
			prefix := strings.TrimRight(id, "0123456789")
			ids[id] = fmt.Sprintf("%s%d", prefix, len(ids))
		}
		return ids[id]
	})
}

// dashboardRun records steps of training as a dashboard does, with its series names.
func dashboardRun(t *testing.T, steps int64) *runs.Run {
	t.Helper()
	run, err := runs.Create(filepath.Join(t.TempDir(), "run"), runs.Meta{Name: "run"})
	if err != nil {
		t.Fatal(err)
	}
	for step := int64(1); step <= steps; step++ {
		loss := 2.3*math.Exp(-float64(step)/800) + 0.05*math.Sin(float64(step))
		at := []runs.AddOption{runs.Wall(float64(step) * 0.0123), runs.Epoch(float64(step) / 430)}
		run.Add("train/loss", step, loss, at...)
		run.Add("train/accuracy", step, 1-loss/2.3, at...)
		if step%100 == 0 {
			run.Add("eval/validation/loss", step, loss+0.1, at...)
			run.Add("eval/validation/accuracy", step, 0.95-loss/2.3, at...)
		}
	}
	return run
}

// The size of a 3,000-step training dashboard's chart, as the dashboard draws it.
func TestCompactDashboardSize(t *testing.T) {
	run := dashboardRun(t, 3000)
	c := mustCurves(t, charts.RunCurves(run, "", 0), charts.CurvesOptions{Subtitle: "step 3000/3000"})
	spec, err := c.Build()
	if err != nil {
		t.Fatal(err)
	}
	m, _ := spec.Value()
	rows, _ := rowsForm(t, m)
	rowsJSON, _ := vl.SafeJSON(rows)
	n := len(dataRows(t, m["data"]))
	gz := func(b []byte) int {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Len()
	}
	t.Logf("3000-step dashboard, %d rows: spec %d bytes (gzip %d) with CSV data, %d bytes (gzip %d) with rows: %.0f%%",
		n, len(spec.JSON), gz(spec.JSON), len(rowsJSON), gz(rowsJSON), 100*float64(len(spec.JSON))/float64(len(rowsJSON)))
	if len(spec.JSON)*5 > len(rowsJSON)*3 {
		t.Errorf("the CSV spec (%d bytes) is not under 60%% of the rows spec (%d bytes)", len(spec.JSON), len(rowsJSON))
	}
}
