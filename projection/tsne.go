// SPDX-License-Identifier: Apache-2.0

package projection

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/gomlx/compute"
)

// TSNE methods.
const (
	MethodAuto      = ""           // exact below ExactBelow points, Barnes–Hut from there
	MethodExact     = "exact"      // every pair, O(n²) per iteration
	MethodBarnesHut = "barnes-hut" // nearest neighbours and a quadtree, O(n log n)
)

// ExactBelow is the number of points from which MethodAuto switches from the exact
// gradient to Barnes–Hut. The exact gradient costs n² per iteration, Barnes–Hut about
// n log n: on the digits, with 2 cores, exact took 1.8x as long as Barnes–Hut at 500
// points and 8x at 1,797, for a KL divergence lower by 1-5%.
const ExactBelow = 1000

// exactBands is the most row bands the exact gradient is split into.
const exactBands = 16

// TSNEOptions configures TSNE. The zero value is scikit-learn's TSNE() (2-D).
type TSNEOptions struct {
	// Perplexity, the effective number of neighbours each point keeps; default 30. It
	// must be below the number of points.
	Perplexity float64
	// Iterations of gradient descent, the first 250 with early exaggeration; default
	// 1000, at least 250.
	Iterations int
	// EarlyExaggeration multiplies the affinities during the first 250 iterations;
	// default 12.
	EarlyExaggeration float64
	// LearningRate; default scikit-learn's "auto": max(points / EarlyExaggeration / 4, 50).
	LearningRate float64
	// Angle is Barnes–Hut's θ: a cell of the quadtree seen under a smaller angle than
	// this counts as one point; default 0.5.
	Angle float64
	// Method: MethodAuto (default), MethodExact or MethodBarnesHut.
	Method string
	// Init is the starting layout, one [x, y] per point: the previous step's layout, so
	// that layouts of the same points over training stay aligned. Default: the first two
	// principal components scaled to a standard deviation of 1e-4 (scikit-learn's
	// init="pca").
	Init [][]float64
	// Seed seeds the PCA of the default Init. The same input, options and seed give the
	// same layout, on any number of cores.
	Seed uint64
	// Backend computes the PCA of the default Init; default Backend().
	Backend compute.Backend
}

// TSNEResult is a t-SNE layout.
type TSNEResult struct {
	// Embedding holds one [x, y] per input row.
	Embedding [][]float64
	// KL is the Kullback–Leibler divergence of the layout's affinities from the input's
	// (scikit-learn's kl_divergence_).
	KL float64
	// Method is the method used: MethodExact or MethodBarnesHut.
	Method string
}

const (
	exploration   = 250 // iterations with early exaggeration, momentum 0.5
	minGain       = 0.01
	machineEps    = 2.220446049250313e-16
	perplexityTol = 1e-5
)

// TSNE lays x's rows (points) out in 2-D with t-SNE, as scikit-learn's
// TSNE(perplexity, early_exaggeration, learning_rate="auto", max_iter, init="pca",
// method, angle).fit_transform(x) does: Gaussian affinities of each point's
// neighbours (3 × perplexity of them with Barnes–Hut) tuned to the perplexity, then
// gradient descent with momentum and gains on the Kullback–Leibler divergence from
// Student-t affinities of the layout. The exact gradient is used below ExactBelow
// points, Barnes–Hut (quadtree) from there; both spread over all cores.
func TSNE(x [][]float64, opts TSNEOptions) (*TSNEResult, error) {
	const what = "projection.TSNE"
	m, err := checkMatrix(what, x)
	if err != nil {
		return nil, err
	}
	n := m.n
	o := opts
	if o.Perplexity == 0 {
		o.Perplexity = 30
	}
	if o.Iterations == 0 {
		o.Iterations = 1000
	}
	if o.EarlyExaggeration == 0 {
		o.EarlyExaggeration = 12
	}
	if o.Angle == 0 {
		o.Angle = 0.5
	}
	switch {
	case n < 2:
		return nil, fmt.Errorf("%s: x has %d row; t-SNE needs at least 2 points", what, n)
	case o.Perplexity <= 0 || o.Perplexity >= float64(n):
		return nil, fmt.Errorf("%s: opts.Perplexity is %g; it must be positive and below the number of points, %d", what, o.Perplexity, n)
	case o.Iterations < exploration:
		return nil, fmt.Errorf("%s: opts.Iterations is %d; pass at least %d (the early exaggeration phase)", what, o.Iterations, exploration)
	case o.EarlyExaggeration < 1:
		return nil, fmt.Errorf("%s: opts.EarlyExaggeration is %g; pass 1 or more", what, o.EarlyExaggeration)
	case o.LearningRate < 0:
		return nil, fmt.Errorf("%s: opts.LearningRate is %g; pass a positive rate, or 0 for scikit-learn's auto", what, o.LearningRate)
	case o.Angle < 0 || o.Angle > 1:
		return nil, fmt.Errorf("%s: opts.Angle is %g; pass a value in (0, 1], default 0.5", what, o.Angle)
	}
	if o.LearningRate == 0 {
		o.LearningRate = max(float64(n)/o.EarlyExaggeration/4, 50)
	}
	method := o.Method
	switch method {
	case MethodAuto:
		method = MethodBarnesHut
		if n < ExactBelow {
			method = MethodExact
		}
	case MethodExact, MethodBarnesHut:
	default:
		return nil, fmt.Errorf("%s: opts.Method is %q; pass %q, %q or %q (auto)", what, o.Method, MethodExact, MethodBarnesHut, MethodAuto)
	}

	y := make([]float64, 2*n)
	if o.Init != nil {
		if len(o.Init) != n {
			return nil, fmt.Errorf("%s: opts.Init has %d points for %d rows of x; pass one [x, y] per row", what, len(o.Init), n)
		}
		for i, p := range o.Init {
			if len(p) != 2 || !finiteAll(p) {
				return nil, fmt.Errorf("%s: opts.Init[%d] is %v; want two finite coordinates", what, i, p)
			}
			y[2*i], y[2*i+1] = p[0], p[1]
		}
	} else {
		pca, err := PCA(x, PCAOptions{Components: 2, Backend: o.Backend, Seed: o.Seed})
		if err != nil {
			return nil, fmt.Errorf("%s: the PCA initialisation: %w", what, err)
		}
		// Rounded to float32, as scikit-learn does: the backend's last bits vary (XLA's
		// reductions with the inputs' memory alignment), and t-SNE would amplify them.
		for _, p := range pca.Projections {
			p[0], p[1] = float64(float32(p[0])), float64(float32(p[1]))
		}
		sd := stddev(pca.Projections)
		if sd == 0 {
			sd = 1
		}
		for i, p := range pca.Projections {
			y[2*i], y[2*i+1] = p[0]/sd*1e-4, p[1]/sd*1e-4
		}
	}

	var grad func(y, g []float64, exaggeration float64)
	var kl func(y []float64) float64
	if method == MethodExact {
		p := exactAffinities(m, o.Perplexity)
		grad = func(y, g []float64, ex float64) { exactGradient(p, n, y, g, ex) }
		kl = func(y []float64) float64 { return exactKL(p, n, y) }
	} else {
		k := min(n-1, int(3*o.Perplexity+1))
		p := sparseAffinities(m, k, o.Perplexity)
		bh := &barnesHut{n: n, p: p, theta2: o.Angle * o.Angle}
		grad = bh.gradient
		kl = bh.kl
	}
	descend(y, grad, 0, exploration, 0.5, o.LearningRate, o.EarlyExaggeration)
	descend(y, grad, exploration, o.Iterations, 0.8, o.LearningRate, 1)
	res := &TSNEResult{Embedding: make([][]float64, n), KL: kl(y), Method: method}
	for i := range n {
		res.Embedding[i] = y[2*i : 2*i+2 : 2*i+2]
	}
	return res, nil
}

// descend runs iterations from..to-1 of gradient descent with momentum and gains
// (scikit-learn's _gradient_descent, update and gains starting afresh).
func descend(y []float64, grad func(y, g []float64, ex float64), from, to int, momentum, rate, ex float64) {
	g := make([]float64, len(y))
	update := make([]float64, len(y))
	gains := make([]float64, len(y))
	for i := range gains {
		gains[i] = 1
	}
	for it := from; it < to; it++ {
		grad(y, g, ex)
		for i := range y {
			if update[i]*g[i] < 0 {
				gains[i] += 0.2
			} else {
				gains[i] = max(gains[i]*0.8, minGain)
			}
			update[i] = momentum*update[i] - rate*gains[i]*g[i]
			y[i] += update[i]
		}
	}
}

func finiteAll(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// stddev is the standard deviation (population) of the first column of rows.
func stddev(rows [][]float64) float64 {
	mean := 0.0
	for _, r := range rows {
		mean += r[0]
	}
	mean /= float64(len(rows))
	s := 0.0
	for _, r := range rows {
		s += (r[0] - mean) * (r[0] - mean)
	}
	return math.Sqrt(s / float64(len(rows)))
}

// sqNorms returns each row's squared norm.
func sqNorms(m matrix) []float64 {
	out := make([]float64, m.n)
	for i, r := range m.rows {
		out[i] = dot(r, r)
	}
	return out
}

// sqDist is the squared distance of rows i and j from their dot product and norms
// (never below 0).
func sqDist(m matrix, norms []float64, i, j int) float64 {
	return max(norms[i]+norms[j]-2*dot4(m.rows[i], m.rows[j]), 0)
}

// dot4 is a dot product unrolled by four.
func dot4(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	k := 0
	for ; k+4 <= len(a); k += 4 {
		s0 += a[k] * b[k]
		s1 += a[k+1] * b[k+1]
		s2 += a[k+2] * b[k+2]
		s3 += a[k+3] * b[k+3]
	}
	for ; k < len(a); k++ {
		s0 += a[k] * b[k]
	}
	return (s0 + s1) + (s2 + s3)
}

// conditional sets p to the Gaussian affinities of one point to its neighbours at
// squared distances d, with the precision found by bisection so that their entropy is
// log(perplexity) (scikit-learn's _binary_search_perplexity, the same steps).
func conditional(d, p []float64, perplexity float64) {
	desired := math.Log(perplexity)
	betaMin, betaMax, beta := math.Inf(-1), math.Inf(1), 1.0
	for range 100 {
		sum := 0.0
		for j, dj := range d {
			p[j] = math.Exp(-dj * beta)
			sum += p[j]
		}
		if sum == 0 {
			sum = 1e-8
		}
		sumDP := 0.0
		for j, dj := range d {
			p[j] /= sum
			sumDP += dj * p[j]
		}
		diff := math.Log(sum) + beta*sumDP - desired
		if math.Abs(diff) <= perplexityTol {
			return
		}
		if diff > 0 {
			betaMin = beta
			if math.IsInf(betaMax, 1) {
				beta *= 2
			} else {
				beta = (beta + betaMax) / 2
			}
		} else {
			betaMax = beta
			if math.IsInf(betaMin, -1) {
				beta /= 2
			} else {
				beta = (beta + betaMin) / 2
			}
		}
	}
}

// exactAffinities returns the joint affinities P of every pair, n×n row-major,
// symmetric, summing to 1, floored at machine epsilon (scikit-learn's
// _joint_probabilities).
func exactAffinities(m matrix, perplexity float64) []float64 {
	n := m.n
	norms := sqNorms(m)
	cond := make([]float64, n*n)
	parallelRange(n, func(lo, hi int) {
		d := make([]float64, n-1)
		p := make([]float64, n-1)
		for i := lo; i < hi; i++ {
			for j, k := 0, 0; j < n; j++ {
				if j != i {
					d[k] = sqDist(m, norms, i, j)
					k++
				}
			}
			conditional(d, p, perplexity)
			row := cond[i*n : (i+1)*n]
			for j, k := 0, 0; j < n; j++ {
				if j != i {
					row[j] = p[k]
					k++
				}
			}
		}
	})
	sum := 0.0
	for i := range n {
		for j := range i {
			s := cond[i*n+j] + cond[j*n+i]
			cond[i*n+j], cond[j*n+i] = s, s
			sum += 2 * s
		}
	}
	sum = max(sum, machineEps)
	for i := range n {
		for j := range n {
			if i != j {
				cond[i*n+j] = max(cond[i*n+j]/sum, machineEps)
			}
		}
		cond[i*n+i] = 0
	}
	return cond
}

// exactGradient sets g to the gradient of the KL divergence at layout y, every pair
// computed: gᵢ = 4 Σⱼ (ex·Pᵢⱼ − wᵢⱼ/Z) wᵢⱼ (yᵢ − yⱼ), wᵢⱼ = 1/(1+|yᵢ−yⱼ|²), Z = Σ wᵢⱼ.
// One pass over the pairs i < j, each counted for both points (the attraction and the
// repulsion summed apart, Z applied after); each goroutine sums into its own arrays, a
// band of rows with as many pairs as the others', added up in a fixed order.
func exactGradient(p []float64, n int, y, g []float64, ex float64) {
	// The bands depend on n alone, not on the cores, so the sums come out the same.
	bands := min(exactBands, max(n/64, 1))
	type sums struct {
		z        float64
		att, rep []float64
	}
	parts := make([]sums, bands)
	// Band b starts where the pairs before it are b/bands of all: row i has n-1-i
	// pairs (j > i).
	bounds := make([]int, bands+1)
	total, acc, b := n*(n-1)/2, 0, 1
	for i := 0; i < n && b < bands; i++ {
		acc += n - 1 - i
		if acc*bands >= b*total {
			bounds[b] = i + 1
			b++
		}
	}
	for ; b <= bands; b++ {
		bounds[b] = n
	}
	parallelFor(bands, func(b int) {
		att, rep := make([]float64, 2*n), make([]float64, 2*n)
		z := 0.0
		for i := bounds[b]; i < bounds[b+1]; i++ {
			yi0, yi1 := y[2*i], y[2*i+1]
			var a0, a1, r0, r1 float64
			row := p[i*n : (i+1)*n]
			for j := i + 1; j < n; j++ {
				d0, d1 := yi0-y[2*j], yi1-y[2*j+1]
				q := 1 / (1 + d0*d0 + d1*d1)
				z += q
				pq := row[j] * q
				qq := q * q
				ad0, ad1 := pq*d0, pq*d1
				rd0, rd1 := qq*d0, qq*d1
				a0 += ad0
				a1 += ad1
				r0 += rd0
				r1 += rd1
				att[2*j] -= ad0
				att[2*j+1] -= ad1
				rep[2*j] -= rd0
				rep[2*j+1] -= rd1
			}
			att[2*i] += a0
			att[2*i+1] += a1
			rep[2*i] += r0
			rep[2*i+1] += r1
		}
		parts[b] = sums{2 * z, att, rep}
	})
	z := 0.0
	for _, part := range parts {
		z += part.z
	}
	for k := range g {
		var a, r float64
		for _, part := range parts {
			a += part.att[k]
			r += part.rep[k]
		}
		g[k] = 4 * (ex*a - r/z)
	}
}

// exactKL is the KL divergence of the layout's affinities Q from P.
func exactKL(p []float64, n int, y []float64) float64 {
	z := 0.0
	w := make([]float64, n*n)
	for i := range n {
		for j := range n {
			if i != j {
				d0, d1 := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
				w[i*n+j] = 1 / (1 + d0*d0 + d1*d1)
				z += w[i*n+j]
			}
		}
	}
	kl := 0.0
	for i := range n {
		for j := range n {
			if i != j {
				pij := p[i*n+j]
				kl += pij * math.Log(max(pij, machineEps)/max(w[i*n+j]/z, machineEps))
			}
		}
	}
	return kl
}

// csr is a sparse symmetric matrix by rows.
type csr struct {
	start []int // row i is cols/vals[start[i]:start[i+1]]
	cols  []int32
	vals  []float64
}

// neighbours returns, for each row, the k nearest other rows and their squared
// distances, nearest first (ties by index): brute force on all cores.
func neighbours(m matrix, k int) (idx [][]int32, dist [][]float64) {
	n := m.n
	norms := sqNorms(m)
	idx = make([][]int32, n)
	dist = make([][]float64, n)
	parallelFor(n, func(i int) {
		h := newMaxHeap(k)
		for j := range n {
			if j != i {
				h.offer(sqDist(m, norms, i, j), int32(j))
			}
		}
		idx[i], dist[i] = h.sorted()
	})
	return idx, dist
}

// sparseAffinities returns the joint affinities of each point's k nearest neighbours,
// symmetrised and normalised to sum 1 (scikit-learn's _joint_probabilities_nn).
func sparseAffinities(m matrix, k int, perplexity float64) csr {
	n := m.n
	idx, dist := neighbours(m, k)
	cond := make([][]float64, n)
	parallelRange(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			cond[i] = make([]float64, k)
			conditional(dist[i], cond[i], perplexity)
		}
	})
	// P + Pᵀ: each row gathers its own entries and those pointing at it.
	type entry struct {
		col int32
		v   float64
	}
	rows := make([][]entry, n)
	for i := range n {
		for t, j := range idx[i] {
			rows[i] = append(rows[i], entry{j, cond[i][t]})
			rows[j] = append(rows[j], entry{int32(i), cond[i][t]})
		}
	}
	var out csr
	out.start = make([]int, n+1)
	sum := 0.0
	for i, r := range rows {
		sort.Slice(r, func(a, b int) bool { return r[a].col < r[b].col })
		for t := 0; t < len(r); {
			c, v := r[t].col, 0.0
			for ; t < len(r) && r[t].col == c; t++ {
				v += r[t].v
			}
			out.cols = append(out.cols, c)
			out.vals = append(out.vals, v)
			sum += v
		}
		out.start[i+1] = len(out.cols)
	}
	sum = max(sum, machineEps)
	for t := range out.vals {
		out.vals[t] /= sum
	}
	return out
}

// maxHeap keeps the k smallest distances offered.
type maxHeap struct {
	k   int
	d   []float64
	idx []int32
}

func newMaxHeap(k int) *maxHeap {
	return &maxHeap{k: k, d: make([]float64, 0, k), idx: make([]int32, 0, k)}
}

// less orders by distance, then index, so that ties resolve the same way every time.
func (h *maxHeap) greater(a, b int) bool {
	return h.d[a] > h.d[b] || h.d[a] == h.d[b] && h.idx[a] > h.idx[b]
}

func (h *maxHeap) offer(d float64, j int32) {
	if len(h.d) < h.k {
		h.d = append(h.d, d)
		h.idx = append(h.idx, j)
		for c := len(h.d) - 1; c > 0; {
			p := (c - 1) / 2
			if !h.greater(c, p) {
				break
			}
			h.swap(c, p)
			c = p
		}
		return
	}
	if d > h.d[0] || d == h.d[0] && j > h.idx[0] {
		return
	}
	h.d[0], h.idx[0] = d, j
	for p := 0; ; {
		c := 2*p + 1
		if c >= len(h.d) {
			break
		}
		if c+1 < len(h.d) && h.greater(c+1, c) {
			c++
		}
		if !h.greater(c, p) {
			break
		}
		h.swap(c, p)
		p = c
	}
}

func (h *maxHeap) swap(a, b int) {
	h.d[a], h.d[b] = h.d[b], h.d[a]
	h.idx[a], h.idx[b] = h.idx[b], h.idx[a]
}

// sorted returns the kept entries, nearest first.
func (h *maxHeap) sorted() ([]int32, []float64) {
	order := make([]int, len(h.d))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if h.greater(a, b) {
			return 1
		}
		if h.greater(b, a) {
			return -1
		}
		return 0
	})
	idx := make([]int32, len(order))
	d := make([]float64, len(order))
	for t, o := range order {
		idx[t], d[t] = h.idx[o], h.d[o]
	}
	return idx, d
}
