// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// DefaultMaxImages is how many images ImageGrid draws at most when ImageGridOptions.MaxImages
// is 0: 256 thumbnails of 28×28 make about 300 KB of chart (spec and static SVG together).
const DefaultMaxImages = 256

// ImageGridOptions configures ImageGrid. The zero value draws grayscale images on one shared
// scale, captioned with their index.
type ImageGridOptions struct {
	Title string // default "images"

	// Layout says where the channels of a rank-4 batch are; default LayoutAuto.
	Layout ImageLayout
	// Shape is the shape of images given as a flat []float32, []float64 or []uint8: [N, H,
	// W], or [N, H, W, C] / [N, C, H, W] (see Layout). Ignored for tensors and nested
	// slices, which carry their shape.
	Shape []int

	// Colormap draws one-channel images; default ColormapGray. ColormapDiverging makes the
	// range symmetric about zero. RGB images are drawn in their own colours.
	Colormap Colormap
	// Normalize says how values map to the ends of the colormap (to 0..255 for RGB);
	// default NormalizeShared: one range for all images.
	Normalize Normalization
	// Range is the values mapped to the low and high end with NormalizeFixed (for example
	// 0, 255 for bytes; 0, 1 for probabilities).
	Range [2]float64

	// Labels, Predictions and Scores caption each image (all optional, one per image):
	// its true class, the class predicted, and a number such as the prediction's
	// probability. A wrong prediction is captioned in red. ClassNames names the classes
	// (default "0", "1", ...).
	Labels      []int
	Predictions []int
	Scores      []float64
	ClassNames  []string
	// Indices are the numbers the captions show, "#17" (default 0, 1, ...): pass the
	// examples' indices when the images are a subset of a data set. Names replaces them
	// with names (file names, ids).
	Indices []int
	Names   []string
	// NoCaptions leaves out the captions under the images (hovering still shows them).
	NoCaptions bool

	// Columns is the number of images per row; default as many as fit about 960 pixels.
	Columns int
	// ImageSize is the size in pixels of an image's longer side on the chart; default
	// 64 for images up to 64 pixels (scaled by a whole factor, so 28×28 is drawn 56×56,
	// pixels kept sharp), 96 for larger ones. Images larger than it are downsampled in Go
	// (a box filter) before they are encoded, so the chart carries no more pixels than
	// it shows.
	ImageSize int
	// MaxImages is how many images are drawn at most, the first ones; default
	// DefaultMaxImages. The subtitle says how many were left out.
	MaxImages int

	// Overlay is a map per image of the same height and width, such as attributions:
	// drawn with OverlayColormap over the images, which are drawn in gray, more opaque
	// where its values are larger in magnitude. A tensor or slices as for images (with
	// OverlayShape for a flat slice), of one channel or as many as the images (summed).
	// Normalize and Range then apply to the overlay; each image is scaled to its own
	// range.
	Overlay      any
	OverlayShape []int
	// OverlayColormap draws the overlay; the zero value (ColormapGray) means
	// ColormapDiverging, for signed attributions. ColormapViridis suits magnitudes.
	OverlayColormap Colormap
}

// ImageGrid draws a batch of images as a grid of thumbnails: images from a GoMLX tensor
// or Go slices, NHWC or NCHW, grayscale or RGB, one-channel images through a colormap,
// with captions (index or name, true and predicted class, score) under each and the same
// on hover. Each image is encoded as a PNG in Go (image/png) and carried as a data: URL
// in an image mark, so the chart, its static SVG and its HTML page draw offline.
//
// images is a *tensors.Tensor of shape [N, H, W], [N, H, W, C] or [N, C, H, W] (any real
// dtype), [][][]float32 or [][][]float64 (N×H×W), [][][][]float32 or [][][][]float64 (rank
// 4), or a flat []float32, []float64 or []uint8 with ImageGridOptions.Shape. C must be 1 or
// 3. NaN and ±Inf pixels are drawn transparent and counted in the subtitle.
func ImageGrid(images any, opts ImageGridOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const fn = "charts.ImageGrid"
	b, err := readImages(fn, "images", images, opts.Shape, "ImageGridOptions.Shape", opts.Layout)
	if err != nil {
		return vl.Chart{}, err
	}
	g, err := newGrid(fn, &b, opts)
	if err != nil {
		return vl.Chart{}, err
	}
	return g.chart(), nil
}

// grid is an ImageGrid being drawn: the checked options and the thumbnails.
type grid struct {
	opts        ImageGridOptions
	b           *imageBatch
	shown       []int    // the images drawn (0..shown-1)
	urls        []string // their PNGs
	ranges      []valueRange
	cmap        Colormap // the colormap of the legend
	legend      bool     // one range for all images: drawn as a legend
	overlay     bool
	nonFinite   int // pixels drawn transparent
	badImages   int // images with such pixels
	dispW       int // thumbnail size on the chart
	dispH       int
	cols        int
	captionRows int
	width       int // the grid's size, set by body
	height      int
	lead        []string // the subtitle's first lines, in place of the default one
	noLegend    bool
	extra       [][]string // more caption lines per image (nil for none)
	captionNote string     // the subtitle's last line, in place of the default one
	extraTips   []extraTip // more fields on hover
}

// extraTip is a field shown on hover: its column, title and value per image.
type extraTip struct {
	field, title string
	values       []string
}

// imageDefaults fills in the option defaults that do not depend on the data and checks
// the ranges of the enumerations.
func checkImageOptions(fn string, b *imageBatch, opts *ImageGridOptions) error {
	if opts.Colormap < ColormapGray || opts.Colormap > ColormapDiverging {
		return fmt.Errorf("%s: ImageGridOptions.Colormap is %v; use ColormapGray, ColormapViridis or ColormapDiverging", fn, opts.Colormap)
	}
	if opts.OverlayColormap < ColormapGray || opts.OverlayColormap > ColormapDiverging {
		return fmt.Errorf("%s: ImageGridOptions.OverlayColormap is %v; use ColormapDiverging or ColormapViridis", fn, opts.OverlayColormap)
	}
	if opts.Normalize < NormalizeShared || opts.Normalize > NormalizeFixed {
		return fmt.Errorf("%s: ImageGridOptions.Normalize is %v; use NormalizeShared, NormalizePerImage or NormalizeFixed", fn, opts.Normalize)
	}
	if opts.Normalize == NormalizeFixed {
		lo, hi := opts.Range[0], opts.Range[1]
		if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			return fmt.Errorf("%s: ImageGridOptions.Range is %v with NormalizeFixed; give two finite values, low < high (such as [0, 1] or [0, 255])", fn, opts.Range)
		}
	}
	if opts.Columns < 0 || opts.ImageSize < 0 || opts.MaxImages < 0 {
		return fmt.Errorf("%s: ImageGridOptions.Columns, ImageSize and MaxImages must not be negative (0 for the defaults)", fn)
	}
	n := b.n
	for _, l := range []struct {
		name string
		len  int
		set  bool
	}{
		{"Labels", len(opts.Labels), opts.Labels != nil},
		{"Predictions", len(opts.Predictions), opts.Predictions != nil},
		{"Scores", len(opts.Scores), opts.Scores != nil},
		{"Indices", len(opts.Indices), opts.Indices != nil},
		{"Names", len(opts.Names), opts.Names != nil},
	} {
		if l.set && l.len != n {
			return fmt.Errorf("%s: ImageGridOptions.%s has %d entries for %d images (images has shape %s); pass one per image", fn, l.name, l.len, n, b.shape)
		}
	}
	classes := len(opts.ClassNames)
	for _, l := range []struct {
		name string
		v    []int
	}{{"Labels", opts.Labels}, {"Predictions", opts.Predictions}} {
		for i, c := range l.v {
			if c < 0 || classes > 0 && c >= classes {
				want := "a class number >= 0"
				if classes > 0 {
					want = fmt.Sprintf("a class in 0..%d (ClassNames has %d names)", classes-1, classes)
				}
				return fmt.Errorf("%s: ImageGridOptions.%s[%d] is %d; want %s", fn, l.name, i, c, want)
			}
		}
	}
	for i, s := range opts.Scores {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return fmt.Errorf("%s: ImageGridOptions.Scores[%d] is %v; scores must be finite", fn, i, s)
		}
	}
	return nil
}

func newGrid(fn string, b *imageBatch, opts ImageGridOptions) (*grid, error) {
	if err := checkImageOptions(fn, b, &opts); err != nil {
		return nil, err
	}
	var ov *imageBatch
	if opts.Overlay != nil {
		o, err := readImages(fn, "ImageGridOptions.Overlay", opts.Overlay, opts.OverlayShape, "ImageGridOptions.OverlayShape", opts.Layout)
		if err != nil {
			return nil, err
		}
		ov = &o
	}
	return newOverlaid(fn, b, ov, opts)
}

// newOverlaid is newGrid with the overlay (nil for none) read; opts are checked.
func newOverlaid(fn string, b, ov *imageBatch, opts ImageGridOptions) (*grid, error) {
	g := &grid{opts: opts, b: b}
	maxImages := opts.MaxImages
	if maxImages == 0 {
		maxImages = DefaultMaxImages
	}
	maxImages = min(maxImages, chartRowBudget)
	g.shown = make([]int, min(b.n, maxImages))
	for i := range g.shown {
		g.shown[i] = i
	}

	// Display size: a whole factor up to 64 pixels for small images, else 96.
	long := max(b.h, b.w)
	size := opts.ImageSize
	if size == 0 {
		if long <= 64 {
			size = long * max(1, 64/long)
		} else {
			size = 96
		}
	}
	g.dispW = max(1, int(math.Round(float64(size)*float64(b.w)/float64(long))))
	g.dispH = max(1, int(math.Round(float64(size)*float64(b.h)/float64(long))))
	encW, encH := min(b.w, g.dispW), min(b.h, g.dispH)

	if ov != nil {
		if ov.n != b.n || ov.h != b.h || ov.w != b.w || (ov.c != 1 && ov.c != b.c) {
			return nil, fmt.Errorf("%s: ImageGridOptions.Overlay has shape %s and images %s; want one map per image of the same height and width, with 1 channel or as many as the images", fn, ov.shape, b.shape)
		}
		g.overlay = true
	}

	g.urls = make([]string, len(g.shown))
	fixed := valueRange{opts.Range[0], opts.Range[1]}
	if ov == nil {
		g.cmap = opts.Colormap
		g.ranges = imageRanges(b, g.shown, opts.Normalize, fixed, b.c == 1 && g.cmap == ColormapDiverging)
		for k, i := range g.shown {
			v := resampled(b, i, encH, encW)
			img, bad := pixelImage(v, encH, encW, b.c, g.ranges[k], g.cmap)
			g.countBad(bad)
			g.urls[k] = pngDataURL(img)
		}
		g.legend = b.c == 1 && opts.Normalize != NormalizePerImage
		return g, nil
	}

	// The overlay: one channel (channels summed), over the images in gray.
	g.cmap = opts.OverlayColormap
	if g.cmap == ColormapGray {
		g.cmap = ColormapDiverging
	}
	if ov.c > 1 {
		sum := make([]float64, ov.n*ov.h*ov.w)
		for p := range sum {
			for ch := range ov.c {
				sum[p] += ov.pix[p*ov.c+ch]
			}
		}
		ov = &imageBatch{n: ov.n, h: ov.h, w: ov.w, c: 1, pix: sum, shape: ov.shape}
	}
	g.ranges = imageRanges(ov, g.shown, opts.Normalize, fixed, g.cmap == ColormapDiverging)
	for k, i := range g.shown {
		v := resampled(b, i, encH, encW)
		gray := make([]float64, encH*encW)
		for p := range gray {
			if b.c == 3 {
				gray[p] = luminance(v[3*p], v[3*p+1], v[3*p+2])
			} else {
				gray[p] = v[p]
			}
		}
		r, ok := finiteRange(gray)
		if !ok {
			r = valueRange{0, 1}
		}
		for p, x := range gray {
			gray[p] = r.unit(x)
		}
		img, bad := overlayImage(gray, resampled(ov, i, encH, encW), encH, encW, g.ranges[k], g.cmap)
		g.countBad(bad)
		g.urls[k] = pngDataURL(img)
	}
	g.legend = opts.Normalize != NormalizePerImage
	return g, nil
}

func (g *grid) countBad(n int) {
	if n > 0 {
		g.nonFinite += n
		g.badImages++
	}
}

// className names class c for captions.
func (g *grid) className(c int) string {
	if c < len(g.opts.ClassNames) {
		return g.opts.ClassNames[c]
	}
	return strconv.Itoa(c)
}

// name is image i's name in captions: "#17" or its Names entry.
func (g *grid) name(i int) string {
	if g.opts.Names != nil {
		return g.opts.Names[i]
	}
	if g.opts.Indices != nil {
		return "#" + strconv.Itoa(g.opts.Indices[i])
	}
	return "#" + strconv.Itoa(i)
}

// caption returns image i's caption lines, its name and score ("#17 0.97") then its
// classes ("7" when predicted right, "7→1" when not), and whether its prediction is wrong.
func (g *grid) caption(i int) ([]string, bool) {
	o := g.opts
	first := g.name(i)
	if o.Scores != nil {
		first += " " + g.formatScore(o.Scores[i])
	}
	lines := []string{first}
	wrong := false
	switch {
	case o.Labels != nil && o.Predictions != nil:
		t, p := o.Labels[i], o.Predictions[i]
		if t == p {
			lines = append(lines, g.className(t))
		} else {
			wrong = true
			lines = append(lines, g.className(t)+"→"+g.className(p))
		}
	case o.Labels != nil:
		lines = append(lines, g.className(o.Labels[i]))
	case o.Predictions != nil:
		lines = append(lines, "→"+g.className(o.Predictions[i]))
	}
	if g.extra != nil {
		lines = append(lines, g.extra[i]...)
	}
	return lines, wrong
}

// formatScore writes a score for a caption: with two decimals when all scores are in
// [0, 1] (probabilities: "0.97"), else in three significant digits ("12.5", "1.2e+03").
// Hovering shows three.
func (g *grid) formatScore(s float64) string {
	for _, v := range g.opts.Scores {
		if v < 0 || v > 1 {
			return strconv.FormatFloat(s, 'g', 3, 64)
		}
	}
	return strconv.FormatFloat(s, 'f', 2, 64)
}

const (
	captionFont = 10
	captionLine = 12
	gridGap     = 4
)

// chart builds the grid's Vega-Lite chart, with its title and subtitle.
func (g *grid) chart() vl.Chart {
	body := g.body()
	title := g.opts.Title
	if title == "" {
		title = "images"
	}
	return body.Title(vl.NewTitle(title).Anchor("start").Subtitle(subtitleLines(max(480, g.width+100), g.subtitle()...)))
}

// body builds the grid's view without a title, and sets g.width and g.height.
func (g *grid) body() vl.Chart {
	o := g.opts
	captions := make([][]string, len(g.shown))
	wrong := make([]bool, len(g.shown))
	for k, i := range g.shown {
		captions[k], wrong[k] = g.caption(i)
		if !o.NoCaptions {
			g.captionRows = max(g.captionRows, len(captions[k]))
		}
	}
	// Wide enough for the longest caption line at about 0.6 of the font size a character
	// (sans-serif digits), up to 160 pixels; longer names are cut short. Vega estimates
	// widths at 0.8 (no fonts headless), so a limit, where one is needed, is 4/3 of the
	// cell's width.
	longestLine := 0
	if !o.NoCaptions {
		for _, c := range captions {
			longestLine = max(longestLine, longest(c))
		}
	}
	cellW := max(g.dispW, min(160, (6*captionFont*longestLine+9)/10+2)) + gridGap
	cellH := g.dispH + g.captionRows*captionLine + gridGap + 2
	g.cols = o.Columns
	if g.cols == 0 {
		g.cols = max(1, 960/cellW)
	}
	g.cols = min(g.cols, len(g.shown))
	rows := (len(g.shown) + g.cols - 1) / g.cols

	n := len(g.shown)
	x, y, cx, cy := make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	text, hover := make([]string, n), make([]string, n)
	cols := map[string]any{"x": x, "y": y, "url": g.urls, "name": hover}
	var trueCls, predCls []string
	if o.Labels != nil {
		trueCls = make([]string, n)
		cols["true"] = trueCls
	}
	if o.Predictions != nil {
		predCls = make([]string, n)
		cols["predicted"] = predCls
	}
	var scores []float64
	if o.Scores != nil {
		scores = make([]float64, n)
		cols["score"] = scores
	}
	for k, i := range g.shown {
		r, c := k/g.cols, k%g.cols
		x[k] = c*cellW + (cellW-gridGap-g.dispW)/2
		y[k] = r * cellH
		cx[k], cy[k] = c*cellW+(cellW-gridGap)/2, y[k]+g.dispH+2
		text[k] = strings.Join(captions[k], "\n")
		hover[k] = g.name(i)
		if trueCls != nil {
			trueCls[k] = g.className(o.Labels[i])
		}
		if predCls != nil {
			predCls[k] = g.className(o.Predictions[i])
		}
		if scores != nil {
			scores[k] = o.Scores[i]
		}
	}
	cols["caption"] = text
	cols["cx"], cols["cy"] = cx, cy
	cols["wrong"] = wrong
	for _, e := range g.extraTips {
		v := make([]string, n)
		for k, i := range g.shown {
			v[k] = e.values[i]
		}
		cols[e.field] = v
	}
	data := vl.Columns(cols).Compact()

	tips := []any{vl.Field("name").Nominal().Title("image")}
	if trueCls != nil {
		tips = append(tips, vl.Field("true").Nominal().Title("true class"))
	}
	if predCls != nil {
		tips = append(tips, vl.Field("predicted").Nominal().Title("predicted class"))
	}
	if scores != nil {
		tips = append(tips, vl.Field("score").Quantitative().Format(".3~g").Title("score"))
	}
	for _, e := range g.extraTips {
		tips = append(tips, vl.Field(e.field).Nominal().Title(e.title))
	}
	images := vl.NewChart().
		Mark(vl.Image().Width(g.dispW).Height(g.dispH).Align("left").Baseline("top").Smooth(false)).
		Encode(vl.X("x:Q").NoScale(), vl.Y("y:Q").NoScale(), vl.URLOf(vl.Field("url").Nominal()),
			vl.Tooltip(tips...), vl.DescriptionOf(vl.Field("caption").Nominal()))
	layers := []vl.Chart{images}
	if !o.NoCaptions {
		text := vl.Text().Aria(false).FontSize(captionFont).LineHeight(captionLine).Align("center").Baseline("top").LineBreak("\n")
		if (6*captionFont*longestLine+9)/10+2 > cellW-gridGap {
			// Names too long for the widest cell are cut short.
			text = text.Limit(float64(4 * (cellW - gridGap) / 3))
		}
		layers = append(layers, vl.NewChart().
			Mark(text).
			Encode(vl.X("cx:Q").NoScale(), vl.Y("cy:Q").NoScale(), vl.TextOf("caption:N"),
				vl.Color(vl.If(vl.FieldEqual("wrong", true), vl.Value("#d62728"), vl.Value("#333"))),
				vl.Tooltip(tips...)))
	}
	width, height := g.cols*cellW-gridGap, rows*cellH-gridGap
	g.width, g.height = width, height
	if g.legend && !g.noLegend {
		// The colormap's scale, as a legend: an invisible mark carries it.
		r := g.ranges[0]
		title := "value"
		if g.overlay {
			title = "overlay"
		}
		layers = append(layers, vl.NewChart().
			Data(vl.Values([]map[string]any{{"v": r.lo}, {"v": r.hi}})).
			Mark(vl.Rect().Opacity(0)).
			Encode(vl.X(vl.Value(0)), vl.Y(vl.Value(0)), vl.X2(vl.Value(0)), vl.Y2(vl.Value(0)),
				vl.Color("v:Q").Title(title).
					Scale(vl.Scale{}.Domain([]float64{r.lo, r.hi}).Range(g.cmap.vegaRange()).Interpolate("rgb")).
					Legend(vl.Legend{}.GradientLength(float64(min(max(60, height), 200))).Format(".3~g"))))
	}
	return vl.Layer(layers...).Data(data).Width(width).Height(height).View(map[string]any{"stroke": nil})
}

// subtitle describes what the grid shows.
func (g *grid) subtitle() []string {
	b, o := g.b, g.opts
	what := "grayscale"
	switch {
	case g.overlay:
		what = "in gray"
	case b.c == 3:
		what = "RGB"
	case g.cmap != ColormapGray:
		what = g.cmap.String()
	}
	first := fmt.Sprintf("%d %s %d×%d", len(g.shown), plural(len(g.shown), "image"), b.w, b.h)
	if len(g.shown) < b.n {
		first = fmt.Sprintf("the first %d of %d images, %d×%d", len(g.shown), b.n, b.w, b.h)
	}
	first += ", " + what
	scale := "values"
	if g.overlay {
		first += ", an overlay over each"
		scale = "overlay:"
	}
	switch o.Normalize {
	case NormalizePerImage:
		scale += " each image's scaled to its own range"
	case NormalizeFixed:
		scale += fmt.Sprintf(" %s to %s mapped to the colormap's ends, clamped", fmtValue(o.Range[0]), fmtValue(o.Range[1]))
	default:
		r := g.ranges[0]
		scale += fmt.Sprintf(" %s to %s on one scale for all images", fmtValue(r.lo), fmtValue(r.hi))
	}
	if g.overlay {
		scale += "; more opaque where larger"
	}
	lines := []string{first, scale}
	if g.lead != nil {
		lines = append(append([]string(nil), g.lead...), scale)
	}
	if g.nonFinite > 0 {
		lines = append(lines, fmt.Sprintf("NaN/Inf: %d %s in %d %s drawn transparent", g.nonFinite, plural(g.nonFinite, "pixel"), g.badImages, plural(g.badImages, "image")))
	}
	if g.captionNote != "" {
		lines = append(lines, g.captionNote)
	} else if o.Labels != nil && o.Predictions != nil {
		lines = append(lines, "captions: true→predicted class in red where wrong; hover an image for its details")
	} else {
		lines = append(lines, "hover an image for its details")
	}
	return lines
}

func fmtValue(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }
