// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/pyref"
)

// kstwoGrid is points (n, x) in every region of kolmogornSF: Ruben–Gambino's ends, x >=
// 0.5, Durbin's matrix, Pomeranz, 2·smirnov (both sides of n = 140 and of n = 1,000,000)
// and Pelz–Good.
func kstwoGrid() (ns []int, xs []float64) {
	for _, n := range []int{1, 2, 3, 5, 10, 37, 100, 140, 141, 300, 1000, 4999, 20000, 99999, 100001, 250000, 999999, 1500000} {
		fn := float64(n)
		cands := []float64{0.3 / fn, 0.75 / fn, 1 / fn, 1.5 / fn, 0.5, 0.63, 0.97, 1 - 1/fn, 1 - 0.5/fn, 1}
		nx2s := []float64{0.05, 0.2, 0.5, 0.75, 0.76, 1.2, 2, 2.19, 2.21, 3, 3.99, 4.01, 8, 17, 19, 60, 200, 369, 371, 800}
		if n >= 250000 { // scipy takes a second or two for each smirnov of this size
			nx2s = []float64{0.05, 1.2, 2.21, 371}
		}
		for _, nx2 := range nx2s {
			cands = append(cands, math.Sqrt(nx2/fn))
		}
		for _, nx15 := range []float64{1.3, 1.5} { // n·x^1.5 around 1.4
			cands = append(cands, math.Pow(nx15/fn, 2.0/3))
		}
		for _, x := range cands {
			if x > 0 && x <= 1 {
				ns, xs = append(ns, n), append(xs, x)
			}
		}
	}
	return ns, xs
}

// kolmogornSF is scipy.stats.kstwo.sf within 1e-6 (absolute) everywhere, and within 1e-6
// relative to it where it is above 1e-300.
func TestKolmogornSFMatchesSciPy(t *testing.T) {
	ns, xs := kstwoGrid()
	var want []float64
	pyref.Run(t, `
import json, sys
from scipy.stats import kstwo
q = json.load(sys.stdin)
print(json.dumps([float(kstwo.sf(x, n)) for n, x in zip(q["n"], q["x"])]))
`, map[string]any{"n": ns, "x": xs}, &want)
	worst, worstRel := 0.0, 0.0
	for i := range ns {
		got := kolmogornSF(ns[i], xs[i])
		diff := math.Abs(got - want[i])
		worst = max(worst, diff)
		if want[i] > 1e-300 {
			worstRel = max(worstRel, diff/want[i])
		}
		if diff > 1e-6 || (want[i] > 1e-300 && diff > 1e-6*want[i] && diff > 1e-12) {
			t.Errorf("kstwo.sf(%.17g, %d): got %.17g, scipy %.17g (diff %.3g)", xs[i], ns[i], got, want[i], diff)
		}
	}
	t.Logf("%d points: largest difference %.3g, largest relative difference %.3g", len(ns), worst, worstRel)
}

func TestSortFloats(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 100, 5000, 100000} {
		v := make([]float64, n)
		for i := range v {
			switch rng.IntN(6) {
			case 0:
				v[i] = math.Inf(1 - 2*rng.IntN(2))
			case 1:
				v[i] = float64(rng.IntN(5)) // ties
			case 2:
				v[i] = -rng.ExpFloat64() * 1e-300
			default:
				v[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
			}
		}
		want := slices.Clone(v)
		slices.Sort(want)
		sortFloats(v)
		if !slices.Equal(v, want) {
			t.Errorf("n=%d: sortFloats differs from slices.Sort", n)
		}
	}
	// One value: the passes are skipped.
	v := slices.Repeat([]float64{2.5}, 5000)
	sortFloats(v)
	if v[0] != 2.5 || v[4999] != 2.5 {
		t.Error("constant slice changed")
	}
}
