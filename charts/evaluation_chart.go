// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// ConfusionMatrixOptions styles ConfusionMatrix.
type ConfusionMatrixOptions struct {
	ClassNames []string // one per class (column of scores); default "0", "1", ...
	Title      string   // default "confusion matrix"
	CellSize   int      // pixels per cell; default 480/classes, within 16..56

	// ListExamples adds, beside the matrix, the list of the examples in the cell the
	// reader clicks (by index, or by ExampleNames), most confident first. Each cell
	// lists at most ExamplesPerCell of them.
	ListExamples bool
	// ExampleNames names the examples in that list, one per label (a file name, an
	// id); setting it turns ListExamples on. Default: the index, "#17".
	ExampleNames []string
	// ExamplesPerCell is how many examples a cell lists at most; default 20 (12 with
	// Images). Fewer when the matrix is large: the chart carries at most a few thousand
	// rows, and at most MaxListedImages images.
	ExamplesPerCell int

	// Images, one per label, turns ListExamples on and shows the examples of the cell the
	// reader clicks as images (thumbnails captioned with their index or name and the
	// probability of the class predicted), as ImageGrid takes them: a GoMLX tensor
	// [N, H, W], [N, H, W, C] or [N, C, H, W], nested slices, or a flat slice with
	// ImageShape. ImageLayout and ImageColormap are ImageGrid's Layout and Colormap; the
	// images listed share one scale.
	Images        any
	ImageShape    []int
	ImageLayout   ImageLayout
	ImageColormap Colormap
}

// MaxListedImages is how many example images a confusion matrix carries at most, over all
// its cells (about 0.3 MB of thumbnails of 28x28).
const MaxListedImages = 256

// ConfusionMatrix draws the confusion matrix of a classifier (see ComputeConfusion): a
// heatmap of true class (rows) against predicted class (columns), each cell coloured by
// its share of the true class's examples (the row-normalized matrix) and labelled with its
// count and that share; hovering a cell shows both. With ListExamples (or ExampleNames),
// clicking a cell (or its text) lists its examples beside the matrix; double-clicking
// clears the list.
//
// labels holds the true class of each example, scores one row of scores per example, one
// per class (probabilities or logits: the prediction is the class of the highest score).
func ConfusionMatrix(labels []int, scores [][]float64, opts ConfusionMatrixOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const fn = "charts.ConfusionMatrix"
	k, names, err := checkedClasses(fn, "ConfusionMatrixOptions", labels, scores, opts.ClassNames)
	if err != nil {
		return vl.Chart{}, err
	}
	if opts.CellSize < 0 || opts.ExamplesPerCell < 0 {
		return vl.Chart{}, fmt.Errorf("%s: ConfusionMatrixOptions.CellSize and ExamplesPerCell must not be negative (0 for the defaults)", fn)
	}
	if opts.ExampleNames != nil {
		if len(opts.ExampleNames) != len(labels) {
			return vl.Chart{}, fmt.Errorf("%s: ConfusionMatrixOptions.ExampleNames has %d names for %d examples; pass one per label", fn, len(opts.ExampleNames), len(labels))
		}
		opts.ListExamples = true
	}
	var imgs *imageBatch
	if opts.Images != nil {
		b, err := readImages(fn, "ConfusionMatrixOptions.Images", opts.Images, opts.ImageShape, "ConfusionMatrixOptions.ImageShape", opts.ImageLayout)
		if err != nil {
			return vl.Chart{}, err
		}
		if b.n != len(labels) {
			return vl.Chart{}, fmt.Errorf("%s: ConfusionMatrixOptions.Images has %d images (shape %s) for %d labels; pass one image per example", fn, b.n, b.shape, len(labels))
		}
		imgs = &b
		opts.ListExamples = true
	}
	if opts.ExamplesPerCell == 0 {
		opts.ExamplesPerCell = 20
		if imgs != nil {
			opts.ExamplesPerCell = 12
		}
	}
	if opts.Title == "" {
		opts.Title = "confusion matrix"
	}
	cell := opts.CellSize
	if cell == 0 {
		cell = min(56, max(16, 480/k))
	}
	c := confusion(labels, scores, k)
	listed := 0
	if opts.ListExamples {
		budget := chartRowBudget - k*k
		if imgs != nil {
			budget = MaxListedImages
		}
		listed = listLimit(c.Counts, opts.ExamplesPerCell, budget)
	}

	// The cells: all of them, or only those with examples when the matrix is large.
	allCells := k*k <= chartRowBudget/3
	var actual, predicted, label, header []string
	var count []int
	var share []float64
	for t := range k {
		for p := range k {
			n := c.Counts[t][p]
			if n == 0 && !allCells {
				continue
			}
			actual, predicted = append(actual, names[t]), append(predicted, names[p])
			count, share = append(count, n), append(share, c.Normalized[t][p])
			pct := percent(c.Normalized[t][p], n)
			if c.Support[t] == 0 {
				pct = "–" // no share of a class without examples
			}
			label = append(label, strconv.Itoa(n)+"\n"+pct)
			h := fmt.Sprintf("true %s, predicted %s: %d %s", names[t], names[p], n, plural(n, "example"))
			if n > listed && listed > 0 {
				h += fmt.Sprintf(", the %d most confident listed", listed)
			}
			header = append(header, h)
		}
	}
	if len(count) > chartRowBudget {
		return vl.Chart{}, fmt.Errorf("%s: %d classes make %d cells with examples, more than the %d a chart carries; draw a subset of the classes", fn, k, len(count), chartRowBudget)
	}
	cells := vl.Columns(map[string]any{
		"actual": actual, "predicted": predicted, "count": count, "share": share, "label": label, "header": header,
	}).Compact()

	axisX := vl.Axis{}.Orient("bottom").LabelAngle(-45).LabelLimit(0)
	if longest(names) <= 3 {
		axisX = axisX.LabelAngle(0)
	}
	x := vl.X("predicted:N").Sort(names).Title("predicted class").Axis(axisX)
	y := vl.Y("actual:N").Sort(names).Title("true class").Axis(vl.Axis{}.LabelLimit(0))
	tooltip := vl.Tooltip(
		vl.Field("actual").Nominal().Title("true class"),
		vl.Field("predicted").Nominal().Title("predicted class"),
		vl.Field("count").Quantitative().Format(",d").Title("examples"),
		vl.Field("share").Quantitative().Format(".1%").Title("share of the true class"),
	)
	heat := vl.NewChart().
		Mark(vl.Rect().Stroke("white").StrokeWidth(1)).
		Encode(x, y,
			vl.Color("share:Q").Title([]string{"share of", "true class"}).
				Scale(vl.Scale{}.Domain([]float64{0, 1}).Range(shareColors).Interpolate("rgb")).
				Legend(vl.Legend{}.Format(".0%").GradientLength(float64(max(60, min(k*cell, 200))))),
			tooltip)
	if opts.ListExamples {
		// Clicking a cell selects it (outlined) and lists its examples.
		selected := vl.Selected(selectedCell).Empty(false)
		heat = heat.Params(vl.SelectPoint(selectedCell).Fields("actual", "predicted")).
			Encode(vl.Stroke(vl.If(selected, vl.Value("black"), vl.Value("white"))),
				vl.StrokeWidth(vl.If(selected, vl.Value(3), vl.Value(1))))
	}
	layers := []vl.Chart{heat}
	if cell >= 28 {
		size := 11.0
		if cell < 40 {
			size = 9
		}
		layers = append(layers, vl.NewChart().
			Mark(vl.Text().LineBreak("\n").FontSize(size)).
			Encode(x, y, vl.TextOf("label:N"),
				vl.Color(vl.If(vl.Test("datum.share > 0.5"), vl.Value("white"), vl.Value("black"))),
				tooltip))
	}
	first := fmt.Sprintf("%d examples, accuracy %s", len(labels), fmtShare(c.Accuracy))
	if empty := classesWithout(c.Support, names); empty != "" {
		first += " · no examples of " + empty
	}
	sub := []string{first, "colour and %: share of each true class's examples"}
	matrix := vl.Layer(layers...).Width(k * cell).Height(k * cell).Data(cells)
	if !opts.ListExamples {
		return matrix.Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitleLines(k*cell+100, sub...))), nil
	}
	var list vl.Chart
	if imgs != nil {
		if list, err = exampleImages(fn, labels, scores, names, cells, listed, opts, imgs, k*cell); err != nil {
			return vl.Chart{}, err
		}
		sub[1] += fmt.Sprintf(" · click a cell to see its examples (at most %d, most confident first)", listed)
	} else {
		list = exampleList(labels, scores, names, cells, listed, opts.ExampleNames, k*cell)
		sub[1] += fmt.Sprintf(" · click a cell to list its examples (at most %d)", listed)
	}
	chart = vl.HConcat(matrix, list).ResolveScale("color", "independent").
		Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitleLines(k*cell+400, sub...)))
	return chart, nil
}

// shareColors colour the confusion matrix by share: ColorBrewer's Blues from white, so
// that cells without examples stay blank and the diagonal stands out.
var shareColors = []string{"#ffffff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"}

// selectedCell is the selection of ConfusionMatrix's cell whose examples are listed.
const selectedCell = "cell"

// listLimit is how many examples each cell of a confusion matrix lists at most:
// perCell, lowered until the examples listed fit budget.
func listLimit(counts [][]int, perCell, budget int) int {
	for ; perCell > 1; perCell-- {
		total := 0
		for _, row := range counts {
			for _, n := range row {
				total += min(n, perCell)
			}
		}
		if total <= budget {
			break
		}
	}
	return perCell
}

// exampleList is the view that lists the examples of the selected cell: a header line
// from the cells' data, then a line per example, at most listed, most confident first,
// with its score for the predicted class (and for the true class where they differ).
func exampleList(labels []int, scores [][]float64, names []string, cells vl.Data, listed int, exampleNames []string, matrixHeight int) vl.Chart {
	k := len(names)
	cellOf := make([][]int, k*k)
	for i, t := range labels {
		p := argmax(scores[i])
		cellOf[t*k+p] = append(cellOf[t*k+p], i)
	}
	var actual, predicted, text []string
	var rank []int
	for cellIdx, ex := range cellOf {
		if len(ex) == 0 {
			continue
		}
		t, p := cellIdx/k, cellIdx%k
		// Most confident first: the highest score for the predicted class.
		sort.SliceStable(ex, func(a, b int) bool { return scores[ex[a]][p] > scores[ex[b]][p] })
		for r, i := range ex[:min(len(ex), listed)] {
			name := "#" + strconv.Itoa(i)
			if exampleNames != nil {
				name = exampleNames[i]
			}
			line := fmt.Sprintf("%s · p(%s) = %.3f", name, names[p], scores[i][p])
			if t != p {
				line += fmt.Sprintf(", p(%s) = %.3f", names[t], scores[i][t])
			}
			actual, predicted = append(actual, names[t]), append(predicted, names[p])
			text, rank = append(text, line), append(rank, r)
		}
	}
	const lineHeight = 15
	filter := vl.Filter(vl.Selected(selectedCell).Empty(false))
	ypx := vl.Y("ypx:Q").NoScale().NoAxis()
	help := vl.NewChart().Data(vl.Values([]map[string]any{{"text": "click a cell to list its examples here"}})).
		Mark(vl.Text().Align("left").Baseline("top").Color("#666")).
		Encode(vl.X(vl.Value(0)), vl.Y(vl.Value(0)), vl.TextOf("text:N"))
	head := vl.NewChart().Data(cells).Transform(filter, vl.Calculate("2*"+strconv.Itoa(lineHeight), "ypx")).
		Mark(vl.Text().Align("left").Baseline("top").FontWeight("bold")).
		Encode(vl.X(vl.Value(0)), ypx, vl.TextOf("header:N"))
	rows := vl.NewChart().
		Data(vl.Columns(map[string]any{"actual": actual, "predicted": predicted, "text": text, "rank": rank}).Compact()).
		Transform(filter, vl.Calculate("(datum.rank + 3) * "+strconv.Itoa(lineHeight), "ypx")).
		Mark(vl.Text().Align("left").Baseline("top")).
		Encode(vl.X(vl.Value(0)), ypx, vl.TextOf("text:N"))
	height := max(matrixHeight, (listed+3)*lineHeight)
	return vl.Layer(help, head, rows).Width(300).Height(height).View(map[string]any{"stroke": nil})
}

// percent formats a share of a class's examples for a cell: "80%", "<1%" for a few.
func percent(share float64, n int) string {
	switch {
	case n == 0:
		return "0%"
	case share < 0.005:
		return "<1%"
	}
	return strconv.Itoa(int(math.Round(share*100))) + "%"
}

func fmtShare(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }

func classesText(n int) string {
	if n == 1 {
		return "1 class"
	}
	return strconv.Itoa(n) + " classes"
}

func longest(names []string) int {
	n := 0
	for _, s := range names {
		n = max(n, len([]rune(s)))
	}
	return n
}

// classesWithout names the classes with no examples: "dog and cat" ("" if none).
func classesWithout(support []int, names []string) string {
	var none []string
	for t, n := range support {
		if n == 0 {
			none = append(none, strconv.Quote(names[t]))
		}
	}
	return joinAnd(none)
}

func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// checkedClasses checks a classifier's labels and scores (see checkPredictions) and
// returns the number of classes k and their names: names, checked, or "0", "1", ...
// Errors start with fn; optsType names the options that carry ClassNames.
func checkedClasses(fn, optsType string, labels []int, scores [][]float64, names []string) (k int, out []string, err error) {
	if k, err = checkPredictions(labels, scores, false); err != nil {
		return 0, nil, fmt.Errorf("%s: %w", fn, err)
	}
	if names == nil {
		out = make([]string, k)
		for i := range out {
			out[i] = strconv.Itoa(i)
		}
		return k, out, nil
	}
	if len(names) != k {
		return 0, nil, fmt.Errorf("%s: %s.ClassNames has %d names for %d classes (the columns of scores); pass one per class", fn, optsType, len(names), k)
	}
	seen := map[string]int{}
	for i, n := range names {
		if j, ok := seen[n]; ok {
			return 0, nil, fmt.Errorf("%s: %s.ClassNames[%d] and [%d] are both %q; give each class its own name", fn, optsType, j, i, n)
		}
		seen[n] = i
	}
	return k, slices.Clone(names), nil
}

// classDashes tells classes apart beyond the palette's 8 colours: the first 8 solid, the
// next 8 dashed, and so on.
var classDashes = [][]float64{{1, 0}, {6, 3}, {2, 2}, {8, 3, 2, 3}}

// CurvesPerClassOptions styles ROC and PrecisionRecall.
type CurvesPerClassOptions struct {
	ClassNames []string // one per class (column of scores); default "0", "1", ...
	Title      string   // default "ROC curves" or "precision–recall curves"
	Width      int      // default 320
	Height     int      // default 320
}

// ROC draws the one-vs-rest ROC curve of every class (see ComputeROC): false positive
// rate against true positive rate, one line per class, its AUC in the legend, the
// diagonal of a classifier that guesses, the macro-average AUC in the subtitle. Hovering
// a line shows its points' thresholds. A class without positives or negatives has no
// curve: the subtitle names it. Scores may be probabilities or any real scores. A curve
// of more points than the chart carries (a few thousand rows in all) is thinned for the
// drawing, keeping each pixel column's first, last, lowest and highest point; the AUC is
// computed from all of them.
func ROC(labels []int, scores [][]float64, opts CurvesPerClassOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const fn = "charts.ROC"
	k, names, err := checkedClasses(fn, "CurvesPerClassOptions", labels, scores, opts.ClassNames)
	if err != nil {
		return vl.Chart{}, err
	}
	r := roc(labels, scores, k)
	var series []classSeries
	for _, c := range r.Curves {
		if c.Skipped != "" {
			continue
		}
		series = append(series, classSeries{
			class: c.Class, label: fmt.Sprintf("%s (AUC %.3f)", names[c.Class], c.AUC),
			x: c.FPR, y: c.TPR, thresholds: c.Thresholds,
		})
	}
	if opts.Title == "" {
		opts.Title = "ROC curves"
	}
	sub := fmt.Sprintf("one class against the rest · macro-average AUC %.3f over %s", r.MacroAUC, classesText(len(series)))
	if skipped := skippedText(r.Curves, names); skipped != "" {
		sub += " · no curve for " + skipped
	}
	return perClassChart(fn, series, names, opts, curveAxes{
		x: "fpr", y: "tpr", xTitle: "false positive rate", yTitle: "true positive rate",
		interpolate: "linear", diagonal: true, subtitle: sub,
	})
}

// skippedText names the classes without a curve and why: `"cat" (no examples)`.
func skippedText(curves []ROCCurve, names []string) string {
	var out []string
	for _, c := range curves {
		switch {
		case c.Skipped == "":
		case c.Positives == 0:
			out = append(out, strconv.Quote(names[c.Class])+" (no examples)")
		default:
			out = append(out, strconv.Quote(names[c.Class])+" (every example)")
		}
	}
	return joinAnd(out)
}

// PrecisionRecall draws the one-vs-rest precision–recall curve of every class (see
// ComputePrecisionRecall): recall against precision, one line per class, its average
// precision in the legend, drawn as steps as average precision sums them, the macro
// average in the subtitle. Hovering a line shows its points' thresholds. A class without
// positives has no curve: the subtitle names it. Long curves are thinned for the drawing
// as in ROC.
func PrecisionRecall(labels []int, scores [][]float64, opts CurvesPerClassOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const fn = "charts.PrecisionRecall"
	k, names, err := checkedClasses(fn, "CurvesPerClassOptions", labels, scores, opts.ClassNames)
	if err != nil {
		return vl.Chart{}, err
	}
	r := precisionRecall(labels, scores, k)
	var series []classSeries
	var skipped []string
	for _, c := range r.Curves {
		if c.Skipped != "" {
			skipped = append(skipped, strconv.Quote(names[c.Class])+" (no examples)")
			continue
		}
		// Drawn from recall 0 up: the reverse of scikit-learn's order. The last point
		// (recall 0, precision 1) has no threshold.
		n := len(c.Recall)
		x, y, th := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			x[i], y[i] = c.Recall[n-1-i], c.Precision[n-1-i]
			th[i] = math.NaN()
			if n-1-i < len(c.Thresholds) {
				th[i] = c.Thresholds[n-1-i]
			}
		}
		series = append(series, classSeries{
			class: c.Class, label: fmt.Sprintf("%s (AP %.3f)", names[c.Class], c.AveragePrecision),
			x: x, y: y, thresholds: th,
		})
	}
	if opts.Title == "" {
		opts.Title = "precision–recall curves"
	}
	sub := fmt.Sprintf("one class against the rest · macro-average AP %.3f over %s", r.MacroAP, classesText(len(series)))
	if len(skipped) > 0 {
		sub += " · no curve for " + joinAnd(skipped)
	}
	// Average precision sums (R_n − R_{n−1})·P_n: each recall step at the precision of
	// its right end, which step-before draws on points in increasing recall.
	return perClassChart(fn, series, names, opts, curveAxes{
		x: "recall", y: "precision", xTitle: "recall", yTitle: "precision",
		interpolate: "step-before", subtitle: sub,
	})
}

// classSeries is one class's curve as drawn: x non-decreasing.
type classSeries struct {
	class      int
	label      string
	x, y       []float64
	thresholds []float64
}

type curveAxes struct {
	x, y, xTitle, yTitle string
	interpolate          string
	diagonal             bool
	subtitle             string
}

// perClassChart draws one line per class on the unit square.
func perClassChart(fn string, series []classSeries, names []string, opts CurvesPerClassOptions, a curveAxes) (vl.Chart, error) {
	if opts.Width < 0 || opts.Height < 0 {
		return vl.Chart{}, fmt.Errorf("%s: CurvesPerClassOptions.Width and Height must not be negative (0 for the default 320)", fn)
	}
	if opts.Width == 0 {
		opts.Width = 320
	}
	if opts.Height == 0 {
		opts.Height = 320
	}
	if len(series) == 0 {
		return vl.Chart{}, fmt.Errorf("%s: no class has a curve to draw: %s", fn, a.subtitle[strings.LastIndex(a.subtitle, "no curve for"):])
	}
	// About 4 points per 2 pixels of x at most: as many as can be seen.
	per := max(8, min(chartRowBudget/len(series), 2*opts.Width))
	var class, label []string
	var xs, ys, th []float64
	var order []int
	var domain []string
	var colors []string
	var dashes [][]float64
	for _, s := range series {
		keep := thin(s.x, s.y, per)
		for j, i := range keep {
			class, label = append(class, names[s.class]), append(label, s.label)
			xs, ys = append(xs, round5(s.x[i])), append(ys, round5(s.y[i]))
			th, order = append(th, round5(s.thresholds[i])), append(order, j)
		}
		domain = append(domain, s.label)
		colors = append(colors, seriesPalette[s.class%len(seriesPalette)])
		dashes = append(dashes, classDashes[(s.class/len(seriesPalette))%len(classDashes)])
	}
	data := vl.Columns(map[string]any{
		"class": class, "series": label, a.x: xs, a.y: ys, "threshold": th, "order": order,
	}).Compact().SilentGaps()
	unit := vl.Scale{}.Domain([]float64{0, 1}).Nice(false)
	x := vl.X(a.x + ":Q").Title(a.xTitle).Scale(unit).Axis(vl.Axis{}.TickCount(5))
	y := vl.Y(a.y + ":Q").Title(a.yTitle).Scale(unit).Axis(vl.Axis{}.TickCount(5))
	color := vl.Color("series:N").Title(nil).Sort(domain).
		Scale(vl.Scale{}.Domain(domain).Range(colors)).
		Legend(vl.Legend{}.LabelLimit(0).SymbolType("stroke").SymbolStrokeWidth(2))
	dash := vl.StrokeDash("series:N").Title(nil).Sort(domain).Scale(vl.Scale{}.Domain(domain).Range(dashes))
	tooltip := vl.Tooltip(
		vl.Field("class").Nominal(),
		vl.Field(a.x).Quantitative().Format(".3f").Title(a.xTitle),
		vl.Field(a.y).Quantitative().Format(".3f").Title(a.yTitle),
		vl.Field("threshold").Quantitative().Format(".4~g").Title("threshold (score ≥)"),
	)
	var layers []vl.Chart
	if a.diagonal {
		layers = append(layers, vl.NewChart().
			Data(vl.Values([]map[string]any{{a.x: 0, a.y: 0, "x2": 1, "y2": 1}})).
			Mark(vl.Rule().Color("#999").StrokeDash([]float64{4, 4})).
			Encode(vl.X(a.x+":Q"), vl.Y(a.y+":Q"), vl.X2("x2"), vl.Y2("y2")))
	}
	line := vl.NewChart().Mark(vl.Line().StrokeWidth(2).Interpolate(a.interpolate)).
		Encode(x, y, color, dash, vl.Order("order:Q"))
	if len(series) > 1 {
		line = line.Params(vl.SelectPoint("classes").Fields("series").BindLegend()).
			Encode(vl.Opacity(vl.If(vl.Selected("classes"), vl.Value(1), vl.Value(0.15))))
	}
	layers = append(layers, line,
		vl.NewChart().Name(vl.InteractiveOnlyPrefix+"hover").
			Mark(vl.Point().Filled(true).Size(30).Opacity(0.001)).
			Encode(x, y, color, tooltip))
	chart := vl.Layer(layers...).Data(data).Width(opts.Width).Height(opts.Height).
		Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitle(a.subtitle, opts.Width+200)))
	return chart, nil
}

// thin returns the indices of the points of a curve (x non-decreasing) to draw, at most
// about 4 per bin of x when the curve has more than limit points: in each of limit/4
// equal-width bins of x, the first, last, lowest and highest point (M4), so the drawn
// line covers the same pixels as the whole curve.
func thin(x, y []float64, limit int) []int {
	n := len(x)
	if n <= limit {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	bins := max(1, limit/4)
	var out []int
	for start := 0; start < n; {
		b := min(bins-1, int(x[start]*float64(bins)))
		end := start + 1
		for end < n && min(bins-1, int(x[end]*float64(bins))) == b {
			end++
		}
		lo, hi := start, start
		for i := start; i < end; i++ {
			if y[i] < y[lo] {
				lo = i
			}
			if y[i] > y[hi] {
				hi = i
			}
		}
		pick := []int{start, lo, hi, end - 1}
		slices.Sort(pick)
		out = append(out, slices.Compact(pick)...)
		start = end
	}
	return out
}

// ReliabilityOptions styles Reliability.
type ReliabilityOptions struct {
	Bins   int    // equal-width confidence bins; default DefaultCalibrationBins (15)
	Title  string // default "reliability diagram"
	Width  int    // default 320
	Height int    // of the accuracy plot; default 320 (the count plot below is a quarter of it)
}

// Reliability draws a reliability diagram (see ComputeCalibration): for equal-width bins
// of the confidence (an example's highest probability), a bar of the accuracy of the
// predictions in the bin, a black line across it at their mean confidence, and the
// diagonal where the two agree. A bar below its line is overconfident, above it
// underconfident. Below, the number of examples in each bin. The expected calibration
// error (ECE) is in the subtitle. scores must be probabilities (softmax outputs), each
// in [0, 1].
func Reliability(labels []int, scores [][]float64, opts ReliabilityOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const fn = "charts.Reliability"
	if opts.Bins == 0 {
		opts.Bins = DefaultCalibrationBins
	}
	if opts.Bins < 0 || opts.Width < 0 || opts.Height < 0 {
		return vl.Chart{}, fmt.Errorf("%s: ReliabilityOptions.Bins, Width and Height must not be negative (0 for the defaults)", fn)
	}
	if opts.Bins > chartRowBudget/2 {
		return vl.Chart{}, fmt.Errorf("%s: ReliabilityOptions.Bins is %d, more than the %d a chart draws; 10 to 20 bins are usual", fn, opts.Bins, chartRowBudget/2)
	}
	if _, err := checkPredictions(labels, scores, true); err != nil {
		return vl.Chart{}, fmt.Errorf("%s: %w", fn, err)
	}
	if opts.Width == 0 {
		opts.Width = 320
	}
	if opts.Height == 0 {
		opts.Height = 320
	}
	if opts.Title == "" {
		opts.Title = "reliability diagram"
	}
	c := calibration(labels, scores, opts.Bins)
	m := len(c.Bins)
	lo, hi := make([]float64, m), make([]float64, m)
	acc, conf := make([]float64, m), make([]float64, m)
	n := make([]int, m)
	for b, bin := range c.Bins {
		lo[b], hi[b], n[b] = round5(bin.Lo), round5(bin.Hi), bin.Count
		acc[b], conf[b] = round5(bin.Accuracy), round5(bin.Confidence)
	}
	// The accuracy plot's rows carry "examples", the count plot's "count": each plot's
	// bars have one value field.
	x := vl.X("lo:Q").Bin(vl.BinParams{}.Binned(true)).Title("confidence (highest probability)").
		Scale(vl.Scale{}.Domain([]float64{0, 1}).Nice(false)).Axis(vl.Axis{}.TickCount(5))
	unit := vl.Scale{}.Domain([]float64{0, 1}).Nice(false)
	tooltip := vl.Tooltip(
		vl.Field("lo").Quantitative().Format(".3~f").Title("confidence from"),
		vl.Field("hi").Quantitative().Format(".3~f").Title("to"),
		vl.Field("examples").Quantitative().Format(",d"),
		vl.Field("accuracy").Quantitative().Format(".3f"),
		vl.Field("confidence").Quantitative().Format(".3f").Title("mean confidence"),
	)
	accData := vl.Columns(map[string]any{"lo": lo, "hi": hi, "accuracy": acc, "confidence": conf, "examples": n}).Compact().SilentGaps()
	bars := vl.NewChart().Mark(vl.Bar().Color(seriesPalette[0]).Opacity(0.85).Stroke("white").StrokeWidth(0.5)).
		Encode(x, vl.X2("hi"), vl.Y("accuracy:Q").Title("accuracy").Scale(unit).Axis(vl.Axis{}.TickCount(5)), tooltip)
	marks := vl.NewChart().Mark(vl.Rule().Color("black").StrokeWidth(2)).
		Encode(vl.X("lo:Q"), vl.X2("hi"), vl.Y("confidence:Q"), tooltip)
	diagonal := vl.NewChart().
		Data(vl.Values([]map[string]any{{"lo": 0, "accuracy": 0, "x2": 1, "y2": 1}})).
		Mark(vl.Rule().Color("#999").StrokeDash([]float64{4, 4})).
		Encode(vl.X("lo:Q"), vl.Y("accuracy:Q"), vl.X2("x2"), vl.Y2("y2"))
	top := vl.Layer(diagonal, vl.Layer(bars, marks).Data(accData)).Width(opts.Width).Height(opts.Height)
	counts := vl.NewChart().Data(vl.Columns(map[string]any{"lo": lo, "hi": hi, "count": n}).Compact()).
		Mark(vl.Bar().Color("#888").Stroke("white").StrokeWidth(0.5)).
		Encode(x, vl.X2("hi"), vl.Y("count:Q").Title("examples").Scale(vl.Scale{}.Zero(true)).Axis(vl.Axis{}.TickCount(3)),
			vl.Tooltip(vl.Field("lo").Quantitative().Format(".3~f").Title("confidence from"),
				vl.Field("hi").Quantitative().Format(".3~f").Title("to"),
				vl.Field("count").Quantitative().Format(",d").Title("examples"))).
		Width(opts.Width).Height(max(40, opts.Height/4))
	sub := []string{
		fmt.Sprintf("ECE %.4f (%d equal-width confidence bins) · accuracy %s, mean confidence %s · %d examples",
			c.ECE, m, fmtShare(c.Accuracy), fmtShare(c.Confidence), c.Count),
		"bars: accuracy in each bin; black lines: its mean confidence; dashed: perfect calibration",
	}
	chart = vl.VConcat(top, counts).Spacing(8).
		Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitleLines(opts.Width+60, sub...)))
	return chart, nil
}
