// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"math"
	"slices"
	"strings"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// Grouping says what the feature charts group or colour the rows by.
type Grouping string

// The groupings.
const (
	// ByClass groups the rows by their class (Split.Labels), over all splits with labels.
	ByClass Grouping = "class"
	// BySplit groups the rows by their split.
	BySplit Grouping = "split"
)

// BoxPlotsOptions styles FeatureBoxPlots.
type BoxPlotsOptions struct {
	Title string // default "features by class" or "features by split"
	// By groups the rows: ByClass (the default when some split has labels) or BySplit.
	By Grouping
	// Features names the features to draw; default all of them, up to MaxBoxPlotFeatures.
	Features []string
	// MaxOutliers is the most outliers drawn per box, spread evenly over them by rank,
	// the most extreme included; default 30. Every box's tooltip counts all of them.
	MaxOutliers int
	Columns     int // panels per row; default 4
	// Width and Height of one panel; default 24 px per group (at least 80) and 150.
	Width, Height int
}

// MaxBoxPlotFeatures is the most features FeatureBoxPlots draws: more panels than this
// are not read; pick some with BoxPlotsOptions.Features.
const MaxBoxPlotFeatures = 24

// boxStats is a box of a box plot: Tukey's, with whiskers at the last values within 1.5
// IQR of the quartiles.
type boxStats struct {
	n                 int
	q1, median, q3    float64 // numpy's percentiles (linear interpolation)
	lo, hi            float64 // the whiskers' ends
	outliers          []float64
	outliersLow, high int // how many lie below lo, above hi
}

// quantileSorted is numpy's default (linear) quantile q (0..1) of sorted values.
func quantileSorted(v []float64, q float64) float64 {
	pos := q * float64(len(v)-1)
	i := int(math.Floor(pos))
	if i >= len(v)-1 {
		return v[len(v)-1]
	}
	frac := pos - float64(i)
	return v[i] + (v[i+1]-v[i])*frac
}

// boxOf computes the box of sorted values (not empty), keeping at most maxOutliers
// outliers, evenly spread by rank over those below and above the whiskers.
func boxOf(v []float64, maxOutliers int) boxStats {
	b := boxStats{n: len(v), q1: quantileSorted(v, 0.25), median: quantileSorted(v, 0.5), q3: quantileSorted(v, 0.75)}
	iqr := b.q3 - b.q1
	loFence, hiFence := b.q1-1.5*iqr, b.q3+1.5*iqr
	i := 0
	for i < len(v) && v[i] < loFence {
		i++
	}
	j := len(v) - 1
	for j >= 0 && v[j] > hiFence {
		j--
	}
	b.lo, b.hi = v[i], v[j]
	b.outliersLow, b.high = i, len(v)-1-j
	outliers := slices.Concat(v[:i], v[j+1:])
	for _, k := range pickEven(len(outliers), maxOutliers) {
		b.outliers = append(b.outliers, outliers[k])
	}
	if maxOutliers == 0 {
		b.outliers = nil
	}
	return b
}

// FeatureBoxPlots draws a box plot of every feature, a panel each with its own scale, by
// class (ByClass, over every split with labels) or by split (BySplit): the box from the
// first to the third quartile, the median, whiskers to the last values within 1.5 times
// the interquartile range, and the outliers beyond, at most MaxOutliers of each box
// drawn (evenly by rank, the extremes included). The quartiles are computed in Go, as
// numpy's percentile computes them, over all rows; hovering a box shows them with its
// count and outliers. NaN and ±Inf values are left out and named in the subtitle.
func FeatureBoxPlots(data Features, opts BoxPlotsOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const what = "charts.FeatureBoxPlots"
	fs, err := featureSetOf(what, data)
	if err != nil {
		return vl.Chart{}, err
	}
	by, err := grouping(what, "opts.By", fs, opts.By)
	if err != nil {
		return vl.Chart{}, err
	}
	features, err := fs.featureIndexes(what, "opts.Features", opts.Features)
	if err != nil {
		return vl.Chart{}, err
	}
	if len(features) > MaxBoxPlotFeatures {
		return vl.Chart{}, fmt.Errorf("%s: the data has %d features, more panels than one chart shows (%d); pick at most %d in opts.Features (FeatureShifts ranks them by shift)", what, len(features), MaxBoxPlotFeatures, MaxBoxPlotFeatures)
	}
	if opts.MaxOutliers < 0 || opts.Columns < 0 || opts.Width < 0 || opts.Height < 0 {
		return vl.Chart{}, fmt.Errorf("%s: opts.MaxOutliers, Columns, Width and Height must not be negative", what)
	}
	if opts.MaxOutliers == 0 {
		opts.MaxOutliers = 30
	}
	if opts.Columns == 0 {
		opts.Columns = 4
	}
	groups := groupNames(fs, by)
	if opts.Width == 0 {
		opts.Width = max(80, 24*len(groups))
	}
	if opts.Height == 0 {
		opts.Height = 150
	}
	if opts.Title == "" {
		opts.Title = "features by " + string(by)
	}
	// Outliers share what the boxes leave of the rows.
	boxes := len(features) * len(groups)
	maxOut := min(opts.MaxOutliers, max(0, (chartRowBudget-boxes)/boxes))

	var (
		colKind, colFeature, colGroup                []string
		colQ1, colMed, colQ3, colLo, colHi, colValue []float64
		colN, colOut                                 []int
		notes                                        []string
	)
	nan := math.NaN()
	stats := make([][]boxStats, len(features)) // [feature][group], n == 0 when empty
	parallelFor(len(features), func(i int) {
		j := features[i]
		vals := groupValues(fs, by, j, len(groups))
		stats[i] = make([]boxStats, len(groups))
		for g, v := range vals {
			if len(v) == 0 {
				continue
			}
			sortFloats(v)
			stats[i][g] = boxOf(v, maxOut)
		}
	})
	drawnFeatures := 0
	for i, j := range features {
		name := fs.names[j]
		hasValues := false
		constant := true
		first := math.NaN()
		for g, b := range stats[i] {
			if b.n == 0 {
				continue
			}
			hasValues = true
			if math.IsNaN(first) {
				first = b.lo
			}
			constant = constant && b.lo == first && b.hi == first && len(b.outliers) == 0
			colKind, colFeature, colGroup = append(colKind, "box"), append(colFeature, name), append(colGroup, groups[g])
			colQ1, colMed, colQ3 = append(colQ1, b.q1), append(colMed, b.median), append(colQ3, b.q3)
			colLo, colHi, colValue = append(colLo, b.lo), append(colHi, b.hi), append(colValue, nan)
			colN, colOut = append(colN, b.n), append(colOut, b.outliersLow+b.high)
			for _, o := range b.outliers {
				colKind, colFeature, colGroup = append(colKind, "outlier"), append(colFeature, name), append(colGroup, groups[g])
				colQ1, colMed, colQ3 = append(colQ1, nan), append(colMed, nan), append(colQ3, nan)
				colLo, colHi, colValue = append(colLo, nan), append(colHi, nan), append(colValue, o)
				colN, colOut = append(colN, b.n), append(colOut, b.outliersLow+b.high)
			}
		}
		switch {
		case !hasValues:
			notes = append(notes, name+": no finite values")
		case constant:
			notes = append(notes, fmt.Sprintf("%s is constant (%.4g)", name, first))
			drawnFeatures++
		default:
			drawnFeatures++
		}
	}
	if drawnFeatures == 0 {
		return vl.Chart{}, fmt.Errorf("%s: no feature has finite values to draw", what)
	}
	r5 := func(v []float64) []float64 {
		for i := range v {
			v[i] = round5(v[i])
		}
		return v
	}
	data2 := vl.Columns(map[string]any{
		"kind": colKind, "feature": colFeature, "group": colGroup,
		"q1": r5(colQ1), "median": r5(colMed), "q3": r5(colQ3), "lo": r5(colLo), "hi": r5(colHi), "value": r5(colValue),
		"n": colN, "outliers": colOut,
	}).Compact().SilentGaps()

	groupTitle := string(by)
	// The colour legend names the groups: labels under every panel take more room than
	// the boxes.
	x := vl.X("group:N").Title(nil).Sort(groups).NoAxis().Scale(vl.Scale{}.PaddingInner(0.25))
	color := vl.Color("group:N").Title(groupTitle).Sort(groups).Scale(vl.Scale{}.Domain(groups).Range(groupPalette(len(groups)))).
		Legend(vl.Legend{}.Orient("top").Direction("horizontal").LabelLimit(0).SymbolType("square").SymbolOpacity(1))
	isBox, isOutlier := vl.Filter("datum.kind == 'box'"), vl.Filter("datum.kind == 'outlier'")
	tips := vl.Tooltip(vl.Field("feature").Nominal(), vl.Field("group").Nominal().Title(groupTitle),
		vl.Field("n").Quantitative().Format(",d").Title("values"),
		vl.Field("hi").Quantitative().Format(".4~g").Title("upper whisker"),
		vl.Field("q3").Quantitative().Format(".4~g").Title("third quartile"),
		vl.Field("median").Quantitative().Format(".4~g"),
		vl.Field("q1").Quantitative().Format(".4~g").Title("first quartile"),
		vl.Field("lo").Quantitative().Format(".4~g").Title("lower whisker"),
		vl.Field("outliers").Quantitative().Format(",d"))
	y := func(field string) vl.Enc {
		return vl.Y(field + ":Q").Title(nil).Scale(vl.Scale{}.Zero(false)).Axis(vl.Axis{}.TickCount(4))
	}
	inner := vl.Layer(
		vl.NewChart().Transform(isBox).Mark(vl.Rule().Color("#444")).Encode(x, y("lo"), vl.Y2("hi")),
		vl.NewChart().Transform(isBox).Mark(vl.Bar().Size(18).Stroke("#444").StrokeWidth(0.8)).Encode(x, y("q1"), vl.Y2("q3"), color, tips),
		vl.NewChart().Transform(isBox).Mark(vl.Tick().Color("#222").Size(18).Thickness(2)).Encode(x, y("median")),
		vl.NewChart().Transform(isOutlier).Mark(vl.Point().Size(14).Opacity(0.6)).Encode(x, y("value"), color,
			vl.Tooltip(vl.Field("feature").Nominal(), vl.Field("group").Nominal().Title(groupTitle),
				vl.Field("value").Quantitative().Format(".4~g").Title("outlier"))),
	).Width(opts.Width).Height(opts.Height)
	names := make([]string, len(features))
	for i, j := range features {
		names[i] = fs.names[j]
	}
	cols := min(opts.Columns, len(features))
	sub := fmt.Sprintf("%s in %d %s", countText(countRows(fs, by), "row"), len(groups), plural(len(groups), string(by))) +
		" · boxes: quartiles and median; whiskers: the last values within 1.5 IQR"
	if maxOut < opts.MaxOutliers {
		sub += fmt.Sprintf("; at most %d outliers drawn per box", maxOut)
	} else {
		sub += fmt.Sprintf("; at most %d outliers drawn per box (the tooltip counts all)", maxOut)
	}
	if by == ByClass {
		if left := unlabelledSplits(fs); len(left) > 0 {
			sub += " · without labels, left out: " + strings.Join(left, ", ")
		}
	}
	if nf := fs.nonFiniteNote(features); nf != "" {
		sub += " · " + nf
	}
	if len(notes) > 0 {
		sub += " · " + strings.Join(notes, "; ")
	}
	chart = vl.Facet(inner, vl.FacetBy("feature:N").Title(nil).Sort(names).Header(vl.Header{}.LabelFontSize(12).LabelLimit(0))).
		Columns(cols).ResolveScale("y", "independent").
		Data(data2).
		Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitle(sub, cols*(opts.Width+60))))
	return chart, nil
}

// grouping checks a Grouping option: the default is ByClass when some split has labels.
func grouping(what, arg string, fs *featureSet, by Grouping) (Grouping, error) {
	switch by {
	case "":
		if fs.hasLabels() {
			return ByClass, nil
		}
		return BySplit, nil
	case ByClass:
		if !fs.hasLabels() {
			return "", fmt.Errorf("%s: %s is ByClass, but no split has Labels; pass labels, or use BySplit", what, arg)
		}
		if len(fs.classes) > maxClasses {
			return "", fmt.Errorf("%s: data.Classes has %d classes, more than a chart tells apart (%d)", what, len(fs.classes), maxClasses)
		}
		return ByClass, nil
	case BySplit:
		if len(fs.splits) > maxClasses {
			return "", fmt.Errorf("%s: the data has %d splits, more than a chart tells apart (%d)", what, len(fs.splits), maxClasses)
		}
		return BySplit, nil
	}
	return "", fmt.Errorf("%s: %s is %q; use ByClass or BySplit", what, arg, by)
}

// groupNames names the groups of a grouping: the classes or the splits.
func groupNames(fs *featureSet, by Grouping) []string {
	if by == ByClass {
		return fs.classes
	}
	names := make([]string, len(fs.splits))
	for i, s := range fs.splits {
		names[i] = s.name
	}
	return names
}

// groupValues returns the finite values of feature j in each group (copies).
func groupValues(fs *featureSet, by Grouping, j, groups int) [][]float64 {
	out := make([][]float64, groups)
	if by == ByClass { // each group's slice at its size, not grown by appends
		sizes := make([]int, groups)
		for _, s := range fs.splits {
			for _, l := range s.labels {
				sizes[l]++
			}
		}
		for g := range out {
			out[g] = make([]float64, 0, sizes[g])
		}
	}
	for k, s := range fs.splits {
		col := s.cols[j]
		if by == BySplit {
			out[k] = slices.Clone(finite(col, s.nonFinite[j]))
			continue
		}
		if s.labels == nil {
			continue
		}
		for r, v := range col {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				out[s.labels[r]] = append(out[s.labels[r]], v)
			}
		}
	}
	return out
}

// countRows counts the rows a grouping draws.
func countRows(fs *featureSet, by Grouping) int {
	n := 0
	for _, s := range fs.splits {
		if by == BySplit || s.labels != nil {
			n += s.n
		}
	}
	return n
}

// unlabelledSplits names the splits without labels.
func unlabelledSplits(fs *featureSet) []string {
	var out []string
	for _, s := range fs.splits {
		if s.labels == nil {
			out = append(out, s.name)
		}
	}
	return out
}
