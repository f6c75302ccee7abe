// SPDX-License-Identifier: Apache-2.0

package histo

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Every kernel counts the same: values in range, on the range's ends, out of it, NaN and
// ±Inf, for bins around each class's limits, exactly: a value near a bin edge lands on the
// same side of it whichever kernel runs (so that a chart does not change with the kernel the
// calibration picks on a given machine).
func TestKernelsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	v := make([]float32, 200_000)
	for i := range v {
		v[i] = float32(r.NormFloat64() * 1.5)
	}
	for i := 0; i < len(v); i += 997 {
		v[i] = float32(math.NaN())
		v[i+1] = float32(math.Inf(1 - 2*(i%2)))
		v[i+2], v[i+3] = -4, 4 // the ends of the range below
	}
	for _, bins := range []int{1, 7, 64, 128, 129, 200, 256, 257, 1024} {
		for _, opts := range []Options{{}, {Lo: -4, Hi: 4}, {Lo: -1, Hi: 2.5}} {
			var want Result
			for i, k := range []Kernel{KernelScalar, KernelLanes, KernelPairs, KernelAuto, KernelLanes, KernelPairs} {
				o := opts
				o.Kernel = k
				o.Workers = 1 + i%3 // chunk boundaries move with the workers
				got, err := Compute(v, bins, o)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					want = got
					continue
				}
				moved := int64(0)
				for j := range want.Counts {
					moved += max(got.Counts[j]-want.Counts[j], want.Counts[j]-got.Counts[j])
				}
				if len(got.Counts) != len(want.Counts) || moved != 0 || got.Count != want.Count || got.NaN != want.NaN || got.PosInf != want.PosInf ||
					got.NegInf != want.NegInf || got.Under != want.Under || got.Over != want.Over ||
					got.Min != want.Min || got.Max != want.Max {
					t.Errorf("bins %d, range [%g, %g]: kernel %s moves %d values between bins; counts %v, NaN %d, ±Inf %d %d, under %d, over %d, min %g, max %g; scalar: %v, %d, %d %d, %d, %d, %g, %g",
						bins, opts.Lo, opts.Hi, k, moved, got.Counts, got.NaN, got.PosInf, got.NegInf, got.Under, got.Over, got.Min, got.Max,
						want.Counts, want.NaN, want.PosInf, want.NegInf, want.Under, want.Over, want.Min, want.Max)
				}
			}
		}
	}
}

// Calibration measures once per class, returns the kernels fastest first, and the kernel
// Compute takes is the fastest that can serve.
func TestCalibration(t *testing.T) {
	for _, bins := range []int{64, 200, 1024} {
		first := Calibrate(bins)
		again := Calibrate(bins)
		if !slices.Equal(first, again) {
			t.Errorf("bins %d: calibrated twice: %v, then %v", bins, first, again)
		}
		if len(first) != len(candidates(binsClass(bins))) {
			t.Fatalf("bins %d: timings %v for candidates %v", bins, first, candidates(binsClass(bins)))
		}
		for i := 1; i < len(first); i++ {
			if first[i].NsPerElem < first[i-1].NsPerElem {
				t.Errorf("bins %d: not fastest first: %v", bins, first)
			}
		}
		if got := kernelFor(1<<20, bins, KernelAuto); got != first[0].Kernel {
			t.Errorf("bins %d: Compute would take %s, the fastest measured is %s (%v)", bins, got, first[0].Kernel, first)
		}
		t.Logf("bins %d: %v", bins, first)
	}
	// A chunk too short for the pair table never gets it, whatever was measured.
	if got := kernelFor(100, 64, KernelAuto); got == KernelPairs {
		t.Error("a 100-value chunk was given the pair table")
	}
	if !useSIMD {
		if got := kernelFor(1<<20, 64, KernelPairs); got != KernelScalar {
			t.Errorf("without the vector loops, a forced pair table gave %s", got)
		}
	}
}
