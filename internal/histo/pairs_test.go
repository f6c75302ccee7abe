// SPDX-License-Identifier: Apache-2.0

package histo

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// pairValues returns n float32 values, normal around 0.25; with odd, about one in oddEvery
// is NaN, ±Inf, or (for a range of [-2, 2.5]) out of range, so that vector blocks hold
// odd numbers of in-range values.
func pairValues(rng *rand.Rand, n, oddEvery int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64() + 0.25)
		if oddEvery > 0 && rng.IntN(oddEvery) == 0 {
			v[i] = []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), -7, 9}[rng.IntN(5)]
		}
	}
	return v
}

// rangedRef is the reference for a given range: the bin formula of binChunk, one float64
// value at a time.
func rangedRef(v []float32, bins int, lo, hi float64) Result {
	r := Result{Counts: make([]int64, bins), Min: math.Inf(1), Max: math.Inf(-1)}
	scale := float64(bins) / (hi - lo)
	for _, x := range v {
		f := float64(x)
		switch {
		case math.IsNaN(f):
			r.NaN++
			continue
		case math.IsInf(f, 1):
			r.PosInf++
			continue
		case math.IsInf(f, -1):
			r.NegInf++
			continue
		case f < lo:
			r.Under++
		case f > hi:
			r.Over++
		default:
			r.Counts[min(int((f-lo)*scale), bins-1)]++
		}
		r.Count++
		r.Min, r.Max = min(r.Min, f), max(r.Max, f)
	}
	return r
}

// countsWithin says whether got are counts of the values of v in [lo, hi] over bins
// equal-width bins, where a value may be in its bin by the float64 formula of the scalar
// loop or by the float32 one of the vector loops (Result: values on interior edges may
// fall on either side). The two differ by at most one bin, so a greedy pass from the
// first bin decides whether the values the formulas disagree on can make up got.
func countsWithin(got []int64, v []float32, bins int, lo, hi float64) bool {
	if len(got) != bins {
		return false
	}
	sure := make([]int64, bins)
	either := make([]int64, bins) // either[k]: values in bin k or k+1
	scale := float64(bins) / (hi - lo)
	tlo, sc := float32(lo), float32(scale)
	for _, x := range v {
		f := float64(x)
		if !(f >= lo && f <= hi) {
			continue
		}
		b64 := min(int((f-lo)*scale), bins-1)
		b32 := min(int(float32(float32(x-tlo)*sc)), bins-1)
		switch {
		case b64 == b32:
			sure[b64]++
		case b64-b32 == 1 || b32-b64 == 1:
			either[min(b64, b32)]++
		default:
			return false
		}
	}
	var carry int64 // values of either[k-1] that must go to bin k
	for k := range bins {
		need := got[k] - sure[k] - carry
		if need < 0 || need > either[k] {
			return false
		}
		carry = either[k] - need
	}
	return carry == 0
}

func checkPairs(t *testing.T, name string, v []float32, bins int) {
	t.Helper()
	// Unranged: against the naive two-pass histogram.
	r := mustCompute(t, v, bins, Options{Workers: 1, Kernel: KernelPairs})
	_, mn, mx, bad := naive(v, bins)
	ok := r.Min == mn && r.Max == mx && r.NaN+r.PosInf+r.NegInf == bad
	if mn == mx {
		ok = ok && slices.Equal(r.Counts, []int64{int64(len(v)) - bad})
	} else {
		ok = ok && countsWithin(r.Counts, v, bins, mn, mx)
	}
	if !ok {
		want, _, _, _ := naive(v, bins)
		t.Errorf("%s bins=%d n=%d: got %v [%v,%v], want about %v [%v,%v]", name, bins, len(v), r.Counts, r.Min, r.Max, want, mn, mx)
	}
	// Ranged: against rangedRef.
	lo, hi := -2.0, 2.5
	r = mustCompute(t, v, bins, Options{Lo: lo, Hi: hi, Workers: 1, Kernel: KernelPairs})
	want := rangedRef(v, bins, lo, hi)
	if !countsWithin(r.Counts, v, bins, lo, hi) || r.Under != want.Under || r.Over != want.Over || r.NaN != want.NaN ||
		r.PosInf != want.PosInf || r.NegInf != want.NegInf || r.Count != want.Count ||
		(r.Count > 0 && (r.Min != want.Min || r.Max != want.Max)) {
		t.Errorf("%s ranged bins=%d n=%d: got %v under %d over %d nan %d +inf %d -inf %d [%v,%v], want about %v under %d over %d nan %d +inf %d -inf %d [%v,%v]",
			name, bins, len(v), r.Counts, r.Under, r.Over, r.NaN, r.PosInf, r.NegInf, r.Min, r.Max,
			want.Counts, want.Under, want.Over, want.NaN, want.PosInf, want.NegInf, want.Min, want.Max)
	}
}

// TestPairsThresholds bins at and around each power of two up to and past pairMaxBins,
// with chunk lengths just below and at the pair table's minimum, not multiples of 16.
func TestPairsThresholds(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, bins := range []int{1, 2, 3, 4, 5, 8, 9, 16, 17, 30, 32, 33, 64, 65, 127, 128, 129, 240} {
		s := 1 << bits.Len(uint(bins-1))
		least := max(pairMinPerCell*s*s, 64)
		for _, n := range []int{least - 1, least, least + 7, least + 13, 3*least + 5} {
			if n >= minParallel { // one worker: the chunk is all of v
				n = min(n, minParallel-1)
			}
			usesPairs := useSIMD && usePairs(n, bins)
			if bins <= pairMaxBins && n >= pairMinPerCell*s*s && useSIMD && !usesPairs {
				t.Fatalf("bins=%d n=%d: pair table not used", bins, n)
			}
			for _, oddEvery := range []int{0, 37, 5} {
				checkPairs(t, "pairs", pairValues(rng, n, oddEvery), bins)
			}
		}
	}
}

// TestPairsAgreeWithLanes checks the pair table and the 1-D vector loop it replaces on the
// same input, two workers, with and without a range.
func TestPairsAgreeWithLanes(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	v := pairValues(rng, 200_003, 101)
	for _, bins := range []int{1, 7, 30, 64, 100, 128} {
		for _, o := range []Options{{}, {Lo: -2, Hi: 2.5}, {Lo: -1, Hi: 1}} {
			o.Workers = 2
			o.Kernel = KernelPairs
			got := mustCompute(t, v, bins, o)
			o.Kernel = KernelLanes
			want := mustCompute(t, v, bins, o)
			lo, hi := o.Lo, o.Hi
			if lo == 0 && hi == 0 {
				lo, hi = want.Min, want.Max
			}
			if !countsWithin(got.Counts, v, bins, lo, hi) || !countsWithin(want.Counts, v, bins, lo, hi) || got.Min != want.Min || got.Max != want.Max ||
				got.Under != want.Under || got.Over != want.Over || got.NaN != want.NaN || got.Count != want.Count {
				t.Errorf("bins=%d %+v: pairs %+v, lanes %+v", bins, o, got, want)
			}
		}
	}
}

// TestPairsFlush lowers the flush limit so that long inputs go through many blocks and
// flushes, some ending in the middle of a vector step, and checks that no flush finds
// more pairs in the table than the limit (which is what keeps uint32 cells from
// overflowing at the real limit of 2^31 pairs).
func TestPairsFlush(t *testing.T) {
	if !useSIMD {
		t.Skip("no vector loops")
	}
	rng := rand.New(rand.NewPCG(15, 16))
	savedFlush, savedMin := pairFlush, pairMinPerCell
	defer func() { pairFlush, pairMinPerCell, onPairFlush = savedFlush, savedMin, nil }()
	pairMinPerCell = 0
	for _, limit := range []int{1, 8, 13, 100} {
		for _, n := range []int{5000, 5011} {
			for _, oddEvery := range []int{0, 29} {
				v := pairValues(rng, n, oddEvery)
				var mu sync.Mutex
				flushes, most := 0, int64(0)
				onPairFlush = func(pairs int64) {
					mu.Lock()
					flushes++
					most = max(most, pairs)
					mu.Unlock()
				}
				pairFlush = limit
				checkPairs(t, "flush", v, 64)
				if most > int64(limit) {
					t.Errorf("limit %d n=%d: a flush found %d pairs", limit, n, most)
				}
				// Two Compute calls (unranged and ranged), each at least one flush a block.
				if blocks := (n + 2*limit - 1) / (2 * limit); flushes != 2*blocks {
					t.Errorf("limit %d n=%d: %d flushes, want %d", limit, n, flushes, 2*blocks)
				}
				if oddEvery == 0 && limit >= 8 && most == 0 {
					t.Errorf("limit %d n=%d: nothing went through the table", limit, n)
				}
			}
		}
	}
}
