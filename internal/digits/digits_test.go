// SPDX-License-Identifier: Apache-2.0

package digits

import (
	"slices"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/tensors"
)

func TestLoad(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != NumExamples || len(set.Features) != NumExamples {
		t.Fatalf("got %d labels, %d feature rows, want %d", set.Len(), len(set.Features), NumExamples)
	}
	var minV, maxV float32 = 1, 0
	for i, row := range set.Features {
		if len(row) != NumFeatures {
			t.Fatalf("row %d has %d features, want %d", i, len(row), NumFeatures)
		}
		for _, v := range row {
			minV, maxV = min(minV, v), max(maxV, v)
		}
	}
	if minV != 0 || maxV != 1 {
		t.Errorf("pixel range [%g, %g], want [0, 1]", minV, maxV)
	}
	want := [NumClasses]int{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}
	if got := set.LabelCounts(); got != want {
		t.Errorf("label counts %v, want %v", got, want)
	}
	// First row of the file: 0,0,5,13,9,1,0,0,... label 0.
	if set.Labels[0] != 0 || set.Features[0][2] != 5.0/16 || set.Features[0][3] != 13.0/16 {
		t.Errorf("first row: label %d, pixels %v", set.Labels[0], set.Features[0][:4])
	}
	// Load returns independent Sets.
	again, _ := Load()
	again.Labels[0] = 9
	if set.Labels[0] != 0 {
		t.Error("Load returned shared label slices")
	}
}

func TestSplit(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	a, err := set.Split(42, 0.2, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if n := a.Train.Len() + a.Validation.Len() + a.Test.Len(); n != NumExamples {
		t.Errorf("split sizes add to %d, want %d", n, NumExamples)
	}
	// Stratified: per class, round(n*frac).
	vc, tc, trc := a.Validation.LabelCounts(), a.Test.LabelCounts(), a.Train.LabelCounts()
	all := set.LabelCounts()
	for c := range NumClasses {
		if vc[c] < 34 || vc[c] > 37 || tc[c] < 17 || tc[c] > 19 || trc[c]+vc[c]+tc[c] != all[c] {
			t.Errorf("class %d: train %d, validation %d, test %d (of %d)", c, trc[c], vc[c], tc[c], all[c])
		}
	}
	t.Logf("sizes: train %d, validation %d, test %d", a.Train.Len(), a.Validation.Len(), a.Test.Len())

	// Same seed, same split; other seed, other split.
	b, _ := set.Split(42, 0.2, 0.1)
	if !slices.Equal(a.Validation.Labels, b.Validation.Labels) || !sameRows(a.Validation, b.Validation) ||
		!sameRows(a.Test, b.Test) || !sameRows(a.Train, b.Train) {
		t.Error("Split is not deterministic for a given seed")
	}
	c, _ := set.Split(7, 0.2, 0.1)
	if sameRows(a.Validation, c.Validation) {
		t.Error("different seeds gave the same validation set")
	}
	// Disjoint: no row in two parts.
	seen := map[*float32]string{}
	for name, part := range map[string]*Set{"train": a.Train, "validation": a.Validation, "test": a.Test} {
		for _, row := range part.Features {
			if prev, dup := seen[&row[0]]; dup {
				t.Fatalf("a row is in both %s and %s", prev, name)
			}
			seen[&row[0]] = name
		}
	}

	// No test part.
	d, err := set.Split(1, 0.25, 0)
	if err != nil || d.Test.Len() != 0 || d.Train.Len()+d.Validation.Len() != NumExamples {
		t.Errorf("Split(1, 0.25, 0): %v, test %d", err, d.Test.Len())
	}
	for _, bad := range [][2]float64{{-0.1, 0.1}, {0.5, 0.5}, {0.9, 0.2}} {
		if _, err := set.Split(1, bad[0], bad[1]); err == nil {
			t.Errorf("Split(%g, %g) accepted", bad[0], bad[1])
		}
	}
}

func sameRows(a, b *Set) bool {
	if a.Len() != b.Len() {
		return false
	}
	for i := range a.Features {
		if &a.Features[i][0] != &b.Features[i][0] {
			return false
		}
	}
	return true
}

func TestDatasets(t *testing.T) {
	backend, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	set, _ := Load()
	sp, _ := set.Split(42, 0.2, 0)

	// Train: infinite, full batches only, deterministic by seed.
	const batch = 64
	firstLabels := func(seed int64) []int32 {
		ds, err := sp.Train.TrainDataset(backend, "train", batch, seed)
		if err != nil {
			t.Fatal(err)
		}
		var got []int32
		n := 0
		epochBatches := sp.Train.Len() / batch
		for b, err := range ds.Iter() {
			if err != nil {
				t.Fatal(err)
			}
			checkShape(t, b.Inputs[0], dtypes.Float32, batch, NumFeatures)
			checkShape(t, b.Labels[0], dtypes.Int32, batch, 1)
			if n == 0 {
				got = tensors.MustCopyFlatData[int32](b.Labels[0])
			}
			_ = b.Finalize()
			n++
			if n == epochBatches+3 { // past the end of an epoch: it must go on.
				break
			}
		}
		if n != epochBatches+3 {
			t.Fatalf("train dataset stopped after %d batches", n)
		}
		if ds.Name() != "train" {
			t.Errorf("name %q", ds.Name())
		}
		return got
	}
	a, b, c := firstLabels(1), firstLabels(1), firstLabels(2)
	if !slices.Equal(a, b) {
		t.Error("train dataset order is not deterministic for a seed")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds gave the same first batch")
	}

	// Eval: finite, every example once, last batch partial, repeatable.
	for _, bs := range []int{100, 0} {
		ds, err := sp.Validation.EvalDataset(backend, "validation", bs)
		if err != nil {
			t.Fatal(err)
		}
		for pass := range 2 {
			var labels []int32
			for b, err := range ds.Iter() {
				if err != nil {
					t.Fatal(err)
				}
				rows := b.Inputs[0].Shape().Dimensions[0]
				if bs > 0 && rows != bs && len(labels)+rows != sp.Validation.Len() {
					t.Errorf("batch of %d rows in the middle", rows)
				}
				checkShape(t, b.Inputs[0], dtypes.Float32, rows, NumFeatures)
				checkShape(t, b.Labels[0], dtypes.Int32, rows, 1)
				labels = append(labels, tensors.MustCopyFlatData[int32](b.Labels[0])...)
				_ = b.Finalize()
			}
			_, want := sp.Validation.Flat()
			if !slices.Equal(labels, want) {
				t.Errorf("batch %d, pass %d: eval labels differ from the set (%d vs %d)", bs, pass, len(labels), len(want))
			}
		}
	}

	if _, err := sp.Train.TrainDataset(backend, "x", 0, 1); err == nil {
		t.Error("batch size 0 accepted")
	}
	if _, err := (&Set{}).EvalDataset(backend, "empty", 10); err == nil {
		t.Error("empty set accepted")
	}
}

func checkShape(t *testing.T, x *tensors.Tensor, dtype dtypes.DType, dims ...int) {
	t.Helper()
	s := x.Shape()
	if s.DType != dtype || !slices.Equal(s.Dimensions, dims) {
		t.Fatalf("shape %s, want %s%v", s, dtype, dims)
	}
}

func TestFloat64Rows(t *testing.T) {
	set := &Set{Features: [][]float32{{0, 0.5}, {1, 0.25}}}
	rows := set.Float64Rows()
	if len(rows) != 2 || rows[0][1] != 0.5 || rows[1][0] != 1 || rows[1][1] != 0.25 {
		t.Errorf("rows %v", rows)
	}
	rows[0][0] = 9
	if set.Features[0][0] != 0 {
		t.Error("the rows share memory with the set")
	}
}
