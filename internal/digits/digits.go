// SPDX-License-Identifier: Apache-2.0

// Package digits embeds the UCI "Optical Recognition of Handwritten Digits" data set
// (1797 images of 8x8 pixels, labels 0..9; CC BY 4.0, see data/README.md) and turns it
// into GoMLX datasets for the demo, the tests and the benchmarks. It needs no network.
package digits

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
)

const (
	// Width and Height of an image, in pixels.
	Width, Height = 8, 8
	// NumFeatures is the number of pixels (features) per image: Width*Height, row-major.
	NumFeatures = Width * Height
	// NumClasses is the number of labels: the digits 0..9.
	NumClasses = 10
	// MaxPixel is the largest raw pixel value in the file; Load divides by it.
	MaxPixel = 16
	// NumExamples is the number of images in the embedded file.
	NumExamples = 1797
)

//go:embed data/digits.csv.gz
var csvGz []byte

// Set is a collection of images and their labels.
type Set struct {
	// Features holds one row per image: NumFeatures pixel values in [0, 1], row-major
	// (pixel (row r, column c) is Features[i][r*Width+c]).
	Features [][]float32
	// Labels holds the digit 0..9 of each image.
	Labels []int
}

// Float64Rows returns the features as new float64 rows (what charts and projections of
// plain Go data take).
func (s *Set) Float64Rows() [][]float64 {
	rows := make([][]float64, len(s.Features))
	for i, r := range s.Features {
		rows[i] = make([]float64, len(r))
		for j, v := range r {
			rows[i][j] = float64(v)
		}
	}
	return rows
}

// Len returns the number of examples.
func (s *Set) Len() int { return len(s.Labels) }

// LabelCounts returns how many examples there are of each digit.
func (s *Set) LabelCounts() [NumClasses]int {
	var counts [NumClasses]int
	for _, l := range s.Labels {
		counts[l]++
	}
	return counts
}

// Subset returns a new Set with the given examples, in the order given. Rows are shared,
// not copied.
func (s *Set) Subset(indices []int) *Set {
	sub := &Set{Features: make([][]float32, len(indices)), Labels: make([]int, len(indices))}
	for i, idx := range indices {
		sub.Features[i] = s.Features[idx]
		sub.Labels[i] = s.Labels[idx]
	}
	return sub
}

// Flat returns the features as one row-major slice of Len()*NumFeatures values and the labels
// as int32, the layout of the tensors fed to GoMLX.
func (s *Set) Flat() (features []float32, labels []int32) {
	features = make([]float32, 0, s.Len()*NumFeatures)
	labels = make([]int32, s.Len())
	for i, row := range s.Features {
		features = append(features, row...)
		labels[i] = int32(s.Labels[i])
	}
	return features, labels
}

var loadOnce = sync.OnceValues(parse)

// Standard fractions of the validation and test splits.
const (
	ValidationFrac = 0.2
	TestFrac       = 0.1
)

// LoadSplits loads the digits and splits them, stratified, 70% train, 20% validation and
// 10% test, the same way every time (seed 0): the demo's split.
func LoadSplits() (Splits, error) {
	set, err := Load()
	if err != nil {
		return Splits{}, err
	}
	return set.Split(0, ValidationFrac, TestFrac)
}

// Load returns the embedded data set: 1797 images, pixels scaled to [0, 1].
// The file is parsed once; every call returns a fresh Set (new slices) sharing the parsed
// rows, so callers may reorder or subset it freely but should not write into the rows.
func Load() (*Set, error) {
	all, err := loadOnce()
	if err != nil {
		return nil, err
	}
	return &Set{Features: slices.Clone(all.Features), Labels: slices.Clone(all.Labels)}, nil
}

func parse() (*Set, error) {
	zr, err := gzip.NewReader(bytes.NewReader(csvGz))
	if err != nil {
		return nil, fmt.Errorf("digits: opening embedded data: %w", err)
	}
	r := csv.NewReader(zr)
	r.FieldsPerRecord = NumFeatures + 1
	r.ReuseRecord = true
	set := &Set{Features: make([][]float32, 0, NumExamples), Labels: make([]int, 0, NumExamples)}
	// One backing array for all rows.
	backing := make([]float32, 0, NumExamples*NumFeatures)
	for line := 1; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("digits: reading embedded data: %w", err)
		}
		start := len(backing)
		for col, field := range rec[:NumFeatures] {
			v, err := strconv.Atoi(field)
			if err != nil || v < 0 || v > MaxPixel {
				return nil, fmt.Errorf("digits: line %d, column %d: pixel %q not in 0..%d", line, col+1, field, MaxPixel)
			}
			backing = append(backing, float32(v)/MaxPixel)
		}
		label, err := strconv.Atoi(rec[NumFeatures])
		if err != nil || label < 0 || label >= NumClasses {
			return nil, fmt.Errorf("digits: line %d: label %q not in 0..%d", line, rec[NumFeatures], NumClasses-1)
		}
		set.Features = append(set.Features, backing[start:len(backing):len(backing)])
		set.Labels = append(set.Labels, label)
	}
	if set.Len() != NumExamples {
		return nil, fmt.Errorf("digits: embedded data has %d rows, want %d", set.Len(), NumExamples)
	}
	return set, nil
}

// Splits holds a train/validation/test partition of a Set.
type Splits struct {
	Train, Validation, Test *Set
}

// Split partitions the set into train, validation and test sets, deterministically for a
// given seed. It is stratified: each digit contributes round(n*validFrac) examples to
// Validation and round(n*testFrac) to Test, the rest to Train, so the class balance is kept.
// Within each part, examples keep their original order (shuffling is the datasets' job).
// testFrac may be 0 (then Test is an empty Set); validFrac+testFrac must be below 1.
func (s *Set) Split(seed int64, validFrac, testFrac float64) (Splits, error) {
	if validFrac < 0 || testFrac < 0 || validFrac+testFrac >= 1 || math.IsNaN(validFrac+testFrac) {
		return Splits{}, fmt.Errorf("digits: Split(validFrac=%g, testFrac=%g): fractions must be >= 0 and sum below 1",
			validFrac, testFrac)
	}
	var perClass [NumClasses][]int
	for i, l := range s.Labels {
		perClass[l] = append(perClass[l], i)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	var train, valid, test []int
	for _, idx := range perClass {
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		nValid := int(math.Round(float64(len(idx)) * validFrac))
		nTest := min(int(math.Round(float64(len(idx))*testFrac)), len(idx)-nValid)
		valid = append(valid, idx[:nValid]...)
		test = append(test, idx[nValid:nValid+nTest]...)
		train = append(train, idx[nValid+nTest:]...)
	}
	slices.Sort(train)
	slices.Sort(valid)
	slices.Sort(test)
	return Splits{Train: s.Subset(train), Validation: s.Subset(valid), Test: s.Subset(test)}, nil
}
