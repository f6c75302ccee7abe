// SPDX-License-Identifier: Apache-2.0

package projection

import (
	"math"
	"sort"
)

// symEigen returns the eigenvalues of the symmetric n×n matrix a (row-major, destroyed),
// largest first, and the eigenvectors as the rows of vecs (vecs[i] goes with vals[i]). It
// is the cyclic Jacobi method: slow for large n (about 10 n³ multiplications), exact to
// rounding for the small matrices PCA hands it (the covariance of few features, or the
// Rayleigh–Ritz matrix of the subspace iteration).
func symEigen(a []float64, n int) (vals []float64, vecs [][]float64) {
	v := make([]float64, n*n)
	for i := range n {
		v[i*n+i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		off, diag := 0.0, 0.0
		for i := range n {
			diag += a[i*n+i] * a[i*n+i]
			for j := i + 1; j < n; j++ {
				off += a[i*n+j] * a[i*n+j]
			}
		}
		if off <= 1e-30*diag || off == 0 {
			break
		}
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				apq := a[p*n+q]
				if apq == 0 {
					continue
				}
				app, aqq := a[p*n+p], a[q*n+q]
				theta := (aqq - app) / (2 * apq)
				t := 1 / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				if theta < 0 {
					t = -t
				}
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				// Rotate rows and columns p and q of a (kept symmetric).
				for k := range n {
					akp, akq := a[k*n+p], a[k*n+q]
					a[k*n+p] = c*akp - s*akq
					a[k*n+q] = s*akp + c*akq
				}
				for k := range n {
					apk, aqk := a[p*n+k], a[q*n+k]
					a[p*n+k] = c*apk - s*aqk
					a[q*n+k] = s*apk + c*aqk
				}
				a[p*n+q], a[q*n+p] = 0, 0
				// The eigenvectors are the columns of v.
				for k := range n {
					vkp, vkq := v[k*n+p], v[k*n+q]
					v[k*n+p] = c*vkp - s*vkq
					v[k*n+q] = s*vkp + c*vkq
				}
			}
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return a[order[x]*n+order[x]] > a[order[y]*n+order[y]] })
	vals = make([]float64, n)
	vecs = make([][]float64, n)
	for r, i := range order {
		vals[r] = a[i*n+i]
		col := make([]float64, n)
		for k := range n {
			col[k] = v[k*n+i]
		}
		vecs[r] = col
	}
	return vals, vecs
}

// orthonormalize turns the vectors q[i*dim:(i+1)*dim], i < count, into an orthonormal
// basis of their span, in place: modified Gram–Schmidt, twice for accuracy. A vector that
// vanishes (dependent on the earlier ones) is replaced by one that fill draws, made
// orthogonal to the others.
func orthonormalize(q []float64, count, dim int, fill func(v []float64)) {
	for j := range count {
		v := q[j*dim : (j+1)*dim]
		norm0 := norm(v)
		for attempt := 0; ; attempt++ {
			for pass := 0; pass < 2; pass++ {
				for i := range j {
					u := q[i*dim : (i+1)*dim]
					d := dot(u, v)
					for k := range v {
						v[k] -= d * u[k]
					}
				}
			}
			nrm := norm(v)
			if nrm > 1e-10*norm0 && nrm > 0 || attempt == 3 {
				for k := range v {
					v[k] /= nrm
				}
				break
			}
			fill(v)
			norm0 = norm(v)
		}
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for k, x := range a {
		s += x * b[k]
	}
	return s
}

func norm(v []float64) float64 { return math.Sqrt(dot(v, v)) }
