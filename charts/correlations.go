// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"math"
	"slices"
	"strings"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// CorrelationsOptions styles Correlations.
type CorrelationsOptions struct {
	Title string // default "feature correlations (Pearson)"
	// Features names the features, in order; default all of them, up to
	// MaxCorrelationFeatures.
	Features []string
	// Split names the split whose rows are correlated; default the rows of every split.
	Split string
	// CellSize is the side of a cell; default 28, smaller for many features.
	CellSize int
}

// MaxCorrelationFeatures is the most features Correlations draws: a cell per pair, and a
// chart carries at most about 4500 rows.
const MaxCorrelationFeatures = 64

// correlation is the Pearson correlation of two features, over the rows where both are
// finite.
type correlation struct {
	R float64 // the correlation, -1..1; NaN when either feature is constant over the rows
	N int     // the rows where both are finite
}

// Correlations draws the Pearson correlations of the features as a heatmap, a cell per
// pair coloured from -1 (blue) through 0 (white) to 1 (orange), with the correlation and
// the rows it is computed over on hover (and in the cells, for up to 12 features). Each
// pair's correlation is computed in Go over the rows where both are finite (NaN and ±Inf
// left out, as pandas' DataFrame.corr does); a constant feature has no correlation: its
// cells are left blank and it is named in the subtitle.
func Correlations(data Features, opts CorrelationsOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const what = "charts.Correlations"
	fs, err := featureSetOf(what, data)
	if err != nil {
		return vl.Chart{}, err
	}
	features, err := fs.featureIndexes(what, "opts.Features", opts.Features)
	if err != nil {
		return vl.Chart{}, err
	}
	if len(features) > MaxCorrelationFeatures {
		return vl.Chart{}, fmt.Errorf("%s: %d features make more cells than a chart carries (at most %d features, %d cells); pick some in opts.Features",
			what, len(features), MaxCorrelationFeatures, MaxCorrelationFeatures*MaxCorrelationFeatures)
	}
	splits := fs.splits
	if opts.Split != "" {
		k := slices.IndexFunc(fs.splits, func(s splitColumns) bool { return s.name == opts.Split })
		if k < 0 {
			return vl.Chart{}, fmt.Errorf("%s: opts.Split is %q, which is not a split; the splits are %s", what, opts.Split, quoteList(groupNames(fs, BySplit), 8))
		}
		splits = fs.splits[k : k+1]
	}
	if opts.CellSize < 0 {
		return vl.Chart{}, fmt.Errorf("%s: opts.CellSize must not be negative", what)
	}
	nf := len(features)
	if opts.CellSize == 0 {
		opts.CellSize = min(28, max(8, 560/nf))
	}
	if opts.Title == "" {
		opts.Title = "feature correlations (Pearson)"
	}
	corr := correlationMatrix(splits, features)
	rows := 0
	for _, s := range splits {
		rows += s.n
	}

	names := make([]string, nf)
	for i, j := range features {
		names[i] = fs.names[j]
	}
	var ca, cb []string
	var cr []float64
	var cn []int
	var constant []string
	for a := range nf {
		if math.IsNaN(corr[a*nf+a].R) {
			constant = append(constant, names[a])
		}
		for b := range nf {
			c := corr[a*nf+b]
			ca, cb = append(ca, names[a]), append(cb, names[b])
			cr, cn = append(cr, math.Round(c.R*1000)/1000), append(cn, c.N)
		}
	}
	cells := vl.Columns(map[string]any{"a": ca, "b": cb, "r": cr, "n": cn}).Compact().SilentGaps()
	side := nf * opts.CellSize
	x := vl.X("a:N").Sort(names).Title(nil).Axis(vl.Axis{}.LabelAngle(-90).LabelLimit(0).Grid(false))
	y := vl.Y("b:N").Sort(names).Title(nil).Axis(vl.Axis{}.LabelLimit(0).Grid(false))
	// An axis of feature names needs no title; the chart's title says what they are.
	heat := vl.NewChart().Transform(vl.Filter("isValid(datum.r)")).
		Mark(vl.Rect().Stroke("white").StrokeWidth(0.5)).
		Encode(x, y,
			vl.Color("r:Q").Title("r").Scale(vl.Scale{}.Scheme("blueorange").Domain([]float64{-1, 1})).
				Legend(vl.Legend{}.GradientLength(float64(max(120, min(side, 240)))).Values([]float64{-1, -0.5, 0, 0.5, 1})),
			vl.Tooltip(vl.Field("a").Nominal().Title("feature"), vl.Field("b").Nominal().Title("and"),
				vl.Field("r").Quantitative().Format(".3f").Title("Pearson r"),
				vl.Field("n").Quantitative().Format(",d").Title("rows")),
		)
	layers := []vl.Chart{heat}
	if nf <= 12 && opts.CellSize >= 24 {
		layers = append(layers, vl.NewChart().Transform(vl.Filter("isValid(datum.r)")).
			Mark(vl.Text().FontSize(min(11, float64(opts.CellSize)/2.6))).
			Encode(x, y, vl.TextOf("r:Q").Format(".2f"),
				vl.Color(vl.If(vl.Test("abs(datum.r) > 0.6"), vl.Value("white"), vl.Value("#222")))))
	}
	what2 := "every split"
	if len(splits) == 1 {
		what2 = splits[0].name
	}
	if len(fs.splits) == 1 {
		what2 = "all rows"
	}
	sub := fmt.Sprintf("%s (%s) · each pair over the rows where both are finite", countText(rows, "row"), what2)
	if nfNote := nonFiniteNoteOf(fs, splits, features); nfNote != "" {
		sub += " · " + nfNote
	}
	if len(constant) > 0 {
		sub += " · constant, no correlation (blank): " + strings.Join(constant, ", ")
	}
	chart = vl.Layer(layers...).Data(cells).Width(side).Height(side).
		Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitle(sub, max(side+160, 360))))
	return chart, nil
}

// nonFiniteNoteOf is featureSet.nonFiniteNote over some of the splits.
func nonFiniteNoteOf(fs *featureSet, splits []splitColumns, features []int) string {
	sub := *fs
	sub.splits = splits
	return sub.nonFiniteNote(features)
}

// correlationMatrix is the nf×nf Pearson correlations of the features over the rows of
// the splits, each pair over the rows where both are finite, in parallel by row of the
// matrix. The sums are of the values less the column's mean, for precision.
func correlationMatrix(splits []splitColumns, features []int) []correlation {
	nf := len(features)
	// Per feature: the mean of its finite values, and whether all are finite.
	means := make([]float64, nf)
	clean := make([]bool, nf)
	for i, j := range features {
		var sum float64
		n := 0
		clean[i] = true
		for _, s := range splits {
			for _, v := range s.cols[j] {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					sum += v
					n++
				}
			}
			clean[i] = clean[i] && s.nonFinite[j].total() == 0
		}
		means[i] = sum / float64(max(n, 1))
	}
	out := make([]correlation, nf*nf)
	parallelFor(nf, func(a int) {
		for b := a; b < nf; b++ {
			var n int
			var sx, sy, sxx, syy, sxy float64
			ma, mb := means[a], means[b]
			for _, s := range splits {
				xs, ys := s.cols[features[a]], s.cols[features[b]]
				if clean[a] && clean[b] {
					n += len(xs)
					for r, x := range xs {
						dx, dy := x-ma, ys[r]-mb
						sx += dx
						sy += dy
						sxx += dx * dx
						syy += dy * dy
						sxy += dx * dy
					}
					continue
				}
				for r, x := range xs {
					y := ys[r]
					if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
						continue
					}
					dx, dy := x-ma, y-mb
					n++
					sx += dx
					sy += dy
					sxx += dx * dx
					syy += dy * dy
					sxy += dx * dy
				}
			}
			c := correlation{R: math.NaN(), N: n}
			if n > 1 {
				fn := float64(n)
				vx, vy := sxx-sx*sx/fn, syy-sy*sy/fn
				if vx > 0 && vy > 0 {
					c.R = max(-1, min(1, (sxy-sx*sy/fn)/math.Sqrt(vx*vy)))
				}
			}
			out[a*nf+b], out[b*nf+a] = c, c
		}
	})
	return out
}
