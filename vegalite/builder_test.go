// SPDX-License-Identifier: Apache-2.0

package vegalite

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
)

// built builds c and decodes the JSON, failing the test on any error.
func built(t *testing.T, c Chart) map[string]any {
	t.Helper()
	spec, err := c.Build()
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(spec.JSON, &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, spec.JSON)
	}
	return m
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestImmutableSharing(t *testing.T) {
	base := NewChart().Data(Values([]float64{1, 2})).Mark(Tick())
	a := base.Encode(X("data:Q"))
	b := base.Encode(Y("data:Q"))
	if _, ok := built(t, base)["encoding"]; ok {
		t.Error("Encode on a derived chart changed the base chart")
	}
	if got := asJSON(built(t, a)["encoding"]); got != `{"x":{"field":"data","type":"quantitative"}}` {
		t.Errorf("a: %s", got)
	}
	if got := asJSON(built(t, b)["encoding"]); got != `{"y":{"field":"data","type":"quantitative"}}` {
		t.Errorf("b: %s", got)
	}
	m := Line()
	m1, m2 := m.Point(true), m.Color("red")
	if asJSON(m1.specValue()) == asJSON(m2.specValue()) || m.specValue() != "line" {
		t.Errorf("marks share state: %s %s %v", asJSON(m1.specValue()), asJSON(m2.specValue()), m.specValue())
	}
}

func TestShorthand(t *testing.T) {
	cases := map[string]string{
		"price":                 `{"field":"price"}`,
		"price:Q":               `{"field":"price","type":"quantitative"}`,
		"price:quantitative":    `{"field":"price","type":"quantitative"}`,
		"mean(price):Q":         `{"aggregate":"mean","field":"price","type":"quantitative"}`,
		"yearmonth(date):T":     `{"field":"date","timeUnit":"yearmonth","type":"temporal"}`,
		"utcyearmonthdate(d):O": `{"field":"d","timeUnit":"utcyearmonthdate","type":"ordinal"}`,
		"count()":               `{"aggregate":"count","type":"quantitative"}`,
		"count():O":             `{"aggregate":"count","type":"ordinal"}`,
		"a.b:N":                 `{"field":"a.b","type":"nominal"}`,
		"f(x)":                  `{"field":"f(x)"}`,
	}
	for in, want := range cases {
		if got := asJSON(X(in).specValue()); got != want {
			t.Errorf("X(%q) = %s, want %s", in, got, want)
		}
	}
	_, err := NewChart().Data(Values([]float64{1})).Mark(Bar()).Encode(X("data:Quant")).Build()
	if err == nil || !strings.Contains(err.Error(), `X("data:Quant")`) || !strings.Contains(err.Error(), "Q, O, N, T, G") {
		t.Errorf("bad type letter: %v", err)
	}
	_, err = NewChart().Data(Values([]float64{1})).Mark(Bar()).Encode(Y("mean():Q")).Build()
	if err == nil || !strings.Contains(err.Error(), "mean() needs a field") {
		t.Errorf("aggregate without field: %v", err)
	}
	if got := asJSON(Field("a:b").specValue()); got != `{"field":"a:b"}` {
		t.Errorf("Field keeps colons: %s", got)
	}
}

type row struct {
	Step  int       `json:"step"`
	Loss  float64   `json:"loss"`
	Name  string    `json:"name"`
	When  time.Time `json:"when"`
	Skip  string    `json:"-"`
	Plain bool
	//lint:ignore U1000 an unexported field, which Values must skip
	inner int
}

func TestValuesFromStructs(t *testing.T) {
	when := time.Date(2026, 11, 27, 15, 4, 5, 0, time.UTC)
	rows := []row{
		{Step: 1, Loss: 0.5, Name: "a", When: when, Skip: "x", Plain: true},
		{Step: 2, Loss: math.NaN(), Name: "b</script>", When: when},
		{Step: 3, Loss: math.Inf(1), Name: "c"},
	}
	c := NewChart().Data(Values(rows)).Mark(Line()).Encode(X("step:Q"), Y("loss:Q"))
	spec, err := c.Build()
	if err != nil {
		t.Fatal(err)
	}
	text := string(spec.JSON)
	want := `"values":[{"Plain":true,"loss":0.5,"name":"a","step":1,"when":"2026-11-27T15:04:05.000Z"},` +
		`{"Plain":false,"loss":null,"name":"b\u003c/script\u003e","step":2,"when":"2026-11-27T15:04:05.000Z"},` +
		`{"Plain":false,"loss":null,"name":"c","step":3,"when":"0001-01-01T00:00:00.000Z"}]`
	if !strings.Contains(text, want) {
		t.Errorf("values:\n%s\nwant to contain\n%s", text, want)
	}
	if len(spec.Notes) != 1 || spec.Notes[0].Path != "/data/values" ||
		!strings.Contains(spec.Notes[0].Message, `field "loss" has 2 NaN/Inf value(s) at row(s) 1, 2`) {
		t.Errorf("notes: %v", spec.Notes)
	}
	// Rows are copied: changing the slice afterwards does not change the chart.
	rows[0].Loss = 99
	again, _ := c.Build()
	if string(again.JSON) != text {
		t.Error("changing the rows after Values changed the chart")
	}
}

func TestValuesFromMapsAndColumns(t *testing.T) {
	maps := []map[string]any{{"a": 1, "b": "x"}, {"a": 2}, {"b": "y", "c": []int{1, 2}}}
	got := asJSON(built(t, NewChart().Data(Values(maps)).Mark(Point()).Encode(X("a:Q")))["data"])
	if got != `{"values":[{"a":1,"b":"x"},{"a":2},{"b":"y","c":[1,2]}]}` {
		t.Errorf("maps: %s", got)
	}
	cols := Columns(map[string]any{"x": []float64{1, math.NaN()}, "y": []string{"p", "q"}, "z": []int32{7, 8}})
	spec, err := NewChart().Data(cols).Mark(Point()).Encode(X("x:Q"), Y("y:N")).Build()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(spec.JSON), `"values":[{"x":1,"y":"p","z":7},{"x":null,"y":"q","z":8}]`) {
		t.Errorf("columns: %s", spec.JSON)
	}
	if len(spec.Notes) != 1 || !strings.Contains(spec.Notes[0].Message, `field "x" has 1 NaN/Inf value(s) at row(s) 1`) {
		t.Errorf("column notes: %v", spec.Notes)
	}
	_, err = NewChart().Data(Columns(map[string]any{"x": []float64{1, 2}, "y": []float64{1}})).Mark(Point()).Build()
	if err == nil || !strings.Contains(err.Error(), `column "y" has 1 values but column "x" has 2`) {
		t.Errorf("unequal columns: %v", err)
	}
	_, err = NewChart().Data(Values(42)).Mark(Point()).Build()
	if err == nil || !strings.Contains(err.Error(), "Values(rows): rows is a int") {
		t.Errorf("non-slice rows: %v", err)
	}
}

func TestNumberFormatting(t *testing.T) {
	cases := map[float64]string{
		0: "0", 1: "1", -3: "-3", 0.1: "0.1", 1e21: "1e+21", 1e-7: "1e-7", 123456789012: "123456789012",
		1.5e300: "1.5e+300", -2.5e-9: "-2.5e-9", 1e20: "100000000000000000000",
	}
	for f, want := range cases {
		w := &jsonWriter{}
		w.number(f)
		if string(w.buf) != want {
			t.Errorf("number(%v) = %s, want %s", f, w.buf, want)
		}
		var back float64
		if err := json.Unmarshal(w.buf, &back); err != nil || back != f {
			t.Errorf("number(%v) does not read back: %s", f, w.buf)
		}
	}
}

func TestStringEscaping(t *testing.T) {
	hostile := "</script><!--\u2028\u2029&\"\\\n\x01\xff"
	out, err := encodeJSON(hostile, "")
	if err != nil {
		t.Fatal(err)
	}
	want := `"\u003c/script\u003e\u003c!--\u2028\u2029\u0026\"\\\n\u0001\ufffd"`
	if string(out) != want {
		t.Errorf("got %s\nwant %s", out, want)
	}
	var back string
	if err := json.Unmarshal(out, &back); err != nil || back != strings.Replace(hostile, "\xff", "\ufffd", 1) {
		t.Errorf("does not read back: %q %v", back, err)
	}
}

func TestSetPath(t *testing.T) {
	c := NewChart().Data(Values([]float64{1})).Mark(Bar()).Encode(X("data:Q")).
		Set("config/axis/labelFontSize", 14).
		Set("/encoding/x/axis/title", "value")
	m := built(t, c)
	if got := asJSON(m["config"]); got != `{"axis":{"labelFontSize":14}}` {
		t.Errorf("config: %s", got)
	}
	if got := asJSON(m["encoding"]); got != `{"x":{"axis":{"title":"value"},"field":"data","type":"quantitative"}}` {
		t.Errorf("encoding: %s", got)
	}
	// A typo in a Set path is caught by validation, with the path.
	_, err := c.Set("config/axis/labelFontSze", 12).Build()
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "/config/axis") || !strings.Contains(err.Error(), "labelFontSze") {
		t.Errorf("typo in Set path: %v", err)
	}
	// A path through a non-object is an error at Build.
	_, err = c.Set("mark/type/x", 1).Build()
	if err == nil || !strings.Contains(err.Error(), `Set("mark/type/x")`) {
		t.Errorf("path through a string: %v", err)
	}
	// Array elements by index.
	l := Layer(NewChart().Mark(Rule()), NewChart().Mark(Tick())).Data(Values([]float64{1})).Set("layer/1/mark", "point")
	if got := asJSON(built(t, l)["layer"]); got != `[{"mark":"rule"},{"mark":"point"}]` {
		t.Errorf("layer set: %s", got)
	}
}

func TestConditionsAndComposition(t *testing.T) {
	brush := SelectInterval("brush").Encodings("x")
	c := NewChart().Data(Values([]map[string]any{{"a": 1, "b": "x"}})).Mark(Point()).
		Params(brush).
		Encode(X("a:Q"), Color(If(brush.Predicate(), "b:N", Value("lightgray"))),
			Opacity(Value(0.3).When(Selected("brush").Empty(false), Value(1))),
			Tooltip("a:Q", Field("b").Title("B")))
	m := built(t, c)
	enc := m["encoding"].(map[string]any)
	if got := asJSON(enc["color"]); got != `{"condition":{"field":"b","param":"brush","type":"nominal"},"value":"lightgray"}` {
		t.Errorf("color: %s", got)
	}
	if got := asJSON(enc["opacity"]); got != `{"condition":{"empty":false,"param":"brush","value":1},"value":0.3}` {
		t.Errorf("opacity: %s", got)
	}
	if got := asJSON(enc["tooltip"]); got != `[{"field":"a","type":"quantitative"},{"field":"b","title":"B"}]` {
		t.Errorf("tooltip: %s", got)
	}
	if got := asJSON(m["params"]); got != `[{"name":"brush","select":{"encodings":["x"],"type":"interval"}}]` {
		t.Errorf("params: %s", got)
	}
	f := Facet(NewChart().Data(Values([]map[string]any{{"a": 1, "g": "p"}})).Mark(Point()).Encode(X("a:Q")), Row("g:N"))
	fm := built(t, f)
	if _, ok := fm["data"]; !ok {
		t.Error("Facet did not move the data to the top")
	}
	if got := asJSON(fm["spec"]); got != `{"encoding":{"x":{"field":"a","type":"quantitative"}},"mark":"point"}` {
		t.Errorf("facet spec: %s", got)
	}
	_, err := NewChart().Mark(Point()).Encode(Value(3)).Build()
	if err == nil || !strings.Contains(err.Error(), "without a channel") {
		t.Errorf("Encode without channel: %v", err)
	}
}

func TestDeterministicBytes(t *testing.T) {
	mk := func() Chart {
		return NewChart().Title("t").Data(Values([]map[string]any{{"z": 1, "a": 2, "m": 3}})).
			Mark(Bar().CornerRadius(2).Tooltip(true)).Encode(Y("a:Q"), X("z:O"), Color("m:Q"))
	}
	first, err := mk().JSON()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		again, _ := mk().JSON()
		if string(again) != string(first) {
			t.Fatalf("bytes differ between builds:\n%s\n%s", first, again)
		}
	}
	if !strings.HasPrefix(string(first), `{"$schema":"https://vega.github.io/schema/vega-lite/v5.json","data":`) {
		t.Errorf("keys not sorted: %s", first)
	}
}

func TestSpecIndentAndValue(t *testing.T) {
	spec, err := NewChart().Data(Values([]float64{1})).Mark(Tick()).Encode(X("data:Q")).Build()
	if err != nil {
		t.Fatal(err)
	}
	m, err := spec.Value()
	if err != nil || m["mark"] != "tick" {
		t.Errorf("Value: %v %v", m, err)
	}
	ind := string(spec.Indent())
	if !strings.Contains(ind, "\n  \"mark\": \"tick\"") {
		t.Errorf("Indent:\n%s", ind)
	}
	var a, b any
	_ = json.Unmarshal(spec.JSON, &a)
	_ = json.Unmarshal(spec.Indent(), &b)
	if !reflect.DeepEqual(a, b) {
		t.Error("Indent changed the spec")
	}
}

func TestSilentGaps(t *testing.T) {
	d := Columns(map[string]any{"x": []float64{1, math.NaN()}})
	spec, err := NewChart().Data(d.SilentGaps()).Mark(Point()).Encode(X("x:Q")).Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Notes) != 0 || !strings.Contains(string(spec.JSON), `[{"x":1},{"x":null}]`) {
		t.Errorf("notes %v, json %s", spec.Notes, spec.JSON)
	}
	// The original data value still notes its gaps.
	spec, _ = NewChart().Data(d).Mark(Point()).Encode(X("x:Q")).Build()
	if len(spec.Notes) != 1 {
		t.Errorf("notes %v", spec.Notes)
	}
}

// Channel titles with U+2028/U+2029 are shown with spaces (Vega's expression parser rejects
// the two characters, and Vega-Lite writes channel titles into expressions); the chart
// title and the data keep them.
func TestLineSeparatorsInTitles(t *testing.T) {
	c := NewChart().
		Data(Values([]map[string]any{{"x": 1, "label": "a\u2028b"}})).
		Mark(Bar()).
		Encode(X("x:Q").Title("x\u2028axis"), Y("label:N").Title([]string{"two\u2029", "lines"}),
			Tooltip(Field("x").Quantitative().Title("tip\u2028"))).
		Title(NewTitle("chart\u2028title").Subtitle("sub\u2029"))
	spec, err := c.Build()
	if err != nil {
		t.Fatal(err)
	}
	js := string(spec.JSON)
	for _, want := range []string{`"x axis"`, `"two "`, `"tip "`, `"chart\u2028title"`, `"sub\u2029"`, `"a\u2028b"`} {
		if !strings.Contains(js, want) {
			t.Errorf("spec lacks %s: %s", want, js)
		}
	}
	if len(spec.Notes) != 3 {
		t.Errorf("%d notes, want 3: %v", len(spec.Notes), spec.Notes)
	}
	nodecheck.Require(t)
	res, err := nodecheck.Check(map[string][]byte{"separators": spec.JSON}, false)
	if err != nil {
		t.Fatal(err)
	}
	if r := res["separators"]; !r.OK || len(r.Warnings) > 0 {
		t.Errorf("vega: %v %v", r.Errors, r.Warnings)
	}
}
