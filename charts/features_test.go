// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/testing/pyref"
	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// Bad input gets an error that names the argument and, where it helps, the index.
func TestFeatureErrors(t *testing.T) {
	good := [][]float64{{1, 2}, {3, 4}}
	one := func(s charts.Split) charts.Features { return charts.Features{Splits: []charts.Split{s}} }
	for _, tc := range []struct {
		data charts.Features
		want string
	}{
		{charts.Features{}, "data.Splits is empty"},
		{one(charts.Split{}), "data.Splits[0] (data).X: is nil"},
		{one(charts.Split{X: [][]float64{{1, 2}, {3}}}), "data.Splits[0] (data).X: row 1 has 1 values, row 0 has 2"},
		{one(charts.Split{X: []float64{1, 2, 3}, Width: 2}), "has 3 values, not a multiple of Split.Width 2"},
		{one(charts.Split{X: []float64{1, 2, 3}}), "set Split.Width to its number of columns"},
		{one(charts.Split{X: good, Width: 2}), "Split.Width is 2, but X is a [][]float64"},
		{one(charts.Split{X: [][]float64{}}), "data.Splits[0] (data) has no rows"},
		{one(charts.Split{X: []int{1}}), "has type []int"},
		{one(charts.Split{X: tensors.FromValue([]float32{1, 2})}), "want rank 2, [rows, features]"},
		{one(charts.Split{X: good, Labels: []int{0}}), "data.Splits[0] (data).Labels has 1 labels for 2 rows"},
		{one(charts.Split{X: good, Labels: []int{0, -1}}), "data.Splits[0] (data).Labels[1] is -1"},
		{charts.Features{Classes: []string{"a"}, Splits: []charts.Split{{X: good, Labels: []int{0, 1}}}}, "Labels[1] is 1; labels index data.Classes, 0..0"},
		{charts.Features{Names: []string{"a"}, Splits: []charts.Split{{X: good}}}, "data.Names has 1 names for 2 features"},
		{charts.Features{Names: []string{"a", "a"}, Splits: []charts.Split{{X: good}}}, `data.Names[0] and data.Names[1] are both "a"`},
		{charts.Features{Splits: []charts.Split{{Name: "t", X: good}, {Name: "t", X: good}}}, `both named "t"`},
		{charts.Features{Splits: []charts.Split{{Name: "a", X: good}, {Name: "b", X: [][]float64{{1}}}}}, "data.Splits[1] (b) has 1 features, data.Splits[0] has 2"},
	} {
		_, err := charts.FeatureDistributions(tc.data, charts.FeatureDistributionsOptions{})
		if err == nil || !strings.HasPrefix(err.Error(), "charts.FeatureDistributions: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("FeatureDistributions: %v, want an error with %q", err, tc.want)
		}
	}

	wine := readWine(t)
	for name, err := range map[string]error{
		"unknown feature": second(charts.FeatureDistributions(wine, charts.FeatureDistributionsOptions{Features: []string{"colour"}})),
		"reference":       second(charts.FeatureShifts(wine, charts.ShiftOptions{Reference: "train"})),
		"alpha":           second(charts.FeatureShifts(wine, charts.ShiftOptions{Alpha: 2})),
		"scatter default": second(charts.ScatterMatrix(wine, charts.ScatterMatrixOptions{})),
		"scatter many":    second(charts.ScatterMatrix(wine, charts.ScatterMatrixOptions{Features: wine.Names[:9]})),
		"scatter one":     second(charts.ScatterMatrix(wine, charts.ScatterMatrixOptions{Features: wine.Names[:1]})),
		"box by class":    second(charts.FeatureBoxPlots(charts.Features{Splits: []charts.Split{{X: good}}}, charts.BoxPlotsOptions{By: charts.ByClass})),
		"box by what":     second(charts.FeatureBoxPlots(wine, charts.BoxPlotsOptions{By: "colour"})),
		"corr split":      second(charts.Correlations(wine, charts.CorrelationsOptions{Split: "test"})),
	} {
		want := map[string]string{
			"unknown feature": `opts.Features[0] is "colour", which is not a feature; the features are "alcohol", "malic_acid"`,
			"reference":       `opts.Reference is "train", which is not a split; the splits are "data"`,
			"alpha":           "opts.Alpha is 2; pass a p-value threshold between 0 and 1",
			"scatter default": "the data has 13 features, more than a scatter matrix shows by default (6); pick 2 to 8 in opts.Features",
			"scatter many":    "opts.Features names 9 features; a scatter matrix shows at most 8",
			"scatter one":     "a scatter matrix needs 2 features or more",
			"box by class":    "opts.By is ByClass, but no split has Labels",
			"box by what":     `opts.By is "colour"; use ByClass or BySplit`,
			"corr split":      `opts.Split is "test", which is not a split`,
		}[name]
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error with %q", name, err, want)
		}
	}
	// Too many features for a chart: the user is told to pick.
	wide := bigFeatures(500, 200)
	for name, err := range map[string]error{
		"distributions": second(charts.FeatureDistributions(wide, charts.FeatureDistributionsOptions{})),
		"box plots":     second(charts.FeatureBoxPlots(wide, charts.BoxPlotsOptions{})),
		"correlations":  second(charts.Correlations(wide, charts.CorrelationsOptions{})),
	} {
		if err == nil || !strings.Contains(err.Error(), "pick") || !strings.Contains(err.Error(), "opts.Features") {
			t.Errorf("%s of 200 features: %v, want an error that asks to pick features in opts.Features", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// specData returns every inline data set of a chart's spec as rows.
func specData(t *testing.T, c vl.Chart) ([][]any, string) {
	t.Helper()
	spec, err := c.Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Notes) > 0 {
		t.Errorf("notes: %v", spec.Notes)
	}
	m, err := spec.Value()
	if err != nil {
		t.Fatal(err)
	}
	var sets [][]any
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if d, ok := e.(map[string]any); ok && k == "data" && d["values"] != nil {
					sets = append(sets, dataRows(t, d))
					continue
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(m)
	return sets, string(spec.JSON)
}

// setWith returns the data set whose rows have field.
func setWith(t *testing.T, sets [][]any, field string) []any {
	t.Helper()
	for _, s := range sets {
		if len(s) > 0 {
			if row, ok := s[0].(map[string]any); ok {
				if _, ok := row[field]; ok {
					return s
				}
			}
		}
	}
	t.Fatalf("no data set has %q", field)
	return nil
}

// subtitleOf returns a chart's subtitle, its lines joined by spaces.
func subtitleOf(t *testing.T, c vl.Chart) string {
	t.Helper()
	spec, err := c.Build()
	if err != nil {
		t.Fatal(err)
	}
	m, err := spec.Value()
	if err != nil {
		t.Fatal(err)
	}
	title, _ := m["title"].(map[string]any)
	switch sub := title["subtitle"].(type) {
	case string:
		return sub
	case []any:
		parts := make([]string, len(sub))
		for i, p := range sub {
			parts[i], _ = p.(string)
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// NaN and ±Inf values are counted and named per feature, never drawn; a constant feature
// is drawn, with a note, and divides by no zero.
func TestFeatureChartsNonFiniteAndConstant(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	mk := func(n int, shift float64) ([][]float64, []int) {
		rows := make([][]float64, n)
		labels := make([]int, n)
		for i := range rows {
			labels[i] = i % 2
			rows[i] = []float64{rng.NormFloat64() + shift, 7, rng.NormFloat64() * float64(1+labels[i])}
		}
		return rows, labels
	}
	trainX, trainY := mk(400, 0)
	testX, testY := mk(300, 0.5)
	trainX[3][0], trainX[5][0], testX[7][0] = math.NaN(), math.Inf(1), math.NaN()
	testX[9][2] = math.Inf(-1)
	data := charts.Features{Names: []string{"drifts", "constant", "spread"}, Classes: []string{"a", "b"},
		Splits: []charts.Split{{Name: "train", X: trainX, Labels: trainY}, {Name: "test", X: testX, Labels: testY}}}
	build := map[string]func() (vl.Chart, error){
		"distributions": func() (vl.Chart, error) {
			return charts.FeatureDistributions(data, charts.FeatureDistributionsOptions{})
		},
		"box plots":    func() (vl.Chart, error) { return charts.FeatureBoxPlots(data, charts.BoxPlotsOptions{}) },
		"scatter":      func() (vl.Chart, error) { return charts.ScatterMatrix(data, charts.ScatterMatrixOptions{}) },
		"correlations": func() (vl.Chart, error) { return charts.Correlations(data, charts.CorrelationsOptions{}) },
	}
	for name, b := range build {
		c, err := b()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sets, _ := specData(t, c)
		sub := subtitleOf(t, c)
		if !strings.Contains(sub, "NaN/Inf not drawn: drifts: 2 NaN and 1 +Inf; spread: 1 -Inf") {
			t.Errorf("%s: the subtitle does not name the non-finite values per feature: %s", name, sub)
		}
		want := map[string]string{"distributions": "constant is constant (7)", "box plots": "constant is constant (7)",
			"correlations": "constant, no correlation (blank): constant"}[name]
		if want != "" && !strings.Contains(sub, want) {
			t.Errorf("%s: no note %q in %q", name, want, sub)
		}
		for _, rows := range sets {
			for _, r := range rows {
				row, _ := r.(map[string]any)
				for k, v := range row {
					if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
						t.Errorf("%s: a non-finite %s in the data: %v", name, k, row)
					}
				}
			}
		}
		if _, err := render.Chart(c); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The shifts: the constant feature is not shifted (D = 0), the drifting one is.
	shifts, err := charts.FeatureShifts(data, charts.ShiftOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if shifts[0].Feature != "drifts" || !shifts[0].Shifted || shifts[0].N1 != 398 || shifts[0].N2 != 299 {
		t.Errorf("most shifted: %+v", shifts[0])
	}
	if c := shifts[len(shifts)-1]; c.Feature != "constant" || c.Statistic != 0 || c.PValue != 1 || c.Shifted {
		t.Errorf("constant: %+v", c)
	}
	// A feature without finite values in a split: no test, last.
	testX[0][1] = math.NaN()
	for i := range testX {
		testX[i][1] = math.NaN()
	}
	shifts, err = charts.FeatureShifts(data, charts.ShiftOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := shifts[len(shifts)-1]; c.Feature != "constant" || !math.IsNaN(c.Statistic) || !math.IsNaN(c.PValue) || c.Shifted {
		t.Errorf("no finite values: %+v", c)
	}
}

// 1,000,000 rows x 20 features make charts well under the row limit (the benchmark times
// them: BenchmarkFeatureCharts).
func TestFeatureChartsOfAMillionRows(t *testing.T) {
	if testing.Short() {
		t.Skip("a million rows: not with -short")
	}
	data := millionRows()
	for _, fb := range featureBuilders {
		c, err := fb.build(data)
		if err != nil {
			t.Fatalf("%s: %v", fb.name, err)
		}
		if n := chartRows(t, c); n > 4500 {
			t.Errorf("%s of 1,000,000 rows: %d rows, more than the 4500 the charts keep to (render's limit is %d)", fb.name, n, render.DefaultMaxRows)
		} else {
			t.Logf("%s: %d rows", fb.name, n)
		}
	}
	shifts, err := charts.FeatureShifts(data, charts.ShiftOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The test split's features 0..3 drift, the more the later; the others do not.
	for i, want := range []string{"f03", "f02", "f01", "f00"} {
		if s := shifts[i]; s.Feature != want || s.Split != "test" || !s.Shifted {
			t.Errorf("shift %d: %+v, want %s of test, shifted", i, s, want)
		}
	}
	for _, s := range shifts[4:] {
		if s.Statistic > 0.02 {
			t.Errorf("%s of %s: D = %g, want no shift", s.Feature, s.Split, s.Statistic)
		}
	}
}

// The box plots' quartiles are numpy's percentiles (linear), and the whiskers the last
// values within 1.5 IQR; the correlations are numpy's corrcoef (and, with NaN values, its
// corrcoef over the rows where both are finite).
func TestBoxPlotsAndCorrelationsMatchNumPy(t *testing.T) {
	wine := readWine(t)
	s := wine.Splits[0]
	cols := make([][]float64, len(wine.Names))
	for j := range cols {
		cols[j] = column(s, j)
	}
	// Two NaN and an Inf, for the pairwise rows.
	cols[1][4], cols[1][9], cols[2][4] = math.NaN(), math.NaN(), math.Inf(1)
	x := make([]float64, 0, len(cols)*178)
	for i := range 178 {
		for j := range cols {
			x = append(x, cols[j][i])
		}
	}
	data := charts.Features{Names: wine.Names, Classes: wine.Classes, Splits: []charts.Split{{X: x, Width: len(cols), Labels: s.Labels}}}
	jsonCols := make([][]any, len(cols))
	for j, c := range cols {
		for _, v := range c {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				jsonCols[j] = append(jsonCols[j], nil)
			} else {
				jsonCols[j] = append(jsonCols[j], v)
			}
		}
	}
	var want struct {
		Boxes [][][5]float64 // [feature][class]: q1, median, q3, lo, hi
		Corr  [][]*float64
	}
	pyref.Run(t, `
import json, sys
import numpy as np
q = json.load(sys.stdin)
cols = [np.array([np.nan if v is None else v for v in c], dtype=float) for c in q["cols"]]
labels = np.array(q["labels"])
boxes = []
for c in cols:
    per = []
    for k in range(3):
        v = c[(labels == k) & np.isfinite(c)]
        q1, med, q3 = np.percentile(v, [25, 50, 75])
        iqr = q3 - q1
        lo = v[v >= q1 - 1.5 * iqr].min()
        hi = v[v <= q3 + 1.5 * iqr].max()
        per.append([q1, med, q3, lo, hi])
    boxes.append(per)
n = len(cols)
corr = [[None] * n for _ in range(n)]
for a in range(n):
    for b in range(n):
        ok = np.isfinite(cols[a]) & np.isfinite(cols[b])
        r = np.corrcoef(cols[a][ok], cols[b][ok])[0, 1]
        corr[a][b] = None if np.isnan(r) else float(r)
print(json.dumps({"Boxes": boxes, "Corr": corr}))
`, map[string]any{"cols": jsonCols, "labels": s.Labels}, &want)

	c, err := charts.FeatureBoxPlots(data, charts.BoxPlotsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sets, _ := specData(t, c)
	boxes := 0
	for _, r := range setWith(t, sets, "kind") {
		row := r.(map[string]any)
		if row["kind"] != "box" {
			continue
		}
		boxes++
		j := slices.Index(wine.Names, row["feature"].(string))
		k := slices.Index(wine.Classes, row["group"].(string))
		for i, f := range []string{"q1", "median", "q3", "lo", "hi"} {
			w := want.Boxes[j][k][i]
			if got := row[f].(float64); math.Abs(got-w) > 1e-4*math.Max(1, math.Abs(w)) { // the chart keeps 5 digits
				t.Errorf("%s, class %s: %s = %v, numpy %v", wine.Names[j], wine.Classes[k], f, got, w)
			}
		}
	}
	if boxes != 13*3 {
		t.Errorf("%d boxes, want 39", boxes)
	}

	c, err = charts.Correlations(data, charts.CorrelationsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sets, _ = specData(t, c)
	for _, r := range setWith(t, sets, "r") {
		row := r.(map[string]any)
		a, b := slices.Index(wine.Names, row["a"].(string)), slices.Index(wine.Names, row["b"].(string))
		w := want.Corr[a][b]
		if got := row["r"].(float64); w == nil || math.Abs(got-*w) > 0.0005 { // the chart keeps 3 decimals
			t.Errorf("r(%s, %s) = %v, numpy %v", row["a"], row["b"], got, w)
		}
		wantN := 0
		for i := range 178 {
			if !math.IsNaN(cols[a][i]+cols[b][i]) && !math.IsInf(cols[a][i]+cols[b][i], 0) {
				wantN++
			}
		}
		if got := int(row["n"].(float64)); got != wantN {
			t.Errorf("r(%s, %s) over %d rows, want %d", row["a"], row["b"], got, wantN)
		}
	}
}

// The distributions chart: per feature and split, densities whose area is 1, on bins
// common to the splits; the ranking and the line under it.
func TestFeatureDistributionsSpec(t *testing.T) {
	c, err := charts.FeatureDistributions(wineSplits(), charts.FeatureDistributionsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sets, js := specData(t, c)
	area := map[string]float64{}
	edges := map[string]map[float64]bool{}
	for _, r := range setWith(t, sets, "density") {
		row := r.(map[string]any)
		key := row["feature"].(string) + "/" + row["split"].(string)
		area[key] += row["density"].(float64) * (row["x1"].(float64) - row["x0"].(float64))
		f := row["feature"].(string)
		if edges[f] == nil {
			edges[f] = map[float64]bool{}
		}
		edges[f][row["x0"].(float64)] = true
	}
	if len(area) != 26 {
		t.Errorf("%d histograms, want 13 features x 2 splits", len(area))
	}
	for k, a := range area {
		if math.Abs(a-1) > 1e-3 {
			t.Errorf("%s: density area %v, want 1", k, a)
		}
	}
	for f, e := range edges {
		if len(e) != 30 {
			t.Errorf("%s: %d distinct bins over the splits, want 30 common ones", f, len(e))
		}
	}
	// The line under the chart is broken into lines: join them.
	joined := strings.ReplaceAll(js, `","`, " ")
	for _, want := range []string{`"bind":{"input":"select"`, `"value":"hue"`,
		"⚠ Shifted (two-sample Kolmogorov–Smirnov test against train, p-value \\u003c 0.01", "hue (D = 0.79, p = 2.3e-26)"} {
		if !strings.Contains(js, want) && !strings.Contains(joined, want) {
			t.Errorf("spec lacks %s", want)
		}
	}
	// One split: no ranking, no line.
	wine := readWine(t)
	c, err = charts.FeatureDistributions(wine, charts.FeatureDistributionsOptions{Features: []string{"hue", "proline"}, Bins: 12})
	if err != nil {
		t.Fatal(err)
	}
	sets, js = specData(t, c)
	if rows := setWith(t, sets, "density"); len(rows) != 24 || strings.Contains(js, "Shifted") || strings.Contains(js, "KS statistic") {
		t.Errorf("one split: %d rows, or a ranking of shifts", len(rows))
	}
}

// The static picture of the distributions chart says which feature it shows.
func TestFeatureDistributionsStaticNote(t *testing.T) {
	c, err := charts.FeatureDistributions(wineSplits(), charts.FeatureDistributionsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := render.Chart(c)
	if err != nil {
		t.Fatal(err)
	}
	if svg := out.SVG(); !strings.Contains(svg, "showing feature hue (1 of 13)") {
		t.Errorf("the static SVG does not say which feature it shows")
	}
}

// The scatter matrix samples with its seed: the same points for the same seed, others
// for another; it says how many it draws.
func TestScatterMatrixSample(t *testing.T) {
	data := bigFeatures(20000, 3)
	rowsOf := func(seed uint64) []any {
		c, err := charts.ScatterMatrix(data, charts.ScatterMatrixOptions{Sample: 300, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		sets, _ := specData(t, c)
		if sub := subtitleOf(t, c); !strings.Contains(sub, "20,000 rows in 5 classes · 300 drawn, a random sample (seed") {
			t.Errorf("the subtitle does not state the sample: %s", sub)
		}
		for _, s := range sets {
			if len(s) == 300 {
				return s
			}
		}
		t.Fatal("no data set of 300 points")
		return nil
	}
	a, b, c := rowsOf(1), rowsOf(1), rowsOf(2)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	jc, _ := json.Marshal(c)
	if string(ja) != string(jb) || string(ja) == string(jc) {
		t.Error("the sample does not follow its seed")
	}
}
