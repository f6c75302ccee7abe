// SPDX-License-Identifier: Apache-2.0

package projection

import (
	"runtime"
	"sync"
)

// parallelRange splits 0..n-1 into one contiguous range per goroutine (GOMAXPROCS of
// them) and runs f on each; it returns when all are done. Work of equal cost per index
// only: the split is static, so the results never depend on the timing.
func parallelRange(n int, f func(lo, hi int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		if n > 0 {
			f(0, n)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}
