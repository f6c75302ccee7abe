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

// groupedRows builds a histogram and returns its rows and spec.
func groupedRows(t *testing.T, values any, opts charts.HistogramOptions) ([]map[string]any, string) {
	t.Helper()
	c, err := charts.Histogram(values, opts)
	if err != nil {
		t.Fatal(err)
	}
	m, js := histogramSpec(t, c)
	var rows []map[string]any
	for _, r := range dataRows(t, m["data"]) {
		rows = append(rows, r.(map[string]any))
	}
	return rows, string(js)
}

// Groups share bins; overlaid, each group's densities have area 1; stacked, the bars of
// a bin tile from zero and the whole stack's densities have area 1; counts add up.
func TestHistogramGroups(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	values := make([]float64, 3000)
	groups := make([]int, len(values))
	for i := range values {
		groups[i] = i % 3
		values[i] = rng.NormFloat64() + float64(groups[i])
	}
	values[5] = math.NaN()
	names := []string{"a", "b", "c"}
	for _, stacked := range []bool{false, true} {
		rows, js := groupedRows(t, values, charts.HistogramOptions{Groups: groups, GroupNames: names, Density: true, Stacked: stacked, Bins: 20})
		if len(rows) != 60 {
			t.Fatalf("stacked %v: %d rows, want 20 bins x 3 groups", stacked, len(rows))
		}
		area := map[string]float64{}
		count := map[string]float64{}
		edges := map[float64]int{}
		top := map[float64]float64{}
		for _, r := range rows {
			g := r["group"].(string)
			w := r["bin_end"].(float64) - r["bin_start"].(float64)
			area[g] += r["density"].(float64) * w
			count[g] += r["count"].(float64)
			edges[r["bin_start"].(float64)]++
			if stacked {
				s := r["bin_start"].(float64)
				if y0 := r["y0"].(float64); math.Abs(y0-top[s]) > 1e-4 {
					t.Errorf("stacked: group %s of bin %v starts at %v, the bar below ends at %v", g, s, y0, top[s])
				}
				top[s] = r["y1"].(float64)
			}
		}
		if len(edges) != 20 {
			t.Errorf("stacked %v: %d distinct bins, want 20 common to the groups", stacked, len(edges))
		}
		if count["a"] != 1000 || count["b"] != 1000 || count["c"] != 999 {
			t.Errorf("counts %v (one NaN of c left out)", count)
		}
		total := area["a"] + area["b"] + area["c"]
		for _, g := range names {
			want := 1.0
			if stacked {
				want = count[g] / 2999
			}
			if math.Abs(area[g]-want) > 1e-3 {
				t.Errorf("stacked %v: group %s has area %v, want %v (total %v)", stacked, g, area[g], want, total)
			}
		}
		sub := strings.ReplaceAll(js, `","`, " ") // the subtitle's lines joined
		for _, want := range []string{`"field":"group"`, "1 NaN not drawn", "densities"} {
			if !strings.Contains(sub, want) && !strings.Contains(js, want) {
				t.Errorf("stacked %v: spec lacks %s", stacked, want)
			}
		}
	}
	// String groups name themselves, sorted; tensors take groups too.
	rows, _ := groupedRows(t, tensors.FromFlatDataAndDimensions([]float32{1, 2, 3, 4}, 2, 2), charts.HistogramOptions{Groups: []string{"y", "x", "y", "x"}, Bins: 2})
	seen := map[string]float64{}
	for _, r := range rows {
		seen[r["group"].(string)] += r["count"].(float64)
	}
	if seen["x"] != 2 || seen["y"] != 2 {
		t.Errorf("string groups: %v", seen)
	}
}

// A log y scale: empty bins are left out, the bars stand on the bottom of the plot.
func TestHistogramLogY(t *testing.T) {
	values := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 5} // bins [1, 2), [2, 3), [3, 4), [4, 5]
	rows, js := groupedRows(t, values, charts.HistogramOptions{LogY: true, Bins: 4})
	if len(rows) != 3 {
		t.Errorf("%d rows, want the 3 bins that are not empty", len(rows))
	}
	for _, want := range []string{`"type":"log"`, `"y2":{"datum":0.1}`, "log scale"} {
		if !strings.Contains(js, want) {
			t.Errorf("spec lacks %s: %s", want, js)
		}
	}
	// Stacked on a log scale, the first bar of a stack starts at the floor.
	rows, _ = groupedRows(t, values, charts.HistogramOptions{LogY: true, Stacked: true, Bins: 4, Groups: []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}})
	for _, r := range rows {
		if y0 := r["y0"].(float64); y0 != 0.1 && y0 < 1 {
			t.Errorf("a stacked bar starts at %v: %v", y0, r)
		}
	}
}

func TestHistogramGroupErrors(t *testing.T) {
	v := []float64{1, 2, 3}
	many := make([]int, 30)
	for i := range many {
		many[i] = i
	}
	for _, tc := range []struct {
		values any
		opts   charts.HistogramOptions
		want   string
	}{
		{v, charts.HistogramOptions{Groups: []int{0, 1}}, "HistogramOptions.Groups has 2 groups for 3 values"},
		{v, charts.HistogramOptions{Groups: []string{"a"}}, "HistogramOptions.Groups has 1 groups for 3 values"},
		{v, charts.HistogramOptions{Groups: []float64{1, 2, 3}}, "HistogramOptions.Groups has type []float64"},
		{v, charts.HistogramOptions{Groups: []int{0, -1, 0}}, "HistogramOptions.Groups[1] is -1"},
		{v, charts.HistogramOptions{Groups: []int{0, 1, 2}, GroupNames: []string{"a", "b"}}, "HistogramOptions.Groups[2] is 2, but GroupNames names 2 groups"},
		{v, charts.HistogramOptions{Groups: []string{"a", "b", "c"}, GroupNames: []string{"a"}}, "string Groups name themselves"},
		{v, charts.HistogramOptions{GroupNames: []string{"a"}}, "GroupNames is set without Groups"},
		{make([]float64, 30), charts.HistogramOptions{Groups: many}, "30 distinct groups, more than a chart tells apart (20)"},
		{[]float64{math.NaN()}, charts.HistogramOptions{Density: true}, "no finite values to draw: all 1 values are NaN or ±Inf"},
	} {
		_, err := charts.Histogram(tc.values, tc.opts)
		if err == nil || !strings.HasPrefix(err.Error(), "charts.Histogram: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Histogram(%+v): %v, want an error with %q", tc.opts, err, tc.want)
		}
	}
}
