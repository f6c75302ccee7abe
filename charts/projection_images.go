// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"math"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// DefaultHoverImageSize is the longer side, in pixels, of the image a projection's hover
// shows when ProjectionOptions.ImageSize is 0.
const DefaultHoverImageSize = 48

// grey16 is the palette of the hover's grayscale images: 16 levels, 4 bits a pixel.
var grey16 = func() color.Palette {
	p := make(color.Palette, 16)
	for k := range p {
		p[k] = color.Gray{Y: uint8(17 * k)}
	}
	return p
}()

// hoverImages are the PNGs of a projection's hover, one per point drawn: the base64 of
// the bytes every PNG starts with (signature, header, palette: the same for images of
// one size), and the base64 of each PNG's other bytes. The prefix is a whole number of
// 3-byte groups, so that the two base64 strings put together are the base64 of the PNG.
type hoverImages struct {
	prefix string
	rest   []string
	h, w   int // the size of each PNG
	bytes  int // the base64 characters of all the PNGs as carried (prefix once)
}

// projectionImages reads the images of the points (opts.Images, or the rows of x read as
// images of opts.ImageShape) and encodes those of the rows picked as small PNGs: one-channel
// images in 16 grey levels (a palette PNG, 4 bits a pixel), all on one scale; RGB images
// in their colours. Images up to opts.ImageSize pixels are scaled up by a whole factor
// (pixels kept sharp), larger ones are downsampled (a box filter).
func projectionImages(what string, opts ProjectionOptions, x [][]float64, picked []int) (*hoverImages, error) {
	if opts.Images == nil && opts.ImageShape == nil {
		return nil, nil
	}
	if opts.ImageSize < 0 {
		return nil, fmt.Errorf("%s: opts.ImageSize is %d; pass the hover image's size in pixels (0: %d)", what, opts.ImageSize, DefaultHoverImageSize)
	}
	var b imageBatch
	var err error
	if opts.Images != nil {
		b, err = readImages(what, "opts.Images", opts.Images, opts.ImageShape, "opts.ImageShape", opts.ImageLayout)
	} else {
		flat := make([]float64, 0, len(x)*len(x[0]))
		for _, r := range x {
			flat = append(flat, r...)
		}
		b, err = readImages(what, "x (its rows read as images)", flat, opts.ImageShape, "opts.ImageShape", opts.ImageLayout)
	}
	if err != nil {
		return nil, err
	}
	if b.n != len(x) {
		return nil, fmt.Errorf("%s: opts.Images holds %d images (shape %s) for %d rows of x; pass one image per row", what, b.n, b.shape, len(x))
	}
	size := opts.ImageSize
	if size == 0 {
		size = DefaultHoverImageSize
	}
	h, w := b.h, b.w
	if long := max(h, w); long <= size {
		f := size / long
		h, w = h*f, w*f
	} else {
		h, w = max(1, int(math.Round(float64(h)*float64(size)/float64(long)))), max(1, int(math.Round(float64(w)*float64(size)/float64(long))))
	}
	r := imageRanges(&b, picked, NormalizeShared, valueRange{}, false)[0]
	pngs := make([][]byte, len(picked))
	for k, i := range picked {
		v := resampled(&b, i, h, w)
		var img image.Image
		if g, ok := greyImage(v, h, w, b.c, r); ok {
			img = g
		} else {
			img, _ = pixelImage(v, h, w, b.c, r, ColormapGray)
		}
		pngs[k] = pngBytes(img)
	}
	// The bytes all the PNGs share, in whole 3-byte groups, and at least one byte left
	// to each.
	common := len(pngs[0]) - 1
	for _, p := range pngs[1:] {
		n := 0
		for n < common && n < len(p)-1 && p[n] == pngs[0][n] {
			n++
		}
		common = n
	}
	common -= common % 3
	out := &hoverImages{prefix: base64.StdEncoding.EncodeToString(pngs[0][:common]), rest: make([]string, len(pngs)), h: h, w: w}
	out.bytes = len(out.prefix)
	for k, p := range pngs {
		out.rest[k] = base64.StdEncoding.EncodeToString(p[common:])
		out.bytes += len(out.rest[k])
	}
	return out, nil
}

// greyImage is a one-channel image of finite values in 16 grey levels (black for the
// low end of r, white for the high end), or false when it is not one.
func greyImage(v []float64, h, w, c int, r valueRange) (*image.Paletted, bool) {
	if c != 1 {
		return nil, false
	}
	img := image.NewPaletted(image.Rect(0, 0, w, h), grey16)
	for p, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false
		}
		img.Pix[p] = uint8(math.Round(15 * r.unit(x)))
	}
	return img, true
}

// hoverImageTransforms join each point (field "i", the row index) with its image, as a
// data: URL in the field "image", which vega-tooltip draws as a picture.
func (im *hoverImages) transforms(picked []int) []vl.Transform {
	table := vl.Columns(map[string]any{"i": picked, "png": im.rest}).Compact()
	return []vl.Transform{
		vl.Lookup("i", table, "i", "png"),
		vl.Calculate("'data:image/png;base64,"+im.prefix+"' + datum.png", "image"),
	}
}
