// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"math"
	"testing"
)

func TestEMAMatchesTensorBoard(t *testing.T) {
	// TensorBoard: last = last*w + (1-w)*v; smoothed = last / (1 - w^n).
	got := ema([]float64{1, 2, math.NaN(), 3}, 0.6)
	want := []float64{1, (0.4*0.6*1 + 0.4*2) / (1 - 0.36), math.NaN(), 0}
	l := (0.4*0.6*1+0.4*2)*0.6 + 0.4*3
	want[3] = l / (1 - math.Pow(0.6, 3))
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(want[i]) && math.Abs(got[i]-want[i]) > 1e-12) {
			t.Errorf("ema[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if got := ema([]float64{5, 7}, 0); got[0] != 5 || got[1] != 7 {
		t.Errorf("weight 0 must not smooth: %v", got)
	}
}
