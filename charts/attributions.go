// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"strconv"

	"github.com/gonbviz/gonbviz/saliency"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// AttributionsOptions configures Attributions.
type AttributionsOptions struct {
	Title string // default: the method, "integrated gradients"

	// Examples are the examples of the result to draw, in this order; nil: all of them
	// (up to MaxImages).
	Examples []int
	// RightAndWrong draws two examples side by side: the right prediction and the wrong
	// one made with the highest confidence (see saliency.Result.RightAndWrong). It needs
	// Labels, and excludes Examples.
	RightAndWrong bool
	// Labels holds the true class of every example of the result (optional): the captions
	// then say true→predicted class, in red where wrong.
	Labels     []int
	ClassNames []string // default "0", "1", ...

	// Height, Width and ChannelsFirst say how the inputs are read as images, as
	// saliency.OverlayOptions does; by default from the inputs' shape.
	Height, Width int
	ChannelsFirst bool

	// Normalize says how attributions map to the colormap: NormalizeShared (default)
	// puts every image on one scale, so that strengths compare across examples;
	// NormalizePerImage scales each to its own largest magnitude; NormalizeFixed maps
	// Range. The scale is symmetric about zero with the diverging colormap.
	Normalize Normalization
	Range     [2]float64
	// Colormap draws the attributions; default ColormapDiverging (red raised the explained
	// class's output, blue lowered it). ColormapViridis suits magnitudes.
	Colormap Colormap

	Columns   int // default: as many as fit about 960 pixels
	ImageSize int // default as for ImageGrid
	MaxImages int // default DefaultMaxImages
}

// shortMethod names a method in a caption.
func shortMethod(m saliency.Method) string {
	switch m {
	case saliency.Gradient:
		return "gradient"
	case saliency.GradientTimesInput:
		return "grad×input"
	case saliency.SmoothGrad:
		return "SmoothGrad"
	case saliency.IntegratedGradients:
		return "IG"
	}
	return string(m)
}

// relPercent writes a relative error as a percentage in two significant digits, "0.31%".
func relPercent(e float64) string {
	return strconv.FormatFloat(100*e, 'g', 2, 64) + "%"
}

// Attributions draws the attributions of a saliency.Result over its input images, with
// a diverging colormap (red pixels raised the explained class's output, blue ones lowered
// it), the inputs in gray beneath: for chosen examples, or for a right and a wrong
// prediction side by side (AttributionsOptions.RightAndWrong).
//
// Each image is captioned with its index and the probability of the class predicted,
// true→predicted class (when Labels are given), and the method; for integrated gradients
// the completeness figure too, "IG ±0.31%": how far the attributions' sum is from
// f(x) − f(baseline). Hovering an image shows the same in full.
func Attributions(result *saliency.Result, opts AttributionsOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const fn = "charts.Attributions"
	if result == nil || len(result.Shape) == 0 || result.Shape[0] == 0 {
		return vl.Chart{}, fmt.Errorf("%s: result is nil or empty; pass the *saliency.Result of saliency.Compute or an Explainer", fn)
	}
	n := result.Len()
	if len(result.Attributions) != len(result.Inputs) || len(result.Predicted) != n || len(result.Probabilities) != n || len(result.Targets) != n {
		return vl.Chart{}, fmt.Errorf("%s: result is inconsistent (%d attributions, %d inputs, %d predictions, %d probabilities, %d targets for shape %v); pass a Result as saliency computed it",
			fn, len(result.Attributions), len(result.Inputs), len(result.Predicted), len(result.Probabilities), len(result.Targets), result.Shape)
	}
	if opts.Labels != nil && len(opts.Labels) != n {
		return vl.Chart{}, fmt.Errorf("%s: AttributionsOptions.Labels has %d labels for %d examples (result has shape %v); pass one true class per example of the result", fn, len(opts.Labels), n, result.Shape)
	}
	examples := opts.Examples
	var lead []string
	if opts.RightAndWrong {
		if opts.Labels == nil {
			return vl.Chart{}, fmt.Errorf("%s: AttributionsOptions.RightAndWrong needs Labels, the true class of every example", fn)
		}
		if opts.Examples != nil {
			return vl.Chart{}, fmt.Errorf("%s: AttributionsOptions.RightAndWrong picks the examples itself; leave Examples nil, or set RightAndWrong false", fn)
		}
		right, wrong, ok, err := result.RightAndWrong(opts.Labels)
		if err != nil {
			return vl.Chart{}, fmt.Errorf("%s: %w", fn, err)
		}
		if !ok {
			what := "right"
			if right < 0 {
				what = "wrong"
			}
			return vl.Chart{}, fmt.Errorf("%s: all %d predictions are %s, so there is no right and wrong pair to compare; pass more examples, or choose them with Examples", fn, n, what)
		}
		examples = []int{right, wrong}
		lead = []string{fmt.Sprintf("left: the surest right prediction (#%d); right: the surest wrong one (#%d)", right, wrong)}
	}
	for k, i := range examples {
		if i < 0 || i >= n {
			return vl.Chart{}, fmt.Errorf("%s: AttributionsOptions.Examples[%d] is %d; want an example of the result, 0..%d", fn, k, i, n-1)
		}
	}
	if opts.Colormap < ColormapGray || opts.Colormap > ColormapDiverging {
		return vl.Chart{}, fmt.Errorf("%s: AttributionsOptions.Colormap is %v; use ColormapDiverging or ColormapViridis", fn, opts.Colormap)
	}
	overlays, err := result.Overlays(examples, saliency.OverlayOptions{Height: opts.Height, Width: opts.Width, ChannelsFirst: opts.ChannelsFirst, Labels: opts.Labels})
	if err != nil {
		return vl.Chart{}, fmt.Errorf("%s: %w", fn, err)
	}
	h, w := overlays[0].Height, overlays[0].Width
	m := len(overlays)
	images := imageBatch{n: m, h: h, w: w, c: 1, pix: make([]float64, 0, m*h*w), shape: fmt.Sprintf("[%d, %d, %d]", m, h, w)}
	attr := imageBatch{n: m, h: h, w: w, c: 1, pix: make([]float64, 0, m*h*w), shape: images.shape}
	idx, preds := make([]int, m), make([]int, m)
	probs := make([]float64, m)
	var labels []int
	if opts.Labels != nil {
		labels = make([]int, m)
	}
	extra := make([][]string, m)
	tips := map[string][]string{"method": make([]string, m), "explained": make([]string, m)}
	var sums, deltas, errs []string
	method := shortMethod(result.Method)
	ig := result.Method == saliency.IntegratedGradients && len(result.Completeness) == n
	if ig {
		sums, deltas, errs = make([]string, m), make([]string, m), make([]string, m)
	}
	worst := -1.0
	for k, o := range overlays {
		images.pix = append(images.pix, o.Image...)
		attr.pix = append(attr.pix, o.Attribution...)
		idx[k], preds[k], probs[k] = o.Example, o.Predicted, o.Probability
		if labels != nil {
			labels[k] = o.Label
		}
		line := method
		tips["method"][k] = result.Method.Title() + " of the " + string(result.Output)
		tips["explained"][k] = strconv.Itoa(o.Target)
		if c := opts.ClassNames; o.Target < len(c) {
			tips["explained"][k] = c[o.Target]
		}
		if ig {
			c := result.Completeness[o.Example]
			line += " ±" + relPercent(c.RelError)
			sums[k], deltas[k], errs[k] = fmtValue(c.Sum), fmtValue(c.Delta), relPercent(c.RelError)
			if !(c.RelError <= worst) {
				worst = c.RelError
			}
		}
		if o.Target != o.Predicted {
			line += " of " + tips["explained"][k]
		}
		extra[k] = []string{line}
	}
	title := opts.Title
	if title == "" {
		title = result.Method.Title()
	}
	gopts := ImageGridOptions{
		Title: title, Labels: labels, Predictions: preds, Scores: probs, ClassNames: opts.ClassNames, Indices: idx,
		Columns: opts.Columns, ImageSize: opts.ImageSize, MaxImages: opts.MaxImages,
		Normalize: opts.Normalize, Range: opts.Range, OverlayColormap: opts.Colormap,
	}
	if err := checkImageOptions(fn, &images, &gopts); err != nil {
		return vl.Chart{}, err
	}
	g, err := newOverlaid(fn, &images, &attr, gopts)
	if err != nil {
		return vl.Chart{}, err
	}
	g.extra = extra
	g.extraTips = []extraTip{{"method", "method", tips["method"]}, {"explained", "class explained", tips["explained"]}}
	if ig {
		g.extraTips = append(g.extraTips, extraTip{"sum", "sum of attributions", sums}, extraTip{"delta", "f(x) − f(baseline)", deltas}, extraTip{"completeness", "completeness error", errs})
	}
	what := fmt.Sprintf("%s of the explained class's %s", result.Method.Title(), result.Output)
	switch result.Method {
	case saliency.IntegratedGradients:
		what += fmt.Sprintf(", %d steps", result.Steps)
	case saliency.SmoothGrad:
		what += fmt.Sprintf(", %d samples", result.Samples)
	}
	what += fmt.Sprintf(" · %d of %d examples", len(g.shown), n)
	lead = append([]string{what}, lead...)
	g.lead = lead
	g.captionNote = "captions: index, probability"
	if labels != nil {
		g.captionNote += ", true→predicted (red: wrong)"
	}
	if ig {
		g.captionNote += fmt.Sprintf(", IG ±e%%: sum of attributions vs f(x) − f(baseline) (worst %s)", relPercent(worst))
	}
	return g.chart(), nil
}
