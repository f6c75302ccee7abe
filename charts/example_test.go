// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"fmt"
	"math"

	"github.com/gonbviz/gonbviz/charts"
)

// A histogram of any Go slice in one call: the bins are computed in Go, so the chart
// carries a row per bin, and the NaN is counted and named, never drawn.
func ExampleHistogram() {
	values := []float64{1, 2, 2, 3, 3, 3, 4, 4, math.NaN()}
	chart, err := charts.Histogram(values, charts.HistogramOptions{Bins: 3, Title: "values"})
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, err := chart.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := spec.Value()
	if err != nil {
		fmt.Println(err)
		return
	}
	title := m["title"].(map[string]any)
	enc := m["encoding"].(map[string]any)
	fmt.Println(title["text"], "|", title["subtitle"])
	fmt.Println("x:", enc["x"].(map[string]any)["bin"], "y:", enc["y"].(map[string]any)["field"])
	// Output:
	// values | 8 values, min 1, max 4 · 1 NaN not drawn
	// x: map[binned:true] y: count
}
