// SPDX-License-Identifier: Apache-2.0

package vegalite_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/internal/dsv"
	"github.com/gonbviz/gonbviz/internal/svgrender"
	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// hostile are strings that must survive the trip through CSV, JSON and an HTML <script>.
var hostile = []string{
	"plain", "a,b", `say "hi"`, "two\nlines", "cr\rhere", "crlf\r\nend", " lead", "trail ", "\ttab",
	"</script><script>alert(1)</script>", "line\u2028sep\u2029para", "a & b <c>", "", `"`, `""`, ",", "ünï ★",
}

// compactColumns is a table with every kind of column Compact writes.
func compactColumns() map[string]any {
	n := len(hostile)
	step := make([]int, n)
	value := make([]float64, n)
	flag := make([]bool, n)
	maybe := make([]any, n)
	dotted := make([]float64, n)
	for i := range n {
		step[i] = i * 10
		value[i] = math.Pow(-3.3, float64(i)) / 7
		flag[i] = i%3 == 0
		dotted[i] = float64(i) + 0.5
		if i%4 != 1 {
			maybe[i] = 1e-7 * float64(i)
		}
	}
	value[2], value[5], value[9] = math.NaN(), math.Inf(1), math.Inf(-1)
	value[3] = 0.1 + 0.2                   // needs all 17 digits
	value[4] = 123456789012345678          // past 2^53
	value[6] = math.SmallestNonzeroFloat64 // 5e-324
	value[7] = -math.MaxFloat64            // -1.7976931348623157e+308
	value[8] = math.Copysign(0, -1)        // -0 is written 0, as JSON writes it
	return map[string]any{"step": step, "value": value, "name": hostile, "flag": flag, "maybe": maybe, "ema0.5": dotted}
}

// readCompact reads a data object written by Compact the way vega does (see dsv.Read),
// checking that every record has a field per column.
func readCompact(t *testing.T, data map[string]any) []any {
	t.Helper()
	text, ok := data["values"].(string)
	if !ok {
		t.Fatalf("values is a %T, want CSV text", data["values"])
	}
	if f, _ := data["format"].(map[string]any); f["type"] != "csv" {
		t.Fatalf("format %v is not CSV", f)
	}
	records := dsv.Parse(text, ',')
	for _, rec := range records[1:] {
		if len(rec) != len(records[0]) {
			t.Fatalf("record %q has %d fields, header %d", rec, len(rec), len(records[0]))
		}
	}
	rows, ok := dsv.Read(text, data["format"])
	if !ok {
		t.Fatalf("dsv.Read refused the format %v", data["format"])
	}
	return rows
}

func buildData(t *testing.T, d vl.Data) (map[string]any, []byte, []vl.Note) {
	t.Helper()
	c := vl.NewChart().Data(d).Mark(vl.Point())
	spec, err := c.Build()
	if err != nil {
		t.Fatal(err)
	}
	m, err := spec.Value()
	if err != nil {
		t.Fatal(err)
	}
	return m["data"].(map[string]any), spec.JSON, spec.Notes
}

// Compact data reads back to exactly the rows the row form writes.
func TestCompactRoundTrip(t *testing.T) {
	cols := compactColumns()
	rowsData, _, rowNotes := buildData(t, vl.Columns(cols))
	compData, js, compNotes := buildData(t, vl.Columns(cols).Compact())
	want := rowsData["values"].([]any)
	got := readCompact(t, compData)
	if !reflect.DeepEqual(got, want) {
		for i := range want {
			if i < len(got) && !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("row %d: compact %v, rows %v", i, got[i], want[i])
			}
		}
		t.Fatalf("compact data reads back differently (%d rows, want %d)", len(got), len(want))
	}
	wantParse := map[string]any{"step": "number", "value": "number", "flag": "boolean", "maybe": "number", `ema0\.5`: "number"}
	if f := compData["format"].(map[string]any); f["type"] != "csv" || !reflect.DeepEqual(f["parse"], wantParse) {
		t.Errorf("format = %v, want csv with parse %v", f, wantParse)
	}
	// Safe inside an HTML <script>, as every spec.
	for _, bad := range []string{"</script", "<script", "\u2028", "\u2029", "&", ">"} {
		if strings.Contains(string(js), bad) {
			t.Errorf("the spec holds a raw %q", bad)
		}
	}
	safe, err := vl.SafeJSON(map[string]any{"data": compData})
	if err != nil || strings.Contains(string(safe), "</script") || strings.Contains(string(safe), "\u2028") {
		t.Errorf("SafeJSON of decoded compact data is not script-safe: %v", err)
	}
	// The same notes, and none after SilentGaps.
	if len(compNotes) != len(rowNotes) || len(compNotes) != 1 || compNotes[0].Path != rowNotes[0].Path ||
		!strings.Contains(compNotes[0].Message, `field "value" has 3 NaN/Inf value(s) at row(s) 2, 5, 9`) ||
		!strings.Contains(compNotes[0].Message, "empty fields") {
		t.Errorf("notes: compact %v, rows %v", compNotes, rowNotes)
	}
	if _, _, n := buildData(t, vl.Columns(cols).Compact().SilentGaps()); len(n) != 0 {
		t.Errorf("SilentGaps after Compact: notes %v", n)
	}
	if _, _, n := buildData(t, vl.Columns(cols).SilentGaps().Compact()); len(n) != 0 {
		t.Errorf("Compact after SilentGaps: notes %v", n)
	}
	// Smaller: the point of it.
	rj, _ := json.Marshal(rowsData)
	cj, _ := json.Marshal(compData)
	if len(cj) >= len(rj) {
		t.Errorf("compact data is %d bytes, rows %d", len(cj), len(rj))
	}
}

// Structs and time.Time columns; a single column, where an empty field needs quotes.
func TestCompactStructsAndOneColumn(t *testing.T) {
	type row struct {
		When  time.Time `json:"when"`
		Count int       `json:"count"`
		Label string
	}
	t0 := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	rs := []row{{t0, 1, "a"}, {t0.Add(time.Hour), 2, ""}, {t0.Add(2 * time.Hour), 3, "c,d"}}
	rowsData, _, _ := buildData(t, vl.Values(rs))
	compData, _, _ := buildData(t, vl.Values(rs).Compact())
	if got := readCompact(t, compData); !reflect.DeepEqual(got, rowsData["values"]) {
		t.Errorf("structs: compact %v, rows %v", got, rowsData["values"])
	}
	for _, col := range []map[string]any{
		{"step": []float64{1, math.NaN(), 3, math.NaN()}},
		{"s": []string{"x", "", "y", ""}},
	} {
		rowsData, _, _ := buildData(t, vl.Columns(col))
		compData, _, _ := buildData(t, vl.Columns(col).Compact())
		if got := readCompact(t, compData); !reflect.DeepEqual(got, rowsData["values"]) {
			t.Errorf("one column: compact %v (%q), rows %v", got, compData["values"], rowsData["values"])
		}
	}
}

// What CSV cannot carry exactly stays in rows.
func TestCompactFallsBackToRows(t *testing.T) {
	for name, d := range map[string]vl.Data{
		"scalars":        vl.Values([]float64{1, 2}),
		"text and nulls": vl.Columns(map[string]any{"a": []any{"x", nil}}),
		"mixed":          vl.Columns(map[string]any{"a": []any{"x", 1.0}}),
		"nested":         vl.Columns(map[string]any{"a": []any{map[string]any{"b": 1}, nil}}),
		"missing keys":   vl.Values([]map[string]any{{"a": 1, "b": 2}, {"a": 3}}),
	} {
		data, _, _ := buildData(t, d.Compact())
		if _, ok := data["values"].([]any); !ok || data["format"] != nil {
			t.Errorf("%s: Compact wrote %v, want rows", name, data)
		}
	}
}

func TestCompactFormatAndDatasets(t *testing.T) {
	d := vl.Columns(map[string]any{"day": []string{"01/02", "03/04"}, "v": []int{1, 2}}).Compact().
		Format(map[string]any{"parse": map[string]any{"day": "date:'%d/%m'"}})
	data, _, _ := buildData(t, d)
	want := map[string]any{"type": "csv", "parse": map[string]any{"day": "date:'%d/%m'", "v": "number"}}
	if !reflect.DeepEqual(data["format"], want) {
		t.Errorf("Format after Compact: %v, want %v", data["format"], want)
	}
	c := vl.NewChart().Dataset("t", vl.Columns(map[string]any{"v": []int{1, 2}}).Compact()).
		Data(vl.NamedData("t")).Mark(vl.Point()).Encode(vl.X("v:Q"))
	spec, err := c.Build()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(spec.JSON), `"datasets":{"t":[{"v":1},{"v":2}]}`) {
		t.Errorf("a compact data set is not written as rows: %s", spec.JSON)
	}
}

// The field checks read the CSV header: a typo is caught, a dotted name needs escaping.
func TestCompactValidation(t *testing.T) {
	d := vl.Columns(map[string]any{"step": []int{1, 2}, "ema0.5": []float64{1, 2}, "a,b": []string{"x", "y"}}).Compact()
	_, err := vl.NewChart().Data(d).Mark(vl.Line()).Encode(vl.X("stpe:Q"), vl.Y(`ema0\.5:Q`), vl.Color("a,b:N")).Build()
	if err == nil || !strings.Contains(err.Error(), `field "stpe" is not in the data (did you mean "step"?)`) {
		t.Errorf("typo not caught: %v", err)
	}
	_, err = vl.NewChart().Data(d).Mark(vl.Line()).Encode(vl.X("step:Q"), vl.Y("ema0.5:Q")).Build()
	if err == nil || !strings.Contains(err.Error(), `escape the dots: "ema0\\.5"`) {
		t.Errorf("unescaped dotted field not caught: %v", err)
	}
	if _, err := vl.NewChart().Data(d).Mark(vl.Line()).Encode(vl.X("step:Q"), vl.Y(`ema0\.5:Q`), vl.Color("a,b:N")).Build(); err != nil {
		t.Errorf("valid compact chart: %v", err)
	}
	// Hand-written CSV with a quoted header is read too.
	spec := `{"data": {"values": "\"x,y\",z\n1,2", "format": {"type": "csv"}}, "mark": "point", "encoding": {"x": {"field": "x,y", "type": "quantitative"}, "y": {"field": "zz", "type": "quantitative"}}}`
	err = vl.Validate([]byte(spec))
	if err == nil || !strings.Contains(err.Error(), `field "zz" is not in the data`) || strings.Contains(err.Error(), `"x,y" is not`) {
		t.Errorf("quoted CSV header: %v", err)
	}
}

// compactCharts are charts drawn from the same data in rows and in CSV.
func compactCharts() map[string]func(vl.Data) vl.Chart {
	return map[string]func(vl.Data) vl.Chart{
		// Lines with gaps, a dotted field, booleans and hostile names in the legend.
		"lines": func(d vl.Data) vl.Chart {
			return vl.Layer(
				vl.NewChart().Mark(vl.Line()).Encode(vl.X("step:Q"), vl.Y("value:Q"), vl.Color("name:N")),
				vl.NewChart().Mark(vl.Point()).Transform(vl.Filter(vl.FieldEqual("flag", true))).
					Encode(vl.X("step:Q"), vl.Y(`ema0\.5:Q`), vl.Tooltip(vl.Field("name").Nominal())),
				vl.NewChart().Mark(vl.Tick()).Encode(vl.X("step:Q"), vl.Y("maybe:Q")),
			).Data(d).Width(300).Height(150)
		},
		// Aggregates and text marks over the strings.
		"bars": func(d vl.Data) vl.Chart {
			return vl.Layer(
				vl.NewChart().Mark(vl.Bar()).Encode(vl.Y("name:N"), vl.X("sum(step):Q")),
				vl.NewChart().Mark(vl.Text().Align("left")).Encode(vl.Y("name:N"), vl.X("sum(step):Q"), vl.TextOf("name:N")),
			).Data(d)
		},
	}
}

// The compact spec draws the same picture as the row spec, in QuickJS and in Node, with no
// warnings.
func TestCompactRendersIdentically(t *testing.T) {
	specs := map[string][]byte{}
	for name, build := range compactCharts() {
		for form, d := range map[string]vl.Data{"rows": vl.Columns(compactColumns()), "csv": vl.Columns(compactColumns()).Compact()} {
			js, err := build(d.SilentGaps()).JSON()
			if err != nil {
				t.Fatalf("%s/%s: %v", name, form, err)
			}
			specs[name+"/"+form] = js
		}
		if !strings.Contains(string(specs[name+"/csv"]), `"type":"csv"`) {
			t.Fatalf("%s: the compact spec is not CSV", name)
		}
	}
	for name := range compactCharts() {
		var svgs [2]string
		for i, form := range []string{"rows", "csv"} {
			r, err := svgrender.RenderWithWarnings(context.Background(), specs[name+"/"+form])
			if err != nil {
				t.Fatalf("%s/%s: %v", name, form, err)
			}
			if len(r.Warnings) > 0 {
				t.Errorf("%s/%s: warnings %v", name, form, r.Warnings)
			}
			svgs[i] = r.SVG
		}
		if svgs[0] != svgs[1] {
			t.Errorf("%s: QuickJS draws the compact spec differently (%d vs %d bytes)", name, len(svgs[1]), len(svgs[0]))
		}
		if !strings.Contains(svgs[1], "&lt;/script&gt;") {
			t.Errorf("%s: the hostile name is not drawn escaped", name)
		}
	}
	nodecheck.Require(t)
	res, err := nodecheck.Check(specs, true)
	if err != nil {
		t.Fatal(err)
	}
	for name := range compactCharts() {
		rows, csv := res[name+"/rows"], res[name+"/csv"]
		for form, r := range map[string]nodecheck.Result{"rows": rows, "csv": csv} {
			if !r.OK || len(r.Warnings) > 0 || r.Items == 0 {
				t.Errorf("%s/%s: ok=%v errors=%v warnings=%v items=%d", name, form, r.OK, r.Errors, r.Warnings, r.Items)
			}
		}
		if rows.SVG != csv.SVG || rows.Items != csv.Items {
			t.Errorf("%s: Node draws the compact spec differently (%d vs %d bytes, %d vs %d items)",
				name, len(csv.SVG), len(rows.SVG), csv.Items, rows.Items)
		}
	}
}
