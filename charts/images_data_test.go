// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"math"
	"sync"

	"github.com/gonbviz/gonbviz/internal/digits"
)

// digitsTest is the handwritten digits (UCI, 8×8, values in 0..1) of the demo's test split,
// classified by a nearest-centroid classifier fitted on its training split: a real
// classifier's mistakes and confidence, for the image charts' examples and tests. In a
// notebook the images, labels and scores come from the data set and the model.
type digitsTest struct {
	images      [][][]float64 // N×8×8
	flat        []float32     // N*64, row-major
	labels      []int
	predictions []int
	scores      [][]float64 // softmax over the classes of the negative squared distances
	centroids   [][][]float64
}

var digitsOnce = sync.OnceValues(func() (*digitsTest, error) {
	splits, err := digits.LoadSplits()
	if err != nil {
		return nil, err
	}
	var sums [digits.NumClasses][digits.NumFeatures]float64
	var counts [digits.NumClasses]int
	for i, row := range splits.Train.Features {
		l := splits.Train.Labels[i]
		counts[l]++
		for p, v := range row {
			sums[l][p] += float64(v)
		}
	}
	d := &digitsTest{}
	for c := range sums {
		img := make([][]float64, digits.Height)
		for r := range img {
			img[r] = make([]float64, digits.Width)
			for x := range img[r] {
				sums[c][r*digits.Width+x] /= float64(counts[c])
				img[r][x] = sums[c][r*digits.Width+x]
			}
		}
		d.centroids = append(d.centroids, img)
	}
	// The validation and test splits together: about 540 images, some of them misread.
	set := splits.Validation
	set.Features = append(set.Features, splits.Test.Features...)
	set.Labels = append(set.Labels, splits.Test.Labels...)
	for i, row := range set.Features {
		img := make([][]float64, digits.Height)
		for r := range img {
			img[r] = make([]float64, digits.Width)
			for x := range img[r] {
				img[r][x] = float64(row[r*digits.Width+x])
			}
		}
		d.images = append(d.images, img)
		d.flat = append(d.flat, row...)
		logits := make([]float64, digits.NumClasses)
		best := 0
		for c := range logits {
			dist := 0.0
			for p, v := range row {
				dist += (float64(v) - sums[c][p]) * (float64(v) - sums[c][p])
			}
			logits[c] = -dist
			if logits[c] > logits[best] {
				best = c
			}
		}
		sum := 0.0
		for c := range logits {
			logits[c] = math.Exp(logits[c] - logits[best])
			sum += logits[c]
		}
		for c := range logits {
			logits[c] /= sum
		}
		d.labels = append(d.labels, set.Labels[i])
		d.predictions = append(d.predictions, best)
		d.scores = append(d.scores, logits)
	}
	return d, nil
})

// digitsClassified returns the classified digits (see digitsTest); it panics if the
// embedded data cannot be read, which the digits package's tests would have caught.
func digitsClassified() *digitsTest {
	d, err := digitsOnce()
	if err != nil {
		panic(err)
	}
	return d
}
