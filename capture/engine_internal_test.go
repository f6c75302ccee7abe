// SPDX-License-Identifier: Apache-2.0

package capture

import (
	"encoding/json"
	"math"
	"testing"
)

// The hand-written snapshot encoding reads back like encoding/json's.
func TestSnapshotJSON(t *testing.T) {
	s := Snapshot{Kind: KindGradients, Name: `</script> "&\u2028`, Step: 7, Wall: 1.5, Shape: []int{3, 4}, Lo: -1e-9, Hi: 2.5,
		Counts: []int64{1, 0, 11}, Count: 12, NaN: 1, PosInf: 2, NegInf: 3, Min: -1e-9, Max: 2.5, Mean: 1.5e-7, Std: 1.0 / 3,
		Norm: 2e22, Percentiles: []float64{-1e-9, 0.1, 2.5}, UpdateRatio: 1e-3, Dead: -1}
	got := appendSnapshotJSON(nil, s)
	want, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("encoding differs:\n got %s\nwant %s", got, want)
	}
}

// TestUpdateSums checks the terms of the host update ratio against a plain loop.
func TestUpdateSums(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5, 1000} {
		cur := make([]float32, n)
		prev := make([]float64, n)
		for i := range cur {
			cur[i] = float32(i%7) - 2.5
			prev[i] = float64(i%5) - 1
		}
		var upd, w float64
		for i, x := range cur {
			d := float64(x) - prev[i]
			upd += d * d
			w += prev[i] * prev[i]
		}
		if gu, gw := updateSums(cur, prev); math.Abs(gu-upd) > 1e-9*max(1, upd) || math.Abs(gw-w) > 1e-9*max(1, w) {
			t.Errorf("n=%d: updateSums %g, %g; want %g, %g", n, gu, gw, upd, w)
		}
	}
	if u, w := updateSums([]float64{1, 2}, []float64{1}); u != 0 || w != 0 {
		t.Errorf("lengths differ: %g, %g, want zeros", u, w)
	}
}
