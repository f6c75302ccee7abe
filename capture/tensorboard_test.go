// SPDX-License-Identifier: Apache-2.0

package capture

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/tbcheck"
	"github.com/gonbviz/gonbviz/tensorboard"
)

func near(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*max(1, math.Abs(a), math.Abs(b))
}

// A snapshot written as a TensorBoard histogram and read back keeps its bins, range,
// count and moments; its percentiles become TensorBoard's (from 30 bins instead of 240).
func TestTensorBoardRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	values := make([]float32, 10000)
	sum, sumSq := 0.0, 0.0
	for i := range values {
		values[i] = float32(rng.NormFloat64()*0.3 + 0.1)
		sum += float64(values[i])
		sumSq += float64(values[i]) * float64(values[i])
	}
	s, err := snapshotOf(values, DefaultBins, []int{100, 100}, false)
	if err != nil {
		t.Fatal(err)
	}
	s.Kind, s.Name, s.Step = KindWeights, "/model/dense/weights", 70
	h, ok := s.TensorBoardHistogram()
	if !ok {
		t.Fatal("no histogram")
	}
	if h.Num != 10000 || !near(h.Sum, sum, 1e-9) || !near(h.SumSquares, sumSq, 1e-9) || h.Min != s.Min || h.Max != s.Max ||
		len(h.Bucket) != DefaultBins || h.BucketLimit[DefaultBins-1] != s.Hi {
		t.Fatalf("histogram %+v of snapshot %+v", h, s)
	}
	tag := TensorBoardTag(s.Kind, s.Name)
	if tag != "weights/model/dense/weights" {
		t.Errorf("tag %q", tag)
	}
	run := &tensorboard.Run{Histograms: []tensorboard.HistogramSeries{{Tag: tag, Points: []tensorboard.HistogramPoint{{Step: 70, Wall: 1e9, Histogram: h}}}}}
	back := TensorBoardSnapshots(run, DefaultBins)
	if len(back) != 1 {
		t.Fatalf("%d snapshots", len(back))
	}
	b := back[0]
	if b.Kind != KindWeights || b.Name != s.Name || b.Step != 70 || b.Wall != 0 {
		t.Errorf("read back as %s %q step %d wall %v", b.Kind, b.Name, b.Step, b.Wall)
	}
	if !slices.Equal(b.Counts, s.Counts) || b.Lo != s.Lo || b.Hi != s.Hi || b.Count != s.Count {
		t.Errorf("bins %v [%v, %v] (%d), want %v [%v, %v] (%d)", b.Counts, b.Lo, b.Hi, b.Count, s.Counts, s.Lo, s.Hi, s.Count)
	}
	if !near(b.Mean, s.Mean, 1e-9) || !near(b.Std, s.Std, 1e-9) || !near(b.Norm, s.Norm, 1e-9) || b.Min != s.Min || b.Max != s.Max {
		t.Errorf("moments %v %v %v, want %v %v %v", b.Mean, b.Std, b.Norm, s.Mean, s.Std, s.Norm)
	}
	width := (s.Hi - s.Lo) / DefaultBins
	for i, p := range b.Percentiles {
		if math.Abs(p-s.Percentiles[i]) > width {
			t.Errorf("percentile %v: %v, the capture's %v (more than a bin apart)", TensorBoardPercentiles[i], p, s.Percentiles[i])
		}
	}
}

// A constant tensor is one bucket in TensorBoard, and a capture's constant bins again.
func TestTensorBoardConstant(t *testing.T) {
	s, err := snapshotOf([]float64{0.25, 0.25, 0.25}, DefaultBins, []int{3}, false)
	if err != nil {
		t.Fatal(err)
	}
	h, ok := s.TensorBoardHistogram()
	if !ok || !slices.Equal(h.BucketLimit, []float64{0.25}) || !slices.Equal(h.Bucket, []float64{3}) {
		t.Fatalf("histogram %+v", h)
	}
	run := &tensorboard.Run{Histograms: []tensorboard.HistogramSeries{{Tag: "x", Points: []tensorboard.HistogramPoint{{Histogram: h}}}}}
	b := TensorBoardSnapshots(run, DefaultBins)[0]
	if b.Kind != KindOther || b.Name != "x" || !slices.Equal(b.Counts, s.Counts) || b.Lo != s.Lo || b.Hi != s.Hi {
		t.Errorf("read back %+v, want the capture's %+v", b, s)
	}
	if _, ok := (Snapshot{Counts: make([]int64, 30)}).TensorBoardHistogram(); ok {
		t.Error("a snapshot without finite values gave a histogram")
	}
}

// Histograms of other writers (tensorboardX on TensorFlow's exponential buckets and with
// numpy's "auto" bins, TensorBoard's v1 and v2 summaries) become snapshots whose bins keep
// every count and whose percentiles are TensorBoard's distribution.
func TestTensorBoardSnapshotsOfOtherWriters(t *testing.T) {
	tbcheck.Python(t)
	dir := t.TempDir()
	tbcheck.WriteTensorBoard(t, dir)
	tbcheck.WriteTensorBoardX(t, dir)
	log, err := tensorboard.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, run := range log.Runs {
		snaps := TensorBoardSnapshots(&run, 40)
		i := 0
		for _, series := range run.Histograms {
			for _, p := range series.Points {
				if p.Histogram.Num == 0 {
					continue // left out
				}
				s := snaps[i]
				i++
				var sum int64
				for _, c := range s.Counts {
					sum += c
				}
				if len(s.Counts) != 40 || sum != int64(math.Round(p.Histogram.Num)) || s.Count != sum || s.Step != int(p.Step) {
					t.Errorf("run %q %q step %d: %d bins of %d values (Count %d), want 40 of %v", run.Name, series.Tag, p.Step, len(s.Counts), sum, s.Count, p.Histogram.Num)
				}
				if want := tensorboard.Percentiles(p.Histogram.Buckets(), TensorBoardPercentiles); !slices.Equal(s.Percentiles, want) {
					t.Errorf("percentiles %v, want %v", s.Percentiles, want)
				}
				total++
			}
		}
		if i != len(snaps) {
			t.Errorf("run %q: %d snapshots, %d histograms", run.Name, len(snaps), i)
		}
		if run.Name == "v2" && snaps[0].Kind != KindWeights || run.Name == "tbx" && (snaps[0].Kind != KindOther || snaps[0].Name != "fc1.bias") {
			t.Errorf("run %q: first snapshot %s %q", run.Name, snaps[0].Kind, snaps[0].Name)
		}
	}
	if total != 10+1+4+4+4 {
		t.Errorf("%d snapshots", total)
	}
}
