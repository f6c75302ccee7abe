// SPDX-License-Identifier: Apache-2.0

package digits

import (
	"fmt"
	"slices"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
)

// pull takes n batches from one Iter of ds and returns each batch's examples as strings
// ("label: pixels").
func pull(t *testing.T, ds *Batches, n int) [][]string {
	t.Helper()
	var out [][]string
	for b, err := range ds.Iter() {
		if err != nil {
			t.Fatal(err)
		}
		bs := ds.BatchSize()
		checkShape(t, b.Inputs[0], dtypes.Float32, bs, NumFeatures)
		checkShape(t, b.Labels[0], dtypes.Int32, bs, 1)
		x := tensors.MustCopyFlatData[float32](b.Inputs[0])
		y := tensors.MustCopyFlatData[int32](b.Labels[0])
		rows := make([]string, bs)
		for i := range bs {
			rows[i] = fmt.Sprint(y[i], ": ", x[i*NumFeatures:(i+1)*NumFeatures])
		}
		out = append(out, rows)
		_ = b.Finalize()
		if len(out) == n {
			break
		}
	}
	return out
}

func TestBatches(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	sp, err := set.Split(42, 0.2, 0)
	if err != nil {
		t.Fatal(err)
	}
	const bs = 64
	epoch := sp.Train.Len() / bs
	newDS := func(seed int64) *Batches {
		ds, err := sp.Train.Batches("train", bs, seed)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	var _ train.Dataset = newDS(1)
	if ds := newDS(1); ds.Name() != "train" || ds.ShortName() != "tra" {
		t.Errorf("names %q, %q", ds.Name(), ds.ShortName())
	}
	if ds, _ := sp.Train.Batches("x", 8, 1); ds.ShortName() != "x__" {
		t.Errorf("short name %q", ds.ShortName())
	}

	// Each epoch draws every example at most once (exactly once but for the dropped tail).
	available := map[string]int{}
	for i, row := range sp.Train.Features {
		available[fmt.Sprint(int32(sp.Train.Labels[i]), ": ", row)]++
	}
	a := pull(t, newDS(1), 2*epoch+3) // it goes on past the end of an epoch
	if len(a) != 2*epoch+3 {
		t.Fatalf("got %d batches, want %d", len(a), 2*epoch+3)
	}
	for e := range 2 {
		seen := map[string]int{}
		for _, batch := range a[e*epoch : (e+1)*epoch] {
			for _, ex := range batch {
				seen[ex]++
				if seen[ex] > available[ex] {
					t.Fatalf("epoch %d: example drawn more often than it is in the set: %s", e, ex)
				}
			}
		}
	}
	if slices.Equal(a[0], a[epoch]) {
		t.Error("the second epoch starts like the first: no reshuffle")
	}

	// Deterministic for a seed, different across seeds; epochs go on across Iter calls.
	ds := newDS(1)
	b := append(pull(t, ds, 5), pull(t, ds, 2*epoch-2)...)
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Error("same seed, pulled in two Iters: different batches than in one")
	}
	if c := pull(t, newDS(2), 1); slices.Equal(a[0], c[0]) {
		t.Error("different seeds gave the same first batch")
	}

	for _, bad := range []int{0, -1, sp.Train.Len() + 1} {
		if _, err := sp.Train.Batches("x", bad, 1); err == nil {
			t.Errorf("batch size %d accepted", bad)
		}
	}
}
