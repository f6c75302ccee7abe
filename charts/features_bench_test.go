// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/dsv"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// bigFeatures is a data set of rows rows and width features (float32, flat) in three
// splits, 80/10/10, with 5 classes; the test split drifts: its features 0..3 shift by
// 0.1·(1 + feature) standard deviations, and feature 5 has NaN values.
func bigFeatures(rows, width int) charts.Features {
	rng := rand.New(rand.NewPCG(11, 12))
	names := make([]string, width)
	for j := range names {
		names[j] = fmt.Sprintf("f%02d", j)
	}
	data := charts.Features{Names: names}
	for k, sp := range []struct {
		name string
		frac float64
	}{{"train", 0.8}, {"validation", 0.1}, {"test", 0.1}} {
		n := int(float64(rows) * sp.frac)
		x := make([]float32, n*width)
		labels := make([]int, n)
		for i := range n {
			c := rng.IntN(5)
			labels[i] = c
			for j := range width {
				v := rng.NormFloat64() + 0.3*float64(c*(j%3))
				if k == 2 && j < 4 {
					v += 0.1 * float64(1+j)
				}
				if j == 5 && i%1000 == 7 {
					v = math.NaN()
				}
				x[i*width+j] = float32(v)
			}
		}
		data.Splits = append(data.Splits, charts.Split{Name: sp.name, X: x, Width: width, Labels: labels})
	}
	return data
}

var (
	millionOnce sync.Once
	million     charts.Features
)

// millionRows is bigFeatures(1,000,000, 20), made once.
func millionRows() charts.Features {
	millionOnce.Do(func() { million = bigFeatures(1000000, 20) })
	return million
}

// chartRows counts the inline data rows of a chart, as render's row limit counts them.
func chartRows(tb testing.TB, c vl.Chart) int {
	tb.Helper()
	spec, err := c.Build()
	if err != nil {
		tb.Fatal(err)
	}
	m, err := spec.Value()
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if vals, ok := x["values"]; ok {
				switch vv := vals.(type) {
				case []any:
					n += len(vv)
				case string:
					if d, ok := dsv.Delimiter(x["format"]); ok {
						n += dsv.Rows(vv, d)
					}
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(m)
	return n
}

// featureBuilders are the feature charts of a data set, as the benchmark and the size
// test build them.
var featureBuilders = []struct {
	name  string
	build func(charts.Features) (vl.Chart, error)
}{
	{"FeatureDistributions", func(d charts.Features) (vl.Chart, error) {
		return charts.FeatureDistributions(d, charts.FeatureDistributionsOptions{})
	}},
	{"FeatureBoxPlots", func(d charts.Features) (vl.Chart, error) {
		return charts.FeatureBoxPlots(d, charts.BoxPlotsOptions{})
	}},
	{"ScatterMatrix", func(d charts.Features) (vl.Chart, error) {
		return charts.ScatterMatrix(d, charts.ScatterMatrixOptions{Features: d.Names[:6]})
	}},
	{"Correlations", func(d charts.Features) (vl.Chart, error) {
		return charts.Correlations(d, charts.CorrelationsOptions{})
	}},
}

// The feature charts of 1,000,000 rows x 20 features (three splits, five classes), each
// timed from the data to the chart (not rendered). Run with
//
//	GOEXPERIMENT=simd go test ./charts/ -run '^$' -bench FeatureCharts -benchtime 3x
func BenchmarkFeatureCharts(b *testing.B) {
	data := millionRows()
	b.Run("FeatureShifts", func(b *testing.B) {
		for b.Loop() {
			if _, err := charts.FeatureShifts(data, charts.ShiftOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, fb := range featureBuilders {
		b.Run(fb.name, func(b *testing.B) {
			var c vl.Chart
			for b.Loop() {
				var err error
				if c, err = fb.build(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(chartRows(b, c)), "rows")
		})
	}
	b.Run("Histogram/groups", func(b *testing.B) {
		s := data.Splits[0]
		x := s.X.([]float32)
		col := make([]float32, len(s.Labels))
		for i := range col {
			col[i] = x[i*s.Width]
		}
		for b.Loop() {
			if _, err := charts.Histogram(col, charts.HistogramOptions{Groups: s.Labels, Density: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
