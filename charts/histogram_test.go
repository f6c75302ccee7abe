// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

func histogramSpec(t *testing.T, c vl.Chart) (map[string]any, []byte) {
	t.Helper()
	spec, err := c.Build()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(spec.JSON, &m); err != nil {
		t.Fatal(err)
	}
	return m, spec.JSON
}

func normalValues(n int) []float32 {
	rng := rand.New(rand.NewPCG(7, 8))
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return v
}

func TestHistogramSpec(t *testing.T) {
	c, err := charts.Histogram(normalValues(100000), charts.HistogramOptions{Title: "weights", XTitle: "dense/weights"})
	if err != nil {
		t.Fatal(err)
	}
	m, js := histogramSpec(t, c)
	rows := dataRows(t, m["data"])
	if len(rows) != charts.DefaultHistogramBins {
		t.Fatalf("%d rows, want %d (one per bin)", len(rows), charts.DefaultHistogramBins)
	}
	var total float64
	prevEnd := math.Inf(-1)
	for _, r := range rows {
		row := r.(map[string]any)
		s, e := row["bin_start"].(float64), row["bin_end"].(float64)
		if !(s < e) || (prevEnd != math.Inf(-1) && s != prevEnd) {
			t.Fatalf("bins not contiguous: %v", row)
		}
		prevEnd = e
		total += row["count"].(float64)
	}
	if total != 100000 {
		t.Errorf("counts sum to %v, want 100000", total)
	}
	enc := m["encoding"].(map[string]any)
	x := enc["x"].(map[string]any)
	if x["field"] != "bin_start" || enc["x2"].(map[string]any)["field"] != "bin_end" ||
		enc["y"].(map[string]any)["field"] != "count" || enc["tooltip"] == nil {
		t.Errorf("encoding: %v", enc)
	}
	// Pre-binned data: without bin {binned: true} Vega-Lite draws a bar with a ranged x
	// as a horizontal dash placed by y (TestChartsDrawBarsAndAreasFromZero looks at it).
	if bin, _ := x["bin"].(map[string]any); bin["binned"] != true || x["scale"].(map[string]any)["zero"] != false {
		t.Errorf("x is not pre-binned with a free zero: %v", x)
	}
	for _, want := range []string{`"weights"`, `"dense/weights"`, `"bind":"scales"`, `"100000 values`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("spec lacks %s: %s", want, js)
		}
	}
	if strings.Contains(string(js), "not drawn") {
		t.Error("subtitle names non-finite values that are not there")
	}
}

func TestHistogramNonFiniteSubtitle(t *testing.T) {
	v := []float64{1, 2, 3, math.NaN(), math.NaN(), math.Inf(1), 2.5, math.NaN()}
	c, err := charts.Histogram(v, charts.HistogramOptions{Bins: 4})
	if err != nil {
		t.Fatal(err)
	}
	_, js := histogramSpec(t, c)
	if !strings.Contains(string(js), "3 NaN and 1 +Inf not drawn") {
		t.Errorf("subtitle does not name the non-finite values: %s", js)
	}
}

func TestHistogramInputs(t *testing.T) {
	for name, values := range map[string]any{
		"float64":        []float64{1, 2, 3, 4},
		"int":            []int{1, 2, 2, 3},
		"int64":          []int64{5, 5, 5},
		"tensor float32": tensors.FromFlatDataAndDimensions([]float32{1, 2, 3, 4, 5, 6}, 2, 3),
		"tensor float64": tensors.FromValue([]float64{0.5, 1.5}),
		"tensor int32":   tensors.FromValue([]int32{1, 2, 3}),
	} {
		c, err := charts.Histogram(values, charts.HistogramOptions{Bins: 3})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		m, _ := histogramSpec(t, c)
		var total float64
		for _, r := range dataRows(t, m["data"]) {
			total += r.(map[string]any)["count"].(float64)
		}
		want := map[string]float64{"float64": 4, "int": 4, "int64": 3, "tensor float32": 6, "tensor float64": 2, "tensor int32": 3}[name]
		if total != want {
			t.Errorf("%s: %v values binned, want %v", name, total, want)
		}
	}
}

func TestHistogramErrors(t *testing.T) {
	for _, tc := range []struct {
		values any
		opts   charts.HistogramOptions
		want   string
	}{
		{[]string{"a"}, charts.HistogramOptions{}, "values has type []string"},
		{nil, charts.HistogramOptions{}, "values is nil"},
		{[]float32{}, charts.HistogramOptions{}, "no finite values to draw: values is empty"},
		{[]float64{math.NaN(), math.Inf(-1)}, charts.HistogramOptions{}, "no finite values to draw: all 2 values are NaN or ±Inf (1 NaN and 1 -Inf)"},
		{[]float64{1}, charts.HistogramOptions{Bins: -2}, "HistogramOptions.Bins must be positive (or 0 for 30), got -2"},
		{(*tensors.Tensor)(nil), charts.HistogramOptions{}, "nil *tensors.Tensor"},
	} {
		_, err := charts.Histogram(tc.values, tc.opts)
		if err == nil || !strings.HasPrefix(err.Error(), "charts.Histogram: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("charts.Histogram(%T): error %v, want one with %q", tc.values, err, tc.want)
		}
	}
}

func TestHistogramRendersWithoutWarnings(t *testing.T) {
	specs := map[string][]byte{}
	for name, v := range map[string]any{
		"normal":    normalValues(50000),
		"nonfinite": []float64{1, 2, 2, 3, math.NaN(), math.Inf(1)},
		"constant":  []float32{4, 4, 4},
	} {
		c, err := charts.Histogram(v, charts.HistogramOptions{Title: name})
		if err != nil {
			t.Fatal(err)
		}
		_, specs[name] = histogramSpec(t, c)
		if name == "normal" { // the static SVG every displayed chart carries
			svg, err := render.SVG(c)
			if err != nil || !strings.Contains(svg, "<svg") {
				t.Errorf("render.SVG: %v (svg %d bytes)", err, len(svg))
			}
		}
	}
	checkInVega(t, specs)
}
