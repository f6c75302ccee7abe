// SPDX-License-Identifier: Apache-2.0

//go:build !goexperiment.simd || !amd64

package histo

import "math"

// Without GOEXPERIMENT=simd on amd64, the scalar loops do all the work.
const useSIMD = false

func simdMinMax(v []float32) (mn, mx float32, done int, clean bool) { return 0, 0, 0, false }

func simdBin(v []float32, lo, hi, scale float64, last int, c0, c1, c2, c3 []int64, track bool) (done int, mn, mx float64) {
	return 0, math.Inf(1), math.Inf(-1)
}

func simdBinSmall(v []float32, lo, hi, scale float64, last int, c *[smallTables][smallStride]int64, track bool) (done int, mn, mx float64) {
	return 0, math.Inf(1), math.Inf(-1)
}

func simdBinPairs(v []float32, lo, hi, scale float64, last int, shift uint8, t *pairTable, track bool) (done int, mn, mx float64) {
	return 0, math.Inf(1), math.Inf(-1)
}

func simdMoments(v []float32, s, q *[2][4]float64) int { return 0 }
