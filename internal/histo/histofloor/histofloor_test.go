// SPDX-License-Identifier: Apache-2.0

package histofloor

import (
	"math"
	"testing"
)

// Read and ReadScalar sum every value once, whatever the size and the goroutines.
func TestReadSums(t *testing.T) {
	for _, n := range []int{0, 1, 31, 33, 1000, minParallel + 7} {
		v := make([]float32, n)
		want := 0.0
		for i := range v {
			v[i] = float32(i%7) - 3
			want += float64(v[i])
		}
		for _, workers := range []int{0, 1, 3} {
			if got := Read(v, workers); math.Abs(got-want) > 1e-6*max(1, math.Abs(want)) {
				t.Errorf("Read(%d values, %d workers) = %v, want %v", n, workers, got, want)
			}
			if got := ReadScalar(v, workers); math.Abs(got-want) > 1e-6*max(1, math.Abs(want)) {
				t.Errorf("ReadScalar(%d values, %d workers) = %v, want %v", n, workers, got, want)
			}
		}
	}
	if got := Read([]float64{0.5, 1.5, 2}, 0); got != 4 {
		t.Errorf("Read(float64) = %v, want 4", got)
	}
}
