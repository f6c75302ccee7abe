// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/testing/pyref"
)

func readWine(t *testing.T) charts.Features {
	t.Helper()
	wine, err := charts.ReadFeatures(strings.NewReader(wineCSV), charts.ReadFeaturesOptions{Label: "class"})
	if err != nil {
		t.Fatal(err)
	}
	return wine
}

// column returns feature j of a flat split.
func column(s charts.Split, j int) []float64 {
	x := s.X.([]float64)
	out := make([]float64, 0, len(x)/s.Width)
	for i := j; i < len(x); i += s.Width {
		out = append(out, x[i])
	}
	return out
}

func TestReadFeatures(t *testing.T) {
	wine := readWine(t)
	if len(wine.Names) != 13 || wine.Names[6] != "flavanoids" || len(wine.Splits) != 1 {
		t.Fatalf("names %q, %d splits", wine.Names, len(wine.Splits))
	}
	s := wine.Splits[0]
	if s.Name != "data" || s.Width != 13 || len(s.Labels) != 178 || !slices.Equal(wine.Classes, []string{"0", "1", "2"}) {
		t.Errorf("split %q width %d, %d labels, classes %q", s.Name, s.Width, len(s.Labels), wine.Classes)
	}
	if x := s.X.([]float64); x[0] != 14.23 || x[12] != 1065 || s.Labels[0] != 0 || s.Labels[177] != 2 {
		t.Errorf("first row %v, labels %d..%d", x[:13], s.Labels[0], s.Labels[177])
	}

	// TSV, a split column, text labels sorted, missing values, chosen columns.
	tsv := "id\tsplit\tspecies\tlength\twidth\n" +
		"1\ttrain\tvirginica\t6.3\t3.3\n" +
		"2\ttest\tsetosa\tNA\t3.0\n" +
		"3\ttrain\tsetosa\t4.9\t\n" +
		"4\ttest\tversicolor\t7.0\tInf\n"
	d, err := charts.ReadFeatures(strings.NewReader(tsv), charts.ReadFeaturesOptions{Label: "species", Split: "split", Columns: []string{"width", "length"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Names, []string{"width", "length"}) || !slices.Equal(d.Classes, []string{"setosa", "versicolor", "virginica"}) {
		t.Errorf("names %q classes %q", d.Names, d.Classes)
	}
	if len(d.Splits) != 2 || d.Splits[0].Name != "train" || d.Splits[1].Name != "test" {
		t.Fatalf("splits %+v", d.Splits)
	}
	train, test := d.Splits[0].X.([]float64), d.Splits[1].X.([]float64)
	if train[0] != 3.3 || train[1] != 6.3 || !math.IsNaN(train[2]) || train[3] != 4.9 ||
		test[0] != 3.0 || !math.IsNaN(test[1]) || !math.IsInf(test[2], 1) || test[3] != 7 {
		t.Errorf("train %v test %v", train, test)
	}
	if !slices.Equal(d.Splits[0].Labels, []int{2, 0}) || !slices.Equal(d.Splits[1].Labels, []int{0, 1}) {
		t.Errorf("labels %v %v", d.Splits[0].Labels, d.Splits[1].Labels)
	}
	// Numeric labels sort as numbers; Classes fixes the order.
	d, err = charts.ReadFeatures(strings.NewReader("x,y\n1,10\n2,9\n3,10\n"), charts.ReadFeaturesOptions{Label: "y"})
	if err != nil || !slices.Equal(d.Classes, []string{"9", "10"}) || !slices.Equal(d.Splits[0].Labels, []int{1, 0, 1}) {
		t.Errorf("numeric labels: %q %v %v", d.Classes, d.Splits[0].Labels, err)
	}
	d, err = charts.ReadFeatures(strings.NewReader("x,y\n1,b\n2,a\n"), charts.ReadFeaturesOptions{Label: "y", Classes: []string{"b", "a", "c"}})
	if err != nil || !slices.Equal(d.Splits[0].Labels, []int{0, 1}) {
		t.Errorf("given classes: %v %v", d.Splits[0].Labels, err)
	}
	// A file: .tsv is TSV, and the errors name the file.
	path := filepath.Join(t.TempDir(), "f.tsv")
	if err := os.WriteFile(path, []byte("a\tb\n1\t2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if d, err := charts.ReadFeaturesFile(path, charts.ReadFeaturesOptions{}); err != nil || len(d.Names) != 2 {
		t.Errorf("ReadFeaturesFile: %v %v", d.Names, err)
	}
	if _, err := charts.ReadFeaturesFile(path, charts.ReadFeaturesOptions{Label: "c"}); err == nil || !strings.Contains(err.Error(), "f.tsv") {
		t.Errorf("ReadFeaturesFile error: %v", err)
	}
}

func TestReadFeaturesErrors(t *testing.T) {
	for _, tc := range []struct {
		text string
		opts charts.ReadFeaturesOptions
		want string
	}{
		{"", charts.ReadFeaturesOptions{}, "the table is empty"},
		{"a,b\n", charts.ReadFeaturesOptions{}, "a header but no rows"},
		{"a,b\n1,2\n3,x\n", charts.ReadFeaturesOptions{}, `line 3, column 2 (b): "x" is not a number`},
		{"a,b\n1,2\n3\n", charts.ReadFeaturesOptions{}, "line 3 has 1 fields, the header 2"},
		{"a,a\n1,2\n", charts.ReadFeaturesOptions{}, `columns 1 and 2 are both named "a"`},
		{"a,\n1,2\n", charts.ReadFeaturesOptions{}, "line 1, column 2: the header names no column"},
		{"a,b\n1,2\n", charts.ReadFeaturesOptions{Label: "c"}, `opts.Label is "c", which is not a column; the columns are "a", "b"`},
		{"a,b\n1,2\n", charts.ReadFeaturesOptions{Label: "b", Columns: []string{"b"}}, "the label or split column"},
		{"a,b\n1,\n", charts.ReadFeaturesOptions{Label: "b"}, "line 2, column 2 (b): the label is empty"},
		{"a,b\n1,z\n", charts.ReadFeaturesOptions{Label: "b", Classes: []string{"x", "y"}}, `label "z" is not in opts.Classes`},
		{"a,s\n1,\n", charts.ReadFeaturesOptions{Split: "s"}, "line 2, column 2 (s): the split is empty"},
		{"a\n1\n", charts.ReadFeaturesOptions{Label: "a"}, "no feature columns"},
	} {
		_, err := charts.ReadFeatures(strings.NewReader(tc.text), tc.opts)
		if err == nil || !strings.HasPrefix(err.Error(), "charts.ReadFeatures: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadFeatures(%q): %v, want an error with %q", tc.text, err, tc.want)
		}
	}
}

// The forms of a feature matrix give the same results.
func TestFeatureInputForms(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, w = 300, 3
	flat64 := make([]float64, n*w)
	for i := range flat64 {
		flat64[i] = rng.NormFloat64() + float64(i%w)
	}
	rows64 := make([][]float64, n)
	rows32 := make([][]float32, n)
	flat32 := make([]float32, n*w)
	for i := range n {
		rows64[i] = flat64[i*w : (i+1)*w]
		rows32[i] = make([]float32, w)
		for j := range w {
			rows32[i][j] = float32(flat64[i*w+j])
			flat32[i*w+j] = float32(flat64[i*w+j])
		}
	}
	other := make([]float64, 200*w)
	for i := range other {
		other[i] = rng.NormFloat64() + 0.3
	}
	forms := map[string]charts.Split{
		"[][]float64":    {X: rows64},
		"[]float64":      {X: flat64, Width: w},
		"tensor float64": {X: tensors.FromFlatDataAndDimensions(flat64, n, w)},
		"[][]float32":    {X: rows32},
		"[]float32":      {X: flat32, Width: w},
		"tensor float32": {X: tensors.FromFlatDataAndDimensions(flat32, n, w)},
	}
	results := map[string][]charts.FeatureShift{}
	for name, s := range forms {
		s.Name = "train"
		shifts, err := charts.FeatureShifts(charts.Features{Splits: []charts.Split{s, {Name: "test", X: other, Width: w}}}, charts.ShiftOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		results[name] = shifts
	}
	for _, bits := range []string{"64", "32"} {
		want := results["[]float"+bits]
		for name, got := range results {
			if strings.Contains(name, bits) && !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", name, got, want)
			}
		}
	}
	for _, sh := range results["[]float64"] {
		if !strings.HasPrefix(sh.Feature, "x") || sh.Feature != "x"+string(rune('0'+sh.Index)) || sh.Split != "test" || sh.Reference != "train" {
			t.Errorf("default names: %+v", sh)
		}
	}
	// Integer tensors are features too.
	ints := tensors.FromFlatDataAndDimensions([]int32{1, 2, 3, 4, 5, 6}, 3, 2)
	if _, err := charts.FeatureShifts(charts.Features{Splits: []charts.Split{{X: ints}}}, charts.ShiftOptions{}); err != nil {
		t.Errorf("int32 tensor: %v", err)
	}
}

// The KS statistic equals scipy.stats.ks_2samp's, and its p-value (method="asymp") is
// within 1e-6 of scipy's, on samples of many sizes, with ties, discrete values and
// shifts from none to total.
func TestKolmogorovSmirnovMatchesSciPy(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	type pair struct {
		A, B []float64
	}
	var pairs []pair
	for _, sizes := range [][2]int{{1, 1}, {1, 5}, {3, 4}, {10, 10}, {25, 40}, {100, 80}, {141, 300}, {500, 501},
		{1000, 50}, {2000, 3000}, {10000, 7000}, {60000, 40000}} {
		for _, kind := range []string{"same", "shift", "scale", "discrete", "far"} {
			a, b := make([]float64, sizes[0]), make([]float64, sizes[1])
			for i := range a {
				a[i] = rng.NormFloat64()
			}
			for i := range b {
				b[i] = rng.NormFloat64()
				switch kind {
				case "shift":
					b[i] += 0.3
				case "scale":
					b[i] *= 1.5
				case "far":
					b[i] += 4
				}
			}
			if kind == "discrete" { // many ties
				for i := range a {
					a[i] = math.Round(a[i] * 2)
				}
				for i := range b {
					b[i] = math.Round(b[i]*2 + 0.5)
				}
			}
			pairs = append(pairs, pair{a, b})
		}
	}
	var want []struct {
		D float64
		P *float64
	}
	pyref.Run(t, `
import json, sys
import numpy as np
from scipy.stats import ks_2samp
out = []
for p in json.load(sys.stdin):
    r = ks_2samp(p["A"], p["B"], method="asymp")
    # Two samples of one value: n = round(0.5) = 0, and kstwo of 0 values is NaN.
    out.append({"D": float(r.statistic), "P": None if np.isnan(r.pvalue) else float(r.pvalue)})
print(json.dumps(out))
`, pairs, &want)
	worst := 0.0
	for i, p := range pairs {
		got, err := charts.KolmogorovSmirnov(p.A, p.B)
		if err != nil {
			t.Fatal(err)
		}
		if got.Statistic != want[i].D {
			t.Errorf("pair %d (%d, %d): D = %.17g, scipy %.17g", i, len(p.A), len(p.B), got.Statistic, want[i].D)
		}
		if want[i].P == nil {
			if !math.IsNaN(got.PValue) {
				t.Errorf("pair %d (%d, %d): p = %g, scipy NaN", i, len(p.A), len(p.B), got.PValue)
			}
			continue
		}
		diff := math.Abs(got.PValue - *want[i].P)
		worst = max(worst, diff)
		if diff > 1e-6 {
			t.Errorf("pair %d (%d, %d): p = %.17g, scipy %.17g", i, len(p.A), len(p.B), got.PValue, *want[i].P)
		}
	}
	t.Logf("%d pairs: statistics equal, p-values within %.2g of scipy's", len(pairs), worst)

	if _, err := charts.KolmogorovSmirnov(nil, []float64{1}); err == nil || !strings.Contains(err.Error(), "a is empty") {
		t.Errorf("empty a: %v", err)
	}
	if _, err := charts.KolmogorovSmirnov([]float64{1}, []float64{math.NaN()}); err == nil || !strings.Contains(err.Error(), "b has no finite values") {
		t.Errorf("b all NaN: %v", err)
	}
	// Non-finite values are left out: the same test as without them.
	a, b := []float64{1, 2, 3, math.NaN()}, []float64{2.5, math.Inf(1), 4, 5}
	got, _ := charts.KolmogorovSmirnov(a, b)
	clean, _ := charts.KolmogorovSmirnov(a[:3], []float64{2.5, 4, 5})
	if got != clean || got.N1 != 3 || got.N2 != 3 {
		t.Errorf("with NaN/Inf: %+v, without: %+v", got, clean)
	}
}

// FeatureShifts on the wine data equals scipy's ks_2samp per feature.
func TestFeatureShiftsMatchSciPy(t *testing.T) {
	wine := readWine(t)
	s := wine.Splits[0]
	x := s.X.([]float64)
	data := charts.Features{Names: wine.Names, Splits: []charts.Split{
		{Name: "a", X: x[:120*s.Width], Width: s.Width}, {Name: "b", X: x[120*s.Width:], Width: s.Width}}}
	shifts, err := charts.FeatureShifts(data, charts.ShiftOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cols := make([][]float64, len(wine.Names))
	for j := range cols {
		cols[j] = column(s, j)
	}
	var want []struct{ D, P float64 }
	pyref.Run(t, `
import json, sys
from scipy.stats import ks_2samp
cols = json.load(sys.stdin)
print(json.dumps([{"D": float(r.statistic), "P": float(r.pvalue)} for r in (ks_2samp(c[:120], c[120:], method="asymp") for c in cols)]))
`, cols, &want)
	for _, sh := range shifts {
		w := want[sh.Index]
		if sh.Statistic != w.D || math.Abs(sh.PValue-w.P) > 1e-6 || sh.Shifted != (w.P < 0.01) {
			t.Errorf("%s: D %v p %v shifted %v; scipy D %v p %v", sh.Feature, sh.Statistic, sh.PValue, sh.Shifted, w.D, w.P)
		}
	}
}

// A table of features read from CSV: a header row naming the columns, numbers, a label
// column whose values become the classes. A TSV file is read the same way (the tab in
// its header says so), and a column naming each row's split (ReadFeaturesOptions.Split)
// gives a split per name.
func ExampleReadFeatures() {
	wine, err := charts.ReadFeatures(strings.NewReader(wineCSV), charts.ReadFeaturesOptions{Label: "class"})
	if err != nil {
		log.Fatal(err)
	}
	s := wine.Splits[0]
	fmt.Printf("%d features: %s, ..., %s\n", len(wine.Names), wine.Names[0], wine.Names[len(wine.Names)-1])
	fmt.Printf("split %q: %d rows, classes %q\n", s.Name, len(s.Labels), wine.Classes)

	_, err = charts.ReadFeatures(strings.NewReader("a,b,class\n1,2,x\n3,4.5.6,y\n"), charts.ReadFeaturesOptions{Label: "class"})
	fmt.Println(err)
	// Output:
	// 13 features: alcohol, ..., proline
	// split "data": 178 rows, classes ["0" "1" "2"]
	// charts.ReadFeatures: line 3, column 2 (b): "4.5.6" is not a number; feature cells are numbers, or empty, NA or NaN for a missing value (or list the feature columns in opts.Columns)
}

// wineSplits reads the wine data and splits it as a hurried notebook might: the file is
// sorted by cultivar, so its first 120 rows as the training split and the other 58 as the
// test split, without shuffling, leave cultivar 3 almost only in the test split.
func wineSplits() charts.Features {
	wine, err := charts.ReadFeatures(strings.NewReader(wineCSV), charts.ReadFeaturesOptions{Label: "class"})
	if err != nil {
		log.Fatal(err)
	}
	all := wine.Splits[0]
	x, w := all.X.([]float64), all.Width
	return charts.Features{
		Names:   wine.Names,
		Classes: []string{"cultivar 1", "cultivar 2", "cultivar 3"},
		Splits: []charts.Split{
			{Name: "train", X: x[:120*w], Width: w, Labels: all.Labels[:120]},
			{Name: "test", X: x[120*w:], Width: w, Labels: all.Labels[120:]},
		},
	}
}

// Which features differ between the splits: the two-sample Kolmogorov–Smirnov test of
// each feature of the test split against the training split, as scipy.stats.ks_2samp
// computes it (these are scipy's numbers). The wine file is sorted by cultivar and was
// split without shuffling: the test split is mostly cultivar 3, whose wines have less
// hue and fewer flavanoids.
func ExampleFeatureShifts() {
	shifts, err := charts.FeatureShifts(wineSplits(), charts.ShiftOptions{})
	if err != nil {
		log.Fatal(err)
	}
	shifted := 0
	for i, s := range shifts {
		if i < 4 {
			fmt.Printf("%-12s D = %.3f  p = %.2g  shifted: %v\n", s.Feature, s.Statistic, s.PValue, s.Shifted)
		}
		if s.Shifted {
			shifted++
		}
	}
	last := shifts[len(shifts)-1]
	fmt.Printf("%-12s D = %.3f  p = %.2g  shifted: %v\n", last.Feature, last.Statistic, last.PValue, last.Shifted)
	fmt.Printf("%d of %d features shifted (p < %g)\n", shifted, len(shifts), charts.DefaultShiftAlpha)
	// Output:
	// hue          D = 0.789  p = 2.3e-26  shifted: true
	// flavanoids   D = 0.727  p = 1.6e-21  shifted: true
	// od280_od315  D = 0.718  p = 6.8e-21  shifted: true
	// malic_acid   D = 0.653  p = 8.3e-17  shifted: true
	// magnesium    D = 0.121  p = 0.58  shifted: false
	// 10 of 13 features shifted (p < 0.01)
}
