// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// ScatterMatrixOptions styles ScatterMatrix.
type ScatterMatrixOptions struct {
	Title string // default "scatter matrix"
	// Features names the features of the rows and columns, in order; default all of them
	// when there are at most DefaultScatterFeatures.
	Features []string
	// ColorBy colours the points: ByClass (the default when some split has labels) or
	// BySplit.
	ColorBy Grouping
	// Sample is the most points drawn, a random sample of the rows (without replacement)
	// when there are more; default 1000, fewer with more panels, so that all panels
	// together draw about 4000 points (133 a panel for 6 features): the static picture
	// every displayed chart carries then renders in about two seconds (it takes about
	// half a millisecond a point). The subtitle says how many are drawn.
	Sample int
	// Seed seeds the sample; the same seed draws the same points. Default 1.
	Seed uint64
	// CellSize is the width and height of each panel; default 130.
	CellSize int
	Bins     int // bins of the histograms on the diagonal; default 20
}

// The scatter matrix's limits.
const (
	// DefaultScatterFeatures is the most features ScatterMatrix draws when
	// ScatterMatrixOptions.Features does not name them.
	DefaultScatterFeatures = 6
	// MaxScatterFeatures is the most features it draws at all: 64 panels.
	MaxScatterFeatures = 8
	// DefaultScatterSample is ScatterMatrixOptions.Sample's default, for few features.
	DefaultScatterSample = 1000
	// scatterPointBudget is the points all panels draw at most by default.
	scatterPointBudget = 4000
)

// BrushParam is the interval selection of ScatterMatrix: dragging in any panel selects
// the points inside in every panel.
const BrushParam = "brush"

// ScatterMatrix draws a scatter-plot matrix of the chosen features: a panel for every pair,
// the points coloured by class (or split), and on the diagonal each feature's histogram
// per class, drawn as densities over all rows (binned in Go). Dragging a rectangle in any
// panel (an interval brush) selects the points inside it and greys out the others in
// every panel; double-click clears it. Past Sample rows it draws a random sample of the
// rows, seeded by Seed, and says so. Points with a NaN or ±Inf value are left out of the
// panels of that feature; the subtitle counts them.
func ScatterMatrix(data Features, opts ScatterMatrixOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const what = "charts.ScatterMatrix"
	fs, err := featureSetOf(what, data)
	if err != nil {
		return vl.Chart{}, err
	}
	by, err := grouping(what, "opts.ColorBy", fs, opts.ColorBy)
	if err != nil {
		return vl.Chart{}, err
	}
	if opts.Features == nil && len(fs.names) > DefaultScatterFeatures {
		return vl.Chart{}, fmt.Errorf("%s: the data has %d features, more than a scatter matrix shows by default (%d); pick 2 to %d in opts.Features, e.g. the most shifted (FeatureShifts) or the most correlated (Correlations)", what, len(fs.names), DefaultScatterFeatures, MaxScatterFeatures)
	}
	features, err := fs.featureIndexes(what, "opts.Features", opts.Features)
	if err != nil {
		return vl.Chart{}, err
	}
	switch {
	case len(features) > MaxScatterFeatures:
		return vl.Chart{}, fmt.Errorf("%s: opts.Features names %d features; a scatter matrix shows at most %d (%d panels): pick fewer", what, len(features), MaxScatterFeatures, MaxScatterFeatures*MaxScatterFeatures)
	case len(features) < 2:
		return vl.Chart{}, fmt.Errorf("%s: a scatter matrix needs 2 features or more, the data has %d; draw one feature with Histogram or FeatureDistributions", what, len(features))
	}
	if opts.Sample < 0 || opts.CellSize < 0 || opts.Bins < 0 {
		return vl.Chart{}, fmt.Errorf("%s: opts.Sample, CellSize and Bins must not be negative", what)
	}
	if opts.Sample == 0 {
		panels := len(features) * (len(features) - 1)
		opts.Sample = min(DefaultScatterSample, max(100, scatterPointBudget/panels))
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.CellSize == 0 {
		opts.CellSize = 130
	}
	if opts.Bins == 0 {
		opts.Bins = 20
	}
	if opts.Title == "" {
		opts.Title = "scatter matrix"
	}
	groups := groupNames(fs, by)
	nf := len(features)
	// The diagonal's histograms take nf·groups·Bins rows; the points share the rest.
	histRows := nf * len(groups) * opts.Bins
	if histRows > chartRowBudget/2 {
		opts.Bins = max(5, chartRowBudget/2/(nf*len(groups)))
		histRows = nf * len(groups) * opts.Bins
	}
	sample := min(opts.Sample, chartRowBudget-histRows)

	// The rows that can be drawn: those with a group.
	type rowRef struct{ split, row int }
	total := countRows(fs, by)
	picked := sampleIndexes(total, sample, opts.Seed)
	refs := make([]rowRef, 0, len(picked))
	{
		k, offset := 0, 0
		for s, sp := range fs.splits {
			if by == ByClass && sp.labels == nil {
				continue
			}
			for k < len(picked) && picked[k] < offset+sp.n {
				refs = append(refs, rowRef{s, picked[k] - offset})
				k++
			}
			offset += sp.n
		}
	}
	cols := map[string]any{}
	keys := make([]string, nf) // column keys: plain names for Vega-Lite fields
	group := make([]string, len(refs))
	for i, r := range refs {
		sp := fs.splits[r.split]
		if by == ByClass {
			group[i] = groups[sp.labels[r.row]]
		} else {
			group[i] = sp.name
		}
	}
	cols["group"] = group
	for c, j := range features {
		keys[c] = "f" + strconv.Itoa(c)
		v := make([]float64, len(refs))
		for i, r := range refs {
			v[i] = round5(fs.splits[r.split].cols[j][r.row])
		}
		cols[keys[c]] = v
	}
	points := vl.Columns(cols).Compact().SilentGaps()

	// The diagonal: per feature and group, a histogram over all rows, as densities; each
	// diagonal panel carries its feature's rows.
	hists := make([]vl.Data, nf)
	for c, j := range features {
		var hGroup []string
		var hX0, hX1, hDen []float64
		vals := groupValues(fs, by, j, len(groups))
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range vals {
			for _, x := range v {
				lo, hi = min(lo, x), max(hi, x)
			}
		}
		for g, v := range vals {
			if len(v) == 0 || lo > hi {
				continue
			}
			sortFloats(v)
			edges, counts := binSorted([][]float64{v}, lo, hi, opts.Bins)
			for b, n := range counts[0] {
				w := edges[b+1] - edges[b]
				hGroup = append(hGroup, groups[g])
				hX0, hX1 = append(hX0, round5(edges[b])), append(hX1, round5(edges[b+1]))
				hDen = append(hDen, round5(float64(n)/(float64(len(v))*w)))
			}
		}
		hists[c] = vl.Columns(map[string]any{"group": hGroup, "x0": hX0, "x1": hX1, "density": hDen}).Compact()
	}

	groupTitle := string(by)
	palette := groupPalette(len(groups))
	colorScale := vl.Scale{}.Domain(groups).Range(palette)
	legend := vl.Legend{}.Orient("top").Direction("horizontal").LabelLimit(0).SymbolOpacity(1)
	size := opts.CellSize
	pointSize := 14.0
	if len(refs) > 500 {
		pointSize = 8
	}
	// About one tick per 45 px: labels such as "1,500" keep apart in a small panel.
	ticks := max(2, size/45)
	axisFor := func(name string, show bool) vl.Axis {
		if !show {
			return vl.Axis{}.Labels(false).Ticks(false).Title(nil).TickCount(ticks)
		}
		return vl.Axis{}.TickCount(ticks).LabelFlush(true).LabelSeparation(4).Title(name)
	}
	var rowsOfCells []vl.Chart
	var views []string
	for r, jr := range features {
		var cells []vl.Chart
		for c, jc := range features {
			xName, yName := fs.names[jc], fs.names[jr]
			xAxis := axisFor(xName, r == nf-1)
			if r == c {
				yAxis := vl.Axis{}.Labels(false).Ticks(false).Title(nil).TickCount(ticks)
				bars := vl.NewChart().Data(hists[c]).
					Mark(vl.Bar().FillOpacity(0.45).StrokeWidth(1).BinSpacing(0)).
					Encode(
						vl.X("x0:Q").Bin(vl.BinParams{}.Binned(true)).Scale(vl.Scale{}.Zero(false)).Axis(xAxis),
						vl.X2("x1"),
						vl.Y("density:Q").Stack(nil).Axis(yAxis),
						vl.Color("group:N").Title(groupTitle).Sort(groups).Scale(colorScale).Legend(legend),
						vl.Stroke("group:N").Title(groupTitle).Sort(groups).Scale(colorScale).Legend(legend),
						vl.Tooltip(vl.Field("group").Nominal().Title(groupTitle),
							vl.Field("x0").Quantitative().Format(".4~g").Title("from"),
							vl.Field("x1").Quantitative().Format(".4~g").Title("to"),
							vl.Field("density").Quantitative().Format(".3~g")),
					)
				cell := bars.Width(size).Height(size)
				if c == 0 {
					// The first row's scatter panels share its y scale, the feature's values,
					// not the density: the axis of the row is drawn on the diagonal panel by
					// an invisible layer of the points on that scale.
					rowAxis := vl.NewChart().Mark(vl.Point().Opacity(0).Size(1).Aria(false)).Encode(
						vl.X(vl.Field(keys[c]).Quantitative()).Scale(vl.Scale{}.Zero(false)).Axis(xAxis),
						vl.Y(vl.Field(keys[r]).Quantitative()).Scale(vl.Scale{}.Zero(false)).Axis(axisFor(yName, true)))
					cell = vl.Layer(bars.Encode(vl.Y("density:Q").Stack(nil).NoAxis()), rowAxis).
						ResolveScale("y", "independent").Width(size).Height(size)
				}
				cells = append(cells, cell)
				continue
			}
			name := fmt.Sprintf("cell_%d_%d", r, c)
			views = append(views, name)
			// aria off: a label per point (most of the static SVG's bytes) reads nothing
			// useful aloud for hundreds of points; the chart's description stays.
			cell := vl.NewChart().Name(name).
				Mark(vl.Point().Filled(true).Size(pointSize).Opacity(0.7).Aria(false)).
				Encode(
					vl.X(vl.Field(keys[c]).Quantitative()).Scale(vl.Scale{}.Zero(false)).Axis(axisFor(xName, r == nf-1)),
					vl.Y(vl.Field(keys[r]).Quantitative()).Scale(vl.Scale{}.Zero(false)).Axis(axisFor(yName, c == 0)),
					vl.Color(vl.If(vl.Not(vl.Selected(BrushParam)), vl.Value("#d0d0d0"), "group:N")).Title(groupTitle).Sort(groups).Scale(colorScale).Legend(legend),
					vl.Tooltip(vl.Field("group").Nominal().Title(groupTitle),
						vl.Field(keys[c]).Quantitative().Format(".4~g").Title(xName),
						vl.Field(keys[r]).Quantitative().Format(".4~g").Title(yName)),
				).Width(size).Height(size)
			cells = append(cells, cell)
		}
		rowsOfCells = append(rowsOfCells, vl.HConcat(cells...).Spacing(6))
	}
	brush := vl.SelectInterval(BrushParam).Resolve("global").Views(views...).
		BrushMark(map[string]any{"fill": "#888", "fillOpacity": 0.12, "stroke": "#333"})

	sub := fmt.Sprintf("%s in %d %s", countText(total, "row"), len(groups), plural(len(groups), groupTitle))
	if len(refs) < total {
		sub += fmt.Sprintf(" · %s drawn, a random sample (seed %d)", formatThousands(len(refs)), opts.Seed)
	}
	sub += " · diagonal: each feature's density per " + groupTitle + ", over all rows"
	if by == ByClass {
		if left := unlabelledSplits(fs); len(left) > 0 {
			sub += " · without labels, left out: " + strings.Join(left, ", ")
		}
	}
	if nfNote := fs.nonFiniteNote(features); nfNote != "" {
		sub += " · " + nfNote
	}
	width := nf*(size+6) + 60
	chart = vl.VConcat(rowsOfCells...).Spacing(6).Data(points).Params(brush).
		ResolveScale("color", "shared").
		Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitle(sub, width)))
	return chart, nil
}

// sampleIndexes returns k indexes of 0..n-1 drawn without replacement with a PCG seeded
// by seed (Floyd's algorithm), sorted; all of them when k >= n.
func sampleIndexes(n, k int, seed uint64) []int {
	if k >= n {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	chosen := make(map[int]bool, k)
	out := make([]int, 0, k)
	for j := n - k; j < n; j++ {
		t := rng.IntN(j + 1)
		if chosen[t] {
			t = j
		}
		chosen[t] = true
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}
