// SPDX-License-Identifier: Apache-2.0

package graphhisto

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
	"github.com/gonbviz/gonbviz/internal/histo"
)

func summarise(t *testing.T, x *tensors.Tensor, bins int, activations bool) []float64 {
	t.Helper()
	backend, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	defer backend.Finalize()
	return summariseOn(t, backend, x, bins, activations)
}

func summariseOn(t *testing.T, backend compute.Backend, x *tensors.Tensor, bins int, activations bool) []float64 {
	t.Helper()
	out, err := graph.CallOnce(backend, func(x *graph.Node) *graph.Node { return Summary(x, bins, activations) }, x)
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

// On each backend (XLA on the CPU included) the in-graph summary of a real-sized tensor agrees
// with the host kernel: counts exactly, moments to 1e-5 relative, dead units exactly. The
// values lie away from the bin edges (at most 0.4 of a bin from a bin's centre), where float32
// and float64 arithmetic can put a value on either side of an edge.
func TestSummaryMatchesHostOnEachBackend(t *testing.T) {
	const bins, lo, hi = 30, -3.0, 3.0
	w := (hi - lo) / bins
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]float32, 0, 40000)
	for range 40000 - 8 {
		b := min(bins-1, int(math.Abs(r.NormFloat64())*bins/3)) // more in the low bins
		data = append(data, float32(lo+(float64(b)+0.5+0.8*(r.Float64()-0.5))*w))
	}
	// The range ends exactly, and the values no bin takes.
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	data = append(data, float32(lo), float32(hi), nan, nan, inf, -inf, inf, nan)
	r.Shuffle(len(data), func(i, j int) { data[i], data[j] = data[j], data[i] })
	want, err := histo.Compute(data, bins, histo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sum, sumSq float64
	for _, x := range data {
		if !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) {
			sum, sumSq = sum+float64(x), sumSq+float64(x)*float64(x)
		}
	}
	// As activations, 200 examples x 200 units: units 0..9 are made <= 0 for every example.
	act := append([]float32(nil), data...)
	for ex := range 200 {
		for u := range 10 {
			act[ex*200+u] = -float32(u)
		}
	}
	xlatest.Run(t, func(t *testing.T, backend compute.Backend) {
		v := summariseOn(t, backend, tensors.FromFlatDataAndDimensions(data, len(data)), bins, false)
		if int64(v[Count]) != want.Count || int64(v[NaN]) != want.NaN || int64(v[PosInf]) != want.PosInf ||
			int64(v[NegInf]) != want.NegInf || v[Min] != want.Min || v[Max] != want.Max {
			t.Errorf("header %v; host count %d NaN %d +Inf %d -Inf %d min %g max %g",
				v[:Header], want.Count, want.NaN, want.PosInf, want.NegInf, want.Min, want.Max)
		}
		rel := func(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) }
		if rel(v[Sum], sum) > 1e-5 || rel(v[SumSq], sumSq) > 1e-5 {
			t.Errorf("sum %.9g sumSq %.9g, host %.9g %.9g", v[Sum], v[SumSq], sum, sumSq)
		}
		for i, n := range want.Counts {
			if int64(v[Header+i]) != n {
				t.Errorf("bin %d: %g, host %d", i, v[Header+i], n)
			}
		}
		a := summariseOn(t, backend, tensors.FromFlatDataAndDimensions(act, 200, 200), bins, true)
		if a[Dead] != 10 || a[Units] != 200 {
			t.Errorf("dead %g of %g units, want 10 of 200", a[Dead], a[Units])
		}
	})
}
