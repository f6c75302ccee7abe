// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"

	"github.com/gomlx/gomlx/core/tensors"
)

// ImageLayout says where the channels of a rank-4 batch of images are.
type ImageLayout int

const (
	// LayoutAuto reads a rank-4 batch as NHWC when its last axis is 1 or 3, else as NCHW
	// when its second axis is 1 or 3 (channels last wins when both are: GoMLX's
	// convolutions are channels-last).
	LayoutAuto ImageLayout = iota
	// LayoutNHWC is [N, H, W, C]: channels last (GoMLX, TensorFlow).
	LayoutNHWC
	// LayoutNCHW is [N, C, H, W]: channels first (PyTorch).
	LayoutNCHW
)

func (l ImageLayout) String() string {
	switch l {
	case LayoutAuto:
		return "auto"
	case LayoutNHWC:
		return "NHWC"
	case LayoutNCHW:
		return "NCHW"
	}
	return fmt.Sprintf("ImageLayout(%d)", int(l))
}

// Normalization says how image values are mapped to the ends of the colormap (or to 0..255
// for RGB images).
type Normalization int

const (
	// NormalizeShared maps the smallest finite value of all the images drawn to the low
	// end and the largest to the high end: one scale for every image, so that they compare
	// (the legend shows it). The default.
	NormalizeShared Normalization = iota
	// NormalizePerImage scales each image to its own smallest and largest value: each
	// shows its full contrast, and brightness no longer compares across images.
	NormalizePerImage
	// NormalizeFixed maps ImageGridOptions.Range to the ends; values outside are clamped.
	NormalizeFixed
)

func (n Normalization) String() string {
	switch n {
	case NormalizeShared:
		return "shared"
	case NormalizePerImage:
		return "per image"
	case NormalizeFixed:
		return "fixed"
	}
	return fmt.Sprintf("Normalization(%d)", int(n))
}

// imageBatch is a batch of images as float64 in NHWC order.
type imageBatch struct {
	n, h, w, c int
	pix        []float64
	shape      string // the shape as given, for messages: "[256, 28, 28, 1] (NHWC)"
}

// image returns image i's values (H*W*C, NHWC order).
func (b *imageBatch) image(i int) []float64 {
	size := b.h * b.w * b.c
	return b.pix[i*size : (i+1)*size]
}

// imageShapes is the shapes accepted, for error messages.
const imageShapes = "[N, H, W] (grayscale), [N, H, W, C] (NHWC) or [N, C, H, W] (NCHW) with C = 1 (grayscale) or 3 (RGB)"

// readImages converts images (a GoMLX tensor; [][][]float32/64 as N×H×W; [][][][]float32/64
// as rank 4; or a flat []float32, []float64 or []uint8 with shape) to a batch. fn and arg
// name the function and the argument in errors; shapeArg names the option that gives the
// shape of a flat slice.
func readImages(fn, arg string, x any, shape []int, shapeArg string, layout ImageLayout) (imageBatch, error) {
	if layout < LayoutAuto || layout > LayoutNCHW {
		return imageBatch{}, fmt.Errorf("%s: the layout of %s is %v; use LayoutAuto, LayoutNHWC or LayoutNCHW", fn, arg, layout)
	}
	var dims []int
	var flat []float64
	switch v := x.(type) {
	case nil:
		return imageBatch{}, fmt.Errorf("%s: %s is nil; pass a tensor or slices of shape %s", fn, arg, imageShapes)
	case *tensors.Tensor:
		if v == nil {
			return imageBatch{}, fmt.Errorf("%s: %s is a nil tensor; pass a tensor of shape %s", fn, arg, imageShapes)
		}
		dims = v.Shape().Dimensions
		if len(dims) != 3 && len(dims) != 4 {
			return imageBatch{}, fmt.Errorf("%s: %s has shape %s (rank %d); want %s", fn, arg, v.Shape(), len(dims), imageShapes)
		}
		var inner error
		if err := v.ConstFlatData(func(f any) { flat, inner = floatsOf(f) }); err != nil {
			return imageBatch{}, fmt.Errorf("%s: reading %s (%s): %w", fn, arg, v.Shape(), err)
		}
		if inner != nil {
			return imageBatch{}, fmt.Errorf("%s: %s (%s): %w", fn, arg, v.Shape(), inner)
		}
	case []float32, []float64, []uint8:
		if shape == nil {
			return imageBatch{}, fmt.Errorf("%s: %s is a flat %T; give its shape in %s, one of %s", fn, arg, x, shapeArg, imageShapes)
		}
		dims = shape
		flat, _ = floatsOf(v)
		if len(dims) != 3 && len(dims) != 4 {
			return imageBatch{}, fmt.Errorf("%s: %s is %v (rank %d); want %s", fn, shapeArg, dims, len(dims), imageShapes)
		}
		if p := product(dims); p != len(flat) {
			return imageBatch{}, fmt.Errorf("%s: %s is %v, %d values, and %s holds %d; give the shape of the data", fn, shapeArg, dims, p, arg, len(flat))
		}
	default:
		var ok bool
		if dims, flat, ok = nestedFloats(x); ok {
			break
		}
		return imageBatch{}, fmt.Errorf("%s: %s has type %T; want a *tensors.Tensor, [][][]float32 or [][][]float64 (N×H×W), "+
			"[][][][]float32 or [][][][]float64 (rank 4), or a flat []float32, []float64 or []uint8 with its shape in %s", fn, arg, x, shapeArg)
	}
	if dims == nil {
		return imageBatch{}, fmt.Errorf("%s: %s is ragged: every image needs the same height and width (and channels)", fn, arg)
	}
	b := imageBatch{}
	channelsFirst := false
	switch len(dims) {
	case 3:
		b.n, b.h, b.w, b.c = dims[0], dims[1], dims[2], 1
		b.shape = fmt.Sprint(dims)
	case 4:
		nhwc := layout == LayoutNHWC || layout == LayoutAuto && (dims[3] == 1 || dims[3] == 3)
		nchw := layout == LayoutNCHW || layout == LayoutAuto && !nhwc && (dims[1] == 1 || dims[1] == 3)
		switch {
		case nhwc:
			b.n, b.h, b.w, b.c = dims[0], dims[1], dims[2], dims[3]
			b.shape = fmt.Sprintf("%v (NHWC)", dims)
		case nchw:
			b.n, b.c, b.h, b.w = dims[0], dims[1], dims[2], dims[3]
			b.shape = fmt.Sprintf("%v (NCHW)", dims)
			channelsFirst = true
		default:
			return imageBatch{}, fmt.Errorf("%s: %s has shape %v: neither its last axis (NHWC) nor its second (NCHW) is a channel count of 1 or 3; "+
				"want %s", fn, arg, dims, imageShapes)
		}
		if b.c != 1 && b.c != 3 {
			return imageBatch{}, fmt.Errorf("%s: %s has shape %s: %d channels; want 1 (grayscale) or 3 (RGB): draw the channels one by one as grayscale images", fn, arg, b.shape, b.c)
		}
	default:
		return imageBatch{}, fmt.Errorf("%s: %s has rank %d; want %s", fn, arg, len(dims), imageShapes)
	}
	if b.n == 0 || b.h == 0 || b.w == 0 {
		return imageBatch{}, fmt.Errorf("%s: %s has shape %s: no images, or images without pixels", fn, arg, b.shape)
	}
	if channelsFirst && b.c == 3 {
		// NCHW to NHWC.
		out := make([]float64, len(flat))
		plane := b.h * b.w
		for i := range b.n {
			for ch := range b.c {
				src := flat[(i*b.c+ch)*plane : (i*b.c+ch+1)*plane]
				for p, v := range src {
					out[(i*plane+p)*b.c+ch] = v
				}
			}
		}
		flat = out
	}
	b.pix = flat
	return b, nil
}

func product(dims []int) int {
	p := 1
	for _, d := range dims {
		if d < 0 {
			return -1
		}
		p *= d
	}
	return p
}

// nestedFloats reads nested float slices of rank 3 or 4 ([][][]float32, [][][]float64,
// [][][][]float32, [][][][]float64): their dimensions (nil when ragged) and values in
// order. ok is false for any other type.
func nestedFloats(v any) (dims []int, flat []float64, ok bool) {
	switch v := v.(type) {
	case [][][]float32:
		dims, flat = nested3(v)
	case [][][]float64:
		dims, flat = nested3(v)
	case [][][][]float32:
		dims, flat = nested4(v)
	case [][][][]float64:
		dims, flat = nested4(v)
	default:
		return nil, nil, false
	}
	return dims, flat, true
}

func nested3[T float32 | float64](v [][][]T) ([]int, []float64) {
	if len(v) == 0 {
		return []int{0, 0, 0}, nil
	}
	h := len(v[0])
	w := 0
	if h > 0 {
		w = len(v[0][0])
	}
	flat := make([]float64, 0, len(v)*h*w)
	for _, img := range v {
		if len(img) != h {
			return nil, nil
		}
		for _, row := range img {
			if len(row) != w {
				return nil, nil
			}
			for _, x := range row {
				flat = append(flat, float64(x))
			}
		}
	}
	return []int{len(v), h, w}, flat
}

func nested4[T float32 | float64](v [][][][]T) ([]int, []float64) {
	if len(v) == 0 {
		return []int{0, 0, 0, 0}, nil
	}
	a := len(v[0])
	b, c := 0, 0
	if a > 0 {
		b = len(v[0][0])
		if b > 0 {
			c = len(v[0][0][0])
		}
	}
	flat := make([]float64, 0, len(v)*a*b*c)
	for _, img := range v {
		if len(img) != a {
			return nil, nil
		}
		for _, plane := range img {
			if len(plane) != b {
				return nil, nil
			}
			for _, row := range plane {
				if len(row) != c {
					return nil, nil
				}
				for _, x := range row {
					flat = append(flat, float64(x))
				}
			}
		}
	}
	return []int{len(v), a, b, c}, flat
}

// valueRange is the range of values mapped to the ends of a colormap.
type valueRange struct{ lo, hi float64 }

// finiteRange returns the smallest and largest finite value of v, and whether there is one.
func finiteRange(v []float64) (valueRange, bool) {
	r, ok := valueRange{math.Inf(1), math.Inf(-1)}, false
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		r.lo, r.hi, ok = min(r.lo, x), max(r.hi, x), true
	}
	return r, ok
}

// symmetric widens r to be symmetric about zero, for the diverging colormap.
func (r valueRange) symmetric() valueRange {
	m := max(math.Abs(r.lo), math.Abs(r.hi))
	return valueRange{-m, m}
}

// unit maps x to [0, 1] (clamped); a range of one value maps it to 0, or to the middle
// when the range is symmetric (zero stays white on the diverging colormap).
func (r valueRange) unit(x float64) float64 {
	if !(r.hi > r.lo) {
		if r.lo == -r.hi {
			return 0.5
		}
		return 0
	}
	t := (x - r.lo) / (r.hi - r.lo)
	return min(1, max(0, t))
}

// imageRanges returns the value range of each of the images idx: one shared, one per
// image, or the fixed one, made symmetric for the diverging colormap. An image without a
// finite value gets the range 0..1 (it is drawn transparent anyway).
func imageRanges(b *imageBatch, idx []int, norm Normalization, fixed valueRange, symmetric bool) []valueRange {
	out := make([]valueRange, len(idx))
	fix := func(r valueRange, ok bool) valueRange {
		if !ok {
			r = valueRange{0, 1}
		}
		if symmetric {
			r = r.symmetric()
		}
		return r
	}
	switch norm {
	case NormalizeFixed:
		for i := range out {
			out[i] = fixed
		}
	case NormalizePerImage:
		for i, k := range idx {
			out[i] = fix(finiteRange(b.image(k)))
		}
	default:
		all, ok := valueRange{math.Inf(1), math.Inf(-1)}, false
		for _, k := range idx {
			if r, any := finiteRange(b.image(k)); any {
				all.lo, all.hi, ok = min(all.lo, r.lo), max(all.hi, r.hi), true
			}
		}
		r := fix(all, ok)
		for i := range out {
			out[i] = r
		}
	}
	return out
}

// resampled returns image i of b at h×w (box filter: each output pixel is the mean of the
// finite source values it covers, NaN where it covers none), or the image itself when it
// has that size already.
func resampled(b *imageBatch, i, h, w int) []float64 {
	src := b.image(i)
	if h == b.h && w == b.w {
		return src
	}
	out := make([]float64, h*w*b.c)
	for y := range h {
		y0, y1 := y*b.h/h, max(y*b.h/h+1, (y+1)*b.h/h)
		for x := range w {
			x0, x1 := x*b.w/w, max(x*b.w/w+1, (x+1)*b.w/w)
			for ch := range b.c {
				sum, n := 0.0, 0
				for sy := y0; sy < y1; sy++ {
					for sx := x0; sx < x1; sx++ {
						v := src[(sy*b.w+sx)*b.c+ch]
						if !math.IsNaN(v) && !math.IsInf(v, 0) {
							sum, n = sum+v, n+1
						}
					}
				}
				v := math.NaN()
				if n > 0 {
					v = sum / float64(n)
				}
				out[(y*w+x)*b.c+ch] = v
			}
		}
	}
	return out
}

// luminance returns the grey value of an RGB pixel (ITU-R BT.601, as PIL's convert("L")).
func luminance(r, g, b float64) float64 { return 0.299*r + 0.587*g + 0.114*b }

// pixelImage turns one image's values (h×w×c, NHWC) into a Go image: one channel through
// the colormap, three as RGB, each value mapped by r; NaN or ±Inf pixels transparent
// (nonFinite counts them). A one-channel gray image without such pixels is an image.Gray,
// which PNG stores in a byte per pixel.
func pixelImage(v []float64, h, w, c int, r valueRange, cmap Colormap) (img image.Image, nonFinite int) {
	bad := func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }
	for _, x := range v {
		if bad(x) {
			nonFinite++
		}
	}
	if nonFinite > 0 && c == 3 {
		// Count pixels, not values.
		nonFinite = 0
		for p := 0; p < h*w; p++ {
			if bad(v[3*p]) || bad(v[3*p+1]) || bad(v[3*p+2]) {
				nonFinite++
			}
		}
	}
	level := func(x float64) uint8 { return uint8(math.Round(255 * r.unit(x))) }
	if cmap != ColormapGray {
		// 64 levels of the colormap: a palette PNG of a fraction of the size of 256
		// colours, for colours that differ by less than a step of the legend.
		level = func(x float64) uint8 { return uint8(math.Round(math.Round(63*r.unit(x)) * 255 / 63)) }
	}
	if c == 1 && cmap == ColormapGray && nonFinite == 0 {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for p, x := range v {
			g.Pix[p] = level(x)
		}
		return g, 0
	}
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	lut := cmap.lut()
	for p := 0; p < h*w; p++ {
		var k color.RGBA
		if c == 1 {
			if bad(v[p]) {
				continue // transparent
			}
			k = lut[level(v[p])]
		} else {
			if bad(v[3*p]) || bad(v[3*p+1]) || bad(v[3*p+2]) {
				continue
			}
			k = color.RGBA{level(v[3*p]), level(v[3*p+1]), level(v[3*p+2]), 255}
		}
		out.Pix[4*p], out.Pix[4*p+1], out.Pix[4*p+2], out.Pix[4*p+3] = k.R, k.G, k.B, 255
	}
	return out, nonFinite
}

// overlayImage draws an attribution map a (h×w, one channel) over the base image's grey
// values g (h×w, in 0..1), drawn in mid greys (a quarter to three quarters of white): each
// pixel is the colormap's colour for a, mapped by r, blended over the grey with an opacity
// that grows with |a| (on the diverging colormap, with the distance from zero), so that
// where a is small the image shows through.
func overlayImage(g, a []float64, h, w int, r valueRange, cmap Colormap) (image.Image, int) {
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	lut := cmap.lut()
	nonFinite := 0
	for p := 0; p < h*w; p++ {
		// The image in mid grays (its contrast halved), so that the overlay's colours,
		// light and dark, stand out from it.
		base := 128.0
		if x := g[p]; !math.IsNaN(x) {
			base = 255 * (0.25 + 0.5*x)
		}
		alpha := 0.0
		var k color.RGBA
		if x := a[p]; math.IsNaN(x) || math.IsInf(x, 0) {
			nonFinite++
		} else {
			t := r.unit(x)
			k = lut[uint8(math.Round(255*t))]
			if cmap == ColormapDiverging {
				alpha = math.Abs(2*t - 1)
			} else {
				alpha = t
			}
			alpha = 0.85 * math.Sqrt(alpha) // small values stay visible
		}
		blend := func(c uint8) uint8 { return uint8(math.Round((1-alpha)*base + alpha*float64(c))) }
		out.Pix[4*p], out.Pix[4*p+1], out.Pix[4*p+2], out.Pix[4*p+3] = blend(k.R), blend(k.G), blend(k.B), 255
	}
	return out, nonFinite
}

// pngDataURL encodes img as a PNG data: URL. An NRGBA image without transparent pixels
// is stored without its alpha channel, and with a palette when it has at most 256
// colours, whichever is smaller.
func pngDataURL(img image.Image) string {
	var s strings.Builder
	s.WriteString("data:image/png;base64,")
	s.WriteString(base64.StdEncoding.EncodeToString(pngBytes(img)))
	return s.String()
}

// pngBytes encodes img as a PNG, as small as pngDataURL's.
func pngBytes(img image.Image) []byte {
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	var buf bytes.Buffer
	encode := func(m image.Image) []byte {
		buf.Reset()
		if err := enc.Encode(&buf, m); err != nil {
			panic(err) // in-memory images of a valid size do not fail
		}
		return bytes.Clone(buf.Bytes())
	}
	best := encode(img)
	if n, ok := img.(*image.NRGBA); ok && opaque(n) {
		if p := paletted(n); p != nil {
			if b := encode(p); len(b) < len(best) {
				best = b
			}
		}
	}
	return best
}

func opaque(n *image.NRGBA) bool {
	for i := 3; i < len(n.Pix); i += 4 {
		if n.Pix[i] != 255 {
			return false
		}
	}
	return true
}

// paletted returns n as a paletted image of its own colours, or nil if it has more than
// 256.
func paletted(n *image.NRGBA) *image.Paletted {
	index := map[[3]uint8]uint8{}
	var pal color.Palette
	b := n.Bounds()
	out := image.NewPaletted(b, nil)
	for p := 0; p < b.Dx()*b.Dy(); p++ {
		k := [3]uint8{n.Pix[4*p], n.Pix[4*p+1], n.Pix[4*p+2]}
		i, ok := index[k]
		if !ok {
			if len(pal) == 256 {
				return nil
			}
			i = uint8(len(pal))
			index[k] = i
			pal = append(pal, color.RGBA{k[0], k[1], k[2], 255})
		}
		out.Pix[p] = i
	}
	out.Palette = pal
	return out
}
