// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// KSTest is the result of a two-sample Kolmogorov–Smirnov test: how far apart the
// distributions of two samples are, and how likely that distance is when both come from
// one distribution.
type KSTest struct {
	// Statistic is D, the largest distance between the two samples' empirical
	// distribution functions, 0 (the same) to 1 (no overlap): scipy.stats.ks_2samp's
	// statistic, to the last bit.
	Statistic float64
	// PValue is the two-sided p-value of D as scipy.stats.ks_2samp(a, b, method="asymp")
	// computes it: the survival function of the two-sided Kolmogorov–Smirnov distribution
	// (scipy.stats.kstwo) for n = round(N1·N2/(N1+N2)) values, with scipy's choice of
	// exact and asymptotic methods (Simard and L'Ecuyer, 2011). NaN when a sample has no
	// finite values.
	PValue float64
	// N1 and N2 count the finite values of the two samples, the values compared.
	N1, N2 int
}

// KolmogorovSmirnov runs the two-sample Kolmogorov–Smirnov test on the finite values of a
// and b (NaN and ±Inf are left out; N1 and N2 count the rest), as scipy's
// ks_2samp(a, b, method="asymp") does: the statistic equals scipy's, the p-value is
// within 1e-6 of it (the tests check both against SciPy). It is an error when a or b has
// no finite values.
func KolmogorovSmirnov(a, b []float64) (KSTest, error) {
	sa, sb := sortedFinite(a), sortedFinite(b)
	switch {
	case len(sa) == 0 && len(a) == 0:
		return KSTest{}, errors.New("charts.KolmogorovSmirnov: a is empty")
	case len(sb) == 0 && len(b) == 0:
		return KSTest{}, errors.New("charts.KolmogorovSmirnov: b is empty")
	case len(sa) == 0:
		return KSTest{}, fmt.Errorf("charts.KolmogorovSmirnov: a has no finite values (all %d are NaN or ±Inf)", len(a))
	case len(sb) == 0:
		return KSTest{}, fmt.Errorf("charts.KolmogorovSmirnov: b has no finite values (all %d are NaN or ±Inf)", len(b))
	}
	return ksSorted(sa, sb), nil
}

// sortedFinite returns the finite values of v, sorted.
func sortedFinite(v []float64) []float64 {
	out := make([]float64, 0, len(v))
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	sortFloats(out)
	return out
}

// ksSorted is the test of two sorted, non-empty samples of finite values.
func ksSorted(a, b []float64) KSTest {
	d := ksStatistic(a, b)
	return KSTest{Statistic: d, PValue: ksPValue(d, len(a), len(b)), N1: len(a), N2: len(b)}
}

// ksStatistic computes D of two sorted samples as scipy's ks_2samp does: at every value
// of either sample, the fractions of each sample at or below it (searchsorted(...,
// side="right") / n), their difference, and the largest difference either way. The
// same float64 operations in the same order give the same D.
func ksStatistic(a, b []float64) float64 {
	n1, n2 := float64(len(a)), float64(len(b))
	maxS, minS := math.Inf(-1), math.Inf(1)
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var v float64
		switch {
		case i == len(a):
			v = b[j]
		case j == len(b):
			v = a[i]
		default:
			v = min(a[i], b[j])
		}
		for i < len(a) && a[i] <= v {
			i++
		}
		for j < len(b) && b[j] <= v {
			j++
		}
		diff := float64(i)/n1 - float64(j)/n2
		maxS, minS = max(maxS, diff), min(minS, diff)
	}
	// minS is clipped to [0, 1] as scipy does; maxS is not.
	down := min(max(-minS, 0), 1)
	if down > maxS {
		return down
	}
	return maxS
}

// ksPValue is scipy's two-sided asymptotic p-value of D for samples of n1 and n2 values:
// kstwo.sf(d, round(en)), en = m·n/(m+n), rounded half to even as numpy rounds.
func ksPValue(d float64, n1, n2 int) float64 {
	m, n := float64(max(n1, n2)), float64(min(n1, n2))
	en := m * n / (m + n)
	return clip01(kolmogornSF(int(math.RoundToEven(en)), d))
}

func clip01(p float64) float64 { return min(max(p, 0), 1) }

// kolmogornSF is the survival function Pr(D_n > x) of the two-sided one-sample
// Kolmogorov–Smirnov statistic D_n (scipy.stats.kstwo.sf), computed as scipy's
// _ksstats._kolmogn chooses after Simard and L'Ecuyer (2011): Ruben–Gambino's closed
// forms at the ends, 2·smirnov where the one-sided tails do not meet, Durbin's matrix
// (Marsaglia–Tsang–Wang), Pomeranz's recursion, or Pelz–Good's asymptotic series.
func kolmogornSF(n int, x float64) float64 {
	if n <= 0 || math.IsNaN(x) {
		return math.NaN()
	}
	if x >= 1 {
		return 0
	}
	if x <= 0 {
		return 1
	}
	fn := float64(n)
	t := fn * x
	if t <= 1 { // Ruben–Gambino: 1/2n <= x <= 1/n
		if t <= 0.5 {
			return 1
		}
		var prob float64
		if n <= 140 {
			prob = 1
			for i := 1; i <= n; i++ {
				prob *= float64(i) * (1 / fn) * (2*t - 1)
			}
		} else {
			prob = math.Exp(logNFactorialDivNPowN(fn) + fn*math.Log(2*t-1))
		}
		return clip01(1 - prob)
	}
	if t >= fn-1 { // Ruben–Gambino
		return clip01(2 * math.Pow(1-x, fn))
	}
	if x >= 0.5 { // exact: twice the one-sided tail
		return clip01(2 * smirnovSF(n, x))
	}
	nxSquared := t * x
	if n <= 140 {
		switch {
		case nxSquared <= 0.754693:
			return clip01(1 - kolmogornDMTW(n, x))
		case nxSquared <= 4:
			return clip01(1 - kolmogornPomeranz(n, x))
		}
		return clip01(2 * smirnovSF(n, x))
	}
	switch {
	case nxSquared >= 370:
		return 0
	case nxSquared >= 2.2:
		return clip01(2 * smirnovSF(n, x))
	}
	var cdf float64
	if n <= 100000 && fn*math.Pow(x, 1.5) <= 1.4 {
		cdf = kolmogornDMTW(n, x)
	} else {
		cdf = kolmogornPelzGood(n, x)
	}
	return clip01(1 - cdf)
}

// stirlingCoeffs are B_2j/(2j)/(2j-1) for j = 8, ..., 1 (B the Bernoulli numbers).
var stirlingCoeffs = []float64{-2.955065359477124183e-2, 6.4102564102564102564e-3,
	-1.9175269175269175269e-3, 8.4175084175084175084e-4,
	-5.952380952380952381e-4, 7.9365079365079365079e-4,
	-2.7777777777777777778e-3, 8.3333333333333333333e-2}

// logNFactorialDivNPowN is log(n!/n^n) by Stirling's series.
func logNFactorialDivNPowN(n float64) float64 {
	rn := 1 / n
	x := rn / n
	poly := 0.0
	for _, c := range stirlingCoeffs {
		poly = poly*x + c
	}
	return math.Log(n)/2 - n + math.Log(2*math.Pi)/2 + rn*poly
}

var (
	ep128 = math.Ldexp(1, 128)
	em128 = math.Ldexp(1, -128)
)

// kolmogornDMTW is Pr(D_n <= d) by Durbin's matrix algorithm as Marsaglia, Tsang and Wang
// (2003) compute it: the k-th diagonal entry of H^n · n!/n^n, H of size 2k-1, scaled by
// powers of 2^128 on the way.
func kolmogornDMTW(n int, d float64) float64 {
	if d >= 1 {
		return 1
	}
	nd := float64(n) * d
	if nd <= 0.5 {
		return 0
	}
	k := int(math.Ceil(nd))
	h := float64(k) - nd
	m := 2*k - 1
	v := make([]float64, m)
	w := make([]float64, m)
	fac := 1.0
	for j := 1; j <= m; j++ {
		v[j-1] = 1 - math.Pow(h, float64(j))
		w[j-1] = fac
		fac /= float64(j)
		v[j-1] *= fac
	}
	tt := math.Pow(max(2*h-1, 0), float64(m)) - 2*math.Pow(h, float64(m))
	v[m-1] = (1 + tt) * fac

	H := newMatrix(m)
	for i := 1; i < m; i++ {
		for r := i - 1; r < m; r++ {
			H[r*m+i] = w[r-(i-1)]
		}
	}
	for r := range m {
		H[r*m] = v[r]
	}
	for c := range m {
		H[(m-1)*m+c] = v[m-1-c]
	}
	pwr := newMatrix(m)
	for i := range m {
		pwr[i*m+i] = 1
	}
	tmp := newMatrix(m)
	expnt, hExpnt := 0, 0
	for nn := n; nn > 0; nn /= 2 {
		if nn%2 == 1 {
			matMul(tmp, pwr, H, m)
			pwr, tmp = tmp, pwr
			expnt += hExpnt
		}
		matMul(tmp, H, H, m)
		H, tmp = tmp, H
		hExpnt *= 2
		if math.Abs(H[(k-1)*m+k-1]) > ep128 {
			for i := range H {
				H[i] /= ep128
			}
			hExpnt += 128
		}
	}
	p := pwr[(k-1)*m+k-1]
	for i := 1; i <= n; i++ {
		p = float64(i) * p / float64(n)
		if math.Abs(p) < em128 {
			p *= ep128
			expnt -= 128
		}
	}
	if expnt != 0 {
		p = math.Ldexp(p, expnt)
	}
	return clip01(p)
}

func newMatrix(m int) []float64 { return make([]float64, m*m) }

// matMul sets dst = a·b, all m×m row-major; dst is neither a nor b.
func matMul(dst, a, b []float64, m int) {
	clear(dst)
	for i := range m {
		row := dst[i*m : (i+1)*m]
		for l := range m {
			ail := a[i*m+l]
			if ail == 0 {
				continue
			}
			bl := b[l*m : (l+1)*m]
			for j := range row {
				row[j] += ail * bl[j]
			}
		}
	}
}

// pomeranzJ1J2 are the first and last entries of row i that can be non-zero.
func pomeranzJ1J2(i, n, ll, ceilf, roundf int) (int, int) {
	var j1, j2 int
	if i == 0 {
		j1, j2 = -ll-ceilf-1, ll+ceilf-1
	} else {
		half, odd := (i+1)/2, (i+1)%2
		switch {
		case odd == 0 && half == n+1: // i odd
			j1, j2 = n-ll-ceilf-1, n+ll+ceilf-1
		case odd == 0:
			j1, j2 = half-1-ll-roundf-1, half+ll-1+ceilf-1
		default:
			j1, j2 = half-1-ll-1, half+ll+roundf-1
		}
	}
	return max(j1+2, 0), min(j2, n)
}

// kolmogornPomeranz is Pr(D_n <= x) by Pomeranz's recursion (1974): rows of 2n+2
// convolutions with Poisson-like weights, of which two rows are kept.
func kolmogornPomeranz(n int, x float64) float64 {
	fn := float64(n)
	t := fn * x
	ll := int(math.Floor(t))
	f := t - float64(ll)
	g := min(f, 1-f)
	ceilf, roundf := 0, 0
	if f > 0 {
		ceilf = 1
	}
	if f > 0.5 {
		roundf = 1
	}
	npwrs := 2 * (ll + 1)
	gpower := make([]float64, npwrs)
	twogpower := make([]float64, npwrs)
	onem2gpower := make([]float64, npwrs)
	gpower[0], twogpower[0], onem2gpower[0] = 1, 1, 1
	gOverN, twoGOverN, oneMinusTwoGOverN := g/fn, 2*g/fn, (1-2*g)/fn
	for m := 1; m < npwrs; m++ {
		gpower[m] = gpower[m-1] * gOverN / float64(m)
		twogpower[m] = twogpower[m-1] * twoGOverN / float64(m)
		onem2gpower[m] = onem2gpower[m-1] * oneMinusTwoGOverN / float64(m)
	}
	V0 := make([]float64, npwrs)
	V1 := make([]float64, npwrs)
	V1[0] = 1
	V0s, V1s := 0, 0
	expnt := 0
	j1, _ := pomeranzJ1J2(0, n, ll, ceilf, roundf)
	var conv []float64
	for i := 1; i < 2*n+2; i++ {
		k1 := j1
		V0, V1 = V1, V0
		V0s, V1s = V1s, V0s
		clear(V1)
		var j2 int
		j1, j2 = pomeranzJ1J2(i, n, ll, ceilf, roundf)
		pwrs := onem2gpower
		switch {
		case i == 1 || i == 2*n+1:
			pwrs = gpower
		case i%2 == 1:
			pwrs = twogpower
		}
		ln2 := j2 - k1 + 1
		if ln2 > 0 {
			lo := k1 - V0s
			hi := min(lo+ln2, len(V0))
			conv = convolve(conv, V0[lo:hi], pwrs[:min(ln2, len(pwrs))])
			convStart, convLen := j1-k1, j2-j1+1
			copy(V1[:convLen], conv[convStart:min(convStart+convLen, len(conv))])
			if top := slices.Max(V1); 0 < top && top < em128 {
				for i := range V1 {
					V1[i] *= ep128
				}
				expnt -= 128
			}
			V1s = V0s + j1 - k1
		}
	}
	ans := V1[n-V1s]
	for m := 1; m <= n; m++ {
		if math.Abs(ans) > ep128 {
			ans *= em128
			expnt += 128
		}
		ans *= float64(m)
	}
	if expnt != 0 {
		ans = math.Ldexp(ans, expnt)
	}
	return clip01(ans)
}

// convolve is numpy's convolve(a, b) (mode "full"), written into dst's storage.
func convolve(dst, a, b []float64) []float64 {
	if len(a) == 0 || len(b) == 0 {
		return dst[:0]
	}
	n := len(a) + len(b) - 1
	dst = slices.Grow(dst[:0], n)[:n]
	clear(dst)
	for i, x := range a {
		for j, y := range b {
			dst[i+j] += x * y
		}
	}
	return dst
}

// kolmogornPelzGood is Pelz and Good's (1976) approximation of Pr(D_n <= x): the
// Li-Chien–Korolyuk expansion K0 + K1/√n + K2/n + K3/n^1.5 in z = x√n, its terms turned
// by Jacobi's theta identities into series that converge fast for small z.
func kolmogornPelzGood(n int, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	const (
		pi2 = math.Pi * math.Pi
		pi4 = pi2 * pi2
		pi6 = pi4 * pi2
	)
	sqrt2pi := math.Sqrt(2 * math.Pi)
	fn := float64(n)
	z := math.Sqrt(fn) * x
	z2, z3, z4, z6 := z*z, z*z*z, math.Pow(z, 4), math.Pow(z, 6)
	qlog := -pi2 / 8 / z2
	if qlog < -708 {
		return 0
	}
	q := math.Exp(qlog)
	k1a, k1b := -z2, pi2/4
	k2a := 6*z6 + 2*z4
	k2b := (2*z4 - 5*z2) * pi2 / 4
	k2c := pi4 * (1 - 2*z2) / 16
	k3d := pi6 * (5 - 30*z2) / 64
	k3c := pi4 * (-60*z2 + 212*z4) / 16
	k3b := pi2 * (135*z4 - 96*z6) / 4
	k3a := -30*z6 - 90*math.Pow(z, 8)

	var K [4]float64
	maxk := int(math.Ceil(16 * z / math.Pi))
	for k := maxk; k > 0; k-- {
		m := float64(2*k - 1)
		m2, m4, m6 := m*m, math.Pow(m, 4), math.Pow(m, 6)
		qpower := math.Pow(q, float64(8*k))
		coeffs := [4]float64{1, k1a + k1b*m2, k2a + k2b*m2 + k2c*m4, k3a + k3b*m2 + k3c*m4 + k3d*m6}
		for i := range K {
			K[i] = K[i]*qpower + coeffs[i]
		}
	}
	div := [4]float64{z, 6 * z4, 72 * math.Pow(z, 7), 6480 * math.Pow(z, 10)}
	for i := range K {
		K[i] = K[i] * q * sqrt2pi / div[i]
	}
	q = math.Exp(-pi2 / 2 / z2)
	var k2extra, k3extra float64
	sqrt3z := math.Sqrt(3) * z
	for k := maxk; k > 0; k-- {
		fk := float64(k)
		k2 := fk * fk
		qp := math.Pow(q, k2)
		k2extra += k2 * qp
		kpi := math.Pi * fk
		k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp
	}
	K[2] += k2extra * pi2 * sqrt2pi / (-36 * z3)
	K[3] += k3extra * pi2 * sqrt2pi / (216 * z6)
	sum := 0.0
	for i := range K {
		sum += K[i] / math.Pow(fn, float64(i)/2)
	}
	return sum
}

// cephesMinLog is log(2^-1022), cephes' MINLOG: exp of anything below underflows.
const cephesMinLog = -7.08396418532264106224e2

// smirnovSF is Pr(D+_n > x), the survival function of the one-sided Kolmogorov–Smirnov
// statistic (scipy.special.smirnov), by the Smirnov–Birnbaum–Tingey sum
//
//	x · Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
//
// of positive terms, each in logarithms, with scipy's special cases (x <= 1/n,
// x >= 1 - 1/n, an underflowing tail, and its approximation past n = 1,000,000).
func smirnovSF(n int, x float64) float64 {
	if n <= 0 || !(x >= 0 && x <= 1) {
		return math.NaN()
	}
	if n == 1 {
		return 1 - x
	}
	if x == 0 {
		return 1
	}
	if x == 1 {
		return 0
	}
	fn := float64(n)
	// n·x exactly, as hi + lo, and its floor.
	hi := fn * x
	lo := math.FMA(fn, x, -hi)
	nxfl := math.Floor(hi)
	if hi == nxfl && lo < 0 {
		nxfl--
	}
	alpha := (hi - nxfl) + lo
	if alpha >= 1 {
		nxfl, alpha = nxfl+1, 0
	}
	if nxfl == 0 || (nxfl == 1 && alpha == 0) { // x <= 1/n
		return 1 - x*math.Pow(1+x, fn-1)
	}
	if -2*fn*x*x < cephesMinLog {
		return 0
	}
	if nxfl >= fn-1 { // x >= 1 - 1/n
		return math.Pow(1-x, fn)
	}
	if n > 1000000 {
		return math.Exp(-math.Pow(6*fn*x+1, 2) / 18 / fn)
	}
	terms := n - int(nxfl) // v = 0 .. n - floor(nx) - 1
	lgN1, _ := math.Lgamma(fn + 1)
	logC := 0.0 // log C(n, v)
	var sum, comp float64
	for v := range terms {
		if v > 0 {
			if v%64 == 0 {
				a, _ := math.Lgamma(float64(v) + 1)
				b, _ := math.Lgamma(fn - float64(v) + 1)
				logC = lgN1 - a - b
			} else {
				logC += math.Log(float64(n-v+1) / float64(v))
			}
		}
		fv := float64(v)
		up := x + fv/fn                    // x + v/n
		down := ((fn - fv) - hi - lo) / fn // 1 - x - v/n
		if down <= 0 {
			break
		}
		term := math.Exp(logC + (fv-1)*math.Log(up) + (fn-fv)*math.Log(down))
		// Kahan summation: the terms are many and of one sign.
		y := term - comp
		s := sum + y
		comp = (s - sum) - y
		sum = s
		// Past the peak the terms fall fast: stop where the rest cannot count (as scipy).
		if term != 0 {
			if 4*float64(terms-v)*term < 0x1p-52*sum && v != terms-1 {
				break
			}
		} else if v > n/2 {
			break
		}
	}
	return clip01(x * sum)
}
