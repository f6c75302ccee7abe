// SPDX-License-Identifier: Apache-2.0

//go:build goexperiment.simd

package histo

import (
	"math"

	"simd/archsimd"
)

// useSIMD says whether the float32 fast paths below may run (AVX2 machines).
var useSIMD = archsimd.X86.AVX2()

// simdMinMax returns the min and max of the first done values of v (a multiple of 16),
// and clean = false if any of them is NaN (the caller then uses the scalar pass).
func simdMinMax(v []float32) (mn, mx float32, done int, clean bool) {
	inf := archsimd.BroadcastFloat32x8(float32(math.Inf(1)))
	ninf := archsimd.BroadcastFloat32x8(float32(math.Inf(-1)))
	mn0, mn1, mx0, mx1 := inf, inf, ninf, ninf
	nan := archsimd.BroadcastFloat32x8(0).IsNaN() // all false
	i := 0
	for ; i+16 <= len(v); i += 16 {
		a := archsimd.LoadFloat32x8Slice(v[i : i+8])
		b := archsimd.LoadFloat32x8Slice(v[i+8 : i+16])
		nan = nan.Or(a.IsNaN()).Or(b.IsNaN())
		mn0, mx0 = mn0.Min(a), mx0.Max(a)
		mn1, mx1 = mn1.Min(b), mx1.Max(b)
	}
	if nan.ToBits() != 0 {
		return 0, 0, 0, false
	}
	var lo, hi [8]float32
	mn0.Min(mn1).Store(&lo)
	mx0.Max(mx1).Store(&hi)
	mn, mx = lo[0], hi[0]
	for k := 1; k < 8; k++ {
		mn, mx = min(mn, lo[k]), max(mx, hi[k])
	}
	return mn, mx, i, true
}

// simdBin bins the leading blocks of 8 values of v that lie all within [lo, hi] (lo and
// hi exactly representable as float32), with the same float64 arithmetic as the scalar
// loop, and returns how many values it binned; it stops at the first block holding a
// value out of range, NaN or ±Inf, or fewer than 8 values. With track it also returns
// the min and max of the binned values.
func simdBin(v []float32, lo, hi, scale float64, last int, c0, c1, c2, c3 []int64, track bool) (done int, mn, mx float64) {
	tlo := archsimd.BroadcastFloat32x8(float32(lo))
	thi := archsimd.BroadcastFloat32x8(float32(hi))
	lo4 := archsimd.BroadcastFloat64x4(lo)
	sc4 := archsimd.BroadcastFloat64x4(scale)
	last4 := archsimd.BroadcastInt32x4(int32(last))
	mn8, mx8 := thi, tlo
	var ia, ib [4]int32
	i := 0
	for ; i+8 <= len(v); i += 8 {
		x := archsimd.LoadFloat32x8Slice(v[i : i+8])
		if x.GreaterEqual(tlo).And(x.LessEqual(thi)).ToBits() != 0xff {
			break
		}
		x.GetLo().ConvertToFloat64().Sub(lo4).Mul(sc4).ConvertToInt32().Min(last4).Store(&ia)
		x.GetHi().ConvertToFloat64().Sub(lo4).Mul(sc4).ConvertToInt32().Min(last4).Store(&ib)
		c0[ia[0]]++
		c1[ia[1]]++
		c2[ia[2]]++
		c3[ia[3]]++
		c0[ib[0]]++
		c1[ib[1]]++
		c2[ib[2]]++
		c3[ib[3]]++
		if track {
			mn8, mx8 = mn8.Min(x), mx8.Max(x)
		}
	}
	mn, mx = laneMinMax(mn8, mx8, track && i > 0)
	return i, mn, mx
}

// simdBinSmall is simdBin for at most 256 bins, counting into fixed arrays indexed by
// uint8, which need no bounds checks, one array per lane. It computes the 8 bin indices
// in float32 arithmetic (one conversion per block instead of two float64 halves), so a
// value within float32 rounding of an interior bin edge may land on the other side of it
// than the scalar float64 loop would put it; Result documents that edges are not exact.
// It is bound by the one increment (a load and a store) per value.
func simdBinSmall(v []float32, lo, hi, scale float64, last int, c *[smallTables][smallStride]int64, track bool) (done int, mn, mx float64) {
	tlo := archsimd.BroadcastFloat32x8(float32(lo))
	thi := archsimd.BroadcastFloat32x8(float32(hi))
	sc8 := archsimd.BroadcastFloat32x8(float32(scale))
	last8 := archsimd.BroadcastInt32x8(int32(last))
	mn8, mx8 := thi, tlo
	var ia [8]int32
	i := 0
	for ; i+8 <= len(v); i += 8 {
		x := archsimd.LoadFloat32x8Slice(v[i : i+8])
		if x.GreaterEqual(tlo).And(x.LessEqual(thi)).ToBits() != 0xff {
			break
		}
		x.Sub(tlo).Mul(sc8).ConvertToInt32().Min(last8).Store(&ia)
		c[0][uint8(ia[0])]++
		c[1][uint8(ia[1])]++
		c[2][uint8(ia[2])]++
		c[3][uint8(ia[3])]++
		c[4][uint8(ia[4])]++
		c[5][uint8(ia[5])]++
		c[6][uint8(ia[6])]++
		c[7][uint8(ia[7])]++
		if track {
			mn8, mx8 = mn8.Min(x), mx8.Max(x)
		}
	}
	mn, mx = laneMinMax(mn8, mx8, track && i > 0)
	return i, mn, mx
}

// simdBinPairs bins the leading blocks of 16 values of v that lie all within [lo, hi]
// into the pair table t (see pairs.go), and returns how many values it binned; it stops
// at the first block holding a value out of range, NaN or ±Inf, or fewer than 16 values.
// Bin indices are computed as in simdBinSmall (float32 arithmetic); value k of a block is
// paired with value k+8, so 16 values are 8 increments. With track it also returns the
// min and max of the binned values. An AVX-512 version (16 lanes) measured slower, and so
// did two tables or 32 values per step: the loop is bound by its loads and stores.
func simdBinPairs(v []float32, lo, hi, scale float64, last int, shift uint8, t *pairTable, track bool) (done int, mn, mx float64) {
	tlo := archsimd.BroadcastFloat32x8(float32(lo))
	thi := archsimd.BroadcastFloat32x8(float32(hi))
	sc8 := archsimd.BroadcastFloat32x8(float32(scale))
	last8 := archsimd.BroadcastInt32x8(int32(last))
	sh := uint64(shift)
	mn8, mx8 := thi, tlo
	var ix [8]int32
	i := 0
	for ; i+16 <= len(v); i += 16 {
		w := v[i : i+16 : i+16]
		a := archsimd.LoadFloat32x8Slice(w[:8])
		b := archsimd.LoadFloat32x8Slice(w[8:])
		if a.GreaterEqual(tlo).And(a.LessEqual(thi)).And(b.GreaterEqual(tlo)).And(b.LessEqual(thi)).ToBits() != 0xff {
			break
		}
		ia := a.Sub(tlo).Mul(sc8).ConvertToInt32().Min(last8)
		ib := b.Sub(tlo).Mul(sc8).ConvertToInt32().Min(last8)
		ia.ShiftAllLeft(sh).Or(ib).Store(&ix)
		t[ix[0]&pairMask]++
		t[ix[1]&pairMask]++
		t[ix[2]&pairMask]++
		t[ix[3]&pairMask]++
		t[ix[4]&pairMask]++
		t[ix[5]&pairMask]++
		t[ix[6]&pairMask]++
		t[ix[7]&pairMask]++
		if track {
			mn8, mx8 = mn8.Min(a).Min(b), mx8.Max(a).Max(b)
		}
	}
	mn, mx = laneMinMax(mn8, mx8, track && i > 0)
	return i, mn, mx
}

// laneMinMax reduces the lanes of the binning loops' running min and max, or gives
// +Inf, -Inf when they tracked nothing (!tracked).
func laneMinMax(mn8, mx8 archsimd.Float32x8, tracked bool) (mn, mx float64) {
	mn, mx = math.Inf(1), math.Inf(-1)
	if !tracked {
		return mn, mx
	}
	var l, h [8]float32
	mn8.Store(&l)
	mx8.Store(&h)
	for k := range 8 {
		mn, mx = min(mn, float64(l[k])), max(mx, float64(h[k]))
	}
	return mn, mx
}

// simdMoments adds to the sums s and q (4 lanes each, float64) the values of the leading
// blocks of 8 of v that are all finite, and their squares; it returns how many values
// that is, stopping at the first block holding NaN or ±Inf, or fewer than 8 values.
func simdMoments(v []float32, s, q *[2][4]float64) int {
	s0, s1 := archsimd.LoadFloat64x4(&s[0]), archsimd.LoadFloat64x4(&s[1])
	q0, q1 := archsimd.LoadFloat64x4(&q[0]), archsimd.LoadFloat64x4(&q[1])
	i := 0
	for ; i+8 <= len(v); i += 8 {
		x := archsimd.LoadFloat32x8Slice(v[i : i+8])
		if x.Sub(x).IsNaN().ToBits() != 0 { // x - x is NaN for NaN and ±Inf
			break
		}
		lo, hi := x.GetLo().ConvertToFloat64(), x.GetHi().ConvertToFloat64()
		s0, s1 = s0.Add(lo), s1.Add(hi)
		q0, q1 = q0.Add(lo.Mul(lo)), q1.Add(hi.Mul(hi))
	}
	s0.Store(&s[0])
	s1.Store(&s[1])
	q0.Store(&q[0])
	q1.Store(&q[1])
	return i
}
