// SPDX-License-Identifier: Apache-2.0

package histo

import "runtime"

// ReadFloor reads values the way [Compute] does (one contiguous chunk per goroutine,
// workers goroutines, 0: GOMAXPROCS) and sums them: the memory-bandwidth floor a
// histogram pass is measured against. Four accumulators keep the sum from being bound
// by add latency; float32 values are summed 8 lanes at a time where [Compute] uses
// vector loops too (GOEXPERIMENT=simd on AVX2), which reads faster than the scalar loop
// (0.61 against 0.76 ms for 10M values here), so the floor is one.
func ReadFloor[T Float](values []T, workers int) float64 {
	return readFloor(values, workers, useSIMD)
}

// ReadFloorScalar is ReadFloor without the vector loop: the floor the benchmarks
// used before ReadFloor had one, printed next to it for comparison.
func ReadFloorScalar[T Float](values []T, workers int) float64 {
	return readFloor(values, workers, false)
}

func readFloor[T Float](values []T, workers int, vector bool) float64 {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if len(values) < minParallel {
		workers = 1
	}
	parts := chunks(len(values), workers)
	type sum struct {
		s float64
		_ [56]byte
	}
	res := make([]sum, len(parts))
	forChunks(parts, func(w int, c [2]int) {
		v := values[c[0]:c[1]]
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
		res[w].s = float64(s0 + s1 + s2 + s3)
	})
	total := 0.0
	for _, r := range res {
		total += r.s
	}
	return total
}
