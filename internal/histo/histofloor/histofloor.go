// SPDX-License-Identifier: Apache-2.0

// Package histofloor is the floor the histogram benchmarks measure histo.Compute
// against: a parallel read and sum of the same memory. Only benchmarks and tests import
// it; it does not import histo, so histo's own tests can.
package histofloor

import (
	"runtime"
	"sync"
)

// Float is the element type the floor reads, as histo.Compute's.
type Float interface{ ~float32 | ~float64 }

// minParallel is histo's input size below which one goroutine does all the work.
const minParallel = 1 << 16

// Read reads values the way histo.Compute does (one contiguous chunk per goroutine,
// workers goroutines, 0: GOMAXPROCS) and sums them: the memory-bandwidth floor a
// histogram pass is measured against. Four accumulators keep the sum from being bound
// by add latency; float32 values are summed 8 lanes at a time where histo.Compute uses
// vector loops too (GOEXPERIMENT=simd on AVX2), which reads faster than the scalar loop
// (bench histogram prints both), so the floor is one.
func Read[T Float](values []T, workers int) float64 {
	return read(values, workers, useSIMD)
}

// ReadScalar is Read without the vector loop: the floor the benchmarks used before
// Read had one, printed next to it for comparison.
func ReadScalar[T Float](values []T, workers int) float64 {
	return read(values, workers, false)
}

func read[T Float](values []T, workers int, vector bool) float64 {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := len(values)
	if n < minParallel {
		workers = 1
	}
	workers = min(workers, max(n, 1))
	if workers == 1 {
		return sum(values, vector)
	}
	sums := make([]struct {
		s float64
		_ [56]byte
	}, workers)
	var wg sync.WaitGroup
	for w := range sums {
		wg.Go(func() { sums[w].s = sum(values[n*w/workers:n*(w+1)/workers], vector) })
	}
	wg.Wait()
	total := 0.0
	for _, s := range sums {
		total += s.s
	}
	return total
}

// sum adds up v with four accumulators, after the vector loop for float32 if vector.
func sum[T Float](v []T, vector bool) float64 {
	var s0, s1, s2, s3 T
	i := 0
	if f, ok := any(v).([]float32); ok && vector {
		var s float32
		s, i = simdSum(f)
		s0 = T(s)
	}
	for ; i+4 <= len(v); i += 4 {
		s0 += v[i]
		s1 += v[i+1]
		s2 += v[i+2]
		s3 += v[i+3]
	}
	for ; i < len(v); i++ {
		s0 += v[i]
	}
	return float64(s0 + s1 + s2 + s3)
}
