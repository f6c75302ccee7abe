// SPDX-License-Identifier: Apache-2.0

package histo

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gonbviz/gonbviz/internal/histo/histofloor"
)

func benchValues(n int) []float32 {
	rng := rand.New(rand.NewPCG(5, 6))
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return v
}

// BenchmarkHistogram compares the kernel on 10M float32 (64 bins) with the read floor:
// compare the ns/op of the sub-benchmarks (go test -bench . ./internal/histo).
func BenchmarkHistogram(b *testing.B) {
	v := benchValues(10_000_000)
	b.Run("floor", func(b *testing.B) {
		b.SetBytes(int64(4 * len(v)))
		for b.Loop() {
			histofloor.Read(v, 0)
		}
	})
	b.Run("kernel", func(b *testing.B) {
		b.SetBytes(int64(4 * len(v)))
		for b.Loop() {
			if _, err := Compute(v, 64, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("kernel-ranged", func(b *testing.B) {
		b.SetBytes(int64(4 * len(v)))
		for b.Loop() {
			if _, err := Compute(v, 64, Options{Lo: -6, Hi: 6}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSmallTensors is Compute on the sizes of a small model's weights and
// gradients (biases of 10 to 128 values, matrices of 640 to 8192), with the 240 fine
// bins that captures use: per-call costs, not bandwidth.
func BenchmarkSmallTensors(b *testing.B) {
	for _, n := range []int{10, 128, 640, 8192} {
		v := benchValues(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Compute(v, 240, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
