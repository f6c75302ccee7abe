// SPDX-License-Identifier: Apache-2.0

//go:build goexperiment.simd

package histofloor

import "simd/archsimd"

// useSIMD says whether the float32 vector loop may run (AVX2 machines), as in histo.
var useSIMD = archsimd.X86.AVX2()

// simdSum returns the sum of the leading multiple of 32 values of v and how many
// that is: Read's vector loop, four accumulators of 8 lanes.
func simdSum(v []float32) (sum float32, done int) {
	var a0, a1, a2, a3 archsimd.Float32x8
	i := 0
	for ; i+32 <= len(v); i += 32 {
		w := v[i : i+32 : i+32]
		a0 = a0.Add(archsimd.LoadFloat32x8Slice(w[0:8]))
		a1 = a1.Add(archsimd.LoadFloat32x8Slice(w[8:16]))
		a2 = a2.Add(archsimd.LoadFloat32x8Slice(w[16:24]))
		a3 = a3.Add(archsimd.LoadFloat32x8Slice(w[24:32]))
	}
	var o [8]float32
	a0.Add(a1).Add(a2.Add(a3)).Store(&o)
	for _, x := range o {
		sum += x
	}
	return sum, i
}
