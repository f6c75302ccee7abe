// SPDX-License-Identifier: Apache-2.0

package capture

import (
	"math"
	"strings"
	"time"

	"github.com/gonbviz/gonbviz/tensorboard"
)

// KindOther is the kind of the snapshots TensorBoardSnapshots makes of histograms whose
// tag names no kind (a PyTorch log's "fc1.weight").
const KindOther Kind = "other"

// UseTensorBoard makes the capture also write each snapshot to w as a TensorBoard
// histogram, tagged by TensorBoardTag, when it is taken (notebookviz's
// DashboardOptions.TensorBoard does this). The capture flushes w at the end of training but
// does not close it; nil stops the writing.
func (c *Capture) UseTensorBoard(w *tensorboard.Writer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tb = w
}

// TensorBoardTag is the tag of a snapshot's histogram in TensorBoard: the kind, then the
// name without its leading slash ("weights/model/hidden_0/dense/weights"), so that
// TensorBoard groups the histograms by kind.
func TensorBoardTag(kind Kind, name string) string {
	return string(kind) + "/" + strings.TrimPrefix(name, "/")
}

// TensorBoardHistogram returns s as a TensorBoard histogram: its bins as buckets (from Lo
// to Hi; one bucket for a constant tensor), with its count, sum and sum of squares. It
// reports false when s has no finite value (TensorBoard draws no histogram of none).
func (s Snapshot) TensorBoardHistogram() (tensorboard.Histogram, bool) {
	if s.Count <= 0 || len(s.Counts) == 0 {
		return tensorboard.Histogram{}, false
	}
	n := float64(s.Count)
	h := tensorboard.Histogram{Min: s.Min, Max: s.Max, Num: n, Sum: s.Mean * n, SumSquares: s.Norm * s.Norm}
	for _, v := range []float64{h.Min, h.Max, h.Sum, h.SumSquares} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return tensorboard.Histogram{}, false
		}
	}
	if s.Min >= s.Max || !(s.Hi > s.Lo) {
		h.BucketLimit, h.Bucket = []float64{s.Max}, []float64{n}
		return h, true
	}
	h.BucketLimit = make([]float64, len(s.Counts))
	h.Bucket = make([]float64, len(s.Counts))
	width := (s.Hi - s.Lo) / float64(len(s.Counts))
	for i, c := range s.Counts {
		h.BucketLimit[i] = s.Lo + width*float64(i+1)
		h.Bucket[i] = float64(c)
	}
	h.BucketLimit[len(s.Counts)-1] = s.Hi
	return h, true
}

// writeTensorBoardLocked writes s to the capture's TensorBoard writer, if it has one.
func (c *Capture) writeTensorBoardLocked(s Snapshot) {
	if c.tb == nil {
		return
	}
	h, ok := s.TensorBoardHistogram()
	if !ok {
		return
	}
	wall := time.Now()
	if !c.start.IsZero() {
		wall = c.start.Add(time.Duration(s.Wall * float64(time.Second)))
	}
	c.setErrLocked(c.tb.AddHistogram(TensorBoardTag(s.Kind, s.Name), int64(s.Step), h, wall))
}

// TensorBoardSnapshots turns the histogram series of a TensorBoard run (from
// tensorboard.Read) into snapshots for charts.Histograms and charts.Distributions: a tag
// "weights/...", "gradients/..." or "activations/..." (as TensorBoardTag writes them) gives
// that kind and the name "/...", any other tag KindOther and the tag as name. Each
// histogram is binned again into bins equal-width bins (0 means DefaultBins) over its
// range, the count of a bucket spread evenly over it; its percentiles are TensorBoard's
// distribution (tensorboard.Percentiles), Wall counts from the run's first histogram, and
// the statistics TensorBoard does not keep (shape, NaN counts, update ratio, dead units)
// are unknown. Empty histograms are left out. Snapshots are grouped by tag (in tag
// order), then by step.
func TensorBoardSnapshots(run *tensorboard.Run, bins int) []Snapshot {
	if run == nil {
		return nil
	}
	if bins <= 0 {
		bins = DefaultBins
	}
	first := math.Inf(1)
	for _, s := range run.Histograms {
		for _, p := range s.Points {
			first = min(first, p.Wall)
		}
	}
	var out []Snapshot
	for _, series := range run.Histograms {
		kind, name := KindOther, series.Tag
		for _, k := range []Kind{KindWeights, KindGradients, KindActivations} {
			if rest, ok := strings.CutPrefix(series.Tag, string(k)+"/"); ok && rest != "" {
				kind, name = k, "/"+rest
				break
			}
		}
		for _, p := range series.Points {
			s, ok := snapshotOfHistogram(p.Histogram, bins)
			if !ok {
				continue
			}
			s.Kind, s.Name, s.Step, s.Wall = kind, name, int(p.Step), p.Wall-first
			out = append(out, s)
		}
	}
	return out
}

// snapshotOfHistogram bins h's buckets into bins equal-width bins.
func snapshotOfHistogram(h tensorboard.Histogram, bins int) (Snapshot, bool) {
	buckets := h.Buckets()
	s := Snapshot{UpdateRatio: -1, Dead: -1}
	if len(buckets) == 0 {
		return s, false
	}
	lo, hi := buckets[0].Left, buckets[len(buckets)-1].Right
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi {
		return s, false
	}
	spread := make([]float64, bins)
	if lo == hi {
		// A constant: one bin of width 1 around the value, as a capture bins one.
		for _, b := range buckets {
			spread[bins/2] += b.Count
		}
		lo, hi = lo-0.5, hi+0.5
	} else {
		width := (hi - lo) / float64(bins)
		bin := func(x float64) int { return min(bins-1, max(0, int((x-lo)/width))) }
		for _, b := range buckets {
			if !(b.Count > 0) || math.IsInf(b.Count, 0) {
				continue
			}
			if !(b.Right > b.Left) {
				spread[bin(b.Left)] += b.Count
				continue
			}
			for i := bin(b.Left); i <= bin(b.Right); i++ {
				l, r := lo+width*float64(i), lo+width*float64(i+1)
				if i == bins-1 {
					r = hi
				}
				if o := min(r, b.Right) - max(l, b.Left); o > 0 {
					spread[i] += b.Count * o / (b.Right - b.Left)
				}
			}
		}
	}
	// Rounded so that the bins add up to the (rounded) total.
	s.Counts = make([]int64, bins)
	cum, prev := 0.0, int64(0)
	for i, v := range spread {
		cum += v
		r := int64(math.Round(cum))
		s.Counts[i], prev = r-prev, r
	}
	s.Count = prev
	if s.Count == 0 {
		return s, false
	}
	s.Lo, s.Hi = lo, hi
	s.Min, s.Max = h.Min, h.Max
	if h.Num > 0 {
		s.Mean = h.Sum / h.Num
		s.Std = math.Sqrt(max(0, h.SumSquares/h.Num-s.Mean*s.Mean))
	}
	s.Norm = math.Sqrt(max(0, h.SumSquares))
	s.Percentiles = tensorboard.Percentiles(buckets, TensorBoardPercentiles)
	return s, true
}
