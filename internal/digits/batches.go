// SPDX-License-Identifier: Apache-2.0

package digits

import (
	"fmt"
	"iter"
	"math/rand/v2"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
)

// Batches is an infinite training dataset (train.Dataset) of shuffled batches assembled on
// the host: each batch is a new host tensor, which the trainer uploads with its step. Each
// epoch visits every example once in a new random order and drops its incomplete last batch,
// so every batch has exactly the batch size (one compiled training graph). The order is a
// function of the seed only, and epochs go on across Iter calls (a second Loop.RunSteps
// continues the epoch where the first stopped).
//
// Batches are laid out as TrainDataset's: Inputs[0] float32 [batch, NumFeatures],
// Labels[0] int32 [batch, 1]. Unlike TrainDataset (GoMLX's InMemoryDataset, which keeps the
// set on the device and runs a gather graph per batch: a second execution every step), it
// costs one host copy of the batch, which on XLA's CPU plugin is the cheaper of the two.
//
// Iterate one Iter at a time (the train loops do): the position in the epoch is shared.
type Batches struct {
	name, shortName string
	batchSize       int
	features        []float32 // [n, NumFeatures]
	labels          []int32   // [n]
	rng             *rand.Rand
	order           []int // the epoch's permutation of the examples
	next            int   // position in order of the next batch
}

var (
	_ train.Dataset      = (*Batches)(nil)
	_ train.HasShortName = (*Batches)(nil)
)

// Batches returns the set as an infinite dataset of shuffled batches of batchSize, assembled
// on the host; see the type. name labels metrics (its first 3 letters are the short name).
func (s *Set) Batches(name string, batchSize int, seed int64) (*Batches, error) {
	if batchSize <= 0 || batchSize > s.Len() {
		return nil, fmt.Errorf("digits: Batches(%q): batch size %d must be in 1..%d", name, batchSize, s.Len())
	}
	features, labels := s.Flat()
	short := name
	for len(short) < 3 {
		short += "_"
	}
	b := &Batches{
		name: name, shortName: short[:3], batchSize: batchSize,
		features: features, labels: labels,
		rng: rand.New(rand.NewPCG(uint64(seed), 0x2545f4914f6cdd1d)),
	}
	b.order = b.rng.Perm(s.Len())
	return b, nil
}

// Name implements train.Dataset.
func (b *Batches) Name() string { return b.name }

// ShortName implements train.HasShortName.
func (b *Batches) ShortName() string { return b.shortName }

// BatchSize is the number of examples per batch.
func (b *Batches) BatchSize() int { return b.batchSize }

// Iter implements train.Dataset: it never ends; stop pulling when done.
func (b *Batches) Iter() iter.Seq2[train.Batch, error] {
	return func(yield func(train.Batch, error) bool) {
		for {
			if !yield(b.nextBatch(), nil) {
				return
			}
		}
	}
}

// nextBatch copies the next batchSize examples of the epoch into new host tensors, starting
// a new epoch (a new order) when fewer than batchSize are left.
func (b *Batches) nextBatch() train.Batch {
	if b.next+b.batchSize > len(b.order) {
		b.order = b.rng.Perm(len(b.order))
		b.next = 0
	}
	rows := b.order[b.next : b.next+b.batchSize]
	b.next += b.batchSize
	x := tensors.FromShape(shapes.Make(dtypes.Float32, b.batchSize, NumFeatures))
	tensors.MustMutableFlatData(x, func(flat []float32) {
		for i, r := range rows {
			copy(flat[i*NumFeatures:(i+1)*NumFeatures], b.features[r*NumFeatures:(r+1)*NumFeatures])
		}
	})
	y := tensors.FromShape(shapes.Make(dtypes.Int32, b.batchSize, 1))
	tensors.MustMutableFlatData(y, func(flat []int32) {
		for i, r := range rows {
			flat[i] = b.labels[r]
		}
	})
	return train.Batch{Inputs: []*tensors.Tensor{x}, Labels: []*tensors.Tensor{y}}
}
