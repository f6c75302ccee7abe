// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// CurvePoint is one measurement of a training curve.
type CurvePoint struct {
	Step  int64
	Wall  float64 // seconds since the run started
	Epoch float64 // fractional epoch; 0 when unknown
	Value float64 // NaN and ±Inf are drawn as gaps
}

// Curve is one series of a run: "train/loss", "eval/validation/accuracy", ...
type Curve struct {
	Run    string // run name, for comparing runs
	Name   string // series name
	Kind   string // "loss", "accuracy", ...: curves of one kind share a chart
	Split  string // "train" or "eval:<dataset>"
	Points []CurvePoint
	// LowerIsBetter says how "best so far" is judged; by default true for losses and
	// errors, false for everything else.
	LowerIsBetter *bool
}

// SmoothingLevels are the EMA weights the smoothing slider offers, as in TensorBoard
// (debiased exponential moving average; 0 is no smoothing).
var SmoothingLevels = []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}

// DefaultSmoothing is TensorBoard's default smoothing weight.
const DefaultSmoothing = 0.6

// CurvesOptions styles a curves chart.
type CurvesOptions struct {
	Title    string
	Subtitle string // e.g. the progress line of a live run
	Width    int    // per chart; default 360
	Height   int    // default 220

	// Static draws the chart as it first appears, for a static picture: the default
	// smoothing only, no invisible hover points (a third of the marks), so it renders
	// faster. A live output's static SVG is drawn from it.
	Static bool
}

// ema returns the debiased exponential moving average of values with weight w, as
// TensorBoard computes it; non-finite values are skipped (and stay gaps).
func ema(values []float64, w float64) []float64 {
	out := make([]float64, len(values))
	last, n := 0.0, 0
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			out[i] = math.NaN()
			continue
		}
		last = last*w + (1-w)*v
		n++
		debias := 1 - math.Pow(w, float64(n))
		if debias == 0 {
			out[i] = v
		} else {
			out[i] = last / debias
		}
	}
	return out
}

func lowerIsBetter(c Curve) bool {
	if c.LowerIsBetter != nil {
		return *c.LowerIsBetter
	}
	k := strings.ToLower(c.Kind + " " + c.Name)
	return strings.Contains(k, "loss") || strings.Contains(k, "error") || strings.Contains(k, "perplexity")
}

// emaColumn names the column of smoothing weight w; the chart looks it up with
// emaLookup, which formats the slider's value the same way (a slider at 0.3 may read
// 0.30000000000000004).
func emaColumn(w float64) string { return "ema" + strconv.FormatFloat(w, 'f', 1, 64) }

const emaLookup = "datum['ema' + format(smoothing, '.1f')]"

// curveData holds the curves in long format, as columns: one row per point, with the
// smoothed values for every level and the best-so-far flag. Columns of typed slices encode
// several times faster than rows of maps, which matters for a chart redrawn every second.
type curveData struct {
	cols     map[string]any
	n        int
	hasEpoch bool
}

func curveColumns(curves []Curve, levels []float64) (curveData, []string) {
	total := 0
	for _, c := range curves {
		total += len(c.Points)
	}
	run := make([]string, 0, total)
	series := make([]string, 0, total)
	kind := make([]string, 0, total)
	split := make([]string, 0, total)
	step := make([]int64, 0, total)
	wall := make([]float64, 0, total)
	epoch := make([]float64, 0, total)
	value := make([]float64, 0, total)
	best := make([]bool, 0, total)
	smooth := make([][]float64, len(levels))
	for j := range smooth {
		smooth[j] = make([]float64, 0, total)
	}
	var notes []string
	hasEpoch := false
	for _, c := range curves {
		values := make([]float64, len(c.Points))
		for i, p := range c.Points {
			values[i] = p.Value
		}
		bestAt := -1
		bestV := math.NaN()
		lower := lowerIsBetter(c)
		var bad []string
		for i, v := range values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				if len(bad) < 3 {
					bad = append(bad, strconv.FormatInt(c.Points[i].Step, 10))
				} else if len(bad) == 3 {
					bad = append(bad, "...")
				}
				continue
			}
			if bestAt < 0 || (lower && v < bestV) || (!lower && v > bestV) {
				bestV, bestAt = v, i
			}
		}
		if len(bad) > 0 {
			notes = append(notes, fmt.Sprintf("%s%s has NaN/Inf at step %s (drawn as gaps)", runPrefix(c.Run), c.Name, strings.Join(bad, ", ")))
		}
		for j, w := range levels {
			for _, v := range ema(values, w) {
				smooth[j] = append(smooth[j], round5(v))
			}
		}
		for i, p := range c.Points {
			run, series, kind, split = append(run, c.Run), append(series, c.Name), append(kind, c.Kind), append(split, c.Split)
			step, wall, value = append(step, p.Step), append(wall, math.Round(p.Wall*1000)/1000), append(value, p.Value)
			best = append(best, i == bestAt)
			e := math.NaN() // null: unknown
			if p.Epoch != 0 {
				e, hasEpoch = p.Epoch, true
			}
			epoch = append(epoch, e)
		}
	}
	cols := map[string]any{
		"run": run, "series": series, "kind": kind, "split": split,
		"step": step, "wall": wall, "value": value, "best": best, "epoch": epoch,
	}
	for j, w := range levels {
		cols[emaColumn(w)] = smooth[j]
	}
	return curveData{cols: cols, n: total, hasEpoch: hasEpoch}, notes
}

// safeName keeps letters and digits of s, for view names.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, s)
}

// round5 rounds to 5 significant digits: smoothed values and wall times need no more on a
// chart, and the spec is sent once a second and saved in the notebook.
func round5(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, 4-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// splits lists the splits with "train" first (drawn solid), then the evaluations.
func splits(curves []Curve) []string {
	seen := map[string]bool{}
	var evals []string
	hasTrain := false
	for _, c := range curves {
		if c.Split == "train" {
			hasTrain = true
		} else if !seen[c.Split] {
			seen[c.Split] = true
			evals = append(evals, c.Split)
		}
	}
	sort.Strings(evals)
	if hasTrain {
		return append([]string{"train"}, evals...)
	}
	return evals
}

func runPrefix(run string) string {
	if run == "" {
		return ""
	}
	return run + ": "
}

// kinds returns the curve kinds in a stable order: loss first, then accuracy, then the rest.
func kinds(curves []Curve) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range curves {
		if !seen[c.Kind] {
			seen[c.Kind] = true
			out = append(out, c.Kind)
		}
	}
	rank := func(k string) int {
		switch k {
		case "loss":
			return 0
		case "accuracy":
			return 1
		}
		return 2
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}

// Curves draws training curves: one chart per kind (loss, accuracy, ...) side by side,
// x the step (wall time and epoch in the tooltip), a smoothing control (TensorBoard's
// debiased EMA) with the raw values faint behind, a log-scale toggle for losses, the best
// value so far marked, and, when there are several runs, a legend that selects runs.
// Non-finite values are drawn as gaps, and named in the chart's subtitle.
func Curves(curves []Curve, opts CurvesOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	if opts.Width == 0 {
		opts.Width = 360
	}
	if opts.Height == 0 {
		opts.Height = 220
	}
	levels := SmoothingLevels
	if opts.Static {
		levels = []float64{DefaultSmoothing}
	}
	data, notes := curveColumns(curves, levels)
	runs := map[string]bool{}
	for _, c := range curves {
		runs[c.Run] = true
	}
	multiRun := len(runs) > 1
	hasEpoch := data.hasEpoch
	colorField := "series:N"
	if multiRun {
		colorField = "run:N"
	}

	params := []vl.Param{
		vl.NewParam("smoothing").Value(DefaultSmoothing).Bind(vl.BindRange(0, SmoothingLevels[len(SmoothingLevels)-1], 0.1).Name("smoothing ")),
		vl.NewParam("logy").Value(false).Bind(vl.BindCheckbox().Name("log scale (losses) ")),
	}

	var views []vl.Chart
	for _, kind := range kinds(curves) {
		isLoss := kind == "loss"
		yExpr := "datum.value"
		sExpr := emaLookup
		if isLoss {
			yExpr = "logy ? (datum.value > 0 ? log(datum.value) / LN10 : null) : datum.value"
			sExpr = "logy ? (" + emaLookup + " > 0 ? log(" + emaLookup + ") / LN10 : null) : " + emaLookup
		}
		axis := vl.Axis{}.Title(kind)
		if isLoss {
			axis = axis.LabelExpr("logy ? format(pow(10, datum.value), '.2~g') : datum.label")
		}
		x := vl.X("step:Q").Title("step").Axis(spacedAxis(opts.Width))
		var tips []any
		if multiRun {
			tips = append(tips, vl.Field("run").Nominal())
		}
		tips = append(tips, vl.Field("series").Nominal(), vl.Field("step").Quantitative(),
			vl.Field("value").Quantitative().Format(".4~g"), vl.Field("smoothed").Quantitative().Format(".4~g"),
			vl.Field("wall").Quantitative().Format(".1f").Title("wall time (s)"))
		if hasEpoch {
			tips = append(tips, vl.Field("epoch").Quantitative().Format(".2f"))
		}
		tooltip := vl.Tooltip(tips...)
		color := vl.Color(colorField).Title(nil).Scale(vl.Scale{}.Range(seriesPalette)).Legend(vl.Legend{}.SymbolOpacity(1).LabelLimit(0))
		detail := vl.Detail("series:N", "run:N")
		// Several runs share a colour each; their train and eval curves differ by dash.
		dash := vl.StrokeDash("split:N").Title(nil).Scale(vl.Scale{}.Domain(splits(curves)))
		base := vl.NewChart().
			Transform(
				vl.Filter(vl.FieldEqual("kind", kind)),
				vl.Calculate(yExpr, "y"),
				vl.Calculate(sExpr, "ys"),
				vl.Calculate(emaLookup, "smoothed"),
			)
		yTitle := vl.Y("y:Q").Axis(axis).Scale(vl.Scale{}.Zero(false))
		raw := base.Mark(vl.Line().StrokeWidth(1).Opacity(0.25)).
			Encode(x, yTitle, color, detail)
		smooth := base.Mark(vl.Line().StrokeWidth(2)).
			Encode(x, vl.Y("ys:Q").Axis(axis), color, detail, tooltip)
		if multiRun {
			raw = raw.Encode(dash)
			smooth = smooth.Encode(dash)
		}
		if multiRun {
			if len(views) == 0 {
				// The run legend selects runs; defined once, in the first view's line layer.
				smooth = smooth.Params(vl.SelectPoint("runs").Fields("run").BindLegend())
			}
			smooth = smooth.Encode(vl.Opacity(vl.If(vl.Selected("runs"), vl.Value(1), vl.Value(0.15))))
			raw = raw.Encode(vl.Opacity(vl.If(vl.Selected("runs"), vl.Value(0.25), vl.Value(0.05))))
		}
		// Invisible points carry the hover tooltips; the static SVG leaves them out.
		points := base.Name(vl.InteractiveOnlyPrefix+"hover_"+safeName(kind)).
			Mark(vl.Point().Filled(true).Size(18).Opacity(0.001)).
			Encode(x, vl.Y("ys:Q").Axis(axis), color, detail, tooltip)
		best := base.Transform(vl.Filter(vl.FieldEqual("best", true))).
			Mark(vl.Point().Shape("diamond").Size(90).Filled(true).Stroke("white").StrokeWidth(1)).
			Encode(x, vl.Y("y:Q"), color, vl.Tooltip(
				vl.Field("series").Nominal().Title("best of"), vl.Field("run").Nominal(),
				vl.Field("step").Quantitative(), vl.Field("value").Quantitative().Format(".4~g")))
		layers := []vl.Chart{raw, smooth, points, best}
		if opts.Static {
			layers = []vl.Chart{raw, smooth, best}
		}
		v := vl.Layer(layers...).
			Width(opts.Width).Height(opts.Height).
			Title(vl.NewTitle(kind).FontSize(12).Anchor("start"))
		views = append(views, v)
	}
	if len(views) == 1 {
		chart = views[0]
	} else {
		chart = vl.HConcat(views...).ResolveScale("color", "shared")
	}
	chart = chart.Params(params...).Data(vl.Columns(data.cols).Compact().SilentGaps())
	sub := opts.Subtitle
	if len(notes) > 0 {
		if sub != "" {
			sub += " · "
		}
		sub += strings.Join(notes, "; ")
	}
	title := vl.NewTitle(opts.Title).Anchor("start")
	if opts.Title == "" {
		title = vl.NewTitle("training curves").Anchor("start")
	}
	if sub != "" {
		title = title.Subtitle(subtitle(sub, len(views)*(opts.Width+70)))
	}
	return chart.Title(title), nil
}
