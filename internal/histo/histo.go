// SPDX-License-Identifier: Apache-2.0

// Package histo computes histograms of float32/float64 values on the host, in parallel,
// for gonbviz's histogram and distribution charts.
//
// [Compute] makes two passes over the values (finite min/max, then binning) or, when
// [Options] gives a range, a single binning pass. Each pass splits the values into one
// contiguous chunk per goroutine (GOMAXPROCS by default); every goroutine counts into its
// own arrays, merged at the end, so there is no sharing and no atomics. NaN and ±Inf are
// counted, never binned. The kernel uses no division and no unsafe code in its inner loop;
// built with GOEXPERIMENT=simd on an AVX2 machine, float32 min/max and binning run 8 or 16
// values at a time (package simd/archsimd), with the scalar loops as the fallback.
//
// Binning is bound by its increments (a load and a store each), not by reading memory.
// For float32 with at most 128 bins the vector loop therefore counts values in pairs: the
// bin indices ia and ib of two values select one cell of a 2-D table of uint32 counts,
// whose row and column sums are added to the bins at the end; half the increments, into a
// table that stays in L1 (see pairs.go). Larger tables miss L1 and lose, so more bins (and
// short inputs) keep the 1-D loop: 8 values per step, one count array per vector lane.
package histo

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Float is the element type [Compute] accepts.
type Float interface{ ~float32 | ~float64 }

// Options changes how [Compute] bins.
type Options struct {
	// Lo and Hi, when Lo < Hi (both finite), fix the binned range to [Lo, Hi] and make a
	// single pass over the values; finite values outside it are counted in Result.Under
	// and Result.Over, not binned. When both are zero the range is the finite min/max of
	// the values (two passes).
	Lo, Hi float64
	// Workers is the number of goroutines (0: GOMAXPROCS). Small inputs use one.
	Workers int
	// Kernel forces a binning kernel for float32 values (benchmarks and tests); the zero
	// value, KernelAuto, takes the fastest measured on this CPU (Calibrate).
	Kernel Kernel
}

// Result is a histogram.
type Result struct {
	// Edges has len(Counts)+1 increasing bin edges. Bin i holds values in
	// [Edges[i], Edges[i+1]); the last bin also holds values equal to its upper edge.
	// Values lying exactly on an interior edge may fall on either side of it by rounding.
	Edges  []float64
	Counts []int64
	// Min and Max are the smallest and largest finite values (NaN when there are none).
	Min, Max float64
	// NaN, PosInf and NegInf count the non-finite values; they are never binned.
	NaN, PosInf, NegInf int64
	// Under and Over count finite values below and above a range given in Options.
	Under, Over int64
	// Count is the number of finite values (binned, Under and Over).
	Count int64
}

// minParallel is the input size below which one goroutine does all the work: starting
// goroutines costs more than counting a few thousand values.
const minParallel = 1 << 16

// Compute returns the histogram of values in bins equal-width bins over the finite
// min/max of values (or over the range in opts). If all finite values are equal, the
// result has one bin [v-0.5, v+0.5]. If there are no finite values and no range is given,
// Edges and Counts are nil. bins < 1 is an error.
func Compute[T Float](values []T, bins int, opts Options) (Result, error) {
	if bins < 1 {
		return Result{}, fmt.Errorf("histo: bins must be at least 1, got %d", bins)
	}
	ranged := opts.Lo != 0 || opts.Hi != 0
	if ranged && !(opts.Lo < opts.Hi) || math.IsInf(opts.Lo, 0) || math.IsInf(opts.Hi, 0) {
		return Result{}, fmt.Errorf("histo: opts range [Lo, Hi] = [%g, %g] must be finite with Lo < Hi", opts.Lo, opts.Hi)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if len(values) < minParallel {
		workers = 1
	}
	res := Result{Min: math.NaN(), Max: math.NaN()}
	lo, hi := opts.Lo, opts.Hi
	var mn, mx float64
	if !ranged {
		var ok bool
		mn, mx, ok = minMax(values, workers)
		if !ok {
			// No finite values: one binning pass still counts the non-finite ones.
			p := binAll(values, 1, 0, 1, workers, false, opts.Kernel)
			res.NaN, res.PosInf, res.NegInf = p.nan, p.posInf, p.negInf
			return res, nil
		}
		lo, hi = mn, mx
		if lo == hi {
			bins = 1
			lo, hi = lo-0.5, hi+0.5
		}
	}
	p := binAll(values, bins, lo, hi, workers, ranged, opts.Kernel)
	if !ranged {
		p.min, p.max = mn, mx
	}
	res.Edges = edges(lo, hi, bins)
	res.Counts = p.counts
	res.NaN, res.PosInf, res.NegInf = p.nan, p.posInf, p.negInf
	res.Under, res.Over = p.under, p.over
	res.Count = int64(len(values)) - p.nan - p.posInf - p.negInf
	if res.Count > 0 {
		res.Min, res.Max = p.min, p.max
	}
	return res, nil
}

// edges returns bins+1 equally spaced edges, the last exactly hi.
func edges(lo, hi float64, bins int) []float64 {
	e := make([]float64, bins+1)
	w := (hi - lo) / float64(bins)
	for i := range e {
		e[i] = lo + float64(i)*w
	}
	e[bins] = hi
	return e
}

// chunks splits n into at most workers contiguous [start, end) ranges.
func chunks(n, workers int) [][2]int {
	if workers > n {
		workers = max(n, 1)
	}
	out := make([][2]int, workers)
	for w := range out {
		out[w] = [2]int{n * w / workers, n * (w + 1) / workers}
	}
	return out
}

// forChunks calls f for each chunk, each in its own goroutine, and waits for them;
// a single chunk runs on the caller's goroutine (small inputs: starting a goroutine
// would cost more than the work).
func forChunks(parts [][2]int, f func(w int, c [2]int)) {
	if len(parts) == 1 {
		f(0, parts[0])
		return
	}
	var wg sync.WaitGroup
	for w, c := range parts {
		wg.Go(func() { f(w, c) })
	}
	wg.Wait()
}

// minMax returns the finite min and max of values, and false if there are none.
func minMax[T Float](values []T, workers int) (float64, float64, bool) {
	parts := chunks(len(values), workers)
	type mm struct {
		mn, mx T
		_      [48]byte // one worker's result per cache line
	}
	res := make([]mm, len(parts))
	forChunks(parts, func(w int, c [2]int) {
		mn, mx := rawMinMax(values[c[0]:c[1]])
		if math.IsInf(float64(mn), 0) || math.IsInf(float64(mx), 0) {
			mn, mx = finiteMinMax(values[c[0]:c[1]])
		}
		res[w].mn, res[w].mx = mn, mx
	})
	// Chunks without finite values report NaN, which min/max would propagate.
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, r := range res {
		if math.IsNaN(float64(r.mn)) {
			continue
		}
		mn = min(mn, float64(r.mn))
		mx = max(mx, float64(r.mx))
	}
	if math.IsInf(mn, 0) {
		return 0, 0, false
	}
	return mn, mx, true
}

// rawMinMax is the fast pass: min and max ignoring NaN (comparisons with NaN are false)
// but not ±Inf. Four accumulators break the dependency chains. It returns NaN, NaN when
// there is no value other than NaN.
func rawMinMax[T Float](v []T) (T, T) {
	if f, ok := any(v).([]float32); ok && useSIMD {
		if mn, mx, done, clean := simdMinMax(f); clean && done > 0 {
			tmn, tmx := scalarMinMax(v[done:])
			if tmn != tmn { // the tail holds nothing but NaN
				return T(mn), T(mx)
			}
			return min(T(mn), tmn), max(T(mx), tmx)
		}
	}
	return scalarMinMax(v)
}

func scalarMinMax[T Float](v []T) (T, T) {
	inf := T(math.Inf(1))
	mn0, mn1, mn2, mn3 := inf, inf, inf, inf
	mx0, mx1, mx2, mx3 := -inf, -inf, -inf, -inf
	i := 0
	for ; i+4 <= len(v); i += 4 {
		a, b, c, d := v[i], v[i+1], v[i+2], v[i+3]
		if a < mn0 {
			mn0 = a
		}
		if a > mx0 {
			mx0 = a
		}
		if b < mn1 {
			mn1 = b
		}
		if b > mx1 {
			mx1 = b
		}
		if c < mn2 {
			mn2 = c
		}
		if c > mx2 {
			mx2 = c
		}
		if d < mn3 {
			mn3 = d
		}
		if d > mx3 {
			mx3 = d
		}
	}
	for ; i < len(v); i++ {
		if v[i] < mn0 {
			mn0 = v[i]
		}
		if v[i] > mx0 {
			mx0 = v[i]
		}
	}
	mn := min(mn0, mn1, mn2, mn3)
	mx := max(mx0, mx1, mx2, mx3)
	if mn > mx { // only NaNs, or empty
		return T(math.NaN()), T(math.NaN())
	}
	return mn, mx
}

// finiteMinMax is the careful pass, for chunks holding ±Inf.
func finiteMinMax[T Float](v []T) (T, T) {
	mn, mx := T(math.Inf(1)), T(math.Inf(-1))
	for _, x := range v {
		if x-x != 0 { // NaN or ±Inf
			continue
		}
		mn = min(mn, x)
		mx = max(mx, x)
	}
	if mn > mx {
		return T(math.NaN()), T(math.NaN())
	}
	return mn, mx
}

// smallStride is the row length of the fixed count arrays used for at most 256 bins:
// 256 plus a cache line of padding.
const smallStride = 256 + 8

// shortChunk: a chunk of fewer than shortChunk values per bin counts into one array,
// through the scalar loop or the 1-D vector loop for more than 256 bins (the vector
// loop's one array per lane, for at most 256 bins, is for longer chunks). Clearing and
// summing the arrays, not the values, is most of the work of a short chunk: the weights
// and gradients of a small model's layers, a few thousand values in 240 bins.
const shortChunk = 8

// smallTables is the number of count arrays of the vector loop: one per lane, so that runs
// of values in the same bin (the middle of a bell curve) do not wait on each other.
const smallTables = 8

// partial is one worker's counts.
type partial struct {
	counts              []int64
	nan, posInf, negInf int64
	under, over         int64
	min, max            float64
	_                   [64]byte
}

// binAll bins values over [lo, hi] in parallel and merges the workers' counts.
func binAll[T Float](values []T, bins int, lo, hi float64, workers int, track bool, kernel Kernel) partial {
	parts := chunks(len(values), workers)
	res := make([]partial, len(parts))
	forChunks(parts, func(w int, c [2]int) { res[w] = binChunk(values[c[0]:c[1]], bins, lo, hi, track, kernel) })
	out := partial{counts: make([]int64, bins), min: math.Inf(1), max: math.Inf(-1)}
	for _, p := range res {
		for i, n := range p.counts {
			out.counts[i] += n
		}
		out.nan += p.nan
		out.posInf += p.posInf
		out.negInf += p.negInf
		out.under += p.under
		out.over += p.over
		out.min = min(out.min, p.min)
		out.max = max(out.max, p.max)
	}
	return out
}

// binChunk is the inner kernel. Values in [lo, hi] go to bin int((v-lo)*scale), clamped
// to the last bin (for v == hi and rounding). Everything else (NaN, ±Inf, out of range)
// fails the one range test and is sorted out on a rarely taken branch. Four values per
// iteration count into four separate arrays, so that runs of values in the same bin do
// not wait on each other's increments; the arrays are summed at the end. float32 values
// may instead go through the AVX2 loops of simd_amd64.go when built with GOEXPERIMENT=simd:
// for at most 128 bins and long enough chunks, 16 values per step counted as 8 pairs into
// a 2-D table (KernelPairs, pairs.go); or 8 values per step, and for 256 bins or fewer,
// bin indices in float32 arithmetic counted without bounds checks into one array per lane
// (KernelLanes). Which of the three runs is measured on the CPU at hand (kernel.go). With
// track, it also finds the min and max of the values (when the range was given, not
// measured).
func binChunk[T Float](v []T, bins int, lo, hi float64, track bool, kernel Kernel) partial {
	k := KernelScalar
	if _, ok := any(v).([]float32); ok {
		k = kernelFor(len(v), bins, kernel)
	}
	return binChunkWith(v, bins, lo, hi, track, k)
}

// binChunkWith is binChunk with the kernel chosen: KernelPairs and KernelLanes serve float32
// values in a range that float32 holds exactly, anything else goes through the scalar loop.
func binChunkWith[T Float](v []T, bins int, lo, hi float64, track bool, k Kernel) partial {
	scale := float64(bins) / (hi - lo)
	last := bins - 1
	// One allocation, each array padded by a cache line from the next. A chunk short
	// next to the bins counts into one array (c1..c3 are c0), which is cheaper to clear
	// and to sum than four.
	stride := bins + 8
	arrays := 4
	if len(v) < shortChunk*bins {
		arrays = 1
	}
	all := make([]int64, arrays*stride)
	c0 := all[:bins]
	c1, c2, c3 := c0, c0, c0
	if arrays == 4 {
		c1 = all[1*stride : 1*stride+bins]
		c2 = all[2*stride : 2*stride+bins]
		c3 = all[3*stride : 3*stride+bins]
	}
	p := partial{min: math.Inf(1), max: math.Inf(-1)}
	tlo, thi := T(lo), T(hi)
	// T(lo) may round inward for float32: compare in float64 when it does.
	exact := float64(tlo) == lo && float64(thi) == hi
	// float32 values in a range float32 holds, into at most 256 bins, take their bin index in
	// float32 arithmetic everywhere, as the vector loops do, so that every kernel, and every
	// split of the values into chunks, puts a value near a bin edge on the same side of it.
	_, is32 := any(v).([]float32)
	idx32 := is32 && exact && bins <= smallMaxBins
	lo32, sc32 := float32(lo), float32(scale)
	odd := func(x T) {
		f := float64(x)
		switch {
		case f != f:
			p.nan++
		case math.IsInf(f, 1):
			p.posInf++
		case math.IsInf(f, -1):
			p.negInf++
		case f < lo:
			p.under++
			p.min = min(p.min, f)
		case f > hi:
			p.over++
			p.max = max(p.max, f)
		default: // in range after all (float32 rounding of the bounds)
			c0[min(int((f-lo)*scale), last)]++
			p.min, p.max = min(p.min, f), max(p.max, f)
		}
	}
	inRange := func(x T) bool {
		if exact {
			return x >= tlo && x <= thi
		}
		return float64(x) >= lo && float64(x) <= hi
	}
	mn0, mx0 := math.Inf(1), math.Inf(-1)
	mn1, mx1 := mn0, mx0
	i := 0
	var small *[smallTables][smallStride]int64 // the vector loop's counts, for at most 256 bins
	f32, ok := any(v).([]float32)
	if ok && useSIMD && exact && k == KernelPairs && usePairs(len(v), bins) {
		mn0, mx0 = binPairs(f32, lo, hi, scale, c0, track, func(x float32) { odd(T(x)) })
		i = len(v)
	} else if ok && useSIMD && exact && k == KernelLanes && (bins > smallMaxBins || arrays == 4) {
		// (A short chunk into at most 256 bins goes through the scalar loop, which indexes in
		// float32 as simdBinSmall does; simdBin indexes in float64.)
		if bins <= smallMaxBins {
			small = new([smallTables][smallStride]int64)
		}
		// Vector blocks of 8 while they are all in range; a block holding anything else
		// goes through the scalar code.
		for i < len(v) {
			var n int
			var smn, smx float64
			if small != nil {
				n, smn, smx = simdBinSmall(f32[i:], lo, hi, scale, last, small, track)
			} else {
				n, smn, smx = simdBin(f32[i:], lo, hi, scale, last, c0, c1, c2, c3, track)
			}
			i += n
			mn0, mx0 = min(mn0, smn), max(mx0, smx)
			for end := min(i+8, len(v)); i < end; i++ {
				x := v[i]
				if inRange(x) {
					f := float64(x)
					c0[binIndex(f, idx32, lo, scale, lo32, sc32, last)]++
					mn0, mx0 = min(mn0, f), max(mx0, f)
				} else {
					odd(x)
				}
			}
		}
	}
	if exact {
		for ; i+4 <= len(v); i += 4 {
			a, b, c, d := v[i], v[i+1], v[i+2], v[i+3]
			if a >= tlo && a <= thi && b >= tlo && b <= thi && c >= tlo && c <= thi && d >= tlo && d <= thi {
				fa, fb, fc, fd := float64(a), float64(b), float64(c), float64(d)
				c0[binIndex(fa, idx32, lo, scale, lo32, sc32, last)]++
				c1[binIndex(fb, idx32, lo, scale, lo32, sc32, last)]++
				c2[binIndex(fc, idx32, lo, scale, lo32, sc32, last)]++
				c3[binIndex(fd, idx32, lo, scale, lo32, sc32, last)]++
				if track { // rarely taken branches, unlike a min/max of two values
					if fa < mn0 {
						mn0 = fa
					}
					if fa > mx0 {
						mx0 = fa
					}
					if fb < mn1 {
						mn1 = fb
					}
					if fb > mx1 {
						mx1 = fb
					}
					if fc < mn0 {
						mn0 = fc
					}
					if fc > mx0 {
						mx0 = fc
					}
					if fd < mn1 {
						mn1 = fd
					}
					if fd > mx1 {
						mx1 = fd
					}
				}
				continue
			}
			for _, x := range [4]T{a, b, c, d} {
				if inRange(x) {
					f := float64(x)
					c0[binIndex(f, idx32, lo, scale, lo32, sc32, last)]++
					mn0, mx0 = min(mn0, f), max(mx0, f)
				} else {
					odd(x)
				}
			}
		}
	}
	for ; i < len(v); i++ {
		x := v[i]
		if inRange(x) {
			f := float64(x)
			c0[binIndex(f, idx32, lo, scale, lo32, sc32, last)]++
			mn0, mx0 = min(mn0, f), max(mx0, f)
		} else {
			odd(x)
		}
	}
	p.counts = make([]int64, bins)
	for j := range p.counts {
		p.counts[j] = c0[j]
		if arrays == 4 {
			p.counts[j] += c1[j] + c2[j] + c3[j]
		}
		if small != nil {
			for k := range small {
				p.counts[j] += small[k][j]
			}
		}
	}
	p.min = min(p.min, mn0, mn1)
	p.max = max(p.max, mx0, mx1)
	return p
}

// smallMaxBins is the most bins the vector loops index in float32 arithmetic (simdBinSmall,
// simdBinPairs); above it they use float64, as the scalar loop does.
const smallMaxBins = 256

// binIndex is the bin of an in-range value: in float32 arithmetic, exactly as the vector
// loops compute it, when f32; else in float64. Small enough to be inlined in the loops.
func binIndex(f float64, f32 bool, lo, scale float64, lo32, sc32 float32, last int) int {
	if f32 {
		return min(int((float32(f)-lo32)*sc32), last)
	}
	return min(int((f-lo)*scale), last)
}
