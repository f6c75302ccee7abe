// SPDX-License-Identifier: Apache-2.0

package histo

import (
	"fmt"
	"math"
)

// TensorBoardPercentiles are the percentiles of TensorBoard's distribution bands: the
// min, the points 1.5σ, 1σ and 0.5σ below the median of a normal, the median, the same
// above it, and the max.
var TensorBoardPercentiles = []float64{0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100}

// PercentileBins is the number of bins [Percentiles] uses: each percentile is within
// (max-min)/PercentileBins of the exact one.
const PercentileBins = 1024

// Percentiles returns approximate percentiles (0..100) of the finite values, as
// TensorBoard's distribution charts draw them: read off a histogram of PercentileBins
// bins by linear interpolation inside the bin where the rank falls, so each is within one
// bin width of the exact value; 0 and 100 are the exact min and max. NaN and ±Inf are
// ignored. With no finite values every percentile is NaN.
func Percentiles[T Float](values []T, ps []float64) ([]float64, error) {
	for i, p := range ps {
		if !(p >= 0 && p <= 100) {
			return nil, fmt.Errorf("histo: ps[%d] = %g is not a percentile in [0, 100]", i, p)
		}
	}
	r, err := Compute(values, PercentileBins, Options{})
	if err != nil {
		return nil, err
	}
	return r.Percentiles(ps), nil
}

// Percentiles returns approximate percentiles (0..100) of the binned values, by linear
// interpolation inside the bin where each rank falls, clamped to [Min, Max]. Values
// counted in Under and Over are left out. Percentiles outside [0, 100], and all of them
// when nothing is binned, are NaN.
func (r Result) Percentiles(ps []float64) []float64 {
	out := make([]float64, len(ps))
	var total int64
	for _, c := range r.Counts {
		total += c
	}
	for k, p := range ps {
		if total == 0 || !(p >= 0 && p <= 100) {
			out[k] = math.NaN()
			continue
		}
		rank := p / 100 * float64(total)
		cum := 0.0
		v := r.Edges[len(r.Edges)-1]
		for i, c := range r.Counts {
			if c == 0 {
				continue
			}
			if next := cum + float64(c); rank <= next {
				frac := (rank - cum) / float64(c)
				v = r.Edges[i] + frac*(r.Edges[i+1]-r.Edges[i])
				break
			} else {
				cum = next
			}
		}
		if !math.IsNaN(r.Min) {
			v = min(max(v, r.Min), r.Max)
		}
		out[k] = v
	}
	return out
}
