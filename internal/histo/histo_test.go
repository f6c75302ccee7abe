// SPDX-License-Identifier: Apache-2.0

package histo

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

func mustCompute[T Float](t *testing.T, v []T, bins int, o Options) Result {
	t.Helper()
	r, err := Compute(v, bins, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestExactCounts(t *testing.T) {
	r := mustCompute(t, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10}, 5, Options{})
	wantEdges := []float64{0, 2, 4, 6, 8, 10}
	if !slices.Equal(r.Edges, wantEdges) {
		t.Errorf("edges %v, want %v", r.Edges, wantEdges)
	}
	// [0,2) [2,4) [4,6) [6,8) [8,10] — max goes in the last bin.
	if want := []int64{2, 2, 2, 2, 4}; !slices.Equal(r.Counts, want) {
		t.Errorf("counts %v, want %v", r.Counts, want)
	}
	if r.Min != 0 || r.Max != 10 || r.Count != 12 {
		t.Errorf("min %v max %v count %v", r.Min, r.Max, r.Count)
	}
	r32 := mustCompute(t, []float32{-1, -0.5, 0, 0.5, 1}, 2, Options{})
	if want := []int64{2, 3}; !slices.Equal(r32.Counts, want) || r32.Edges[0] != -1 || r32.Edges[2] != 1 {
		t.Errorf("float32: edges %v counts %v", r32.Edges, r32.Counts)
	}
}

func TestNonFinite(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, v := range [][]float64{
		{nan, 1, inf, 2, -inf, nan, 3, nan},
		{inf, -inf, 1, 2, 3, nan, nan, nan}, // Inf first: exercises the careful min/max pass
	} {
		r := mustCompute(t, v, 2, Options{})
		if r.NaN != 3 || r.PosInf != 1 || r.NegInf != 1 || r.Count != 3 {
			t.Errorf("%v: nan %d +inf %d -inf %d count %d", v, r.NaN, r.PosInf, r.NegInf, r.Count)
		}
		if r.Min != 1 || r.Max != 3 || !slices.Equal(r.Counts, []int64{1, 2}) {
			t.Errorf("%v: min %v max %v counts %v", v, r.Min, r.Max, r.Counts)
		}
	}
	f32 := []float32{float32(nan), float32(inf), 5}
	r := mustCompute(t, f32, 4, Options{})
	if r.NaN != 1 || r.PosInf != 1 || r.Count != 1 || len(r.Counts) != 1 || r.Counts[0] != 1 {
		t.Errorf("float32 non-finite: %+v", r)
	}
}

func TestAllEqualEmptyOneBin(t *testing.T) {
	r := mustCompute(t, []float32{2.5, 2.5, 2.5}, 30, Options{})
	if !slices.Equal(r.Edges, []float64{2, 3}) || !slices.Equal(r.Counts, []int64{3}) {
		t.Errorf("all equal: edges %v counts %v", r.Edges, r.Counts)
	}
	r = mustCompute(t, []float64{}, 10, Options{})
	if r.Edges != nil || r.Counts != nil || r.Count != 0 || !math.IsNaN(r.Min) {
		t.Errorf("empty: %+v", r)
	}
	r = mustCompute(t, []float64{math.NaN(), math.Inf(-1)}, 10, Options{})
	if r.Edges != nil || r.NaN != 1 || r.NegInf != 1 {
		t.Errorf("only non-finite: %+v", r)
	}
	r = mustCompute(t, []float64{3, 1, 2}, 1, Options{})
	if !slices.Equal(r.Edges, []float64{1, 3}) || !slices.Equal(r.Counts, []int64{3}) {
		t.Errorf("bins=1: %+v", r)
	}
}

func TestErrors(t *testing.T) {
	if _, err := Compute([]float32{1}, 0, Options{}); err == nil || !strings.Contains(err.Error(), "bins") {
		t.Errorf("bins=0: %v", err)
	}
	if _, err := Compute([]float32{1}, 4, Options{Lo: 2, Hi: 1}); err == nil || !strings.Contains(err.Error(), "Lo") {
		t.Errorf("bad range: %v", err)
	}
	if _, err := Percentiles([]float32{1}, []float64{101}); err == nil || !strings.Contains(err.Error(), "ps[0]") {
		t.Errorf("bad percentile: %v", err)
	}
}

func TestRanged(t *testing.T) {
	r := mustCompute(t, []float64{-5, 0, 0.25, 0.5, 1, 7, math.NaN()}, 2, Options{Lo: 0, Hi: 1})
	if !slices.Equal(r.Counts, []int64{2, 2}) || r.Under != 1 || r.Over != 1 || r.NaN != 1 || r.Count != 6 {
		t.Errorf("ranged: %+v", r)
	}
	if r.Min != -5 || r.Max != 7 {
		t.Errorf("ranged min/max: %v %v", r.Min, r.Max)
	}
}

// naive is the reference: the same bin formula, one value at a time.
func naive[T Float](v []T, bins int) (counts []int64, mn, mx float64, bad int64) {
	mn, mx = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			bad++
			continue
		}
		mn, mx = min(mn, f), max(mx, f)
	}
	counts = make([]int64, bins)
	if mn == mx {
		return
	}
	scale := float64(bins) / (mx - mn)
	for _, x := range v {
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		counts[min(int((f-mn)*scale), bins-1)]++
	}
	return
}

func TestAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 3, 7, 100, 1 << 16, 1<<17 + 3, 300001} {
		for _, bins := range []int{1, 7, 64} {
			v32 := make([]float32, n)
			v64 := make([]float64, n)
			for i := range v32 {
				x := rng.NormFloat64()*3 + 1
				switch rng.IntN(1000) {
				case 0:
					x = math.NaN()
				case 1:
					x = math.Inf(1)
				}
				v32[i], v64[i] = float32(x), x
			}
			if n == 1 {
				v32[0], v64[0] = 1, 1
			}
			for _, workers := range []int{0, 1, 3} {
				check := func(name string, r Result, counts []int64, mn, mx float64, bad int64) {
					if mn == mx {
						return // one bin, covered elsewhere
					}
					if !slices.Equal(r.Counts, counts) || r.Min != mn || r.Max != mx || r.NaN+r.PosInf+r.NegInf != bad {
						t.Errorf("%s n=%d bins=%d workers=%d: got %v [%v,%v], want %v [%v,%v]", name, n, bins, workers, r.Counts, r.Min, r.Max, counts, mn, mx)
					}
				}
				r := mustCompute(t, v32, bins, Options{Workers: workers})
				c, mn, mx, bad := naive(v32, bins)
				check("float32", r, c, mn, mx, bad)
				r = mustCompute(t, v64, bins, Options{Workers: workers})
				c, mn, mx, bad = naive(v64, bins)
				check("float64", r, c, mn, mx, bad)
			}
		}
	}
}

func TestPercentiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	v := make([]float64, 200000)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	got, err := Percentiles(v, TensorBoardPercentiles)
	if err != nil {
		t.Fatal(err)
	}
	s := slices.Clone(v)
	sort.Float64s(s)
	width := (s[len(s)-1] - s[0]) / PercentileBins
	for i, p := range TensorBoardPercentiles {
		exact := s[min(int(p/100*float64(len(s))), len(s)-1)]
		if math.Abs(got[i]-exact) > width {
			t.Errorf("p%v = %v, exact %v (bin width %v)", p, got[i], exact, width)
		}
	}
	if got[0] != s[0] || got[len(got)-1] != s[len(s)-1] {
		t.Errorf("p0/p100 = %v/%v, want min/max %v/%v", got[0], got[len(got)-1], s[0], s[len(s)-1])
	}
	// Median of a standard normal is near 0, +1σ near 1.
	if math.Abs(got[4]) > 0.02 || math.Abs(got[6]-1) > 0.03 {
		t.Errorf("normal bands: %v", got)
	}
	empty, _ := Percentiles([]float32{float32(math.NaN())}, []float64{50})
	if !math.IsNaN(empty[0]) {
		t.Errorf("no finite values: %v", empty)
	}
}

// The single pass over a given range, on enough data for the parallel and vector paths.
func TestRangedAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, bins := range []int{5, 64, 300} { // 300: past the fixed 256-bin arrays
		v := make([]float32, 200003)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
			if i%9973 == 0 {
				v[i] = float32(math.NaN())
			}
		}
		lo, hi := -2.0, 2.5
		r := mustCompute(t, v, bins, Options{Lo: lo, Hi: hi})
		want := make([]int64, bins)
		var under, over, nan int64
		mn, mx := math.Inf(1), math.Inf(-1)
		scale := float64(bins) / (hi - lo)
		for _, x := range v {
			f := float64(x)
			switch {
			case math.IsNaN(f):
				nan++
				continue
			case f < lo:
				under++
			case f > hi:
				over++
			default:
				want[min(int((f-lo)*scale), bins-1)]++
			}
			mn, mx = min(mn, f), max(mx, f)
		}
		if !slices.Equal(r.Counts, want) || r.Under != under || r.Over != over || r.NaN != nan || r.Min != mn || r.Max != mx {
			t.Errorf("bins=%d: got %v under %d over %d nan %d [%v,%v], want %v under %d over %d nan %d [%v,%v]",
				bins, r.Counts, r.Under, r.Over, r.NaN, r.Min, r.Max, want, under, over, nan, mn, mx)
		}
	}
}
