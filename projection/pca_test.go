// SPDX-License-Identifier: Apache-2.0

package projection_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"

	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/internal/digits"
	"github.com/gonbviz/gonbviz/internal/testing/pyref"
	"github.com/gonbviz/gonbviz/projection"
)

// digitsRows is the UCI digits data (1797 images of 8x8 pixels in [0, 1]) as float64
// rows, and the labels.
func digitsRows(t testing.TB) ([][]float64, []int) {
	t.Helper()
	set, err := digits.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set.Float64Rows(), set.Labels
}

// upsampled turns the 8x8 digits into side×side images by bilinear interpolation, a
// wider problem (side² features) with the same structure, for the subspace iteration.
func upsampled(rows [][]float64, side int) [][]float64 {
	out := make([][]float64, len(rows))
	for i, r := range rows {
		o := make([]float64, side*side)
		for y := range side {
			fy := float64(y) * 7 / float64(side-1)
			y0 := min(int(fy), 6)
			ty := fy - float64(y0)
			for x := range side {
				fx := float64(x) * 7 / float64(side-1)
				x0 := min(int(fx), 6)
				tx := fx - float64(x0)
				p := func(yy, xx int) float64 { return r[yy*8+xx] }
				o[y*side+x] = (1-ty)*((1-tx)*p(y0, x0)+tx*p(y0, x0+1)) + ty*((1-tx)*p(y0+1, x0)+tx*p(y0+1, x0+1))
			}
		}
		out[i] = o
	}
	return out
}

// backends lists the backends to test on: pure Go, and XLA's CPU plugin where installed.
func backends(t *testing.T) map[string]compute.Backend {
	t.Helper()
	out := map[string]compute.Backend{}
	g, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	out["go"] = g
	if c := backendsel.CPU(); c.Kind == backendsel.KindXLACPU {
		if b, used, err := backendsel.New(c); err == nil && used.Kind == backendsel.KindXLACPU {
			out["xla-cpu"] = b
		}
	}
	return out
}

type sklearnPCA struct {
	Components [][]float64 `json:"components"`
	Variance   []float64   `json:"variance"`
	Ratio      []float64   `json:"ratio"`
	Mean       []float64   `json:"mean"`
	Projection [][]float64 `json:"projection"`
}

const pcaScript = `
import json, sys
import numpy as np
from sklearn.decomposition import PCA
d = json.load(sys.stdin)
x = np.array(d["x"], dtype=np.float64)
p = PCA(n_components=d["k"], svd_solver="full")
y = p.fit_transform(x)
print(json.dumps({"components": p.components_.tolist(), "variance": p.explained_variance_.tolist(),
    "ratio": p.explained_variance_ratio_.tolist(), "mean": p.mean_.tolist(), "projection": y.tolist()}))
`

// TestPCAMatchesScikitLearn: components (up to sign, though the sign convention is the
// same), explained variance and its ratio, mean and projections equal scikit-learn's PCA
// within 1e-4, on the digits (64 features: the direct eigensolver) and on the digits
// upsampled to 20x20 (400 features: the subspace iteration), on every backend present.
func TestPCAMatchesScikitLearn(t *testing.T) {
	rows, _ := digitsRows(t)
	cases := []struct {
		name string
		x    [][]float64
		k    int
	}{
		{"digits 1797x64", rows, 10},
		{"digits 20x20 1797x400", upsampled(rows, 20), 12},
	}
	for _, c := range cases {
		var want sklearnPCA
		pyref.Run(t, pcaScript, map[string]any{"x": c.x, "k": c.k}, &want)
		for name, b := range backends(t) {
			t.Run(c.name+"/"+name, func(t *testing.T) {
				got, err := projection.PCA(c.x, projection.PCAOptions{Components: c.k, Backend: b})
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%d subspace iterations on %s", got.Iterations, got.Backend)
				for i := range c.k {
					sign := 1.0
					if dotp(got.Components[i], want.Components[i]) < 0 {
						sign = -1
						t.Errorf("component %d has the opposite sign of scikit-learn's", i)
					}
					for j := range got.Components[i] {
						if d := math.Abs(sign*got.Components[i][j] - want.Components[i][j]); d > 1e-4 {
							t.Fatalf("component %d [%d] = %g, scikit-learn %g", i, j, sign*got.Components[i][j], want.Components[i][j])
						}
					}
					near(t, "explained variance", i, got.ExplainedVariance[i], want.Variance[i], 1e-4)
					near(t, "explained variance ratio", i, got.ExplainedVarianceRatio[i], want.Ratio[i], 1e-4)
				}
				for j := range got.Mean {
					near(t, "mean", j, got.Mean[j], want.Mean[j], 1e-9)
				}
				for r := range got.Projections {
					for i := range c.k {
						near(t, "projection", r*c.k+i, got.Projections[r][i], want.Projection[r][i], 1e-4)
					}
				}
			})
		}
	}
}

// TestPCAFloat32 is the float32 mode: the same components within 1e-3.
func TestPCAFloat32(t *testing.T) {
	rows, _ := digitsRows(t)
	want, err := projection.PCA(rows, projection.PCAOptions{Components: 5})
	if err != nil {
		t.Fatal(err)
	}
	got, err := projection.PCA(rows, projection.PCAOptions{Components: 5, Float32: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		for j := range got.Components[i] {
			if d := math.Abs(got.Components[i][j] - want.Components[i][j]); d > 1e-3 {
				t.Fatalf("float32 component %d [%d] = %g, float64 %g", i, j, got.Components[i][j], want.Components[i][j])
			}
		}
	}
}

func TestPCAErrors(t *testing.T) {
	cases := []struct {
		x    [][]float64
		opts projection.PCAOptions
		want string
	}{
		{nil, projection.PCAOptions{}, "x has no rows"},
		{[][]float64{{1, 2}, {3}}, projection.PCAOptions{}, "x[1] has 1 features, x[0] has 2"},
		{[][]float64{{1, 2}, {3, math.NaN()}}, projection.PCAOptions{}, "x[1][1] is NaN"},
		{[][]float64{{1, 2}, {3, 4}}, projection.PCAOptions{Components: 3}, "opts.Components is 3"},
		{[][]float64{{1, 2}}, projection.PCAOptions{Components: 1}, "1 row"},
	}
	for _, c := range cases {
		_, err := projection.PCA(c.x, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("PCA(%v): error %v, want one containing %q", c.x, err, c.want)
		}
	}
}

// TestPCAConstantFeatures: constant features (no variance) and constant data give
// finite numbers, no division by zero.
func TestPCAConstantFeatures(t *testing.T) {
	x := [][]float64{{1, 5, 0}, {2, 5, 0}, {3, 5, 0}, {4, 5, 0}}
	got, err := projection.PCA(x, projection.PCAOptions{Components: 2})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.ExplainedVarianceRatio[0]-1) > 1e-12 || got.ExplainedVarianceRatio[1] != 0 {
		t.Errorf("ratios %v, want [1 0]", got.ExplainedVarianceRatio)
	}
	same := [][]float64{{1, 1}, {1, 1}, {1, 1}}
	got, err = projection.PCA(same, projection.PCAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range append(got.ExplainedVarianceRatio, got.Projections[0]...) {
		if math.IsNaN(v) || v != 0 {
			t.Errorf("constant data: ratios %v, projections %v; want zeros", got.ExplainedVarianceRatio, got.Projections)
		}
	}
}

func dotp(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func near(t *testing.T, what string, i int, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol*max(1, math.Abs(want)) {
		t.Fatalf("%s %d = %.10g, scikit-learn %.10g", what, i, got, want)
	}
}
