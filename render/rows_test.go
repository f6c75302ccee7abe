// SPDX-License-Identifier: Apache-2.0

package render

import (
	"strings"
	"testing"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// WithMaxRows counts CSV rows as it counts rows.
func TestMaxRowsCountsCSV(t *testing.T) {
	xs := make([]float64, DefaultMaxRows+1)
	c := vl.NewChart().Data(vl.Columns(map[string]any{"x": xs, "s": make([]string, len(xs))}).Compact()).
		Mark(vl.Tick()).Encode(vl.X("x:Q"))
	_, err := Chart(c)
	if err == nil || !strings.Contains(err.Error(), "5001 inline data rows (5001 at /data/values)") {
		t.Errorf("CSV rows past the limit: %v", err)
	}
	m := map[string]any{"data": map[string]any{"values": "a\n\"1\n2\"\n3\n", "format": map[string]any{"type": "csv"}},
		"layer": []any{map[string]any{"data": map[string]any{"values": "a\tb\n1\t2", "format": map[string]any{"type": "tsv"}}}}}
	if n, where := inlineRows(m); n != 3 || where != "2 at /data/values" {
		t.Errorf("inlineRows = %d, %q; want 3, 2 at /data/values", n, where)
	}
}

// inlineRows counts the rows of a chart's data sets the same whether they are written as
// CSV (vegalite.Data.Compact, as gonbviz's own charts carry them) or as rows, wherever they
// are: at the top, in a layer, in concatenated views.
func TestInlineRowsCountsCSVAsRows(t *testing.T) {
	columns := func(n int, compact bool) vl.Data {
		xs, names := make([]float64, n), make([]string, n)
		for i := range xs {
			xs[i], names[i] = float64(i)*0.5, []string{"a", "b, \"c\"", "line\nbreak"}[i%3]
		}
		d := vl.Columns(map[string]any{"x": xs, "name": names})
		if compact {
			d = d.Compact()
		}
		return d
	}
	build := func(compact bool) vl.Chart {
		unit := func(n int) vl.Chart {
			return vl.NewChart().Data(columns(n, compact)).Mark(vl.Tick()).Encode(vl.X("x:Q"), vl.Y("name:N"))
		}
		return vl.VConcat(
			vl.Layer(unit(7), unit(11)),
			vl.HConcat(unit(13), unit(17)),
		).Data(columns(19, compact))
	}
	count := func(c vl.Chart) (int, string) {
		t.Helper()
		spec, err := c.Build()
		if err != nil {
			t.Fatal(err)
		}
		m, err := spec.Value()
		if err != nil {
			t.Fatal(err)
		}
		return inlineRows(m)
	}
	csvJSON, _ := build(true).JSON()
	if strings.Count(string(csvJSON), `"type":"csv"`) != 5 {
		t.Fatalf("the compact chart does not carry its 5 data sets as CSV: %s", csvJSON)
	}
	n, where := count(build(true))
	nRows, whereRows := count(build(false))
	if n != 7+11+13+17+19 || n != nRows || where != whereRows || where != "19 at /data/values" {
		t.Errorf("inlineRows counts %d rows (%s) in CSV, %d (%s) in rows; want %d (19 at /data/values)", n, where, nRows, whereRows, 7+11+13+17+19)
	}
}
