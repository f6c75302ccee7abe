// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gonbviz/gonbviz/capture"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// Mode is how Histograms draws several steps.
type Mode string

// Histograms' modes.
const (
	// ModeSlider shows one step at a time, chosen with a slider.
	ModeSlider Mode = "slider"
	// ModeOverlay draws several steps over each other, coloured by step.
	ModeOverlay Mode = "overlay"
	// ModeOffset draws a ridge plot: one row per step, offset downwards, like TensorBoard.
	ModeOffset Mode = "offset"
)

// HistogramsOptions styles Histograms.
type HistogramsOptions struct {
	Mode   Mode   // ModeSlider (default), ModeOverlay or ModeOffset
	Title  string // default: "<kind> histograms"
	Width  int    // default 480
	Height int    // default 220 (ModeOffset: the height of one row, default 22)
	// MaxSteps is the most snapshots per tensor drawn, evenly spread over the run, the first
	// and last included. Default: as many as fit in about 4500 rows (ModeSlider), 8
	// (ModeOverlay), 12 (ModeOffset).
	MaxSteps int
}

// firstMatrix is the tensor shown first: the first of rank 2 or more (a weight matrix
// rather than a bias), else the first.
func firstMatrix(names []string, groups map[string][]capture.Snapshot) string {
	for _, n := range names {
		if len(groups[n][0].Shape) >= 2 {
			return n
		}
	}
	return names[0]
}

// pickEven returns k indices of 0..n-1 evenly spread, the first and last included.
func pickEven(n, k int) []int {
	if k >= n {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	if k < 2 {
		return []int{n - 1}
	}
	out := make([]int, 0, k)
	for i := range k {
		idx := int(math.Round(float64(i) * float64(n-1) / float64(k-1)))
		if len(out) == 0 || idx != out[len(out)-1] {
			out = append(out, idx)
		}
	}
	return out
}

// checkSnaps rejects empty or mixed input.
func checkSnaps(what string, snaps []capture.Snapshot) (kind capture.Kind, err error) {
	if len(snaps) == 0 {
		return "", fmt.Errorf("charts.%s: no snapshots; pass capture.Capture.Snapshots(kind) after training, or capture.Read(runDir)", what)
	}
	kind = snaps[0].Kind
	for _, s := range snaps {
		if s.Kind != kind {
			return "", fmt.Errorf("charts.%s: snapshots of kinds %q and %q mixed; pass one kind, e.g. capture.Capture.Snapshots(%q)", what, kind, s.Kind, capture.KindGradients)
		}
	}
	return kind, nil
}

// checkKind is checkSnaps for charts of one kind (constant names that kind, for the message).
func checkKind(what string, snaps []capture.Snapshot, want capture.Kind, constant string) error {
	kind, err := checkSnaps(what, snaps)
	if err == nil && kind != want {
		err = fmt.Errorf("charts.%s: needs %s snapshots, got %q; pass capture.Capture.Snapshots(%s)", what, want, kind, constant)
	}
	return err
}

// nonFiniteNote names the tensors that had NaN or ±Inf values, with the first step.
func nonFiniteNote(names []string, groups map[string][]capture.Snapshot) string {
	var parts []string
	for _, n := range names {
		for _, s := range groups[n] {
			if bad := s.NaN + s.PosInf + s.NegInf; bad > 0 {
				parts = append(parts, fmt.Sprintf("%s: %d NaN/Inf values from step %d (not drawn)", n, bad, s.Step))
				break
			}
		}
	}
	if len(parts) > 3 {
		parts = append(parts[:3], fmt.Sprintf("and %d more tensors", len(parts)-3))
	}
	return strings.Join(parts, "; ")
}

// Histograms draws the histograms of one kind of snapshot (capture.Capture.Snapshots(kind))
// over training: with a slider over the steps (ModeSlider; the parameter StepParam), several
// steps overlaid (ModeOverlay), or
// as a ridge plot (ModeOffset). A drop-down selects the tensor; hovering a bin shows its
// range and count; in ModeSlider, brushing the strip under the chart zooms the x range
// (double-click resets). The static SVG shows the last step of the first tensor, and says so.
func Histograms(snaps []capture.Snapshot, opts HistogramsOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	kind, err := checkSnaps("Histograms", snaps)
	if err != nil {
		return vl.Chart{}, err
	}
	if opts.Mode == "" {
		opts.Mode = ModeSlider
	}
	if opts.Width == 0 {
		opts.Width = 480
	}
	if opts.Width < 0 || opts.Height < 0 || opts.MaxSteps < 0 {
		return vl.Chart{}, fmt.Errorf("charts.Histograms: Width, Height and MaxSteps must not be negative (got %d, %d, %d)", opts.Width, opts.Height, opts.MaxSteps)
	}
	names, groups := capture.ByTensor(snaps)
	bins := 0
	for _, s := range snaps {
		bins = max(bins, len(s.Counts))
	}
	if bins == 0 {
		return vl.Chart{}, errors.New("charts.Histograms: no snapshot has bin counts (Snapshot.Counts); pass the snapshots a capture recorded: capture.Capture.Snapshots(kind), or capture.Read(runDir)")
	}
	switch opts.Mode {
	case ModeSlider:
		if opts.Height == 0 {
			opts.Height = 220
		}
		if opts.MaxSteps == 0 {
			opts.MaxSteps = max(2, chartRowBudget/(bins*len(names)))
		}
	case ModeOverlay:
		if opts.Height == 0 {
			opts.Height = 220
		}
		if opts.MaxSteps == 0 {
			opts.MaxSteps = 8
		}
	case ModeOffset:
		if opts.Height == 0 {
			opts.Height = 22
		}
		if opts.MaxSteps == 0 {
			opts.MaxSteps = 12
		}
	default:
		return vl.Chart{}, fmt.Errorf("charts.Histograms: unknown Mode %q; use ModeSlider, ModeOverlay or ModeOffset", opts.Mode)
	}
	if opts.Title == "" {
		opts.Title = string(kind) + " histograms"
	}

	// Long-format columns: one row per bin of each picked snapshot. Bin ends, centres,
	// snapshot counts and relative heights are derived in Vega, to keep the spec small.
	var (
		colName        []string
		colStep, colSI []int
		colX0, colW    []float64
		colCount       []int64
		colB           []int
		maxK           int
		drawnSteps     []int // the steps drawn, of every tensor
	)
	for _, n := range names {
		g := groups[n]
		picked := pickEven(len(g), opts.MaxSteps)
		maxK = max(maxK, len(picked))
		for si, idx := range picked {
			s := g[idx]
			drawnSteps = append(drawnSteps, s.Step)
			nb := len(s.Counts)
			w := round5((s.Hi - s.Lo) / float64(nb))
			for b, c := range s.Counts {
				colName = append(colName, n)
				colStep = append(colStep, s.Step)
				colSI = append(colSI, si)
				colX0, colW = append(colX0, round5(s.Lo+(s.Hi-s.Lo)*float64(b)/float64(nb))), append(colW, w)
				colCount = append(colCount, c)
				colB = append(colB, b)
			}
		}
	}
	data := vl.Columns(map[string]any{
		"name": colName, "step": colStep, "si": colSI, "x0": colX0, "w": colW, "count": colCount, "b": colB,
	}).Compact()
	derive := []vl.Transform{
		vl.Filter("datum.name == tensor"),
		vl.Calculate("datum.x0 + datum.w", "x1"),
		vl.Calculate("datum.x0 + datum.w / 2", "xc"),
	}
	params := []vl.Param{tensorParam(names, firstMatrix(names, groups))}
	xTitle := map[capture.Kind]string{capture.KindWeights: "weight value", capture.KindGradients: "gradient value", capture.KindActivations: "activation value"}[kind]
	if xTitle == "" {
		xTitle = "value"
	}
	tips := vl.Tooltip(
		vl.Field("name").Nominal().Title(tensorWord(kind)),
		vl.Field("step").Quantitative(),
		vl.Field("x0").Quantitative().Format(".4~g").Title("from"),
		vl.Field("x1").Quantitative().Format(".4~g").Title("to"),
		vl.Field("count").Quantitative().Format(",d"),
	)
	slices.Sort(drawnSteps)
	drawnSteps = slices.Compact(drawnSteps)
	sub := fmt.Sprintf("%d %s · %s", len(names), plural(len(names), tensorWord(kind)), stepsNote(groups, names))
	if most := mostSnapshots(groups, names); maxK < most {
		sub += fmt.Sprintf(" (%d drawn)", maxK)
	}
	if nf := nonFiniteNote(names, groups); nf != "" {
		sub += " · " + nf
	}

	switch opts.Mode {
	case ModeSlider:
		// The slider moves over steps: it shows the last snapshot drawn at or before its step.
		first, last := drawnSteps[0], drawnSteps[len(drawnSteps)-1]
		params = append(params, vl.NewParam(StepParam).Value(last).
			Bind(vl.BindRange(float64(first), float64(max(last, first+1)), float64(stepIncrement(drawnSteps))).Name("step ")))
		current := slices.Concat(derive, []vl.Transform{
			vl.Filter("datum.step <= " + StepParam),
			vl.JoinAggregate(vl.AggOp("max", "step", "shown")),
			vl.Filter("datum.step == datum.shown")})
		bars := vl.NewChart().Transform(current...).
			Mark(vl.Bar().Stroke("white").StrokeWidth(0.5).Opacity(0.9)).
			Encode(
				vl.X("x0:Q").Title(xTitle).Axis(spacedAxis(opts.Width)).Scale(vl.Scale{}.Zero(false).Domain(map[string]any{"param": "zoom", "encoding": "x"})),
				vl.X2("x1"), vl.Y("count:Q").Title("count"), vl.Y2(vl.Datum(0)), tips,
			)
		label := vl.NewChart().Transform(slices.Concat(current, []vl.Transform{vl.Filter("datum.b == 0"), vl.Calculate("'step ' + format(datum.step, ',d')", "label")})...).
			Mark(vl.Text().Align("right").Baseline("top").FontSize(13).FontWeight("bold").Dx(-4).Dy(4)).
			Encode(vl.X(vl.Value(opts.Width)), vl.Y(vl.Value(0)), vl.TextOf("label:N"))
		main := vl.Layer(bars, label).Width(opts.Width).Height(opts.Height)
		overview := vl.NewChart().Transform(current...).
			Mark(vl.Area().Interpolate("step").Opacity(0.5)).
			Encode(vl.X("xc:Q").Title(nil).Axis(spacedAxis(opts.Width)).Scale(vl.Scale{}.Zero(false)), vl.Y("count:Q").NoAxis().Title(nil)).
			Params(vl.SelectInterval("zoom").Encodings("x"))
		// The hint is interactive-only: nothing can be dragged in the static SVG.
		hint := vl.NewChart().Name(vl.InteractiveOnlyPrefix+"zoom_hint").Data(vl.Values([]map[string]any{{}})).
			Mark(vl.Text().Align("left").Baseline("bottom").FontSize(10).Color("#888").Dy(-3)).
			Encode(vl.X(vl.Value(0)), vl.Y(vl.Value(0)), vl.TextOf(vl.Datum("drag here to zoom the x axis")))
		strip := vl.Layer(overview, hint).Width(opts.Width).Height(36)
		chart = vl.VConcat(main, strip)
	case ModeOverlay:
		color := vl.Color("step:O").Title("step").Scale(vl.Scale{}.Scheme("viridis"))
		lines := vl.NewChart().Mark(vl.Line().Interpolate("step").StrokeWidth(1.5)).
			Encode(vl.X("xc:Q").Title(xTitle).Axis(spacedAxis(opts.Width)).Scale(vl.Scale{}.Zero(false)), vl.Y("count:Q").Title("count"), color)
		points := vl.NewChart().Name(vl.InteractiveOnlyPrefix+"hover").
			Mark(vl.Point().Filled(true).Size(30).Opacity(0.001)).
			Encode(vl.X("xc:Q"), vl.Y("count:Q"), color, tips)
		chart = vl.Layer(lines, points).Transform(derive...).Width(opts.Width).Height(opts.Height)
	case ModeOffset:
		h := float64(opts.Height)
		// No x grid: the rows share the bottom row's axis, and a faceted chart draws the grid
		// of that axis over its labels and title.
		inner := vl.NewChart().
			Mark(vl.Area().Interpolate("monotone").FillOpacity(0.8).Stroke("#333").StrokeWidth(0.5)).
			Encode(
				vl.X("xc:Q").Title(xTitle).Scale(vl.Scale{}.Zero(false)).Axis(spacedAxis(opts.Width).Grid(false)),
				vl.Y("rel:Q").Scale(vl.Scale{}.Range([]float64{h, -2 * h}).Domain([]float64{0, 1})).NoAxis().Title(nil).Stack(nil),
				vl.Fill("step:O").NoLegend().Scale(vl.Scale{}.Scheme("viridis")),
				tips,
			).
			Width(opts.Width).Height(opts.Height)
		chart = vl.Facet(inner, vl.Row("step:O").Title("step").
			Header(vl.Header{}.LabelAngle(0).LabelAlign("right").LabelBaseline("bottom").TitleOrient("left"))).
			Transform(slices.Concat(derive, []vl.Transform{
				vl.JoinAggregate(vl.AggOp("max", "count", "top")).GroupBy("step"),
				vl.Calculate("datum.top > 0 ? datum.count / datum.top : 0", "rel")})...).
			Spacing(0).Bounds("flush").
			Config(vl.Config{}.View(map[string]any{"stroke": nil}))
	}
	chart = chart.Params(params...).Data(data.SilentGaps()).
		Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitle(sub, opts.Width+60)))
	return chart, nil
}

// spacedAxis is an x axis (tensor values, steps) along a chart width px wide: about one tick
// per 80 px, apart by at least 4 px, so that labels such as "−0.0015" or "2,500" keep apart
// in a browser without vega having to hide every other one.
func spacedAxis(width int) vl.Axis {
	return vl.Axis{}.TickCount(max(2, width/80)).LabelSeparation(4)
}

// stepAxis is a training-step axis along a chart width px wide, whose last step is
// last: as many ticks as labels of that length ("4,000") keep apart, at least 2.
func stepAxis(width, last int) vl.Axis {
	chars := len(strconv.Itoa(last))
	chars += (chars - 1) / 3 // thousands separators
	return vl.Axis{}.TickCount(max(2, width/(2*(8*chars+16)))).LabelSeparation(4)
}

// StepParam is the parameter of Histograms's slider (ModeSlider): the step shown.
const StepParam = "at_step"

// stepIncrement is the slider's increment over sorted distinct steps: their greatest
// common divisor, so that every step drawn is a position of the slider.
func stepIncrement(steps []int) int {
	g := 0
	for i := 1; i < len(steps); i++ {
		a, b := steps[i]-steps[i-1], g
		for b != 0 {
			a, b = b, a%b
		}
		g = a
	}
	return max(g, 1)
}

// mostSnapshots is the number of snapshots of the tensor with the most.
func mostSnapshots(groups map[string][]capture.Snapshot, names []string) int {
	n := 0
	for _, name := range names {
		n = max(n, len(groups[name]))
	}
	return n
}

// tensorParam is the drop-down that picks the tensor drawn.
func tensorParam(names []string, first string) vl.Param {
	p := vl.NewParam("tensor").Value(first)
	if len(names) > 1 {
		opts := make([]any, len(names))
		for i, n := range names {
			opts[i] = n
		}
		p = p.Bind(vl.BindSelect(opts...).Name("tensor "))
	}
	return p
}

func tensorWord(kind capture.Kind) string {
	switch kind {
	case capture.KindActivations:
		return "layer"
	default:
		return "variable"
	}
}

func plural(n int, word string) string {
	switch {
	case n == 1:
		return word
	case strings.HasSuffix(word, "s"):
		return word + "es" // classes
	}
	return word + "s"
}

// stepsNote says which steps the snapshots cover.
func stepsNote(groups map[string][]capture.Snapshot, names []string) string {
	lo, hi, n := math.MaxInt, 0, 0
	for _, name := range names {
		g := groups[name]
		lo, hi = min(lo, g[0].Step), max(hi, g[len(g)-1].Step)
		n = max(n, len(g))
	}
	return fmt.Sprintf("%d %s, steps %d–%d", n, plural(n, "snapshot"), lo, hi)
}

// DistributionsOptions styles Distributions.
type DistributionsOptions struct {
	Title   string // default: "<kind> distributions"
	Columns int    // small multiples per row; default 3
	Width   int    // of one panel; default 240
	Height  int    // of one panel; default 130
}

// Distributions draws, for each tensor, its distribution over training as
// TensorBoard does: bands between the percentiles 0–100, 6.68–93.32, 15.87–84.13 and
// 30.85–69.15 (±3, 1.5, 1 and 0.5 sigma for a normal), darker towards the median line.
// Hover shows every percentile at a step.
func Distributions(snaps []capture.Snapshot, opts DistributionsOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	kind, err := checkSnaps("Distributions", snaps)
	if err != nil {
		return vl.Chart{}, err
	}
	if opts.Columns == 0 {
		opts.Columns = 3
	}
	if opts.Width == 0 {
		opts.Width = 240
	}
	if opts.Height == 0 {
		opts.Height = 130
	}
	if opts.Columns < 0 || opts.Width < 0 || opts.Height < 0 {
		return vl.Chart{}, fmt.Errorf("charts.Distributions: Columns, Width and Height must not be negative")
	}
	if opts.Title == "" {
		opts.Title = string(kind) + " distributions"
	}
	names, groups := capture.ByTensor(snaps)
	perTensor := max(2, chartRowBudget/len(names))
	cols := map[string]any{}
	var colName []string
	var colStep []int
	pcs := make([][]any, len(capture.TensorBoardPercentiles))
	drawable := 0
	for _, n := range names {
		g := groups[n]
		for _, idx := range pickEven(len(g), perTensor) {
			s := g[idx]
			colName = append(colName, n)
			colStep = append(colStep, s.Step)
			if s.Count == 0 || len(s.Percentiles) != len(capture.TensorBoardPercentiles) {
				for i := range pcs { // no finite values: a row of nulls, where the bands break
					pcs[i] = append(pcs[i], nil)
				}
				continue
			}
			for i, v := range s.Percentiles {
				pcs[i] = append(pcs[i], round5(v))
			}
			drawable++
		}
	}
	if drawable == 0 {
		return vl.Chart{}, errors.New("charts.Distributions: no snapshot has finite values to draw")
	}
	cols["name"], cols["step"] = colName, colStep
	for i := range pcs {
		cols[fmt.Sprintf("p%d", i)] = pcs[i]
	}
	x := vl.X("step:Q").Title("step").Axis(stepAxis(opts.Width, slices.Max(colStep)))
	var layers []vl.Chart
	for i, op := range []float64{0.15, 0.25, 0.35, 0.5} {
		layers = append(layers, vl.NewChart().Mark(vl.Area().Opacity(op).Color("#4c78a8")).
			Encode(x, vl.Y(fmt.Sprintf("p%d:Q", i)).Title(kind).Scale(vl.Scale{}.Zero(false)), vl.Y2(fmt.Sprintf("p%d", 8-i))))
	}
	layers = append(layers, vl.NewChart().Mark(vl.Line().Color("#1f3b5a").StrokeWidth(1.5)).Encode(x, vl.Y("p4:Q")))
	tips := []any{vl.Field("name").Nominal().Title(tensorWord(kind)), vl.Field("step").Quantitative()}
	for i, p := range capture.TensorBoardPercentiles {
		tips = append(tips, vl.Field(fmt.Sprintf("p%d", i)).Quantitative().Format(".4~g").Title(fmt.Sprintf("p%g", p)))
	}
	layers = append(layers, vl.NewChart().Name(vl.InteractiveOnlyPrefix+"hover").
		Mark(vl.Point().Filled(true).Size(40).Opacity(0.001)).Encode(x, vl.Y("p4:Q"), vl.Tooltip(tips...)))
	inner := vl.Layer(layers...).Width(opts.Width).Height(opts.Height)
	sub := fmt.Sprintf("percentile bands 0–100, 6.68–93.32, 15.87–84.13, 30.85–69.15 and the median · %s", stepsNote(groups, names))
	if nf := nonFiniteNote(names, groups); nf != "" {
		sub += " · " + nf
	}
	chart = vl.Facet(inner, vl.FacetBy("name:N").Title(nil).Sort(names).Header(vl.Header{}.LabelFontSize(11).LabelLimit(0))).
		Columns(opts.Columns).ResolveScale("y", "independent").
		Data(vl.Columns(cols).Compact()).
		Title(vl.NewTitle(opts.Title).Anchor("start").Subtitle(subtitle(sub, min(len(names), opts.Columns)*(opts.Width+70))))
	return chart, nil
}

// GradientHealthOptions styles GradientHealth.
type GradientHealthOptions struct {
	Title string // default "gradient health"
}

// GradientHealth draws, per variable, the gradient norm and the update/weight ratio
// over training (log scales; the band marks healthy ratios around 1e-3), with the flags of
// capture.Diagnose in the subtitle. snaps are gradient snapshots (capture.Capture.Snapshots(capture.KindGradients)).
func GradientHealth(snaps []capture.Snapshot, opts GradientHealthOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	title := opts.Title
	if err := checkKind("GradientHealth", snaps, capture.KindGradients, "capture.KindGradients"); err != nil {
		return vl.Chart{}, err
	}
	if title == "" {
		title = "gradient health"
	}
	names, groups := capture.ByTensor(snaps)
	var colName []string
	var colStep []int
	var colNorm, colRatio []any
	per := max(2, chartRowBudget/len(names))
	for _, n := range names {
		g := groups[n]
		for _, idx := range pickEven(len(g), per) {
			s := g[idx]
			colName = append(colName, n)
			colStep = append(colStep, s.Step)
			colNorm = append(colNorm, positiveOrNil(round5(s.Norm)))
			colRatio = append(colRatio, positiveOrNil(round5(s.UpdateRatio)))
		}
	}
	data := vl.Columns(map[string]any{"name": colName, "step": colStep, "norm": colNorm, "ratio": colRatio}).Compact().SilentGaps()
	x := vl.X("step:Q").Title("step").Axis(stepAxis(300, slices.Max(colStep)))
	color := vl.Color("name:N").Title("variable").Sort(names).Scale(vl.Scale{}.Range(seriesPalette)).Legend(vl.Legend{}.Orient("bottom").Columns(2).LabelLimit(0).SymbolOpacity(1).SymbolType("stroke"))
	tips := vl.Tooltip(vl.Field("name").Nominal().Title("variable"), vl.Field("step").Quantitative(),
		vl.Field("norm").Quantitative().Format(".3~g").Title("gradient norm"),
		vl.Field("ratio").Quantitative().Format(".3~g").Title("update / weight"))
	const height = 200
	logY := map[string]vl.Enc{
		"norm":  logAxisY("norm", "gradient norm (L2)", colNorm, height),
		"ratio": logAxisY("ratio", "update / weight (L2)", slices.Concat(colRatio, []any{1e-4, 1e-2}), height), // and the band
	}
	// Lines, and invisible points that carry the tooltips (left out of the static SVG).
	// The lines take the rows without a value too: they break there, a gap.
	line := func(field string) []vl.Chart {
		y := logY[field]
		return []vl.Chart{
			vl.NewChart().Mark(vl.Line().StrokeWidth(1.5)).Encode(x, y, color),
			vl.NewChart().Transform(vl.Filter("isValid(datum."+field+")")).
				Name(vl.InteractiveOnlyPrefix+"hover_"+field).Mark(vl.Point().Filled(true).Size(30).Opacity(0.001)).Encode(x, y, color, tips),
		}
	}
	norms := vl.Layer(line("norm")...).Width(300).Height(height).
		Title(vl.NewTitle("gradient norm").FontSize(12).Anchor("start"))
	band := vl.NewChart().Data(vl.Values([]map[string]any{{"lo": 1e-4, "hi": 1e-2}})).
		Mark(vl.Rect().Color("#54a24b").Opacity(0.12)).Encode(vl.Y("lo:Q"), vl.Y2("hi"))
	ratios := vl.Layer(append([]vl.Chart{band}, line("ratio")...)...).
		Width(300).Height(height).Title(vl.NewTitle("update / weight ratio").FontSize(12).Anchor("start"))
	sub := "healthy update/weight ratios (shaded): about 1e-4 to 1e-2"
	flags := capture.Diagnose(snaps)
	if len(flags) > 0 {
		sub = "⚠ " + strings.Join(flags[:min(len(flags), 4)], "; ")
		if len(flags) > 4 {
			sub += fmt.Sprintf("; and %d more", len(flags)-4)
		}
	}
	chart = vl.HConcat(norms, ratios).Data(data).
		Title(vl.NewTitle(title).Anchor("start").Subtitle(subtitle(sub, 2*300+140)))
	return chart, nil
}

// ActivationStatsOptions styles ActivationStats.
type ActivationStatsOptions struct {
	Title string // default "activations"
}

// ActivationStats draws, per layer, the activations' mean ± one standard deviation and
// the fraction of dead units (<= 0 for every example of the batch) over training. snaps are
// activation snapshots (capture.Capture.Snapshots(capture.KindActivations)).
func ActivationStats(snaps []capture.Snapshot, opts ActivationStatsOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	title := opts.Title
	if err := checkKind("ActivationStats", snaps, capture.KindActivations, "capture.KindActivations"); err != nil {
		return vl.Chart{}, err
	}
	if title == "" {
		title = "activations"
	}
	names, groups := capture.ByTensor(snaps)
	var colName []string
	var colStep []int
	var colMean, colLo, colHi, colDead []any
	per := max(2, chartRowBudget/len(names))
	for _, n := range names {
		g := groups[n]
		for _, idx := range pickEven(len(g), per) {
			s := g[idx]
			colName = append(colName, n)
			colStep = append(colStep, s.Step)
			if s.Count == 0 {
				colMean, colLo, colHi = append(colMean, nil), append(colLo, nil), append(colHi, nil)
			} else {
				colMean, colLo, colHi = append(colMean, round5(s.Mean)), append(colLo, round5(s.Mean-s.Std)), append(colHi, round5(s.Mean+s.Std))
			}
			if s.Dead >= 0 {
				colDead = append(colDead, round5(s.Dead))
			} else {
				colDead = append(colDead, nil)
			}
		}
	}
	data := vl.Columns(map[string]any{"name": colName, "step": colStep, "mean": colMean, "lo": colLo, "hi": colHi, "dead": colDead}).Compact().SilentGaps()
	x := vl.X("step:Q").Title("step").Axis(stepAxis(300, slices.Max(colStep)))
	color := vl.Color("name:N").Title("layer").Sort(names).Scale(vl.Scale{}.Range(seriesPalette)).Legend(vl.Legend{}.Orient("bottom").LabelLimit(0).SymbolOpacity(1).SymbolType("stroke"))
	tips := vl.Tooltip(vl.Field("name").Nominal().Title("layer"), vl.Field("step").Quantitative(),
		vl.Field("mean").Quantitative().Format(".3~g"), vl.Field("lo").Quantitative().Format(".3~g").Title("mean − std"),
		vl.Field("hi").Quantitative().Format(".3~g").Title("mean + std"), vl.Field("dead").Quantitative().Format(".1%").Title("dead units"))
	valid := func(f string) vl.Transform { return vl.Filter("isValid(datum." + f + ")") }
	// The band and the line take the rows without a mean too: they break there, a gap.
	moments := vl.Layer(
		vl.NewChart().Mark(vl.Area().Opacity(0.2)).Encode(x, vl.Y("lo:Q").Title("activation mean ± std"), vl.Y2("hi"), color),
		vl.NewChart().Mark(vl.Line()).Encode(x, vl.Y("mean:Q"), color),
		vl.NewChart().Name(vl.InteractiveOnlyPrefix+"hover_mean").Transform(valid("mean")).
			Mark(vl.Point().Filled(true).Size(30).Opacity(0.001)).Encode(x, vl.Y("mean:Q"), color, tips),
	).Width(300).Height(200).Title(vl.NewTitle("mean ± std").FontSize(12).Anchor("start"))
	deadY := vl.Y("dead:Q").Title("dead units").Axis(vl.Axis{}.Format("%")).Scale(vl.Scale{}.Domain([]float64{0, 1}))
	dead := vl.Layer(
		vl.NewChart().Transform(valid("dead")).Mark(vl.Line()).Encode(x, deadY, color),
		vl.NewChart().Name(vl.InteractiveOnlyPrefix+"hover_dead").Transform(valid("dead")).
			Mark(vl.Point().Filled(true).Size(30).Opacity(0.001)).Encode(x, deadY, color, tips),
	).Width(300).Height(200).Title(vl.NewTitle("dead units (≤ 0 for the whole batch)").FontSize(12).Anchor("start"))
	sub := stepsNote(groups, names)
	if flags := capture.Diagnose(snaps); len(flags) > 0 {
		sub = "⚠ " + strings.Join(flags, "; ")
	}
	if nf := nonFiniteNote(names, groups); nf != "" {
		sub += " · " + nf
	}
	chart = vl.HConcat(moments, dead).Data(data).
		Title(vl.NewTitle(title).Anchor("start").Subtitle(subtitle(sub, 2*300+140)))
	return chart, nil
}

// logAxisY is a log-scale y encoding of field, over values (float64 or nil) px high:
// its domain the decades that hold the positive values, its ticks at 1, 2, 3 and 5 times
// the powers of ten, or fewer (1, 2 and 5; 1 and 3; powers of ten; every other power),
// as many as keep labels 20 px apart. Left to vega, a log axis labels 1 to 9 in every
// decade and hides those that collide, yet a browser shows them crowded.
func logAxisY(field, title string, values []any, px int) vl.Enc {
	y := vl.Y(field + ":Q").Title(title)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if f, ok := v.(float64); ok && f > 0 && !math.IsInf(f, 0) {
			lo, hi = min(lo, f), max(hi, f)
		}
	}
	if lo > hi {
		return y.Scale(vl.Scale{}.Type("log")) // nothing to draw
	}
	a, b := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	if a == b {
		b++
	}
	perDecade := float64(px) / float64(b-a)
	const minGap = 20.0
	sets := []struct {
		mantissas []int
		gap       float64 // the least gap between two ticks, in decades
	}{
		{[]int{1, 2, 3, 5}, math.Log10(1.5)},
		{[]int{1, 2, 5}, math.Log10(2)},
		{[]int{1, 3}, math.Log10(3)},
	}
	mantissas, every := []int{1}, max(1, int(math.Ceil(minGap/perDecade)))
	for _, set := range sets {
		if set.gap*perDecade >= minGap {
			mantissas, every = set.mantissas, 1
			break
		}
	}
	var ticks []float64
	for k := a; k <= b; k += every {
		for _, m := range mantissas {
			if k == b && m > 1 {
				break
			}
			v, _ := strconv.ParseFloat(fmt.Sprintf("%de%d", m, k), 64)
			ticks = append(ticks, v)
		}
	}
	top, _ := strconv.ParseFloat(fmt.Sprintf("1e%d", b), 64)
	bottom, _ := strconv.ParseFloat(fmt.Sprintf("1e%d", a), 64)
	return y.Scale(vl.Scale{}.Type("log").Domain([]float64{bottom, top})).
		Axis(vl.Axis{}.Values(ticks).Format("~g"))
}

func positiveOrNil(v float64) any {
	if v > 0 && !math.IsInf(v, 0) {
		return v
	}
	return nil
}
