// SPDX-License-Identifier: Apache-2.0

package histo

import (
	"runtime"
	"sync"
)

// ReadFloor reads values the way [Compute] does (one contiguous chunk per goroutine,
// workers goroutines, 0: GOMAXPROCS) and sums them: the memory-bandwidth floor a
// histogram pass is measured against. Four accumulators keep the sum from being bound
// by add latency.
func ReadFloor[T Float](values []T, workers int) float64 {
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
	var wg sync.WaitGroup
	for w, c := range parts {
		wg.Go(func() {
			v := values[c[0]:c[1]]
			var s0, s1, s2, s3 T
			i := 0
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
	}
	wg.Wait()
	total := 0.0
	for _, r := range res {
		total += r.s
	}
	return total
}
