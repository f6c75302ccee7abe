// SPDX-License-Identifier: Apache-2.0

package histo

import (
	"math"
	"math/bits"
	"sync"
)

// The pair table: for float32 input with at most pairMaxBins bins, the vector loop bins
// two values a and b with one increment, of the cell ia<<shift | ib of a 2-D table of
// uint32 counts (shift = log2 of the bins rounded up to a power of two). Flushing adds
// the table's marginals to the counts: bin i gets the sum of row i (values a) plus the
// sum of column i (values b). Half the increments, which bound the 1-D loop; and since a
// hit is spread over the cells of a row or column, two increments of one cell close
// together (which wait for each other) are rare even in the middle of a bell curve, so one
// table does the work of the 1-D loop's eight.
//
// The thresholds are measured (AMD EPYC, AVX2/AVX-512, 48 KiB L1d, 1 MiB L2; go run
// ./internal/cmd/bench histogram -rounds 0 -bins N): up to 128 bins (a table of at most
// 128×128×4 B = 64 KiB) the pair loop takes about 0.6 of the time of the 1-D loop; for
// 129 to 256 bins the table is 256 KiB, its increments miss L1 and the pair loop is slower
// than the 1-D one. A flush reads every cell, so a chunk needs about 2–3 values per cell
// to pay for it; pairMinPerCell asks for 4.
var (
	// pairMaxBins is the most bins the pair table serves, at most 128 (see pairCells).
	pairMaxBins = 128
	// pairMinPerCell is the least chunk length, per cell of the table, served by it.
	pairMinPerCell = 4
	// pairFlush is the most pairs counted into the table between two flushes, so that
	// no uint32 cell can overflow. Tests lower it.
	pairFlush = 1 << 31
	// onPairFlush, when set (by tests), is called at each flush with the number of
	// pairs in the table.
	onPairFlush func(pairs int64)
)

// pairCells is the size of the pair table: (pairMaxBins rounded up to a power of two)².
const pairCells = 1 << 14

// pairTable is the 2-D count table (64 KiB). The vector loop indexes it with the cell
// number masked by pairMask, which needs no bounds check; the cell numbers of at most
// pairMaxBins bins are below pairCells, so the mask never changes them.
type pairTable [pairCells]uint32

// pairMask keeps a cell number within the table.
const pairMask = pairCells - 1

// pairPool holds cleared tables, which are too large to allocate per chunk.
var pairPool = sync.Pool{New: func() any { return new(pairTable) }}

// usePairs says whether a chunk of n float32 values goes through the pair table.
func usePairs(n, bins int) bool {
	if bins > pairMaxBins {
		return false
	}
	s := 1 << bits.Len(uint(bins-1))
	return n >= pairMinPerCell*s*s
}

// binPairs bins v into c (bins = len(c)) through the pair table, for binChunk: lo and
// hi are exact in float32, and scale is bins/(hi-lo). Blocks of 16 values that are not
// all in [lo, hi] go through the scalar code, to c, or to odd when out of range. It
// returns the min and max of the values binned.
func binPairs(v []float32, lo, hi, scale float64, c []int64, track bool, odd func(float32)) (mn, mx float64) {
	last := len(c) - 1
	shift := uint8(bits.Len(uint(last)))
	t := pairPool.Get().(*pairTable)
	defer pairPool.Put(t)
	tlo, thi := float32(lo), float32(hi)
	lo32, sc32 := float32(lo), float32(scale)
	mn, mx = math.Inf(1), math.Inf(-1)
	// Blocks of at most 2*pairFlush values (one block, but for chunks of 4G values),
	// flushed after each.
	for start := 0; start < len(v); {
		end := start + min(len(v)-start, 2*pairFlush)
		for i := start; i < end; {
			n, smn, smx := simdBinPairs(v[i:end], lo, hi, scale, last, shift, t, track)
			i += n
			mn, mx = min(mn, smn), max(mx, smx)
			for e := min(i+16, end); i < e; i++ {
				x := v[i]
				if x >= tlo && x <= thi {
					f := float64(x)
					c[binIndex(f, true, lo, scale, lo32, sc32, last)]++
					mn, mx = min(mn, f), max(mx, f)
				} else {
					odd(x)
				}
			}
		}
		flushPairs(t, shift, c)
		start = end
	}
	return mn, mx
}

// flushPairs adds the marginals of the table to c and clears the cells it used.
func flushPairs(t *pairTable, shift uint8, c []int64) {
	var pairs int64
	for a := range c {
		row := t[a<<shift : a<<shift+len(c)]
		var s int64
		for b, n := range row {
			s += int64(n)
			c[b] += int64(n)
		}
		c[a] += s
		pairs += s
		clear(row)
	}
	if onPairFlush != nil {
		onPairFlush(pairs)
	}
}
