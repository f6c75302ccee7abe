// SPDX-License-Identifier: Apache-2.0

package graphhisto

import (
	"math"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gonbviz/gonbviz/internal/histo"
)

func summarise(t *testing.T, x *tensors.Tensor, bins int, activations bool) []float64 {
	t.Helper()
	backend, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	out, err := graph.ExecOnce(backend, func(x *graph.Node) *graph.Node { return Summary(x, bins, activations) }, x)
	if err != nil {
		t.Fatal(err)
	}
	v, err := tensors.CopyFlatData[float64](out)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != Header+bins {
		t.Fatalf("summary of %d values, want %d", len(v), Header+bins)
	}
	return v
}

// The in-graph summary agrees with the host kernel on counts, moments and bins.
func TestSummaryMatchesHost(t *testing.T) {
	inf := float32(math.Inf(1))
	data := []float32{-2, -1.5, -1, -0.25, 0, 0, 0.5, 1, 1.75, 3, float32(math.NaN()), inf, -inf, inf}
	const bins = 10
	v := summarise(t, tensors.FromFlatDataAndDimensions(data, len(data)), bins, false)
	want, err := histo.Compute(data, bins, histo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v[Count] != 10 || v[NaN] != 1 || v[PosInf] != 2 || v[NegInf] != 1 || v[Min] != -2 || v[Max] != 3 {
		t.Errorf("header %v", v[:Header])
	}
	var sum, sumSq float64
	for _, x := range data[:10] {
		sum, sumSq = sum+float64(x), sumSq+float64(x)*float64(x)
	}
	if math.Abs(v[Sum]-sum) > 1e-9 || math.Abs(v[SumSq]-sumSq) > 1e-9 {
		t.Errorf("sum %g sumSq %g, want %g %g", v[Sum], v[SumSq], sum, sumSq)
	}
	for i, n := range want.Counts {
		if int64(v[Header+i]) != n {
			t.Errorf("bin %d: %g, host %d (all: %v vs %v)", i, v[Header+i], n, v[Header:], want.Counts)
		}
	}
	if v[Dead] != -1 || v[Units] != 0 {
		t.Errorf("not activations, yet dead %g units %g", v[Dead], v[Units])
	}
}

func TestSummaryDeadUnits(t *testing.T) {
	// 3 examples x 4 units: unit 1 is <= 0 for every example, unit 3 too.
	x := tensors.FromFlatDataAndDimensions([]float32{
		1, 0, 2, -1,
		0, -3, 1, 0,
		2, 0, 0, -2,
	}, 3, 4)
	v := summarise(t, x, 4, true)
	if v[Dead] != 2 || v[Units] != 4 {
		t.Errorf("dead %g of %g units, want 2 of 4", v[Dead], v[Units])
	}
}

// A constant tensor goes to bin 0.
func TestSummaryConstant(t *testing.T) {
	v := summarise(t, tensors.FromFlatDataAndDimensions([]float32{5, 5, 5}, 3), 4, false)
	if v[Min] != 5 || v[Max] != 5 || v[Header] != 3 {
		t.Errorf("constant: %v", v)
	}
}
