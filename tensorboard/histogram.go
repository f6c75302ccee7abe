// SPDX-License-Identifier: Apache-2.0

package tensorboard

import (
	"fmt"
	"math"
	"sort"
)

// Histogram is TensorBoard's HistogramProto: bucket i counts the values in
// (BucketLimit[i-1], BucketLimit[i]]; the first bucket starts at Min and TensorBoard draws
// the last one as ending at Max (see Buckets).
type Histogram struct {
	Min, Max   float64
	Num        float64 // the number of values
	Sum        float64 // their sum
	SumSquares float64 // the sum of their squares
	// BucketLimit holds each bucket's upper edge, in increasing order; Bucket its count.
	BucketLimit []float64
	Bucket      []float64
}

// Bucket is one bucket of a histogram as TensorBoard draws it.
type Bucket struct {
	Left, Right, Count float64
}

// Buckets returns the buckets as TensorBoard draws them (its data_compat migration of a
// HistogramProto): the empty buckets at either end dropped, the first remaining bucket
// starting at Min and the last ending at Max. An empty histogram has none.
func (h Histogram) Buckets() []Bucket {
	n := min(len(h.Bucket), len(h.BucketLimit))
	start, end := 0, n-1
	for start < n && !(h.Bucket[start] > 0) {
		start++
	}
	for end >= 0 && !(h.Bucket[end] > 0) {
		end--
	}
	if start > end {
		return nil
	}
	out := make([]Bucket, 0, end-start+1)
	for i := start; i <= end; i++ {
		b := Bucket{Left: h.Min, Right: h.Max, Count: h.Bucket[i]}
		if i > start {
			b.Left = h.BucketLimit[i-1]
		}
		if i < end {
			b.Right = h.BucketLimit[i]
		}
		out = append(out, b)
	}
	return out
}

// fromBuckets is the Histogram of a v2 summary's buckets (left, right, count), with the
// empty buckets at either end dropped (as TensorBoard drops them from v1 summaries): Min
// and Max are the edges of the first and last remaining ones, and Sum and SumSquares,
// which the summary does not carry, are estimated from the bucket centres.
func fromBuckets(buckets []Bucket) Histogram {
	for len(buckets) > 0 && !(buckets[0].Count > 0) {
		buckets = buckets[1:]
	}
	for len(buckets) > 0 && !(buckets[len(buckets)-1].Count > 0) {
		buckets = buckets[:len(buckets)-1]
	}
	var h Histogram
	if len(buckets) == 0 {
		return h
	}
	h.Min, h.Max = buckets[0].Left, buckets[len(buckets)-1].Right
	h.BucketLimit = make([]float64, len(buckets))
	h.Bucket = make([]float64, len(buckets))
	for i, b := range buckets {
		h.BucketLimit[i], h.Bucket[i] = b.Right, b.Count
		c := (b.Left + b.Right) / 2
		h.Num += b.Count
		h.Sum += b.Count * c
		h.SumSquares += b.Count * c * c
	}
	return h
}

// check says what is wrong with h for a HistogramProto, naming the field.
func (h *Histogram) check(tag string, step int64) error {
	if p := h.problem(); p != "" {
		return fmt.Errorf("tensorboard: Writer.AddHistogram(%q, step %d): %s", tag, step, p)
	}
	return nil
}

// problem says what is wrong with h ("" if nothing).
func (h *Histogram) problem() string {
	if len(h.Bucket) == 0 {
		return "Histogram.Bucket is empty; TensorBoard draws nothing without buckets: skip the step, or give one bucket (BucketLimit [Max], Bucket [0])"
	}
	if len(h.Bucket) != len(h.BucketLimit) {
		return fmt.Sprintf("Histogram.Bucket has %d counts and BucketLimit %d limits; give one upper limit per bucket", len(h.Bucket), len(h.BucketLimit))
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"Min", h.Min}, {"Max", h.Max}, {"Num", h.Num}, {"Sum", h.Sum}, {"SumSquares", h.SumSquares}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return fmt.Sprintf("Histogram.%s is %v; give the statistics of the finite values only (TensorBoard draws no NaN)", f.name, f.v)
		}
	}
	if h.Min > h.Max {
		return fmt.Sprintf("Histogram.Min %v is above Max %v", h.Min, h.Max)
	}
	for i, c := range h.Bucket {
		if !(c >= 0) || math.IsInf(c, 0) {
			return fmt.Sprintf("Histogram.Bucket[%d] is %v; counts are finite and at least 0", i, c)
		}
	}
	for i, l := range h.BucketLimit {
		if math.IsNaN(l) {
			return fmt.Sprintf("Histogram.BucketLimit[%d] is NaN; limits are increasing numbers", i)
		}
		if i > 0 && l < h.BucketLimit[i-1] {
			return fmt.Sprintf("Histogram.BucketLimit[%d] = %v is below BucketLimit[%d] = %v; limits are increasing", i, l, i-1, h.BucketLimit[i-1])
		}
	}
	return ""
}

// Percentiles returns the values at percents (0 to 100) of a histogram's buckets, as
// TensorBoard's distribution chart computes them (compressor.compress_histogram: the
// cumulative counts interpolated linearly within a bucket; percents must be increasing).
// With no buckets, every value is 0.
func Percentiles(buckets []Bucket, percents []float64) []float64 {
	out := make([]float64, 0, len(percents))
	if len(buckets) == 0 || len(percents) == 0 {
		return make([]float64, len(percents))
	}
	bps := make([]float64, len(percents))
	for i, p := range percents {
		bps[i] = math.Round(p * 100) // basis points
	}
	lo, hi := buckets[0].Left, buckets[len(buckets)-1].Right
	total := 0.0
	for _, b := range buckets {
		total += b.Count
	}
	if total == 0 {
		total = 1
	}
	last := bps[len(bps)-1]
	weights := make([]float64, len(buckets))
	cum := 0.0
	for i, b := range buckets {
		cum += b.Count * last / total
		weights[i] = cum
	}
	k := 0
outer:
	for k < len(bps) {
		bp := bps[k]
		i := sort.Search(len(weights), func(j int) bool { return weights[j] > bp })
		for ; i < len(weights); i++ {
			prev := 0.0
			if i > 0 {
				prev = weights[i-1]
			}
			if weights[i] == prev {
				continue
			}
			left := lo
			if i > 0 && prev != 0 {
				left = max(buckets[i-1].Right, lo)
			}
			right := min(buckets[i].Right, hi)
			out = append(out, left+(bp-prev)*(right-left)/(weights[i]-prev))
			k++
			continue outer
		}
		break
	}
	for ; k < len(bps); k++ {
		out = append(out, hi)
	}
	return out
}
