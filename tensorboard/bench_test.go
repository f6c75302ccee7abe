// SPDX-License-Identifier: Apache-2.0

package tensorboard_test

import (
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/tensorboard"
)

// What a training step pays to record a scalar; the background flusher writes the file.
func BenchmarkAddScalar(b *testing.B) {
	w, err := tensorboard.NewWriter(b.TempDir(), tensorboard.WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	wall := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = w.AddScalar("train/loss", int64(i), 0.5, wall)
	}
}

// A capture's snapshot: 30 buckets.
func BenchmarkAddHistogram(b *testing.B) {
	w, err := tensorboard.NewWriter(b.TempDir(), tensorboard.WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	h := tensorboard.Histogram{Min: -1, Max: 1, Num: 30, BucketLimit: make([]float64, 30), Bucket: make([]float64, 30)}
	for i := range h.BucketLimit {
		h.BucketLimit[i], h.Bucket[i] = -1+float64(i+1)/15, 1
	}
	wall := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = w.AddHistogram("weights/model/dense/weights", int64(i), h, wall)
	}
}

// Reading: 100,000 scalars.
func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	w, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	wall := time.Now()
	for i := range 100_000 {
		_ = w.AddScalar("train/loss", int64(i), 0.5, wall)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tensorboard.Read(dir); err != nil {
			b.Fatal(err)
		}
	}
}
