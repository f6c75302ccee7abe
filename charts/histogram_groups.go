// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gonbviz/gonbviz/internal/histo"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// groupedHistogram is Histogram with groups, densities or a log scale. opts has its
// defaults.
func groupedHistogram(values any, opts HistogramOptions) (vl.Chart, error) {
	const what = "charts.Histogram"
	all, err := flattenValues(values)
	if err != nil {
		return vl.Chart{}, fmt.Errorf("%s: %w", what, err)
	}
	r, err := histo.Compute(all, opts.Bins, histo.Options{})
	if err != nil {
		return vl.Chart{}, fmt.Errorf("%s: %w", what, err)
	}
	if r.Count == 0 {
		reason := "values is empty"
		if len(all) > 0 {
			reason = fmt.Sprintf("all %d values are NaN or ±Inf (%s)", len(all), nonFiniteText(r))
		}
		return vl.Chart{}, fmt.Errorf("%s: no finite values to draw: %s", what, reason)
	}
	names, index, err := histogramGroups(opts, len(all))
	if err != nil {
		return vl.Chart{}, fmt.Errorf("%s: %w", what, err)
	}
	// Each group's histogram on the common bins.
	bins := len(r.Counts)
	lo, hi := r.Edges[0], r.Edges[bins]
	perGroup := make([][]float64, len(names))
	if index == nil {
		perGroup[0] = all
	} else {
		for i, v := range all {
			perGroup[index[i]] = append(perGroup[index[i]], v)
		}
	}
	counts := make([][]int64, len(names))
	totals := make([]int64, len(names))
	for g, v := range perGroup {
		if index == nil {
			counts[g], totals[g] = r.Counts, r.Count
			continue
		}
		gr, err := histo.Compute(v, bins, histo.Options{Lo: lo, Hi: hi})
		if err != nil {
			return vl.Chart{}, fmt.Errorf("%s: %w", what, err)
		}
		counts[g], totals[g] = gr.Counts, gr.Count
	}

	// The rows: a bar per bin and group, its count, density and, stacked, its ends.
	field, yTitle := "count", "count"
	if opts.Density {
		field, yTitle = "density", "density"
	}
	grouped := index != nil
	stacked := opts.Stacked && grouped
	var (
		colStart, colEnd, colDen, colY0, colY1 []float64
		colCount                               []int64
		colGroup                               []string
		positive                               []any // the y values drawn, for a log scale's domain
	)
	value := func(c int64, b, g int) float64 {
		if !opts.Density {
			return float64(c)
		}
		n := totals[g]
		if stacked {
			n = r.Count
		}
		return float64(c) / (float64(n) * (r.Edges[b+1] - r.Edges[b]))
	}
	for b := range bins {
		cum := 0.0
		for g := range names {
			c := counts[g][b]
			v := value(c, b, g)
			if opts.LogY && c == 0 {
				continue // log(0) has no place; the bar is empty anyway
			}
			colStart, colEnd = append(colStart, r.Edges[b]), append(colEnd, r.Edges[b+1])
			colCount, colDen = append(colCount, c), append(colDen, round5(value(c, b, g)))
			colGroup = append(colGroup, names[g])
			colY0, colY1 = append(colY0, round5(cum)), append(colY1, round5(cum+v))
			cum += v
			if c > 0 && stacked {
				positive = append(positive, round5(cum))
			} else if c > 0 {
				positive = append(positive, round5(v))
			}
		}
	}
	cols := map[string]any{"bin_start": colStart, "bin_end": colEnd, "count": colCount}
	if opts.Density {
		cols["density"] = colDen
	}
	if grouped {
		cols["group"] = colGroup
	}
	y := vl.Y(field + ":Q").Title(yTitle).Stack(nil)
	var y2 vl.Enc
	if stacked {
		cols["y0"], cols["y1"] = colY0, colY1
		y = vl.Y("y1:Q").Title(yTitle)
		y2 = vl.Y2("y0")
	}
	if opts.LogY {
		// The domain starts at the power of ten at or below half the lowest bar's top, so
		// that the lowest bar has a height; the bars stand on it (a stack's first bar).
		minPos := math.Inf(1)
		for _, v := range positive {
			minPos = min(minPos, v.(float64))
		}
		floor, _ := strconv.ParseFloat(fmt.Sprintf("1e%d", int(math.Floor(math.Log10(minPos/2)))), 64)
		domainValues := append(positive, minPos/2)
		if stacked {
			for i := range colY0 {
				if colY0[i] == 0 {
					colY0[i] = floor
				}
			}
			y = logAxisY("y1", yTitle, domainValues, opts.Height)
			y2 = vl.Y2("y0")
		} else {
			y = logAxisY(field, yTitle, domainValues, opts.Height).Stack(nil)
			y2 = vl.Y2(vl.Datum(floor))
		}
	}
	tips := []any{
		vl.Field("bin_start").Quantitative().Format(".4~g").Title("from"),
		vl.Field("bin_end").Quantitative().Format(".4~g").Title("to"),
	}
	groupTitle := cmp.Or(opts.GroupTitle, "group")
	if grouped {
		tips = append(tips, vl.Field("group").Nominal().Title(groupTitle))
	}
	tips = append(tips, vl.Field("count").Quantitative().Format(",d"))
	if opts.Density {
		tips = append(tips, vl.Field("density").Quantitative().Format(".4~g"))
	}
	enc := []vl.Enc{
		vl.X("bin_start:Q").Bin(vl.BinParams{}.Binned(true)).Title(opts.XTitle).Scale(vl.Scale{}.Zero(false)).Axis(spacedAxis(opts.Width)),
		vl.X2("bin_end"), y, vl.Tooltip(tips...),
	}
	if y2.Channel() != "" {
		enc = append(enc, y2)
	}
	mark := vl.Bar().Stroke("white").StrokeWidth(0.5)
	if grouped {
		scale := vl.Scale{}.Domain(names).Range(groupPalette(len(names)))
		legend := vl.Legend{}.Orient("top-right").LabelLimit(0).SymbolOpacity(1)
		enc = append(enc, vl.Color("group:N").Title(groupTitle).Sort(names).Scale(scale).Legend(legend))
		if !stacked {
			mark = vl.Bar().FillOpacity(0.4).StrokeWidth(1.2).BinSpacing(0)
			enc = append(enc, vl.Stroke("group:N").Title(groupTitle).Sort(names).Scale(scale).Legend(legend))
		}
	}
	sub := fmt.Sprintf("%d values, min %.4g, max %.4g", r.Count, r.Min, r.Max)
	if grouped {
		how := "overlaid"
		if stacked {
			how = "stacked"
		}
		sub = fmt.Sprintf("%d values in %d groups (%s), min %.4g, max %.4g", r.Count, len(names), how, r.Min, r.Max)
	}
	switch {
	case opts.Density && stacked:
		sub += " · densities: the stack's area is 1"
	case opts.Density && grouped:
		sub += " · densities: each group's area is 1"
	case opts.Density:
		sub += " · densities: the area is 1"
	}
	if opts.LogY {
		sub += " · log scale"
	}
	if nf := nonFiniteText(r); nf != "" {
		sub += " · " + nf + " not drawn"
	}
	chart := vl.NewChart().
		Data(vl.Columns(cols).Compact()).
		Mark(mark).
		Encode(enc...).
		Params(vl.SelectInterval("zoom").Encodings("x").BindScales()).
		Width(opts.Width).Height(opts.Height).
		Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitle(sub, opts.Width+60)))
	return chart, nil
}

// histogramGroups reads HistogramOptions.Groups: the groups' names, and each value's
// group (nil without groups: one group).
func histogramGroups(opts HistogramOptions, n int) (names []string, index []int, err error) {
	if opts.Groups == nil {
		if opts.GroupNames != nil {
			return nil, nil, errors.New("HistogramOptions.GroupNames is set without Groups; pass Groups, a group per value")
		}
		return []string{""}, nil, nil
	}
	var ints []int
	switch g := opts.Groups.(type) {
	case []int:
		ints = g
	case []int32:
		ints = convertInts(g)
	case []int64:
		ints = convertInts(g)
	case []string:
		if len(g) != n {
			return nil, nil, fmt.Errorf("HistogramOptions.Groups has %d groups for %d values; pass one per value", len(g), n)
		}
		if opts.GroupNames != nil {
			return nil, nil, errors.New("HistogramOptions.GroupNames names integer groups; string Groups name themselves")
		}
		seen := map[string]bool{}
		for _, s := range g {
			if !seen[s] {
				seen[s] = true
				names = append(names, s)
			}
		}
		sortLabels(names)
		if len(names) > maxClasses {
			return nil, nil, fmt.Errorf("HistogramOptions.Groups has %d distinct groups, more than a chart tells apart (%d)", len(names), maxClasses)
		}
		code := make(map[string]int, len(names))
		for i, s := range names {
			code[s] = i
		}
		index = make([]int, n)
		for i, s := range g {
			index[i] = code[s]
		}
		return names, index, nil
	default:
		return nil, nil, fmt.Errorf("HistogramOptions.Groups has type %T; want []int, []int32, []int64 or []string, a group per value", opts.Groups)
	}
	if len(ints) != n {
		return nil, nil, fmt.Errorf("HistogramOptions.Groups has %d groups for %d values; pass one per value", len(ints), n)
	}
	var distinct []int
	seen := map[int]bool{}
	for i, g := range ints {
		if g < 0 {
			return nil, nil, fmt.Errorf("HistogramOptions.Groups[%d] is %d; integer groups count from 0", i, g)
		}
		if opts.GroupNames != nil && g >= len(opts.GroupNames) {
			return nil, nil, fmt.Errorf("HistogramOptions.Groups[%d] is %d, but GroupNames names %d groups", i, g, len(opts.GroupNames))
		}
		if !seen[g] {
			seen[g] = true
			distinct = append(distinct, g)
		}
	}
	slices.Sort(distinct)
	if len(distinct) > maxClasses {
		return nil, nil, fmt.Errorf("HistogramOptions.Groups has %d distinct groups, more than a chart tells apart (%d)", len(distinct), maxClasses)
	}
	pos := make(map[int]int, len(distinct))
	for i, g := range distinct {
		pos[g] = i
		if opts.GroupNames != nil {
			names = append(names, opts.GroupNames[g])
		} else {
			names = append(names, strconv.Itoa(g))
		}
	}
	index = make([]int, n)
	for i, g := range ints {
		index[i] = pos[g]
	}
	return names, index, nil
}

func convertInts[T int32 | int64](v []T) []int {
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out
}

// flattenValues returns the values Histogram takes as []float64 (a copy unless they are
// one).
func flattenValues(values any) ([]float64, error) {
	switch v := values.(type) {
	case nil:
		return nil, errors.New("values is nil")
	case []float64:
		return v, nil
	case []float32:
		return floatsOf(v)
	case []int:
		return floatsOf(v)
	case []int32:
		return floatsOf(v)
	case []int64:
		return floatsOf(v)
	case *tensors.Tensor:
		if v == nil {
			return nil, errors.New("values is a nil *tensors.Tensor")
		}
		var out []float64
		var inner error
		err := v.ConstFlatData(func(flat any) { out, inner = floatsOf(flat) })
		if err != nil {
			return nil, fmt.Errorf("values: reading the tensor %s: %w", v.Shape(), err)
		}
		if inner != nil {
			return nil, fmt.Errorf("values (tensor %s): %w", v.Shape(), inner)
		}
		return out, nil
	}
	return nil, fmt.Errorf("values has type %T; want []float32, []float64, []int, []int32, []int64 or *tensors.Tensor", values)
}
