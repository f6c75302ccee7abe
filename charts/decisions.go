// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// subset returns the images idx of b, in that order.
func (b *imageBatch) subset(idx []int) imageBatch {
	size := b.h * b.w * b.c
	out := imageBatch{n: len(idx), h: b.h, w: b.w, c: b.c, shape: b.shape, pix: make([]float64, 0, len(idx)*size)}
	for _, i := range idx {
		out.pix = append(out.pix, b.image(i)...)
	}
	return out
}

// exampleImages is ConfusionMatrix's view of the examples of the selected cell as images:
// a header line from the cells' data, then the cell's examples, at most listed, most
// confident first, each captioned with its name and the probability of the class
// predicted; hovering one names its classes.
func exampleImages(fn string, labels []int, scores [][]float64, names []string, cells vl.Data, listed int,
	opts ConfusionMatrixOptions, imgs *imageBatch, matrixHeight int) (vl.Chart, error) {
	k := len(names)
	cellOf := make([][]int, k*k)
	for i, t := range labels {
		p := argmax(scores[i])
		cellOf[t*k+p] = append(cellOf[t*k+p], i)
	}
	var idx, rank []int
	var actual, predicted, exNames []string
	var score []float64
	for cellIdx, ex := range cellOf {
		t, p := cellIdx/k, cellIdx%k
		sort.SliceStable(ex, func(a, b int) bool { return scores[ex[a]][p] > scores[ex[b]][p] })
		for r, i := range ex[:min(len(ex), listed)] {
			idx, rank = append(idx, i), append(rank, r)
			actual, predicted = append(actual, names[t]), append(predicted, names[p])
			score = append(score, scores[i][p])
			if opts.ExampleNames != nil {
				exNames = append(exNames, opts.ExampleNames[i])
			} else {
				exNames = append(exNames, "#"+strconv.Itoa(i))
			}
		}
	}
	if len(idx) == 0 {
		return vl.Chart{}, fmt.Errorf("%s: no examples to show", fn)
	}
	sub := imgs.subset(idx)
	size := listImageSize(max(sub.h, sub.w))
	g, err := newGrid(fn, &sub, ImageGridOptions{
		Colormap: opts.ImageColormap, Names: exNames, Scores: score, ImageSize: size, MaxImages: len(idx),
	})
	if err != nil {
		return vl.Chart{}, err
	}
	const lineHeight, panelWidth = 15, 300
	caps := make([]string, len(idx))
	longestLine := 0
	for j := range idx {
		lines, _ := g.caption(j)
		caps[j] = strings.Join(lines, "\n")
		longestLine = max(longestLine, longest(lines))
	}
	cellW := max(g.dispW, min(120, (6*captionFont*longestLine+9)/10+2)) + gridGap
	cellH := g.dispH + captionLine + gridGap + 2
	cols := max(1, panelWidth/cellW)
	top := 3*lineHeight + 4
	x, y, cx, cy := make([]int, len(idx)), make([]int, len(idx)), make([]int, len(idx)), make([]int, len(idx))
	for j, r := range rank {
		x[j] = (r%cols)*cellW + (cellW-gridGap-g.dispW)/2
		y[j] = top + (r/cols)*cellH
		cx[j], cy[j] = (r%cols)*cellW+(cellW-gridGap)/2, y[j]+g.dispH+2
	}
	data := vl.Columns(map[string]any{
		"actual": actual, "predicted": predicted, "url": g.urls, "x": x, "y": y, "cx": cx, "cy": cy,
		"caption": caps, "name": exNames, "score": score,
	}).Compact()
	filter := vl.Filter(vl.Selected(selectedCell).Empty(false))
	tips := vl.Tooltip(vl.Field("name").Nominal().Title("example"),
		vl.Field("actual").Nominal().Title("true class"),
		vl.Field("predicted").Nominal().Title("predicted class"),
		vl.Field("score").Quantitative().Format(".3f").Title("p(predicted)"))
	help := vl.NewChart().Data(vl.Values([]map[string]any{{"text": "click a cell to see its examples here"}})).
		Mark(vl.Text().Align("left").Baseline("top").Color("#666")).
		Encode(vl.X(vl.Value(0)), vl.Y(vl.Value(0)), vl.TextOf("text:N"))
	head := vl.NewChart().Data(cells).Transform(filter, vl.Calculate("2*"+strconv.Itoa(lineHeight), "ypx")).
		Mark(vl.Text().Align("left").Baseline("top").FontWeight("bold")).
		Encode(vl.X(vl.Value(0)), vl.Y("ypx:Q").NoScale().NoAxis(), vl.TextOf("header:N"))
	images := vl.NewChart().Data(data).Transform(filter).
		Mark(vl.Image().Width(g.dispW).Height(g.dispH).Align("left").Baseline("top").Smooth(false)).
		Encode(vl.X("x:Q").NoScale().NoAxis(), vl.Y("y:Q").NoScale().NoAxis(), vl.URLOf(vl.Field("url").Nominal()),
			tips, vl.DescriptionOf(vl.Field("caption").Nominal()))
	text := vl.Text().Aria(false).FontSize(captionFont).LineHeight(captionLine).Align("center").Baseline("top")
	if (6*captionFont*longestLine+9)/10+2 > cellW-gridGap {
		text = text.Limit(float64(4 * (cellW - gridGap) / 3))
	}
	captions := vl.NewChart().Data(data).Transform(filter).
		Mark(text).
		Encode(vl.X("cx:Q").NoScale().NoAxis(), vl.Y("cy:Q").NoScale().NoAxis(), vl.TextOf("caption:N"), tips)
	rows := (listed + cols - 1) / cols
	height := max(matrixHeight, top+rows*cellH)
	return vl.Layer(help, head, images, captions).Width(panelWidth).Height(height).View(map[string]any{"stroke": nil}), nil
}

// listImageSize is the size of the example images ConfusionMatrix shows: up to 48
// pixels for small images (a whole factor), 64 for larger ones.
func listImageSize(long int) int {
	if long <= 48 {
		return long * max(1, 48/long)
	}
	return 64
}

// MostConfidentlyWrongOptions configures MostConfidentlyWrong.
type MostConfidentlyWrongOptions struct {
	Title      string   // default "most confidently wrong"
	ClassNames []string // one per class (column of scores); default "0", "1", ...
	// Count is how many examples are drawn at most; default 32.
	Count int
	// ExampleNames names the examples (one per label) in place of their index.
	ExampleNames []string
	// ImageShape, ImageLayout and Colormap read and draw the images as ImageGrid's
	// Shape, Layout and Colormap do.
	ImageShape  []int
	ImageLayout ImageLayout
	Colormap    Colormap
	Columns     int // default: as many as fit 960 pixels
	ImageSize   int // default as for ImageGrid
}

// MostConfidentlyWrong draws the examples a classifier got wrong with the highest
// probability for the class it predicted, most confident first, as an image grid
// captioned with their index, true→predicted class and that probability: the mistakes
// the model is surest of (mislabelled examples, confusable classes, shortcuts).
//
// labels holds the true class of each example, scores one row of probabilities per
// example (one per class, in [0, 1]: apply softmax to logits), images one image per
// example, as ImageGrid takes them.
func MostConfidentlyWrong(labels []int, scores [][]float64, images any, opts MostConfidentlyWrongOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const fn = "charts.MostConfidentlyWrong"
	if _, err := checkPredictions(labels, scores, true); err != nil {
		return vl.Chart{}, fmt.Errorf("%s: %w", fn, err)
	}
	_, names, err := checkedClasses(fn, "MostConfidentlyWrongOptions", labels, scores, opts.ClassNames)
	if err != nil {
		return vl.Chart{}, err
	}
	if opts.Count < 0 {
		return vl.Chart{}, fmt.Errorf("%s: MostConfidentlyWrongOptions.Count is %d; pass how many examples to draw, or 0 for 32", fn, opts.Count)
	}
	if opts.ExampleNames != nil && len(opts.ExampleNames) != len(labels) {
		return vl.Chart{}, fmt.Errorf("%s: MostConfidentlyWrongOptions.ExampleNames has %d names for %d examples; pass one per label", fn, len(opts.ExampleNames), len(labels))
	}
	b, err := readImages(fn, "images", images, opts.ImageShape, "MostConfidentlyWrongOptions.ImageShape", opts.ImageLayout)
	if err != nil {
		return vl.Chart{}, err
	}
	if b.n != len(labels) {
		return vl.Chart{}, fmt.Errorf("%s: images has %d images (shape %s) for %d labels; pass one image per example", fn, b.n, b.shape, len(labels))
	}
	count := opts.Count
	if count == 0 {
		count = 32
	}
	var wrong []int
	for i, t := range labels {
		if argmax(scores[i]) != t {
			wrong = append(wrong, i)
		}
	}
	title := opts.Title
	if title == "" {
		title = "most confidently wrong"
	}
	if len(wrong) == 0 {
		return vl.NewChart().Data(vl.Values([]map[string]any{{"text": fmt.Sprintf("all %d predictions are right: nothing to show", len(labels))}})).
			Mark(vl.Text().Align("left").Baseline("top").Color("#666")).
			Encode(vl.X(vl.Value(0)), vl.Y(vl.Value(0)), vl.TextOf("text:N")).
			Width(400).Height(20).View(map[string]any{"stroke": nil}).
			Title(vl.NewTitle(title).Anchor("start")), nil
	}
	conf := func(i int) float64 { return scores[i][argmax(scores[i])] }
	sort.SliceStable(wrong, func(a, b int) bool { return conf(wrong[a]) > conf(wrong[b]) })
	shown := wrong[:min(len(wrong), count)]
	sub := b.subset(shown)
	gl, gp := make([]int, len(shown)), make([]int, len(shown))
	gs := make([]float64, len(shown))
	var gn []string
	for j, i := range shown {
		gl[j], gp[j], gs[j] = labels[i], argmax(scores[i]), conf(i)
		if opts.ExampleNames != nil {
			gn = append(gn, opts.ExampleNames[i])
		}
	}
	g, err := newGrid(fn, &sub, ImageGridOptions{
		Title: title, Colormap: opts.Colormap, Labels: gl, Predictions: gp, Scores: gs, ClassNames: names,
		Indices: shown, Names: gn, Columns: opts.Columns, ImageSize: opts.ImageSize, MaxImages: len(shown),
	})
	if err != nil {
		return vl.Chart{}, err
	}
	lead := fmt.Sprintf("the %d most confident of %d wrong predictions (of %d examples), by the probability of the class predicted",
		len(shown), len(wrong), len(labels))
	if len(shown) == len(wrong) {
		lead = fmt.Sprintf("all %d wrong predictions (of %d examples), most confident first", len(wrong), len(labels))
	}
	g.lead = []string{lead}
	return g.chart(), nil
}
