// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gomlx/gomlx/core/tensors"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// ConvFiltersOptions configures ConvFilters.
type ConvFiltersOptions struct {
	Title string // default "convolution filters"
	// ChannelsFirst reads the kernel as [Out, In, KH, KW] (PyTorch, GoMLX's channels-first
	// convolutions) instead of [KH, KW, In, Out] (GoMLX's default).
	ChannelsFirst bool
	// RGB draws each filter of a kernel with 3 input channels as one RGB image (the first
	// layer of a network on colour images) instead of one map per input channel.
	RGB bool
	// Colormap draws the weights; the zero value (ColormapGray) means ColormapDiverging:
	// negative weights blue, positive red, zero white.
	Colormap Colormap
	// Normalize: NormalizeShared (default) draws every weight on one scale;
	// NormalizePerImage scales each map to its own largest weight.
	Normalize Normalization
	Columns   int // default: the input channels, or as many filters as fit 960 pixels
	ImageSize int // pixels of a map's longer side; default as for ImageGrid
}

// ConvFilters draws the kernel of a 2-D convolution: one small image per filter (output
// channel) and input channel, a row per filter, a column per input channel; a kernel with
// one input channel draws one image per filter. Weights are signed, so the default
// colormap is the diverging one, on one scale symmetric about zero (see ImageGridOptions).
// Hovering a map names its filter and input channel.
//
// kernel is a *tensors.Tensor (such as the variable of layers.Convolution,
// ".../conv/weights", from store.IterVariables or Variable.Value) or [][][][]float32 /
// [][][][]float64, of shape [KH, KW, In, Out] (or [Out, In, KH, KW] with ChannelsFirst).
func ConvFilters(kernel any, opts ConvFiltersOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const fn = "charts.ConvFilters"
	dims, flat, err := rank4(fn, "kernel", kernel, "[KH, KW, In, Out] (or [Out, In, KH, KW] with ChannelsFirst)")
	if err != nil {
		return vl.Chart{}, err
	}
	kh, kw, in, out := dims[0], dims[1], dims[2], dims[3]
	at := func(y, x, i, o int) float64 { return flat[((y*kw+x)*in+i)*out+o] }
	if opts.ChannelsFirst {
		out, in, kh, kw = dims[0], dims[1], dims[2], dims[3]
		at = func(y, x, i, o int) float64 { return flat[((o*in+i)*kh+y)*kw+x] }
	}
	if kh*kw*in*out == 0 {
		return vl.Chart{}, fmt.Errorf("%s: kernel has shape %v: no weights", fn, dims)
	}
	if opts.RGB && in != 3 {
		return vl.Chart{}, fmt.Errorf("%s: ConvFiltersOptions.RGB needs a kernel of 3 input channels; kernel has shape %v (%d input channels)", fn, dims, in)
	}
	shape := fmt.Sprintf("%v", dims)
	b := imageBatch{h: kh, w: kw, c: 1, shape: shape}
	var names []string
	cols := opts.Columns
	if opts.RGB {
		b.n, b.c = out, 3
		for o := range out {
			for y := range kh {
				for x := range kw {
					for i := range 3 {
						b.pix = append(b.pix, at(y, x, i, o))
					}
				}
			}
			names = append(names, "filter "+strconv.Itoa(o))
		}
	} else {
		b.n = out * in
		for o := range out {
			for i := range in {
				for y := range kh {
					for x := range kw {
						b.pix = append(b.pix, at(y, x, i, o))
					}
				}
				if in == 1 {
					names = append(names, "filter "+strconv.Itoa(o))
				} else {
					names = append(names, fmt.Sprintf("filter %d, input %d", o, i))
				}
			}
		}
		if cols == 0 && in > 1 {
			cols = in
		}
	}
	cmap := opts.Colormap
	if cmap == ColormapGray && !opts.RGB {
		cmap = ColormapDiverging
	}
	title := opts.Title
	if title == "" {
		title = "convolution filters"
	}
	gridOpts := ImageGridOptions{
		Title: title, Colormap: cmap, Normalize: opts.Normalize, Names: names,
		Columns: cols, ImageSize: opts.ImageSize, MaxImages: chartRowBudget / 2,
		NoCaptions: !opts.RGB && in > 1,
	}
	g, err := newGrid(fn, &b, gridOpts)
	if err != nil {
		return vl.Chart{}, err
	}
	if len(g.shown) < b.n {
		return vl.Chart{}, fmt.Errorf("%s: kernel %v makes %d maps, more than the %d a chart carries; draw some of its filters (slice the kernel)", fn, dims, b.n, len(g.shown))
	}
	what := fmt.Sprintf("%d filters of %d×%d", out, kh, kw)
	switch {
	case opts.RGB:
		what += " over 3 input channels, drawn as RGB"
	case in == 1:
		what += ", one input channel"
	default:
		what += fmt.Sprintf(": a row per filter, a column per input channel (%d)", in)
	}
	g.lead = []string{what}
	return g.chart(), nil
}

// FeatureMapsOptions configures FeatureMaps.
type FeatureMapsOptions struct {
	Title string // default "feature maps"
	// Layer names the layer in the subtitle, such as "/cnn/conv1".
	Layer string
	// ChannelsFirst reads the activation as [1, C, H, W] or [C, H, W] instead of
	// [1, H, W, C] or [H, W, C].
	ChannelsFirst bool
	// Colormap draws the maps; the zero value (ColormapGray) means ColormapViridis.
	Colormap Colormap
	// Normalize: NormalizeShared (default) draws every map on one scale, so that strong
	// and weak channels compare; NormalizePerImage shows each map's own contrast.
	Normalize Normalization
	// Input, if set, is drawn first, on its own: the image the maps are of, as ImageGrid
	// takes it (one image: [H, W], [1, H, W], [1, H, W, C], or [][]float64).
	Input     any
	Columns   int // default: as many maps as fit 960 pixels
	ImageSize int // pixels of a map's longer side; default as for ImageGrid
}

// FeatureMaps draws the activation of a convolutional layer for one input: one image per
// channel, on one scale (viridis by default), with the input beside them when given.
// Channels that are zero everywhere for this input (dead for it: a relu that never fires)
// are named in the subtitle. capture.Activations gives the activations of the layers a
// model marks with capture.Activation.
//
// activation is a *tensors.Tensor, [][][]float32 / [][][]float64 ([H, W, C]) or
// [][][][]float32 / [][][][]float64 ([1, H, W, C]); with ChannelsFirst [C, H, W] or
// [1, C, H, W].
func FeatureMaps(activation any, opts FeatureMapsOptions) (chart vl.Chart, err error) {
	defer guard(&err)
	const fn = "charts.FeatureMaps"
	want := "[1, H, W, C] or [H, W, C] (one example's activation of a 2-D convolutional layer)"
	if opts.ChannelsFirst {
		want = "[1, C, H, W] or [C, H, W] (one example's activation of a 2-D convolutional layer)"
	}
	var dims []int
	var flat []float64
	switch v := activation.(type) {
	case *tensors.Tensor:
		if v == nil {
			return vl.Chart{}, fmt.Errorf("%s: activation is a nil tensor; want %s", fn, want)
		}
		dims = v.Shape().Dimensions
		var inner error
		if err := v.ConstFlatData(func(f any) { flat, inner = floatsOf(f) }); err != nil || inner != nil {
			return vl.Chart{}, fmt.Errorf("%s: reading activation (%s): %v", fn, v.Shape(), errorsJoin(err, inner))
		}
	case nil:
		return vl.Chart{}, fmt.Errorf("%s: activation is nil; want %s", fn, want)
	default:
		var ok bool
		if dims, flat, ok = nestedFloats(activation); ok {
			break
		}
		return vl.Chart{}, fmt.Errorf("%s: activation has type %T; want a *tensors.Tensor or nested float slices of shape %s", fn, activation, want)
	}
	if dims == nil {
		return vl.Chart{}, fmt.Errorf("%s: activation is ragged; want %s", fn, want)
	}
	switch {
	case len(dims) == 4 && dims[0] != 1:
		return vl.Chart{}, fmt.Errorf("%s: activation has shape %v, a batch of %d; pass one example's activation (a batch of one, or slice it)", fn, dims, dims[0])
	case len(dims) == 4:
		dims = dims[1:]
	case len(dims) == 2:
		return vl.Chart{}, fmt.Errorf("%s: activation has shape %v (rank 2): a dense layer's, not feature maps; want %s (charts.Histogram draws any values)", fn, dims, want)
	case len(dims) != 3:
		return vl.Chart{}, fmt.Errorf("%s: activation has shape %v (rank %d); want %s", fn, dims, len(dims), want)
	}
	h, w, c := dims[0], dims[1], dims[2]
	at := func(y, x, ch int) float64 { return flat[(y*w+x)*c+ch] }
	if opts.ChannelsFirst {
		c, h, w = dims[0], dims[1], dims[2]
		at = func(y, x, ch int) float64 { return flat[(ch*h+y)*w+x] }
	}
	if h*w*c == 0 {
		return vl.Chart{}, fmt.Errorf("%s: activation has shape %v: no values", fn, dims)
	}
	b := imageBatch{n: c, h: h, w: w, c: 1, shape: fmt.Sprint(dims)}
	names := make([]string, c)
	var dead []string
	for ch := range c {
		zero := true
		for y := range h {
			for x := range w {
				v := at(y, x, ch)
				b.pix = append(b.pix, v)
				zero = zero && v == 0
			}
		}
		names[ch] = "ch " + strconv.Itoa(ch)
		if zero {
			dead = append(dead, strconv.Itoa(ch))
		}
	}
	cmap := opts.Colormap
	if cmap == ColormapGray {
		cmap = ColormapViridis
	}
	title := opts.Title
	if title == "" {
		title = "feature maps"
	}
	g, err := newGrid(fn, &b, ImageGridOptions{
		Colormap: cmap, Normalize: opts.Normalize, Names: names, Columns: opts.Columns,
		ImageSize: opts.ImageSize, MaxImages: chartRowBudget / 2,
	})
	if err != nil {
		return vl.Chart{}, err
	}
	layer := "the layer"
	if opts.Layer != "" {
		layer = opts.Layer
	}
	lead := fmt.Sprintf("%s: %d channels of %d×%d for one input", layer, c, w, h)
	if len(g.shown) < c {
		lead = fmt.Sprintf("%s: the first %d of %d channels of %d×%d for one input", layer, len(g.shown), c, w, h)
	}
	g.lead = []string{lead}
	if len(dead) > 0 {
		g.lead = append(g.lead, fmt.Sprintf("%d %s zero everywhere for this input (dead for it): %s",
			len(dead), plural(len(dead), "channel"), "ch "+strings.Join(dead, ", ")))
	}
	if opts.Input == nil {
		g.opts.Title = title
		return g.chart(), nil
	}
	input := opts.Input
	switch v := input.(type) {
	case [][]float64:
		input = [][][]float64{v}
	case [][]float32:
		input = [][][]float32{v}
	case *tensors.Tensor:
		if v != nil && v.Rank() == 2 {
			var f []float64
			var inner error
			if err := v.ConstFlatData(func(x any) { f, inner = floatsOf(x) }); err != nil || inner != nil {
				return vl.Chart{}, fmt.Errorf("%s: reading FeatureMapsOptions.Input (%s): %v", fn, v.Shape(), errorsJoin(err, inner))
			}
			d := v.Shape().Dimensions
			in, err := readImages(fn, "FeatureMapsOptions.Input", f, []int{1, d[0], d[1]}, "", LayoutAuto)
			if err != nil {
				return vl.Chart{}, err
			}
			return featureMapsWithInput(fn, title, g, &in, opts)
		}
	}
	in, err := readImages(fn, "FeatureMapsOptions.Input", input, nil, "", LayoutAuto)
	if err != nil {
		return vl.Chart{}, err
	}
	return featureMapsWithInput(fn, title, g, &in, opts)
}

// featureMapsWithInput draws the input image beside the feature maps' grid g.
func featureMapsWithInput(fn, title string, g *grid, in *imageBatch, opts FeatureMapsOptions) (vl.Chart, error) {
	if in.n != 1 {
		return vl.Chart{}, fmt.Errorf("%s: FeatureMapsOptions.Input has shape %s, %d images; pass the one image the maps are of", fn, in.shape, in.n)
	}
	size := opts.ImageSize
	if size == 0 {
		size = max(g.dispW, g.dispH)
	}
	ig, err := newGrid(fn, in, ImageGridOptions{Names: []string{"input"}, ImageSize: size})
	if err != nil {
		return vl.Chart{}, err
	}
	ig.noLegend = true
	maps, inputView := g.body(), ig.body()
	sub := append(g.subtitle(), "left: the input, in gray")
	return vl.HConcat(inputView, maps).ResolveScale("color", "independent").
		Title(vl.NewTitle(title).Anchor("start").Subtitle(subtitleLines(max(480, g.width+ig.width+120), sub...))), nil
}

// rank4 reads a rank-4 tensor or nested slice into its dimensions and flat values.
func rank4(fn, arg string, x any, want string) ([]int, []float64, error) {
	var dims []int
	var flat []float64
	switch v := x.(type) {
	case *tensors.Tensor:
		if v == nil {
			return nil, nil, fmt.Errorf("%s: %s is a nil tensor; want %s", fn, arg, want)
		}
		dims = v.Shape().Dimensions
		if len(dims) != 4 {
			return nil, nil, fmt.Errorf("%s: %s has shape %s (rank %d); want %s", fn, arg, v.Shape(), len(dims), want)
		}
		var inner error
		if err := v.ConstFlatData(func(f any) { flat, inner = floatsOf(f) }); err != nil || inner != nil {
			return nil, nil, fmt.Errorf("%s: reading %s (%s): %v", fn, arg, v.Shape(), errorsJoin(err, inner))
		}
	case [][][][]float32:
		dims, flat = nested4(v)
	case [][][][]float64:
		dims, flat = nested4(v)
	case nil:
		return nil, nil, fmt.Errorf("%s: %s is nil; want %s", fn, arg, want)
	default:
		return nil, nil, fmt.Errorf("%s: %s has type %T; want a *tensors.Tensor or [][][][]float32 / [][][][]float64 of shape %s", fn, arg, x, want)
	}
	if dims == nil {
		return nil, nil, fmt.Errorf("%s: %s is ragged; want %s", fn, arg, want)
	}
	return dims, flat, nil
}

func errorsJoin(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
