// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/gomlx/compute"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/projection"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// Projection methods.
const (
	ProjectPCA  = "pca"  // principal components (projection.PCA): linear, fast
	ProjectTSNE = "tsne" // t-SNE (projection.TSNE): neighbourhoods kept, distances not
)

// MaxProjectionPoints is the most points Projection projects and draws; past it, set
// ProjectionOptions.Sample to draw a seeded random sample. ProjectionSteps draws at most
// about 4,500 points over all steps together (the rows a chart carries).
const MaxProjectionPoints = 4000

// maxProjectionFeaturesShown is the most features whose values the hover lists.
const maxProjectionFeaturesShown = 8

// ProjectionOptions configures Projection and ProjectionSteps.
type ProjectionOptions struct {
	Title string // default "PCA" or "t-SNE", with the number of points
	// Method: ProjectPCA (default) or ProjectTSNE.
	Method string
	// Labels, optional: the class of each row (an index into Classes).
	Labels []int
	// Predictions, optional: the predicted class of each row. With Labels, the points
	// are marked correct (circle) or wrong (cross).
	Predictions []int
	// Classes names the classes; default "0", "1", ...
	Classes []string
	// ColorBy colours the points by "label" (the default when Labels are given) or by
	// "prediction".
	ColorBy string
	// Features names the input columns; when there are at most 8, the hover lists each
	// point's values.
	Features []string
	// Sample draws a random sample of this many rows (the same rows at every step),
	// seeded by Seed; needed past MaxProjectionPoints rows.
	Sample int
	Seed   uint64 // default 1
	// Perplexity and Iterations of t-SNE; defaults 30 and 1000.
	Perplexity float64
	Iterations int
	// Images, optional: one image per row of x, which hovering its point shows (a
	// tooltip field named "image", which vega-tooltip draws as a picture: in JupyterLab
	// and on gonbviz's HTML pages; the static SVG carries none). As ImageGrid takes them:
	// a *tensors.Tensor [N, H, W], [N, H, W, C] or [N, C, H, W], nested slices, or a flat
	// []float32, []float64 or []uint8 with ImageShape. One-channel images are drawn in 16
	// grey levels on one scale (black the smallest value), RGB ones in their colours.
	// Each point's image is a small PNG carried once (not once per step) and counted as a
	// row of the chart.
	Images any
	// ImageShape is the shape of Images given as a flat slice ([N, H, W], ...). With
	// Images nil it says to read the rows of x themselves as images of this shape (for
	// ProjectionSteps, those of the first step): [N, 8, 8] for rows of 64 pixels.
	ImageShape []int
	// ImageLayout says where the channels of rank-4 images are; default LayoutAuto.
	ImageLayout ImageLayout
	// ImageSize is the longer side in pixels of the image the hover shows; default
	// DefaultHoverImageSize. Smaller images are scaled up by a whole factor, larger ones
	// downsampled.
	ImageSize int
	// Backend computes the PCA; default projection.Backend().
	Backend       compute.Backend
	Width, Height int // of the scatter plot; default 420 × 380
}

// ProjectionStep is one recorded step of the same rows (a probe batch) for
// ProjectionSteps: their activations at that step.
type ProjectionStep struct {
	Step int
	// X holds one row per point: [][]float64, [][]float32, a flat []float64 or []float32
	// with Width columns, or a *tensors.Tensor [N, F].
	X     any
	Width int
}

// Projection draws the rows of x (one point per row: features, or a layer's
// activations) projected to 2-D by PCA or t-SNE, as a scatter plot coloured by label or
// prediction, wrong predictions marked with a cross; hovering a point shows its index,
// label, prediction (and its values, for up to 8 features). For PCA the axes say how
// much of the variance each component explains, and a bar chart beside the plot shows
// the first ten components'. Dragging a rectangle selects points (the others greyed).
// x is a [][]float64, [][]float32, a flat []float64 or []float32 (set width), or a
// *tensors.Tensor [N, F].
func Projection(x any, width int, opts ProjectionOptions) (vl.Chart, error) {
	return projectionChart("charts.Projection", []ProjectionStep{{X: x, Width: width}}, opts, false)
}

// ProjectionSteps draws the same rows at several recorded steps (the activations of a
// probe batch over training) with a slider over the steps. The projections are aligned
// from step to step, so that the slider moves points rather than flipping the picture:
// PCA is fitted at each step and each component's sign chosen to agree with the
// previous step's; t-SNE starts each step from the previous step's layout.
func ProjectionSteps(steps []ProjectionStep, opts ProjectionOptions) (vl.Chart, error) {
	return projectionChart("charts.ProjectionSteps", steps, opts, true)
}

func projectionChart(what string, steps []ProjectionStep, opts ProjectionOptions, slider bool) (chart vl.Chart, err error) {
	defer guard(&err)
	if len(steps) == 0 {
		return vl.Chart{}, fmt.Errorf("%s: steps is empty; pass one ProjectionStep per recorded step", what)
	}
	method := opts.Method
	switch method {
	case "":
		method = ProjectPCA
	case ProjectPCA, ProjectTSNE:
	default:
		return vl.Chart{}, fmt.Errorf("%s: opts.Method is %q; pass charts.ProjectPCA or charts.ProjectTSNE", what, opts.Method)
	}
	if opts.Sample < 0 || opts.Width < 0 || opts.Height < 0 {
		return vl.Chart{}, fmt.Errorf("%s: opts.Sample, Width and Height must not be negative", what)
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Width == 0 {
		opts.Width = 420
	}
	if opts.Height == 0 {
		opts.Height = 380
	}
	// The matrices, checked: the same number of rows at every step.
	mats := make([][][]float64, len(steps))
	n, f := -1, 0
	for s, st := range steps {
		arg := "x"
		if slider {
			arg = fmt.Sprintf("steps[%d].X (step %d)", s, st.Step)
			if s > 0 && st.Step <= steps[s-1].Step {
				return vl.Chart{}, fmt.Errorf("%s: steps[%d] is step %d, after step %d; pass the steps in increasing order", what, s, st.Step, steps[s-1].Step)
			}
		}
		cols, rows, err := columnsOf(st.X, st.Width)
		if err != nil {
			return vl.Chart{}, fmt.Errorf("%s: %s %w", what, arg, err)
		}
		if rows == 0 {
			return vl.Chart{}, fmt.Errorf("%s: %s has no rows; pass one row per point", what, arg)
		}
		if n >= 0 && rows != n {
			return vl.Chart{}, fmt.Errorf("%s: %s has %d rows, steps[0] has %d; pass the same points (a fixed probe batch) at every step", what, arg, rows, n)
		}
		if n >= 0 && len(cols) != f {
			return vl.Chart{}, fmt.Errorf("%s: %s has %d features, steps[0] has %d; pass the same layer at every step", what, arg, len(cols), f)
		}
		n, f = rows, len(cols)
		for j, c := range cols {
			for i, v := range c {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return vl.Chart{}, fmt.Errorf("%s: %s row %d, feature %d is %v; the values must be finite", what, arg, i, j, v)
				}
			}
		}
		mats[s] = transpose(cols, rows)
	}
	for _, l := range []struct {
		name string
		v    []int
	}{{"opts.Labels", opts.Labels}, {"opts.Predictions", opts.Predictions}} {
		if l.v != nil && len(l.v) != n {
			return vl.Chart{}, fmt.Errorf("%s: %s has %d entries for %d rows; pass one per row (or none)", what, l.name, len(l.v), n)
		}
		bound, hint := maxClasses, fmt.Sprintf("class indices 0..%d (a chart tells at most %d classes apart)", maxClasses-1, maxClasses)
		if opts.Classes != nil {
			bound, hint = len(opts.Classes), fmt.Sprintf("indices into opts.Classes, 0..%d", len(opts.Classes)-1)
		}
		for i, c := range l.v {
			if c < 0 || c >= bound {
				return vl.Chart{}, fmt.Errorf("%s: %s[%d] is %d; pass %s", what, l.name, i, c, hint)
			}
		}
	}
	if opts.Features != nil && len(opts.Features) != f {
		return vl.Chart{}, fmt.Errorf("%s: opts.Features has %d names for %d features; pass one per column (or none)", what, len(opts.Features), f)
	}
	colorBy := opts.ColorBy
	switch colorBy {
	case "":
		colorBy = "label"
		if opts.Labels == nil {
			colorBy = "prediction"
		}
	case "label", "prediction":
	default:
		return vl.Chart{}, fmt.Errorf(`%s: opts.ColorBy is %q; pass "label" or "prediction"`, what, opts.ColorBy)
	}
	if colorBy == "label" && opts.Labels == nil && opts.Predictions != nil {
		return vl.Chart{}, fmt.Errorf(`%s: opts.ColorBy is "label" but opts.Labels is nil; pass the labels or colour by "prediction"`, what)
	}
	// The rows drawn.
	picked := sampleIndexes(n, n, 0)
	if opts.Sample > 0 && opts.Sample < n {
		picked = sampleIndexes(n, opts.Sample, opts.Seed)
	} else if n > MaxProjectionPoints {
		return vl.Chart{}, fmt.Errorf("%s: x has %s rows, more than a projection draws (MaxProjectionPoints, %s); set opts.Sample (e.g. %d) to project a random sample of them, seeded by opts.Seed", what, formatThousands(n), formatThousands(MaxProjectionPoints), MaxProjectionPoints)
	}
	images, err := projectionImages(what, opts, mats[0], picked)
	if err != nil {
		return vl.Chart{}, err
	}
	if rows := len(picked) * len(steps); images != nil && rows+len(picked) > chartRowBudget {
		return vl.Chart{}, fmt.Errorf("%s: %s points at %d %s and their images make %s rows, more than a chart carries (%s); set opts.Sample to %s or fewer points", what, formatThousands(len(picked)), len(steps), plural(len(steps), "step"), formatThousands(rows+len(picked)), formatThousands(chartRowBudget), formatThousands(chartRowBudget/(len(steps)+1)))
	} else if rows := len(picked) * len(steps); slider && rows > chartRowBudget {
		return vl.Chart{}, fmt.Errorf("%s: %s points at %d steps make %s rows, more than a chart carries (%s); set opts.Sample to %d or fewer points, or pass fewer steps", what, formatThousands(len(picked)), len(steps), formatThousands(rows), formatThousands(chartRowBudget), chartRowBudget/len(steps))
	}
	if method == ProjectTSNE && len(picked) < 4 {
		return vl.Chart{}, fmt.Errorf("%s: t-SNE needs at least 4 points, x has %d; use charts.ProjectPCA", what, len(picked))
	}
	for s := range mats {
		sub := make([][]float64, len(picked))
		for k, i := range picked {
			sub[k] = mats[s][i]
		}
		mats[s] = sub
	}

	layouts, ratios, err := projectSteps(what, method, mats, f, opts)
	if err != nil {
		return vl.Chart{}, err
	}

	// The points' table: one row per point and step.
	className := func(c int) string {
		if c < len(opts.Classes) {
			return opts.Classes[c]
		}
		return strconv.Itoa(c)
	}
	var groups []string
	{
		seen := map[int]bool{}
		src := opts.Labels
		if colorBy == "prediction" {
			src = opts.Predictions
		}
		maxC := len(opts.Classes) - 1
		for _, c := range src {
			seen[c] = true
			maxC = max(maxC, c)
		}
		for c := 0; c <= maxC; c++ {
			if seen[c] || c < len(opts.Classes) {
				groups = append(groups, className(c))
			}
		}
	}
	marked := opts.Labels != nil && opts.Predictions != nil
	showValues := f <= maxProjectionFeaturesShown
	cols := map[string]any{}
	var colStep, colIndex []int
	var colX, colY []float64
	var colGroup, colLabel, colPred, colMark []string
	values := make([][]float64, 0)
	if showValues {
		values = make([][]float64, f)
	}
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	wrong := 0
	for s, lay := range layouts {
		for k, i := range picked {
			colStep = append(colStep, steps[s].Step)
			colIndex = append(colIndex, i)
			x, y := round5(lay[k][0]), round5(lay[k][1])
			colX, colY = append(colX, x), append(colY, y)
			xlo, xhi, ylo, yhi = min(xlo, x), max(xhi, x), min(ylo, y), max(yhi, y)
			group := ""
			if colorBy == "label" && opts.Labels != nil {
				group = className(opts.Labels[i])
			} else if opts.Predictions != nil {
				group = className(opts.Predictions[i])
			}
			colGroup = append(colGroup, group)
			if opts.Labels != nil {
				colLabel = append(colLabel, className(opts.Labels[i]))
			}
			if opts.Predictions != nil {
				colPred = append(colPred, className(opts.Predictions[i]))
			}
			if marked {
				m := "correct"
				if opts.Labels[i] != opts.Predictions[i] {
					m = "wrong"
					if s == len(layouts)-1 {
						wrong++
					}
				}
				colMark = append(colMark, m)
			}
			for j := range values {
				values[j] = append(values[j], round5(mats[s][k][j]))
			}
		}
	}
	cols["step"], cols["i"], cols["x"], cols["y"] = colStep, colIndex, colX, colY
	featureName := func(j int) string {
		if opts.Features != nil {
			return opts.Features[j]
		}
		return "x" + strconv.Itoa(j)
	}
	var tips []any
	if images != nil {
		tips = append(tips, vl.Field("image").Nominal())
	}
	tips = append(tips, vl.Field("i").Quantitative().Title("index"))
	if slider {
		tips = append(tips, vl.Field("step").Quantitative().Format(",d"))
	}
	if colLabel != nil {
		cols["label"] = colLabel
		tips = append(tips, vl.Field("label").Nominal())
	}
	if colPred != nil {
		cols["prediction"] = colPred
		tips = append(tips, vl.Field("prediction").Nominal())
	}
	if colMark != nil {
		cols["mark"] = colMark
	}
	if opts.Labels != nil || opts.Predictions != nil {
		cols["group"] = colGroup
	}
	for j := range values {
		key := "f" + strconv.Itoa(j)
		cols[key] = values[j]
		tips = append(tips, vl.Field(key).Quantitative().Format(".4~g").Title(featureName(j)))
	}
	points := vl.Columns(cols).Compact()

	// Axes fixed over all steps, so that the slider moves points, not the axes.
	pad := func(lo, hi float64) []float64 {
		d := (hi - lo) * 0.04
		if d == 0 {
			d = 1
		}
		return []float64{round5(lo - d), round5(hi + d)}
	}
	xTitle, yTitle := "t-SNE 1", "t-SNE 2"
	if method == ProjectPCA {
		xTitle, yTitle = "PC1", "PC2"
		if !slider {
			xTitle = fmt.Sprintf("PC1 (%.1f%% of the variance)", 100*ratios[0][0])
			yTitle = fmt.Sprintf("PC2 (%.1f%% of the variance)", 100*ratios[0][1])
		}
	}
	var transforms []vl.Transform
	var params []vl.Param
	stepNums := make([]int, len(steps))
	for s, st := range steps {
		stepNums[s] = st.Step
	}
	if slider {
		first, last := stepNums[0], stepNums[len(stepNums)-1]
		params = append(params, vl.NewParam(StepParam).Value(last).
			Bind(vl.BindRange(float64(first), float64(max(last, first+1)), float64(stepIncrement(stepNums))).Name("step ")))
		transforms = []vl.Transform{
			vl.Filter("datum.step <= " + StepParam),
			vl.JoinAggregate(vl.AggOp("max", "step", "shown")),
			vl.Filter("datum.step == datum.shown"),
		}
	}
	enc := []vl.Enc{
		vl.X("x:Q").Title(xTitle).Scale(vl.Scale{}.Domain(pad(xlo, xhi)).Nice(false)).Axis(spacedAxis(opts.Width)),
		vl.Y("y:Q").Title(yTitle).Scale(vl.Scale{}.Domain(pad(ylo, yhi)).Nice(false)),
		vl.Tooltip(tips...),
	}
	legend := vl.Legend{}.Orient("top").Direction("horizontal").LabelLimit(0).SymbolOpacity(1)
	if cols["group"] != nil {
		enc = append(enc, vl.Color(vl.If(vl.Not(vl.Selected(projectionBrush)), vl.Value("#d0d0d0"), "group:N")).
			Title(colorBy).Sort(groups).Scale(vl.Scale{}.Domain(groups).Range(groupPalette(len(groups)))).Legend(legend))
	} else {
		enc = append(enc, vl.Color(vl.If(vl.Not(vl.Selected(projectionBrush)), vl.Value("#d0d0d0"), vl.Value(seriesPalette[0]))))
	}
	if marked {
		enc = append(enc, vl.Shape("mark:N").Title("prediction").
			Scale(vl.Scale{}.Domain([]string{"correct", "wrong"}).Range([]string{"circle", "cross"})).Legend(legend))
	}
	pointSize := 30.0
	if len(picked) > 1000 {
		pointSize = 14
	}
	// aria off: a label per point (most of the static SVG's bytes) reads nothing useful
	// aloud for thousands of points; the chart's description stays.
	scatterTransforms := slices.Clone(transforms)
	if images != nil {
		scatterTransforms = append(scatterTransforms, images.transforms(picked)...)
	}
	scatter := vl.NewChart().Name("projection").Transform(scatterTransforms...).
		Mark(vl.Point().Filled(true).Size(pointSize).Opacity(0.75).Aria(false)).
		Encode(enc...).
		Params(vl.SelectInterval(projectionBrush).BrushMark(map[string]any{"fill": "#888", "fillOpacity": 0.12, "stroke": "#333"}))
	if !slider {
		scatter = scatter.Data(points).Width(opts.Width).Height(opts.Height)
	} else {
		label := vl.NewChart().Transform(append(slices.Clone(transforms),
			vl.Filter("datum.i == "+strconv.Itoa(picked[0])), vl.Calculate("'step ' + format(datum.step, ',d')", "label"))...).
			Mark(vl.Text().Align("right").Baseline("top").FontSize(13).FontWeight("bold").Dx(-4).Dy(4)).
			Encode(vl.X(vl.Value(opts.Width)), vl.Y(vl.Value(0)), vl.TextOf("label:N"))
		scatter = vl.Layer(scatter, label).Data(points).Width(opts.Width).Height(opts.Height)
	}

	// The subtitle.
	methodName := map[string]string{ProjectPCA: "PCA", ProjectTSNE: "t-SNE"}[method]
	sub := fmt.Sprintf("%s of %s %s", methodName, countText(len(picked), "point"), fmt.Sprintf("of %d %s", f, plural(f, "feature")))
	if len(picked) < n {
		sub += fmt.Sprintf(" (a random sample of %s, seed %d)", formatThousands(n), opts.Seed)
	}
	if slider {
		sub += fmt.Sprintf(" · %d steps, %s to %s", len(steps), formatThousands(stepNums[0]), formatThousands(stepNums[len(stepNums)-1]))
		if method == ProjectPCA {
			sub += " · PCA fitted at each step, signs aligned with the previous step"
		} else {
			sub += " · each step's t-SNE starts from the previous step's layout"
		}
	}
	if images != nil {
		sub += " · hover a point for its image"
	}
	if method == ProjectPCA {
		last := ratios[len(ratios)-1]
		sub += fmt.Sprintf(" · PC1 and PC2 explain %.1f%% of the variance", 100*(last[0]+last[1]))
		if slider {
			sub += " at the last step"
		}
	} else {
		sub += " · distances between clusters mean little"
	}
	if marked {
		sub += fmt.Sprintf(" · %s wrong (cross)", countText(wrong, "prediction"))
		if slider {
			sub += " at the last step"
		}
	}
	title := opts.Title
	if title == "" {
		title = methodName
	}
	width := opts.Width + 60
	if method == ProjectPCA {
		var bStep []int
		var bPC []string
		var bRatio []float64
		var pcs []string
		for c := range ratios[0] {
			pcs = append(pcs, "PC"+strconv.Itoa(c+1))
		}
		for s, r := range ratios {
			for c, v := range r {
				bStep, bPC, bRatio = append(bStep, stepNums[s]), append(bPC, pcs[c]), append(bRatio, round5(v))
			}
		}
		bars := vl.NewChart().Data(vl.Columns(map[string]any{"step": bStep, "pc": bPC, "ratio": bRatio}).Compact()).
			Transform(transforms...).
			Mark(vl.Bar().Color(seriesPalette[0])).
			Encode(
				vl.X("pc:N").Sort(pcs).Title("component").Axis(vl.Axis{}.LabelAngle(-90)), // "PC1" is wider than its 22 px bar
				vl.Y("ratio:Q").Title("explained variance ratio").Axis(vl.Axis{}.Format(".0%")),
				vl.Tooltip(vl.Field("pc").Nominal().Title("component"), vl.Field("ratio").Quantitative().Format(".2%").Title("explained variance")),
			).Width(22 * len(pcs)).Height(opts.Height / 2)
		chart = vl.HConcat(scatter, bars).Spacing(24)
		width += 22*len(pcs) + 80
	} else {
		chart = scatter
	}
	chart = chart.Params(params...).
		Title(vl.NewTitle(title).Anchor("start").Subtitle(subtitle(sub, width)))
	return chart, nil
}

// projectionBrush is the interval selection of Projection's scatter plot.
const projectionBrush = "brush"

// transpose turns columns into rows.
func transpose(cols [][]float64, n int) [][]float64 {
	rows := make([][]float64, n)
	for i := range rows {
		r := make([]float64, len(cols))
		for j, c := range cols {
			r[j] = c[i]
		}
		rows[i] = r
	}
	return rows
}

func dotFloats(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// projectSteps projects each step's rows to 2-D, each step aligned with the previous
// one; for PCA it also returns each step's explained variance ratios.
func projectSteps(what, method string, mats [][][]float64, f int, opts ProjectionOptions) (layouts [][][]float64, ratios [][]float64, err error) {
	layouts = make([][][]float64, len(mats))
	ratios = make([][]float64, len(mats))
	var prevComponents [][]float64
	var prevLayout [][]float64
	for s, m := range mats {
		switch method {
		case ProjectPCA:
			k := min(10, len(m), f)
			if k < 2 {
				return nil, nil, fmt.Errorf("%s: a 2-D projection needs at least 2 rows and 2 features; x has %d rows of %d", what, len(m), f)
			}
			p, err := projection.PCA(m, projection.PCAOptions{Components: k, Backend: opts.Backend, Seed: opts.Seed})
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", what, err)
			}
			for c := range 2 {
				if prevComponents != nil && dotFloats(p.Components[c], prevComponents[c]) < 0 {
					for i := range p.Projections {
						p.Projections[i][c] = -p.Projections[i][c]
					}
					for j := range p.Components[c] {
						p.Components[c][j] = -p.Components[c][j]
					}
				}
			}
			prevComponents = p.Components
			layouts[s] = p.Projections
			ratios[s] = p.ExplainedVarianceRatio
		case ProjectTSNE:
			perp := opts.Perplexity
			if perp == 0 {
				perp = min(30, float64(len(m)-1)/3)
			}
			res, err := projection.TSNE(m, projection.TSNEOptions{Perplexity: perp, Iterations: opts.Iterations, Seed: opts.Seed, Init: prevLayout, Backend: opts.Backend})
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", what, err)
			}
			layouts[s] = res.Embedding
			prevLayout = res.Embedding
		}
	}

	return layouts, ratios, nil
}

// ProbeSteps turns the probe batch's activations that a capture kept
// (capture.Options.KeepProbe, Capture.Probes) into the steps of ProjectionSteps: those
// of the named layer, in step order, each flattened to [examples, units].
func ProbeSteps(probes []capture.Probe, layer string) ([]ProjectionStep, error) {
	var steps []ProjectionStep
	names := map[string]bool{}
	for _, p := range probes {
		names[p.Name] = true
		if p.Name != layer {
			continue
		}
		if len(p.Shape) < 2 || p.Shape[0] == 0 {
			return nil, fmt.Errorf("charts.ProbeSteps: layer %q at step %d has shape %v; want [examples, units...]", layer, p.Step, p.Shape)
		}
		steps = append(steps, ProjectionStep{Step: p.Step, X: p.Values, Width: len(p.Values) / p.Shape[0]})
	}
	if len(steps) == 0 {
		var have []string
		for n := range names {
			have = append(have, n)
		}
		slices.Sort(have)
		if len(have) == 0 {
			return nil, fmt.Errorf("charts.ProbeSteps: no probe activations; set capture.Options.Probe, ProbeModel and KeepProbe, and mark the layers with capture.Activation")
		}
		return nil, fmt.Errorf("charts.ProbeSteps: no probe activations of layer %q; the capture kept %s", layer, quoteList(have, 8))
	}
	slices.SortStableFunc(steps, func(a, b ProjectionStep) int { return a.Step - b.Step })
	return steps, nil
}
