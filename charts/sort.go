// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"math"
	"slices"
)

// sortFloats sorts values without NaN ascending. Long slices take a radix sort on the
// bits of the values (11 bits a pass, passes where every value has the same digit
// skipped): about 6x faster than slices.Sort on a million values, which matters for the
// feature charts, which sort every column of every split. -0 sorts before +0.
func sortFloats(v []float64) {
	if len(v) < 1<<12 {
		slices.Sort(v)
		return
	}
	const (
		bits    = 11
		buckets = 1 << bits
		passes  = (64 + bits - 1) / bits
	)
	n := len(v)
	a, b := make([]uint64, n), make([]uint64, n)
	var counts [passes][buckets]int
	for i, f := range v {
		k := floatKey(f)
		a[i] = k
		for p := range passes {
			counts[p][(k>>(p*bits))&(buckets-1)]++
		}
	}
	for p := range passes {
		c := &counts[p]
		shift := p * bits
		if c[(a[0]>>shift)&(buckets-1)] == n {
			continue // one digit for all: nothing to move
		}
		sum := 0
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for _, k := range a {
			d := (k >> shift) & (buckets - 1)
			b[c[d]] = k
			c[d]++
		}
		a, b = b, a
	}
	for i, k := range a {
		v[i] = keyFloat(k)
	}
}

// floatKey maps a float64 to a uint64 of the same order: negative values have their bits
// flipped, positive ones their sign bit set.
func floatKey(f float64) uint64 {
	b := math.Float64bits(f)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

func keyFloat(k uint64) float64 {
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}
