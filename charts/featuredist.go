// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"math"
	"strings"

	"github.com/gonbviz/gonbviz/internal/textwrap"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// FeatureParam is the parameter of FeatureDistributions' drop-down: the feature shown.
const FeatureParam = "feature"

// FeatureDistributionsOptions styles FeatureDistributions.
type FeatureDistributionsOptions struct {
	Title string // default "features across splits"
	// Features names the features to draw; default all of them, as many as the chart's
	// rows allow (it says when there are more).
	Features []string
	// Bins is the number of bins of each feature's histogram; default 30, or fewer when
	// many features and splits share the chart's rows.
	Bins int
	// Shift says which split the others are compared with and when a feature is flagged.
	Shift ShiftOptions
	// Width and Height of the histogram; default 420 and 240.
	Width, Height int
}

// maxRankedFeatures is the most features the ranking beside the histogram lists.
const maxRankedFeatures = 30

// FeatureDistributions draws how each feature is distributed in each split (train,
// validation, test): per feature, the splits' histograms on common bins overlaid as
// densities (each split's area is 1, so split sizes do not matter), a drop-down to pick
// the feature, and beside it the features ranked by how much the splits differ: the
// two-sample Kolmogorov–Smirnov statistic D of each split against the reference
// (FeatureShifts; the largest D over the splits). A line under the chart names the
// shifted features, those with a KS p-value below ShiftOptions.Alpha (0.01) for some
// split. The drop-down opens on the most shifted feature. NaN and ±Inf values are not
// drawn; the subtitle counts them per feature. A constant feature is drawn as one bin,
// and named.
func FeatureDistributions(data Features, opts FeatureDistributionsOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const what = "charts.FeatureDistributions"
	fs, err := featureSetOf(what, data)
	if err != nil {
		return vl.Chart{}, err
	}
	features, err := fs.featureIndexes(what, "opts.Features", opts.Features)
	if err != nil {
		return vl.Chart{}, err
	}
	ref, alpha, err := shiftSettings(what, "opts.Shift", fs, opts.Shift)
	if err != nil {
		return vl.Chart{}, err
	}
	if opts.Width == 0 {
		opts.Width = 420
	}
	if opts.Height == 0 {
		opts.Height = 240
	}
	if opts.Width < 0 || opts.Height < 0 || opts.Bins < 0 {
		return vl.Chart{}, fmt.Errorf("%s: opts.Width, Height and Bins must not be negative (got %d, %d, %d)", what, opts.Width, opts.Height, opts.Bins)
	}
	if opts.Title == "" {
		opts.Title = "features across splits"
	}
	// The rows: a histogram per feature and split, and a ranking row per feature.
	nf, ns := len(features), len(fs.splits)
	bins := opts.Bins
	if bins == 0 {
		bins = min(DefaultHistogramBins, (chartRowBudget-nf)/(nf*ns))
	}
	const minBins = 8
	if bins < minBins || nf*ns*bins+nf > chartRowBudget {
		most := (chartRowBudget) / (ns*max(opts.Bins, minBins) + 1)
		return vl.Chart{}, fmt.Errorf("%s: %d features in %d splits with %d bins make more rows than a chart carries (%d); pick at most %d features in opts.Features (FeatureShifts ranks them), or fewer Bins",
			what, nf, ns, max(bins, minBins), chartRowBudget, most)
	}
	sums := summarize(fs, features, ref, bins)
	shifts := rankShifts(fs, sums, ref, alpha)

	// Per feature: the largest D over the splits, its p-value, and whether any split is
	// shifted; features ranked by that D.
	ranks := map[int]*featureRank{}
	var order []int
	for _, s := range sums {
		ranks[s.index] = &featureRank{feature: fs.names[s.index], d: math.NaN(), p: math.NaN()}
	}
	for _, sh := range shifts { // ranked: the first of a feature is its largest D
		r := ranks[sh.Index]
		if !r.comparing {
			order = append(order, sh.Index)
			r.comparing = true
			r.d, r.p, r.split = sh.Statistic, sh.PValue, sh.Split
		}
		r.shifted = r.shifted || sh.Shifted
	}
	if len(order) == 0 { // one split: the features in their order
		for _, s := range sums {
			order = append(order, s.index)
		}
	}

	// The histograms, long format.
	var (
		colFeature, colSplit []string
		colX0, colX1, colDen []float64
		colCount             []int64
		notes                []string
		drawn                []string // the features with values, in rank order
	)
	byIndex := map[int]featureSummary{}
	for _, s := range sums {
		byIndex[s.index] = s
	}
	for _, j := range order {
		s := byIndex[j]
		name := fs.names[j]
		if s.edges == nil {
			notes = append(notes, name+": no finite values")
			continue
		}
		drawn = append(drawn, name)
		if s.constant() {
			notes = append(notes, fmt.Sprintf("%s is constant (%.4g)", name, s.min))
		}
		for k, sp := range fs.splits {
			if s.finite[k] == 0 {
				continue
			}
			for b, c := range s.counts[k] {
				w := s.edges[b+1] - s.edges[b]
				colFeature, colSplit = append(colFeature, name), append(colSplit, sp.name)
				colX0, colX1 = append(colX0, round5(s.edges[b])), append(colX1, round5(s.edges[b+1]))
				colDen = append(colDen, round5(float64(c)/(float64(s.finite[k])*w)))
				colCount = append(colCount, c)
			}
		}
	}
	if len(drawn) == 0 {
		return vl.Chart{}, fmt.Errorf("%s: no feature has finite values to draw (%s)", what, fs.nonFiniteNote(features))
	}

	splitNames := make([]string, ns)
	splitNote := make([]string, ns)
	for k, sp := range fs.splits {
		splitNames[k] = sp.name
		splitNote[k] = fmt.Sprintf("%s %s", sp.name, countText(sp.n, "row"))
	}
	color := vl.Color("split:N").Title("split").Sort(splitNames).
		Scale(vl.Scale{}.Domain(splitNames).Range(seriesPalette[:min(ns, len(seriesPalette))])).
		Legend(vl.Legend{}.Orient("top-right").LabelLimit(0))
	tips := vl.Tooltip(
		vl.Field("feature").Nominal(), vl.Field("split").Nominal(),
		vl.Field("x0").Quantitative().Format(".4~g").Title("from"),
		vl.Field("x1").Quantitative().Format(".4~g").Title("to"),
		vl.Field("density").Quantitative().Format(".4~g"),
		vl.Field("count").Quantitative().Format(",d"),
	)
	hist := vl.NewChart().
		Data(vl.Columns(map[string]any{"feature": colFeature, "split": colSplit, "x0": colX0, "x1": colX1,
			"density": colDen, "count": colCount}).Compact()).
		Transform(vl.Filter("datum.feature == "+FeatureParam)).
		Mark(vl.Bar().FillOpacity(0.4).StrokeWidth(1.2).BinSpacing(0)).
		Encode(
			vl.X("x0:Q").Bin(vl.BinParams{}.Binned(true)).Title("value of the feature").Axis(spacedAxis(opts.Width)).Scale(vl.Scale{}.Zero(false)),
			vl.X2("x1"),
			vl.Y("density:Q").Title("density").Stack(nil),
			color, vl.Stroke("split:N").Sort(splitNames).Scale(vl.Scale{}.Domain(splitNames).Range(seriesPalette[:min(ns, len(seriesPalette))])).NoLegend(),
			tips,
		)

	// The ranking: a bar per feature, its largest D, orange when shifted.
	top := order
	if len(top) > maxRankedFeatures {
		top = top[:maxRankedFeatures]
	}
	var rFeature, rSplit, rLabel []string
	var rD, rP []any
	var rShifted []bool
	for _, j := range top {
		r := ranks[j]
		rFeature = append(rFeature, r.feature)
		rSplit = append(rSplit, r.split)
		rShifted = append(rShifted, r.shifted)
		if math.IsNaN(r.d) {
			rD, rP = append(rD, nil), append(rP, nil)
			rLabel = append(rLabel, r.feature)
		} else {
			rD, rP = append(rD, round5(r.d)), append(rP, r.p)
			rLabel = append(rLabel, fmt.Sprintf("%s · D = %.3f, %s", r.feature, r.d, formatP(r.p)))
		}
	}
	rankData := vl.Columns(map[string]any{"feature": rFeature, "D": rD, "p": rP, "shifted": rShifted, "split": rSplit, "label": rLabel}).Compact().SilentGaps()

	label := vl.NewChart().Data(rankData).
		Transform(vl.Filter("datum.feature == "+FeatureParam)).
		Mark(vl.Text().Align("left").Baseline("top").FontSize(12).FontWeight("bold").Dx(4).Dy(4)).
		Encode(vl.X(vl.Value(0)), vl.Y(vl.Value(0)), vl.TextOf("label:N"))
	main := vl.Layer(hist, label).Width(opts.Width).Height(opts.Height)

	var parts []vl.Chart
	if ns > 1 {
		barH := 16
		rankTitle := []string{fmt.Sprintf("KS statistic D against %s", fs.splits[ref].name), "(orange: shifted)"}
		if len(order) > len(top) {
			rankTitle[0] = fmt.Sprintf("top %d of %d features by KS D", len(top), len(order))
		}
		shiftColor := vl.Color("shifted:N").Title(nil).Scale(vl.Scale{}.Domain([]bool{false, true}).Range([]string{"#0072B2", "#D55E00"})).NoLegend()
		bars := vl.NewChart().
			Mark(vl.Bar().Height(map[string]any{"band": 0.8})).
			Encode(
				vl.Y("feature:N").Sort(rFeature).Title(nil).Axis(vl.Axis{}.LabelLimit(240)),
				vl.X("D:Q").Title(rankTitle).Scale(vl.Scale{}.Domain([]float64{0, 1})).Axis(vl.Axis{}.Values([]float64{0, 0.5, 1}).Format(".1f")),
				shiftColor,
				vl.Opacity(vl.If(vl.Test("datum.feature == "+FeatureParam), vl.Value(1), vl.Value(0.45))),
				vl.Tooltip(vl.Field("feature").Nominal(), vl.Field("D").Quantitative().Format(".4f"),
					vl.Field("p").Quantitative().Format(".3g").Title("p-value"),
					vl.Field("split").Nominal().Title("split"), vl.Field("shifted").Nominal()),
			)
		ranking := vl.Layer(bars).Data(rankData).Width(170).Height(max(opts.Height, barH*len(top)))
		parts = append(parts, ranking)
	}
	parts = append(parts, main)
	var body vl.Chart
	if len(parts) == 1 {
		body = main
	} else {
		body = vl.HConcat(parts...).ResolveScale("color", "independent").ResolveLegend("color", "independent")
	}

	width := opts.Width + 60
	if ns > 1 {
		width += 170 + 170
	}
	// The subtitle: the splits, what is not drawn. The line under: the shifted features.
	sub := strings.Join(splitNote, ", ") + fmt.Sprintf(" · %d %s, densities on %d bins", len(drawn), plural(len(drawn), "feature"), bins)
	if nfNote := fs.nonFiniteNote(features); nfNote != "" {
		sub += " · " + nfNote
	}
	if len(notes) > 0 {
		sub += " · " + strings.Join(notes, "; ")
	}
	chart = body
	if ns > 1 {
		ranked := make([]*featureRank, 0, len(order))
		for _, j := range order {
			ranked = append(ranked, ranks[j])
		}
		line := shiftLine(ranked, fs.splits[ref].name, alpha)
		lines := textwrap.Lines(line, textwrap.Chars(width))
		foot := vl.NewChart().Data(vl.Values([]map[string]any{{}})).
			Mark(vl.Text().Align("left").Baseline("top").FontSize(12).LineHeight(16).Color("#333")).
			Encode(vl.X(vl.Value(0)), vl.Y(vl.Value(0)), vl.TextOf(vl.Value(lines))).
			Width(width - 60).Height(16 * len(lines)).View(map[string]any{"stroke": nil})
		chart = vl.VConcat(body, foot)
	}
	chart = chart.Params(featureParam(drawn)).
		Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitle(sub, width)))
	return chart, nil
}

// featureRank is a feature's largest shift over the splits.
type featureRank struct {
	feature   string
	d, p      float64 // the largest D, and its p-value; NaN without a test
	shifted   bool    // some split's p-value is below alpha
	split     string  // the split of the largest D
	comparing bool    // some split has a test
}

// shiftLine names the shifted features (ranked), and states the rule.
func shiftLine(ranked []*featureRank, ref string, alpha float64) string {
	var shifted []string
	for _, r := range ranked {
		if r.shifted {
			shifted = append(shifted, fmt.Sprintf("%s (D = %.2f, %s)", r.feature, r.d, formatP(r.p)))
		}
	}
	rule := fmt.Sprintf("two-sample Kolmogorov–Smirnov test against %s, p-value < %g (asymptotic, as scipy.stats.ks_2samp)", ref, alpha)
	switch {
	case len(shifted) == 0:
		return fmt.Sprintf("No feature is shifted: %s.", rule)
	case len(shifted) > 6:
		shifted = append(shifted[:6], fmt.Sprintf("and %d more", len(shifted)-6))
	}
	return fmt.Sprintf("⚠ Shifted (%s): %s.", rule, strings.Join(shifted, ", "))
}

// featureParam is the drop-down that picks the feature drawn, the first first.
func featureParam(names []string) vl.Param {
	p := vl.NewParam(FeatureParam).Value(names[0])
	if len(names) > 1 {
		opts := make([]any, len(names))
		for i, n := range names {
			opts[i] = n
		}
		p = p.Bind(vl.BindSelect(opts...).Name("feature "))
	}
	return p
}

// countText writes "1,000,000 rows".
func countText(n int, word string) string {
	return formatThousands(n) + " " + plural(n, word)
}

// formatThousands writes n with thousands separators: 1,000,000.
func formatThousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + formatThousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
