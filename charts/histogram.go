// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gonbviz/gonbviz/internal/histo"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// DefaultHistogramBins is the number of bins of a histogram when none is asked for, as in
// TensorBoard.
const DefaultHistogramBins = 30

// HistogramOptions styles a histogram.
type HistogramOptions struct {
	Bins   int    // number of equal-width bins over the finite min..max; default 30
	Title  string // default "histogram"
	XTitle string // the values' axis title; default "value"
	Width  int    // default 480
	Height int    // default 240

	// Groups, optional, gives each value a group, as matplotlib's hist of several arrays
	// or seaborn's hue: a []int, []int32, []int64 or []string as long as values (the
	// elements of a tensor, in order). Each group gets a histogram of its own colour, on
	// bins common to all.
	Groups any
	// GroupNames names the groups of integer Groups: GroupNames[g] names group g (0, 1,
	// ...); default the numbers. String groups are named by themselves.
	GroupNames []string
	// GroupTitle titles the groups' legend; default "group".
	GroupTitle string
	// Stacked stacks the groups' bars; by default they are overlaid, translucent. It
	// does nothing without Groups.
	Stacked bool
	// Density draws densities, count / (values × bin width), instead of counts, so that
	// the bars' area is 1: each group's when overlaid, the whole stack's when Stacked.
	Density bool
	// LogY draws the y axis on a log scale, bars from the bottom of the plot; empty bins
	// are left out.
	LogY bool
}

// Histogram draws the histogram of values, like matplotlib's plt.hist: values is a
// []float32, []float64, []int, []int32, []int64 or a GoMLX *tensors.Tensor (any real
// dtype, all its elements). The bins are computed here, in parallel, so the chart carries
// a few dozen rows (bin_start, bin_end, count), never the raw values. Hovering a bar shows
// its range and count; dragging on the chart pans the x axis and the mouse wheel zooms it
// (double-click resets). NaN and ±Inf values are not drawn: the subtitle counts them.
//
// With HistogramOptions.Groups it draws a histogram per group (a label per value) on
// common bins, overlaid or Stacked; Density draws densities instead of counts, LogY a log
// y scale.
func Histogram(values any, opts HistogramOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	if opts.Bins == 0 {
		opts.Bins = DefaultHistogramBins
	}
	if opts.Bins < 0 {
		return vl.Chart{}, fmt.Errorf("charts.Histogram: HistogramOptions.Bins must be positive (or 0 for %d), got %d", DefaultHistogramBins, opts.Bins)
	}
	if opts.Width == 0 {
		opts.Width = 480
	}
	if opts.Height == 0 {
		opts.Height = 240
	}
	if opts.Title == "" {
		opts.Title = "histogram"
	}
	if opts.XTitle == "" {
		opts.XTitle = "value"
	}
	if opts.Groups != nil || opts.GroupNames != nil || opts.Density || opts.LogY {
		return groupedHistogram(values, opts)
	}
	r, n, err := computeHistogram(values, opts.Bins)
	if err != nil {
		return vl.Chart{}, fmt.Errorf("charts.Histogram: %w", err)
	}
	if r.Count == 0 {
		what := "values is empty"
		if n > 0 {
			what = fmt.Sprintf("all %d values are NaN or ±Inf (%s)", n, nonFiniteText(r))
		}
		return vl.Chart{}, fmt.Errorf("charts.Histogram: no finite values to draw: %s", what)
	}
	bins := len(r.Counts)
	start, end := make([]float64, bins), make([]float64, bins)
	for i := range bins {
		start[i], end[i] = r.Edges[i], r.Edges[i+1]
	}
	cols := map[string]any{"bin_start": start, "bin_end": end, "count": r.Counts}
	sub := fmt.Sprintf("%d values, min %.4g, max %.4g", r.Count, r.Min, r.Max)
	if nf := nonFiniteText(r); nf != "" {
		sub += " · " + nf + " not drawn"
	}
	chart = vl.NewChart().
		Data(vl.Columns(cols).Compact()).
		Mark(vl.Bar().Stroke("white").StrokeWidth(0.5)).
		Encode(
			// The bins are computed here: bin {binned: true} makes x and x2 the bars' edges.
			// Without it a bar with a ranged x is horizontal, and y places thin dashes.
			vl.X("bin_start:Q").Bin(vl.BinParams{}.Binned(true)).Title(opts.XTitle).Scale(vl.Scale{}.Zero(false)),
			vl.X2("bin_end"),
			vl.Y("count:Q").Title("count").Scale(vl.Scale{}.Zero(true)),
			vl.Tooltip(
				vl.Field("bin_start").Quantitative().Format(".4~g").Title("from"),
				vl.Field("bin_end").Quantitative().Format(".4~g").Title("to"),
				vl.Field("count").Quantitative().Format(",d"),
			),
		).
		Params(vl.SelectInterval("zoom").Encodings("x").BindScales()).
		Width(opts.Width).Height(opts.Height).
		Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitle(sub, opts.Width+60)))
	return chart, nil
}

// nonFiniteText names the non-finite counts: "3 NaN and 1 +Inf".
func nonFiniteText(r histo.Result) string {
	var parts []string
	for _, p := range []struct {
		n    int64
		name string
	}{{r.NaN, "NaN"}, {r.PosInf, "+Inf"}, {r.NegInf, "-Inf"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.name))
		}
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// computeHistogram bins values of any supported type; n is the number of values.
func computeHistogram(values any, bins int) (histo.Result, int, error) {
	switch v := values.(type) {
	case nil:
		return histo.Result{}, 0, errors.New("values is nil")
	case []float32:
		r, err := histo.Compute(v, bins, histo.Options{})
		return r, len(v), err
	case []float64:
		r, err := histo.Compute(v, bins, histo.Options{})
		return r, len(v), err
	case []int:
		return computeConverted(v, bins)
	case []int32:
		return computeConverted(v, bins)
	case []int64:
		return computeConverted(v, bins)
	case *tensors.Tensor:
		if v == nil {
			return histo.Result{}, 0, errors.New("values is a nil *tensors.Tensor")
		}
		var (
			r     histo.Result
			n     int
			inner error
		)
		err := v.ConstFlatData(func(flat any) {
			switch f := flat.(type) {
			case []float32, []float64:
				r, n, inner = computeHistogram(f, bins)
			default:
				r, n, inner = computeReflected(flat, bins)
			}
		})
		if err != nil {
			return histo.Result{}, 0, fmt.Errorf("values: reading the tensor %s: %w", v.Shape(), err)
		}
		if inner != nil {
			return histo.Result{}, 0, fmt.Errorf("values (tensor %s): %w", v.Shape(), inner)
		}
		return r, n, nil
	}
	return histo.Result{}, 0, fmt.Errorf("values has type %T; want []float32, []float64, []int, []int32, []int64 or *tensors.Tensor", values)
}

func computeConverted[T int | int32 | int64](v []T, bins int) (histo.Result, int, error) {
	f := make([]float64, len(v))
	for i, x := range v {
		f[i] = float64(x)
	}
	r, err := histo.Compute(f, bins, histo.Options{})
	return r, len(v), err
}

// computeReflected handles the flat data of tensors of other dtypes: integers, and
// half-precision floats (types with a Float32 method).
func computeReflected(flat any, bins int) (histo.Result, int, error) {
	f, err := floatsOf(flat)
	if err != nil {
		return histo.Result{}, 0, err
	}
	r, err := histo.Compute(f, bins, histo.Options{})
	return r, len(f), err
}
