// SPDX-License-Identifier: Apache-2.0

package digits

import (
	"fmt"
	"math/rand"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/dataset"
	"github.com/gomlx/gomlx/support/exceptions"
)

// The datasets below are GoMLX in-memory datasets (dataset.InMemoryDataset, which implements
// train.Dataset). Each batch has
//
//	Inputs[0]: float32 [batch, NumFeatures]  pixels in [0, 1]
//	Labels[0]: int32   [batch, 1]            digit 0..9 (the sparse-label layout that
//	                                          loss.SparseCategoricalCrossEntropyLogits and
//	                                          metric.SparseCategoricalAccuracyGraph expect)

// InMemory returns an unconfigured GoMLX in-memory dataset holding the whole set: it yields
// single examples, in order, once. Use TrainDataset or EvalDataset for the usual setups, or
// configure it yourself (BatchSize, Shuffle, Infinite, WithRand, ...).
//
// name is used for metric labels (its first 3 letters are the default short name);
// names shorter than 3 characters are padded.
func (s *Set) InMemory(backend compute.Backend, name string) (ds *dataset.InMemoryDataset, err error) {
	if s.Len() == 0 {
		return nil, fmt.Errorf("digits: dataset %q: the set is empty", name)
	}
	for len(name) < 3 { // dataset.InMemoryFromData slices name[:3].
		name += "_"
	}
	features, labels := s.Flat()
	x := tensors.FromFlatDataAndDimensions(features, s.Len(), NumFeatures)
	y := tensors.FromFlatDataAndDimensions(labels, s.Len(), 1)
	// InMemoryFromData compiles a gather graph with graph.MustNewExec: it panics on failure.
	if e := exceptions.TryCatch[error](func() {
		ds, err = dataset.InMemoryFromData(backend, name, []any{x}, []any{y})
	}); e != nil {
		return nil, fmt.Errorf("digits: dataset %q: %w", name, e)
	}
	if err != nil {
		return nil, fmt.Errorf("digits: dataset %q: %w", name, err)
	}
	return ds, nil
}

// TrainDataset returns an infinite dataset of shuffled batches: each epoch visits every
// example once in a new random order, and the last incomplete batch of an epoch is dropped,
// so every batch has exactly batchSize examples (one compiled training graph). The order is
// a function of seed only. Train with train.Loop.RunSteps (RunEpochs would never end).
func (s *Set) TrainDataset(backend compute.Backend, name string, batchSize int, seed int64) (*dataset.InMemoryDataset, error) {
	if batchSize <= 0 || batchSize > s.Len() {
		return nil, fmt.Errorf("digits: TrainDataset(%q): batch size %d must be in 1..%d", name, batchSize, s.Len())
	}
	ds, err := s.InMemory(backend, name)
	if err != nil {
		return nil, err
	}
	return ds.
		BatchSize(batchSize, true).
		Shuffle().
		WithRand(rand.New(rand.NewSource(seed))).
		Infinite(true), nil
}

// EvalDataset returns a finite dataset that yields every example exactly once, in order, in
// batches of batchSize (the last one may be smaller; GoMLX's mean metrics weight batches by
// their size, so the means are exact). batchSize <= 0 means the whole set in one batch (one
// compiled evaluation graph). Each Iter (each trainer.Eval) starts again from the first example.
func (s *Set) EvalDataset(backend compute.Backend, name string, batchSize int) (*dataset.InMemoryDataset, error) {
	if batchSize <= 0 || batchSize > s.Len() {
		batchSize = s.Len()
	}
	ds, err := s.InMemory(backend, name)
	if err != nil {
		return nil, err
	}
	return ds.BatchSize(batchSize, false), nil
}
