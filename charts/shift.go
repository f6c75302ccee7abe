// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// DefaultShiftAlpha is the p-value below which FeatureShifts and FeatureDistributions call
// a feature shifted.
const DefaultShiftAlpha = 0.01

// ShiftOptions says which split the others are compared with, and when a difference
// counts as a shift.
type ShiftOptions struct {
	// Reference names the split the others are compared with; default the first.
	Reference string
	// Alpha is the p-value below which a feature is flagged as shifted; default 0.01.
	// With large splits even a small difference is significant: the Statistic says how
	// large it is.
	Alpha float64
}

// FeatureShift is how far one feature's distribution in one split lies from its
// distribution in the reference split, by the two-sample Kolmogorov–Smirnov test of their
// finite values.
type FeatureShift struct {
	Feature string // the feature's name
	Index   int    // its column
	Split   string // the split compared with the reference
	// Reference is the split it is compared with.
	Reference string
	KSTest
	// Shifted is PValue < ShiftOptions.Alpha.
	Shifted bool
}

// FeatureShifts compares every feature of every split with the same feature of the
// reference split, by the two-sample Kolmogorov–Smirnov test (KolmogorovSmirnov: scipy's
// ks_2samp statistic and asymptotic p-value), and returns the comparisons ranked, the
// largest Statistic first (ties in column order). A feature without finite values in a
// split has a NaN Statistic and PValue, and comes last. With one split there is nothing
// to compare: the result is empty.
func FeatureShifts(data Features, opts ShiftOptions) (shifts []FeatureShift, err error) {
	defer guard(&err)
	const what = "charts.FeatureShifts"
	fs, err := featureSetOf(what, data)
	if err != nil {
		return nil, err
	}
	ref, alpha, err := shiftSettings(what, "opts", fs, opts)
	if err != nil {
		return nil, err
	}
	all := make([]int, len(fs.names))
	for i := range all {
		all[i] = i
	}
	sums := summarize(fs, all, ref, 0)
	return rankShifts(fs, sums, ref, alpha), nil
}

// shiftSettings checks ShiftOptions: the reference split's index and alpha. arg names the
// options in errors.
func shiftSettings(what, arg string, fs *featureSet, opts ShiftOptions) (int, float64, error) {
	ref := 0
	if opts.Reference != "" {
		ref = slices.IndexFunc(fs.splits, func(s splitColumns) bool { return s.name == opts.Reference })
		if ref < 0 {
			names := make([]string, len(fs.splits))
			for i, s := range fs.splits {
				names[i] = s.name
			}
			return 0, 0, fmt.Errorf("%s: %s.Reference is %q, which is not a split; the splits are %s", what, arg, opts.Reference, quoteList(names, 8))
		}
	}
	alpha := opts.Alpha
	if alpha == 0 {
		alpha = DefaultShiftAlpha
	}
	if !(alpha > 0 && alpha < 1) {
		return 0, 0, fmt.Errorf("%s: %s.Alpha is %g; pass a p-value threshold between 0 and 1 (or 0 for %g)", what, arg, opts.Alpha, DefaultShiftAlpha)
	}
	return ref, alpha, nil
}

// rankShifts lists the comparisons of the summaries, ranked.
func rankShifts(fs *featureSet, sums []featureSummary, ref int, alpha float64) []FeatureShift {
	var out []FeatureShift
	for _, s := range sums {
		for k, sp := range fs.splits {
			if k == ref {
				continue
			}
			t := s.ks[k]
			out = append(out, FeatureShift{Feature: fs.names[s.index], Index: s.index, Split: sp.name,
				Reference: fs.splits[ref].name, KSTest: t, Shifted: t.PValue < alpha})
		}
	}
	slices.SortStableFunc(out, func(a, b FeatureShift) int {
		an, bn := math.IsNaN(a.Statistic), math.IsNaN(b.Statistic)
		switch {
		case an && bn:
			return 0
		case an:
			return 1
		case bn:
			return -1
		}
		return cmp.Compare(b.Statistic, a.Statistic)
	})
	return out
}

// featureSummary is what the feature charts draw of one feature: its range over every
// split, a histogram of each split on common bins, and each split's comparison with the
// reference.
type featureSummary struct {
	index    int
	min, max float64   // of the finite values of all splits; NaN when there are none
	edges    []float64 // bins+1 edges, or 2 around a constant feature; nil without values
	counts   [][]int64 // [split][bin]
	finite   []int     // finite values per split
	ks       []KSTest  // per split, against the reference (the reference's own is zero)
}

// constant reports whether the feature has finite values, all equal.
func (s featureSummary) constant() bool { return s.min == s.max }

// summarize computes the summaries of the given features, in parallel: each split's finite
// values sorted (a copy, dropped when done), their histogram on bins common bins (none
// when bins is 0), and the Kolmogorov–Smirnov test of each split against split ref.
func summarize(fs *featureSet, features []int, ref, bins int) []featureSummary {
	out := make([]featureSummary, len(features))
	parallelFor(len(features), func(i int) {
		j := features[i]
		s := featureSummary{index: j, min: math.NaN(), max: math.NaN(),
			finite: make([]int, len(fs.splits)), ks: make([]KSTest, len(fs.splits))}
		sorted := make([][]float64, len(fs.splits))
		for k, sp := range fs.splits {
			v := slices.Clone(finite(sp.cols[j], sp.nonFinite[j]))
			sortFloats(v)
			sorted[k] = v
			s.finite[k] = len(v)
			if len(v) > 0 {
				if math.IsNaN(s.min) || v[0] < s.min {
					s.min = v[0]
				}
				if math.IsNaN(s.max) || v[len(v)-1] > s.max {
					s.max = v[len(v)-1]
				}
			}
		}
		for k := range fs.splits {
			if k == ref {
				continue
			}
			if len(sorted[k]) == 0 || len(sorted[ref]) == 0 {
				s.ks[k] = KSTest{Statistic: math.NaN(), PValue: math.NaN(), N1: len(sorted[ref]), N2: len(sorted[k])}
				continue
			}
			s.ks[k] = ksSorted(sorted[ref], sorted[k])
		}
		if bins > 0 && !math.IsNaN(s.min) {
			s.edges, s.counts = binSorted(sorted, s.min, s.max, bins)
		}
		out[i] = s
	})
	return out
}

// binSorted counts sorted values in bins equal-width bins over [lo, hi] (the last bin
// holds hi), or in one bin [lo-0.5, lo+0.5] when lo == hi, as histo.Compute does.
func binSorted(sorted [][]float64, lo, hi float64, bins int) ([]float64, [][]int64) {
	if lo == hi {
		edges := []float64{lo - 0.5, lo + 0.5}
		counts := make([][]int64, len(sorted))
		for k, v := range sorted {
			counts[k] = []int64{int64(len(v))}
		}
		return edges, counts
	}
	edges := make([]float64, bins+1)
	for b := range edges {
		edges[b] = lo + (hi-lo)*float64(b)/float64(bins)
	}
	edges[bins] = hi
	counts := make([][]int64, len(sorted))
	scale := float64(bins) / (hi - lo)
	for k, v := range sorted {
		c := make([]int64, bins)
		for _, x := range v {
			b := int((x - lo) * scale)
			c[min(max(b, 0), bins-1)]++
		}
		counts[k] = c
	}
	return edges, counts
}

// formatP writes a p-value for a note: "p = 0.003", "p = 2e-09", "p < 1e-300".
func formatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "p undefined"
	case p == 0:
		return "p < 1e-300"
	case p < 1e-3:
		return fmt.Sprintf("p = %.1e", p)
	}
	return fmt.Sprintf("p = %.2g", p)
}
