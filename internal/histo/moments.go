// SPDX-License-Identifier: Apache-2.0

package histo

// Moments returns the sum and the sum of squares of the finite values of v (NaN and ±Inf
// are skipped), in float64: the terms of a mean, a standard deviation and a norm. float32
// values go 8 at a time through the vector loop where there is one (GOEXPERIMENT=simd on
// AVX2); the scalar loop keeps two sums of each, so that it does not wait on every add.
func Moments[T Float](v []T) (sum, sumSq float64) {
	var s, q [2][4]float64
	var s0, s1, q0, q1 float64
	i := 0
	if f, ok := any(v).([]float32); ok && useSIMD {
		for i < len(v) {
			i += simdMoments(f[i:], &s, &q)
			// The block that stopped the vector loop (or the tail) goes through the
			// scalar code.
			for end := min(i+8, len(v)); i < end; i++ {
				if x := float64(v[i]); x-x == 0 {
					s0 += x
					q0 += x * x
				}
			}
		}
	}
	for ; i+2 <= len(v); i += 2 {
		a, b := float64(v[i]), float64(v[i+1])
		if a-a != 0 || b-b != 0 { // NaN or ±Inf, rare: a branch, not arithmetic
			if a-a != 0 {
				a = 0
			}
			if b-b != 0 {
				b = 0
			}
		}
		s0 += a
		q0 += a * a
		s1 += b
		q1 += b * b
	}
	for ; i < len(v); i++ {
		if x := float64(v[i]); x-x == 0 {
			s0 += x
			q0 += x * x
		}
	}
	for k := range 4 {
		s0 += s[0][k] + s[1][k]
		q0 += q[0][k] + q[1][k]
	}
	return s0 + s1, q0 + q1
}
