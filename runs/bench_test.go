// SPDX-License-Identifier: Apache-2.0

package runs

import (
	"fmt"
	"math"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkAdd is the cost of one Add on the caller's goroutine: the
// in-memory summary and the buffer. The flusher's work (encoding, writing)
// is left out: the buffer is flushed, timer stopped, every 4096 points.
// BenchmarkAddSustained measures a tight loop, bound by the flusher.
func BenchmarkAdd(b *testing.B) {
	r := mustCreate(b, b.TempDir(), Meta{}, Options{FlushInterval: time.Hour})
	defer r.Close()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := r.Add("train/loss", int64(i), 1/float64(i+1)); err != nil {
			b.Fatal(err)
		}
		i++
		if i%4096 == 0 {
			b.StopTimer()
			r.Flush()
			b.StartTimer()
		}
	}
}

// BenchmarkAddSustained adds in a tight loop: after a few thousand points
// the flusher (encoding and writing scalars.jsonl on another goroutine) is
// the bottleneck, so this is the most points per second a run can store.
func BenchmarkAddSustained(b *testing.B) {
	r := mustCreate(b, b.TempDir(), Meta{}, Options{})
	defer r.Close()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := r.Add("train/loss", int64(i), 1/float64(i+1), Epoch(float64(i)/1000)); err != nil {
			b.Fatal(err)
		}
	}
	r.Flush()
}

// BenchmarkAddParallel adds from all goroutines, to one series and to one
// series per goroutine.
func BenchmarkAddParallel(b *testing.B) {
	for _, shared := range []bool{true, false} {
		name := "own-series"
		if shared {
			name = "same-series"
		}
		b.Run(name, func(b *testing.B) {
			r := mustCreate(b, b.TempDir(), Meta{}, Options{})
			defer r.Close()
			var g, step atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				series := "train/loss"
				if !shared {
					series = fmt.Sprintf("train/g%d", g.Add(1))
				}
				for pb.Next() {
					i := step.Add(1)
					if err := r.Add(series, i, math.Sin(float64(i))); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkSeries builds the chart view (at most 1000 points) of a series of
// 1e6 points.
func BenchmarkSeries(b *testing.B) {
	r := mustCreate(b, b.TempDir(), Meta{}, Options{FlushInterval: time.Hour})
	defer r.Close()
	d := makeNoisyLoss(1_000_000)
	for _, p := range d.points {
		r.Add("train/loss", p.Step, p.Value)
		if p.Step%100_000 == 0 {
			r.Flush()
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if v := r.Series("train/loss"); len(v) > DefaultMaxPoints {
			b.Fatal(len(v))
		}
	}
}

// BenchmarkOpen reads a run of 1e5 points back from disk (ns/op / 1e5 is
// the cost per point).
func BenchmarkOpen(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "run")
	r := mustCreate(b, dir, Meta{}, Options{})
	d := makeNoisyLoss(100_000)
	for _, p := range d.points {
		r.Add("train/loss", p.Step, p.Value, Epoch(float64(p.Step)/1000))
	}
	r.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(dir); err != nil {
			b.Fatal(err)
		}
	}
}
