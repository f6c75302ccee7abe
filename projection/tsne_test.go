// SPDX-License-Identifier: Apache-2.0

package projection_test

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/internal/testing/pyref"
	"github.com/gonbviz/gonbviz/projection"
)

const trustworthinessScript = `
import json, sys
import numpy as np
from sklearn.manifold import TSNE, trustworthiness
d = json.load(sys.stdin)
x = np.array(d["x"], dtype=np.float64)
out = {"ours": [trustworthiness(x, np.array(y), n_neighbors=10) for y in d["layouts"]]}
y = TSNE(n_components=2, random_state=0).fit_transform(x)
out["sklearn"] = trustworthiness(x, y, n_neighbors=10)
print(json.dumps(out))
`

// TestTSNETrustworthiness: on the digits, the layouts of both methods keep the
// neighbourhoods as well as scikit-learn's TSNE does: trustworthiness (k = 10,
// sklearn.manifold.trustworthiness) within 0.02 of scikit-learn's.
func TestTSNETrustworthiness(t *testing.T) {
	if testing.Short() {
		t.Skip("t-SNE of the digits, twice, and scikit-learn's: slow")
	}
	pyref.Require(t)
	rows, _ := digitsRows(t)
	var layouts [][][]float64
	for _, method := range []string{projection.MethodExact, projection.MethodBarnesHut} {
		start := time.Now()
		res, err := projection.TSNE(rows, projection.TSNEOptions{Method: method, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %v, KL %.3f", res.Method, time.Since(start), res.KL)
		layouts = append(layouts, res.Embedding)
	}
	var got struct {
		Ours    []float64 `json:"ours"`
		Sklearn float64   `json:"sklearn"`
	}
	pyref.Run(t, trustworthinessScript, map[string]any{"x": rows, "layouts": layouts}, &got)
	t.Logf("trustworthiness: exact %.4f, Barnes–Hut %.4f, scikit-learn %.4f", got.Ours[0], got.Ours[1], got.Sklearn)
	for i, name := range []string{"exact", "Barnes–Hut"} {
		if got.Ours[i] < got.Sklearn-0.02 {
			t.Errorf("%s t-SNE: trustworthiness %.4f, scikit-learn's %.4f: more than 0.02 below", name, got.Ours[i], got.Sklearn)
		}
	}
}

// TestTSNEDeterministic: the same seed gives the same layout, on one core or all.
func TestTSNEDeterministic(t *testing.T) {
	rows, _ := digitsRows(t)
	rows = rows[:600]
	for _, method := range []string{projection.MethodExact, projection.MethodBarnesHut} {
		run := func(procs int) [][]float64 {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			res, err := projection.TSNE(rows, projection.TSNEOptions{Method: method, Seed: 7, Iterations: 300})
			if err != nil {
				t.Fatal(err)
			}
			return res.Embedding
		}
		a, b, c := run(2), run(2), run(1)
		for i := range a {
			if !slices.Equal(a[i], b[i]) || !slices.Equal(a[i], c[i]) {
				t.Fatalf("%s: point %d at %v, then %v, then on one core %v", method, i, a[i], b[i], c[i])
			}
		}
	}
}

// TestTSNEInit: a layout started from another stays near it (what keeps the frames of
// a step slider aligned).
func TestTSNEInit(t *testing.T) {
	rows, _ := digitsRows(t)
	rows = rows[:400]
	first, err := projection.TSNE(rows, projection.TSNEOptions{Seed: 1, Iterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	again, err := projection.TSNE(rows, projection.TSNEOptions{Init: first.Embedding, Iterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	// The mean displacement is small next to the layout's spread.
	var moved, spread float64
	for i := range rows {
		moved += math.Hypot(again.Embedding[i][0]-first.Embedding[i][0], again.Embedding[i][1]-first.Embedding[i][1])
		spread += math.Hypot(first.Embedding[i][0], first.Embedding[i][1])
	}
	if moved > 0.3*spread {
		t.Errorf("started from a layout, the points moved %.3g on average against a spread of %.3g", moved/float64(len(rows)), spread/float64(len(rows)))
	}
}

func TestTSNEErrors(t *testing.T) {
	rows := [][]float64{{0, 1}, {1, 0}, {2, 2}, {3, 1}}
	cases := []struct {
		x    [][]float64
		opts projection.TSNEOptions
		want string
	}{
		{nil, projection.TSNEOptions{}, "x has no rows"},
		{rows, projection.TSNEOptions{}, "opts.Perplexity is 30"},
		{rows, projection.TSNEOptions{Perplexity: 2, Iterations: 10}, "opts.Iterations is 10"},
		{rows, projection.TSNEOptions{Perplexity: 2, Method: "fast"}, `opts.Method is "fast"`},
		{rows, projection.TSNEOptions{Perplexity: 2, Init: [][]float64{{0, 0}}}, "opts.Init has 1 points for 4 rows"},
		{rows, projection.TSNEOptions{Perplexity: 2, Init: [][]float64{{0, 0}, {1, 1}, {2}, {3, 3}}}, "opts.Init[2]"},
		{[][]float64{{0, 1}, {math.Inf(1), 0}}, projection.TSNEOptions{Perplexity: 1}, "x[1][0] is +Inf"},
	}
	for _, c := range cases {
		_, err := projection.TSNE(c.x, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("TSNE(%v, %+v): error %v, want one containing %q", c.x, c.opts, err, c.want)
		}
	}
}
