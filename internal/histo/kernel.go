// SPDX-License-Identifier: Apache-2.0

package histo

import (
	"math"
	"sync"
	"time"
)

// Kernel names a way of binning float32 values; which is fastest depends on the CPU (the
// vector loops store bin indices and reload them, a pattern some cores forward far worse
// than others), so [Compute] picks by measurement on the CPU it runs on.
type Kernel uint8

// The binning kernels, for float32 values in a given range.
const (
	// KernelAuto picks by measurement (Options.Kernel's zero value).
	KernelAuto Kernel = iota
	// KernelScalar is the plain loop: four values per iteration into four count tables.
	KernelScalar
	// KernelLanes is the vector loop: bin indices of 8 values at a time in float32
	// arithmetic, counted into one table per lane (for at most 256 bins) or four tables.
	KernelLanes
	// KernelPairs is the vector loop counting two values with one increment of a 2-D
	// table (at most 128 bins, long enough chunks: see usePairs).
	KernelPairs
)

var kernelNames = [...]string{"auto", "scalar", "lanes", "pairs"}

func (k Kernel) String() string {
	if int(k) < len(kernelNames) {
		return kernelNames[k]
	}
	return "kernel?"
}

// calibration: a bins class's kernels, fastest first, measured once per process.
type calibration struct {
	once    sync.Once
	order   []Kernel
	timings []KernelTiming
	took    time.Duration
}

// KernelTiming is one kernel's time in a calibration: nanoseconds per value, the best of
// its rounds on the calibration sample.
type KernelTiming struct {
	Kernel    Kernel
	NsPerElem float64
}

// Calibration sample: small enough to take well under a millisecond per kernel, long
// enough for the pair table of the largest class it serves (usePairs).
const (
	calibValues = 1 << 15
	calibRounds = 4
)

// The bins classes calibrated apart, with the bins of their sample: the pair table serves
// the first, the per-lane tables the first two.
var (
	classBins    = [...]int{64, 200, 1024}
	calibrations [len(classBins)]calibration
)

func binsClass(bins int) int {
	switch {
	case bins <= pairMaxBins:
		return 0
	case bins <= 256:
		return 1
	}
	return 2
}

// candidates are the kernels a class may use on this machine.
func candidates(class int) []Kernel {
	if !useSIMD {
		return []Kernel{KernelScalar}
	}
	if class == 0 {
		return []Kernel{KernelPairs, KernelLanes, KernelScalar}
	}
	return []Kernel{KernelLanes, KernelScalar}
}

// Calibrate measures the kernels for bins (once per bins class and process; later calls
// return the same figures) and returns their timings, fastest first.
func Calibrate(bins int) []KernelTiming {
	c := &calibrations[binsClass(bins)]
	c.once.Do(func() {
		t0 := time.Now()
		c.order, c.timings = calibrate(binsClass(bins))
		c.took = time.Since(t0)
	})
	return c.timings
}

// CalibrationTook is how long the calibration for bins took (zero before it ran).
func CalibrationTook(bins int) time.Duration {
	c := &calibrations[binsClass(bins)]
	Calibrate(bins)
	return c.took
}

// calibrate times each candidate kernel on a bell-shaped sample (the shape of weights and
// gradients: many values in few bins, where increments of one cell wait on each other),
// interleaved so that a burst of load hits every kernel alike, and keeps each one's best.
func calibrate(class int) ([]Kernel, []KernelTiming) {
	cands := candidates(class)
	if len(cands) == 1 {
		return cands, []KernelTiming{{cands[0], 0}}
	}
	v := make([]float32, calibValues)
	x := uint64(0x9e3779b97f4a7c15)
	for i := range v {
		// The sum of four uniforms in [-1, 1): a bell over [-4, 4).
		s := 0.0
		for range 4 {
			x = x*6364136223846793005 + 1442695040888963407
			s += float64(x>>11)/float64(1<<53)*2 - 1
		}
		v[i] = float32(s)
	}
	best := make([]time.Duration, len(cands))
	for i := range best {
		best[i] = math.MaxInt64
	}
	bins := classBins[class]
	for range calibRounds {
		for i, k := range cands {
			t0 := time.Now()
			binChunkWith(v, bins, -4, 4, false, k)
			best[i] = min(best[i], time.Since(t0))
		}
	}
	timings := make([]KernelTiming, len(cands))
	for i, k := range cands {
		timings[i] = KernelTiming{k, float64(best[i].Nanoseconds()) / float64(len(v))}
	}
	// Fastest first; a tie keeps the simpler kernel (later in cands) ahead.
	for i := 1; i < len(timings); i++ {
		for j := i; j > 0 && timings[j].NsPerElem <= timings[j-1].NsPerElem; j-- {
			timings[j], timings[j-1] = timings[j-1], timings[j]
		}
	}
	order := make([]Kernel, len(timings))
	for i, t := range timings {
		order[i] = t.Kernel
	}
	return order, timings
}

// kernelFor is the kernel that bins a chunk of n float32 values into bins bins: the one
// asked for (if it can serve), else the fastest measured that can.
func kernelFor(n, bins int, want Kernel) Kernel {
	if !useSIMD {
		return KernelScalar
	}
	can := func(k Kernel) bool {
		switch k {
		case KernelPairs:
			return usePairs(n, bins)
		case KernelLanes, KernelScalar:
			return true
		}
		return false
	}
	if want != KernelAuto {
		if can(want) {
			return want
		}
		return KernelLanes
	}
	class := binsClass(bins)
	Calibrate(bins)
	for _, k := range calibrations[class].order {
		if can(k) {
			return k
		}
	}
	return KernelScalar
}
