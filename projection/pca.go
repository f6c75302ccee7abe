// SPDX-License-Identifier: Apache-2.0

package projection

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gonbviz/gonbviz/internal/backendsel"
)

// PCAOptions configures PCA. The zero value asks for 2 components in float64 on the
// backend gonbviz picks.
type PCAOptions struct {
	// Components is the number of principal components; default 2, at most the smaller
	// of the number of rows and of features.
	Components int
	// Backend computes the covariance and the products; default Backend(), the backend
	// gonbviz picks (XLA on a GPU or XLA's CPU plugin where installed, else pure Go),
	// created once per process.
	Backend compute.Backend
	// Float32 computes in float32: about twice as fast on XLA, components good to about
	// 1e-3 instead of 1e-8.
	Float32 bool
	// Seed seeds the random start of the subspace iteration (used when Components is
	// small next to the number of features).
	Seed uint64
	// Tolerance: the iteration stops when every component's residual ‖Cv − λv‖ is below
	// Tolerance times the largest eigenvalue; default 1e-10 (1e-6 with Float32).
	Tolerance float64
	// MaxIterations bounds the subspace iteration; default 500.
	MaxIterations int
}

// PCAResult is a fitted PCA, with the numbers scikit-learn's PCA calls components_,
// explained_variance_, explained_variance_ratio_ and mean_.
type PCAResult struct {
	// Components holds the principal axes, one unit vector of features per component,
	// by decreasing variance. The sign of each is fixed as scikit-learn fixes it
	// (svd_flip): its entry of largest magnitude is positive.
	Components [][]float64
	// ExplainedVariance is the variance along each component (divided by rows − 1).
	ExplainedVariance []float64
	// ExplainedVarianceRatio is ExplainedVariance over TotalVariance (0 when the data
	// has no variance at all).
	ExplainedVarianceRatio []float64
	// TotalVariance is the sum of the features' variances.
	TotalVariance float64
	// Mean holds each feature's mean.
	Mean []float64
	// Projections holds the rows projected on the components: one row of Components
	// values per input row (scikit-learn's fit_transform).
	Projections [][]float64
	// Iterations is the number of subspace iterations run; 0 when the eigenproblem was
	// solved directly (few features).
	Iterations int
	// Backend names the backend that computed it.
	Backend string
}

var (
	defaultOnce    sync.Once
	defaultBackend compute.Backend
	defaultErr     error
)

// Backend returns the backend gonbviz picks for its computations (the first call creates
// it; every call returns the same one): XLA on a GPU with a CUDA PJRT plugin, else XLA's
// CPU plugin, else pure Go; GOMLX_BACKEND overrides.
func Backend() (compute.Backend, error) {
	defaultOnce.Do(func() {
		defaultBackend, _, defaultErr = backendsel.New(backendsel.Default())
	})
	return defaultBackend, defaultErr
}

// matrix is a checked input: n rows of f values, row-major.
type matrix struct {
	n, f int
	rows [][]float64
}

func checkMatrix(what string, x [][]float64) (matrix, error) {
	if len(x) == 0 {
		return matrix{}, fmt.Errorf("%s: x has no rows; pass one row of features per point", what)
	}
	f := len(x[0])
	if f == 0 {
		return matrix{}, fmt.Errorf("%s: x[0] has no features", what)
	}
	for i, r := range x {
		if len(r) != f {
			return matrix{}, fmt.Errorf("%s: x[%d] has %d features, x[0] has %d; every row needs one value per feature", what, i, len(r), f)
		}
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return matrix{}, fmt.Errorf("%s: x[%d][%d] is %v; the features must be finite (drop or impute the row)", what, i, j, v)
			}
		}
	}
	return matrix{n: len(x), f: f, rows: x}, nil
}

// tensor copies m into a [n, f] tensor of float64 or float32.
func (m matrix) tensor(float32s bool) *tensors.Tensor {
	if float32s {
		flat := make([]float32, m.n*m.f)
		for i, r := range m.rows {
			for j, v := range r {
				flat[i*m.f+j] = float32(v)
			}
		}
		return tensors.FromFlatDataAndDimensions(flat, m.n, m.f)
	}
	flat := make([]float64, m.n*m.f)
	for i, r := range m.rows {
		copy(flat[i*m.f:], r)
	}
	return tensors.FromFlatDataAndDimensions(flat, m.n, m.f)
}

// The three graphs of PCA, compiled once per backend (and per shape by GoMLX).
type pcaExecs struct {
	cov, times, project *graph.Exec
}

var execCache sync.Map // compute.Backend -> *pcaExecs

func execsFor(b compute.Backend) (*pcaExecs, error) {
	if e, ok := execCache.Load(b); ok {
		return e.(*pcaExecs), nil
	}
	cov, err := graph.NewExec(b, func(x *graph.Node) (mean, cov, total *graph.Node) {
		n := x.Shape().Dimensions[0]
		mean = graph.ReduceMean(x, 0)
		xc := graph.Sub(x, graph.ExpandAxes(mean, 0))
		cov = graph.DivScalar(graph.Einsum("nf,ng->fg", xc, xc), float64(max(n-1, 1)))
		total = graph.DivScalar(graph.ReduceAllSum(graph.Square(xc)), float64(max(n-1, 1)))
		return
	})
	if err != nil {
		return nil, err
	}
	// times: rows of q times the (symmetric) covariance: (C qᵢ)ᵀ.
	times, err := graph.NewExec(b, func(c, q *graph.Node) *graph.Node {
		return graph.Einsum("lf,fg->lg", graph.ConvertDType(q, c.DType()), c)
	})
	if err != nil {
		return nil, err
	}
	project, err := graph.NewExec(b, func(x, mean, v *graph.Node) *graph.Node {
		xc := graph.Sub(x, graph.ExpandAxes(graph.ConvertDType(mean, x.DType()), 0))
		return graph.Einsum("nf,kf->nk", xc, graph.ConvertDType(v, x.DType()))
	})
	if err != nil {
		return nil, err
	}
	e, _ := execCache.LoadOrStore(b, &pcaExecs{cov: cov, times: times, project: project})
	return e.(*pcaExecs), nil
}

// PCA fits a principal component analysis of x (one row per point, one column per
// feature) and projects x on its components, as scikit-learn's
// PCA(n_components).fit_transform(x) does. The covariance and the products run on the
// GoMLX backend; the components come from its eigenvectors, found directly for few
// features and by subspace iteration with Rayleigh–Ritz otherwise.
func PCA(x [][]float64, opts PCAOptions) (res *PCAResult, err error) {
	const what = "projection.PCA"
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("%s: %v", what, r)
		}
	}()
	m, err := checkMatrix(what, x)
	if err != nil {
		return nil, err
	}
	k := opts.Components
	if k == 0 {
		k = 2
	}
	if k < 0 || k > min(m.n, m.f) {
		return nil, fmt.Errorf("%s: opts.Components is %d; x has %d rows of %d features, so pass 1..%d", what, opts.Components, m.n, m.f, min(m.n, m.f))
	}
	if m.n < 2 {
		return nil, fmt.Errorf("%s: x has 1 row; a variance needs at least 2", what)
	}
	b := opts.Backend
	if b == nil {
		if b, err = Backend(); err != nil {
			return nil, fmt.Errorf("%s: creating the backend: %w", what, err)
		}
	}
	ex, err := execsFor(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	xt := m.tensor(opts.Float32)
	defer xt.FinalizeAll()
	outs, err := ex.cov.Call(xt)
	if err != nil {
		return nil, fmt.Errorf("%s: the covariance: %w", what, err)
	}
	meanT, covT, totalT := outs[0], outs[1], outs[2]
	defer meanT.FinalizeAll()
	defer covT.FinalizeAll()
	res = &PCAResult{Backend: backendsel.Label(b)}
	if res.Mean, err = tensors.CopyFlatData[float64](asFloat64(meanT)); err != nil {
		return nil, err
	}
	total, err := tensors.CopyFlatData[float64](asFloat64(totalT))
	totalT.FinalizeAll()
	if err != nil {
		return nil, err
	}
	res.TotalVariance = total[0]

	tol := opts.Tolerance
	if tol <= 0 {
		tol = 1e-10
		if opts.Float32 {
			tol = 1e-6
		}
	}
	maxIter := opts.MaxIterations
	if maxIter <= 0 {
		maxIter = 500
	}
	f := m.f
	l := min(f, k+max(10, k))
	var vals []float64
	var vecs [][]float64
	if l == f || f <= 128 {
		c, err := tensors.CopyFlatData[float64](asFloat64(covT))
		if err != nil {
			return nil, err
		}
		symmetrize(c, f)
		vals, vecs = symEigen(c, f)
	} else {
		vals, vecs, res.Iterations, err = subspace(ex.times, covT, f, k, l, tol, maxIter, opts.Seed)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
	}
	res.Components = vecs[:k]
	for _, v := range res.Components {
		flipSign(v)
	}
	res.ExplainedVariance = make([]float64, k)
	res.ExplainedVarianceRatio = make([]float64, k)
	for i := range k {
		ev := max(vals[i], 0)
		res.ExplainedVariance[i] = ev
		if res.TotalVariance > 0 {
			res.ExplainedVarianceRatio[i] = ev / res.TotalVariance
		}
	}
	flatV := make([]float64, 0, k*f)
	for _, v := range res.Components {
		flatV = append(flatV, v...)
	}
	vt := tensors.FromFlatDataAndDimensions(flatV, k, f)
	defer vt.FinalizeAll()
	proj, err := ex.project.Call(xt, meanT, vt)
	if err != nil {
		return nil, fmt.Errorf("%s: the projection: %w", what, err)
	}
	flat, err := tensors.CopyFlatData[float64](asFloat64(proj[0]))
	proj[0].FinalizeAll()
	if err != nil {
		return nil, err
	}
	res.Projections = make([][]float64, m.n)
	for i := range res.Projections {
		res.Projections[i] = flat[i*k : (i+1)*k : (i+1)*k]
	}
	return res, nil
}

// asFloat64 returns t converted to float64 on the host when it is float32.
func asFloat64(t *tensors.Tensor) *tensors.Tensor {
	if t.DType() == dtypes.Float64 {
		return t
	}
	v, err := tensors.CopyFlatData[float32](t)
	if err != nil {
		panic(err)
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return tensors.FromFlatDataAndDimensions(out, t.Shape().Dimensions...)
}

func symmetrize(c []float64, f int) {
	for i := range f {
		for j := i + 1; j < f; j++ {
			m := (c[i*f+j] + c[j*f+i]) / 2
			c[i*f+j], c[j*f+i] = m, m
		}
	}
}

// flipSign makes v's entry of largest magnitude positive (scikit-learn's svd_flip with
// u_based_decision=False: the first such entry when there are ties).
func flipSign(v []float64) {
	best := 0
	for i, x := range v {
		if math.Abs(x) > math.Abs(v[best]) {
			best = i
		}
	}
	if v[best] < 0 {
		for i := range v {
			v[i] = -v[i]
		}
	}
}

// subspace finds the k leading eigenpairs of the f×f covariance covT (on the device) by
// subspace iteration on l ≥ k vectors, with a Rayleigh–Ritz step every few iterations
// that also checks the residuals.
func subspace(times *graph.Exec, covT *tensors.Tensor, f, k, l int, tol float64, maxIter int, seed uint64) (vals []float64, vecs [][]float64, iters int, err error) {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	fill := func(v []float64) {
		for i := range v {
			v[i] = rng.NormFloat64()
		}
	}
	q := make([]float64, l*f)
	fill(q)
	orthonormalize(q, l, f, fill)
	const ritzEvery = 4
	for it := 1; ; it++ {
		qt := tensors.FromFlatDataAndDimensions(q, l, f)
		zt, err := times.Call1(covT, qt)
		qt.FinalizeAll()
		if err != nil {
			return nil, nil, it, fmt.Errorf("the subspace iteration: %w", err)
		}
		z, err := tensors.CopyFlatData[float64](asFloat64(zt))
		zt.FinalizeAll()
		if err != nil {
			return nil, nil, it, err
		}
		if it%ritzEvery != 0 && it < maxIter {
			q = z
			orthonormalize(q, l, f, fill)
			continue
		}
		// Rayleigh–Ritz: B = Qᵀ C Q, l×l.
		bm := make([]float64, l*l)
		parallelFor(l, func(i int) {
			for j := range l {
				bm[i*l+j] = dot(q[i*f:(i+1)*f], z[j*f:(j+1)*f])
			}
		})
		symmetrize(bm, l)
		theta, w := symEigen(bm, l)
		v := make([]float64, l*f)  // Ritz vectors
		cv := make([]float64, l*f) // C times them
		parallelFor(l, func(r int) {
			vr, cvr := v[r*f:(r+1)*f], cv[r*f:(r+1)*f]
			for j, wj := range w[r] {
				qj, zj := q[j*f:(j+1)*f], z[j*f:(j+1)*f]
				for t := range f {
					vr[t] += wj * qj[t]
					cvr[t] += wj * zj[t]
				}
			}
		})
		worst := 0.0
		scale := math.Abs(theta[0])
		for r := range k {
			res := 0.0
			for t := range f {
				d := cv[r*f+t] - theta[r]*v[r*f+t]
				res += d * d
			}
			worst = max(worst, math.Sqrt(res))
		}
		if worst <= tol*scale || scale == 0 || it >= maxIter {
			vecs = make([][]float64, k)
			for r := range k {
				vecs[r] = v[r*f : (r+1)*f : (r+1)*f]
			}
			return theta[:k], vecs, it, nil
		}
		q = cv
		orthonormalize(q, l, f, fill)
	}
}

// parallelFor runs f(0..n-1) on GOMAXPROCS goroutines, each taking a contiguous share.
func parallelFor(n int, f func(i int)) {
	parallelRange(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			f(i)
		}
	})
}
