// SPDX-License-Identifier: Apache-2.0

package histo

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMoments compares Moments with a plain float64 loop, for float32 and float64, on
// lengths around the vector blocks, with NaN and ±Inf at the start, in the middle of a
// block, at block edges and at the end.
func TestMoments(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 7, 8, 9, 15, 16, 17, 33, 100, 4099} {
		for _, bad := range [][]int{nil, {0}, {3}, {8}, {n - 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}} {
			v := make([]float32, n)
			for i := range v {
				v[i] = float32(rng.NormFloat64()*3 + 1)
			}
			for k, i := range bad {
				if i >= 0 && i < n {
					v[i] = float32([]float64{math.NaN(), math.Inf(1), math.Inf(-1)}[k%3])
				}
			}
			var sum, sumSq float64
			for _, x := range v {
				if f := float64(x); !math.IsNaN(f) && !math.IsInf(f, 0) {
					sum += f
					sumSq += f * f
				}
			}
			close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }
			if s, q := Moments(v); !close(s, sum) || !close(q, sumSq) {
				t.Errorf("float32 n=%d bad=%v: %g, %g; want %g, %g", n, bad, s, q, sum, sumSq)
			}
			v64 := make([]float64, n)
			for i, x := range v {
				v64[i] = float64(x)
			}
			if s, q := Moments(v64); !close(s, sum) || !close(q, sumSq) {
				t.Errorf("float64 n=%d bad=%v: %g, %g; want %g, %g", n, bad, s, q, sum, sumSq)
			}
		}
	}
}

func BenchmarkMoments(b *testing.B) {
	v := benchValues(8192)
	b.SetBytes(4 * int64(len(v)))
	for b.Loop() {
		Moments(v)
	}
}
