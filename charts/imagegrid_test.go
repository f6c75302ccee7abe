// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/testing/chartcheck"
	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// drawnImages renders a chart and returns its image marks' items, in the order drawn,
// with their PNGs decoded from the data: URLs the scenegraph's data carry.
func drawnImages(t *testing.T, name string, c vl.Chart) (items []chartcheck.Item, pngs []image.Image) {
	t.Helper()
	spec, err := c.JSON()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var walk func(m chartcheck.Mark)
	walk = func(m chartcheck.Mark) {
		for _, it := range m.Items {
			if m.Marktype == "image" && m.Role == "mark" {
				items = append(items, it)
			}
			for _, sub := range it.Items {
				walk(sub)
			}
		}
	}
	walk(scene(t, name, spec, false).Root)
	for i, it := range items {
		url, _ := it.Datum["url"].(string)
		b64, ok := strings.CutPrefix(url, "data:image/png;base64,")
		if !ok {
			t.Fatalf("%s: image %d has URL %.40q, want a PNG data: URL", name, i, url)
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatalf("%s: image %d: %v", name, i, err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: image %d: %v", name, i, err)
		}
		pngs = append(pngs, img)
	}
	return items, pngs
}

func grid(t *testing.T, images any, opts charts.ImageGridOptions) vl.Chart {
	t.Helper()
	c, err := charts.ImageGrid(images, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func specOf(t *testing.T, c vl.Chart) string {
	t.Helper()
	b, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The same images draw the same chart whatever they come in: nested slices, a flat slice
// with its shape, tensors [N, H, W], NHWC and NCHW, float32 or float64.
func TestImageGridInputs(t *testing.T) {
	d := digitsClassified()
	n := 12
	want := specOf(t, grid(t, d.images[:n], charts.ImageGridOptions{}))
	flat := d.flat[:n*64]
	as4 := make([][][][]float64, n)
	for i := range as4 {
		as4[i] = make([][][]float64, 8)
		for y := range as4[i] {
			as4[i][y] = make([][]float64, 8)
			for x := range as4[i][y] {
				as4[i][y][x] = []float64{d.images[i][y][x]}
			}
		}
	}
	flat64 := make([]float64, len(flat))
	for i, v := range flat {
		flat64[i] = float64(v)
	}
	cases := []struct {
		name   string
		images any
		opts   charts.ImageGridOptions
	}{
		{"flat float32 [N,H,W]", flat, charts.ImageGridOptions{Shape: []int{n, 8, 8}}},
		{"flat float64 NHWC", flat64, charts.ImageGridOptions{Shape: []int{n, 8, 8, 1}}},
		{"flat float32 NCHW", flat, charts.ImageGridOptions{Shape: []int{n, 1, 8, 8}}},
		{"tensor [N,H,W]", tensors.FromFlatDataAndDimensions(flat, n, 8, 8), charts.ImageGridOptions{}},
		{"tensor NHWC", tensors.FromFlatDataAndDimensions(flat, n, 8, 8, 1), charts.ImageGridOptions{}},
		{"tensor NCHW", tensors.FromFlatDataAndDimensions(flat, n, 1, 8, 8), charts.ImageGridOptions{Layout: charts.LayoutNCHW}},
		{"nested rank 4", as4, charts.ImageGridOptions{}},
	}
	for _, c := range cases {
		if got := specOf(t, grid(t, c.images, c.opts)); got != want {
			t.Errorf("%s: the chart differs from the one of [][][]float64", c.name)
		}
	}

	// RGB: NHWC and NCHW of the same pixels draw the same chart, and the PNG holds them.
	const h, w = 3, 4
	nhwc := make([]float32, 2*h*w*3)
	nchw := make([]float32, len(nhwc))
	for i := range 2 {
		for y := range h {
			for x := range w {
				for ch := range 3 {
					v := float32((i*7+y*5+x*3+ch*11)%16) / 15
					nhwc[((i*h+y)*w+x)*3+ch] = v
					nchw[((i*3+ch)*h+y)*w+x] = v
				}
			}
		}
	}
	a := grid(t, tensors.FromFlatDataAndDimensions(nhwc, 2, h, w, 3), charts.ImageGridOptions{Normalize: charts.NormalizeFixed, Range: [2]float64{0, 1}})
	b := grid(t, tensors.FromFlatDataAndDimensions(nchw, 2, 3, h, w), charts.ImageGridOptions{Normalize: charts.NormalizeFixed, Range: [2]float64{0, 1}})
	if specOf(t, a) != specOf(t, b) {
		t.Errorf("RGB: the NCHW chart differs from the NHWC one")
	}
	_, pngs := drawnImages(t, "rgb", a)
	for i, img := range pngs {
		if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
			t.Fatalf("rgb image %d is %v, want %dx%d", i, img.Bounds(), w, h)
		}
		for y := range h {
			for x := range w {
				got := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
				var want [3]uint8
				for ch := range 3 {
					want[ch] = uint8(math.Round(255 * float64(nhwc[((i*h+y)*w+x)*3+ch])))
				}
				if got.R != want[0] || got.G != want[1] || got.B != want[2] || got.A != 255 {
					t.Errorf("rgb image %d pixel (%d, %d) is %v, want %v", i, x, y, got, want)
				}
			}
		}
	}
}

// The pixels: each image's values mapped to 0..255 on the shared range, on its own, or on
// a fixed one (clamped); the diverging colormap white at zero; NaN and Inf transparent and
// counted.
func TestImageGridPixels(t *testing.T) {
	imgs := [][][]float64{
		{{0, 1}, {2, 4}},
		{{-2, 0}, {2, 2}},
	}
	gray := func(c color.Color) uint8 { return color.GrayModel.Convert(c).(color.Gray).Y }
	check := func(name string, opts charts.ImageGridOptions, want [2][4]uint8) {
		t.Helper()
		_, pngs := drawnImages(t, name, grid(t, imgs, opts))
		for i, img := range pngs {
			for p := range 4 {
				if got := gray(img.At(p%2, p/2)); got != want[i][p] {
					t.Errorf("%s: image %d pixel %d is %d, want %d", name, i, p, got, want[i][p])
				}
			}
		}
	}
	l := func(v, lo, hi float64) uint8 { return uint8(math.Round(255 * (min(hi, max(lo, v)) - lo) / (hi - lo))) }
	check("shared", charts.ImageGridOptions{}, [2][4]uint8{
		{l(0, -2, 4), l(1, -2, 4), l(2, -2, 4), 255}, {0, l(0, -2, 4), l(2, -2, 4), l(2, -2, 4)}})
	check("per image", charts.ImageGridOptions{Normalize: charts.NormalizePerImage}, [2][4]uint8{
		{0, l(1, 0, 4), l(2, 0, 4), 255}, {0, l(0, -2, 2), 255, 255}})
	check("fixed", charts.ImageGridOptions{Normalize: charts.NormalizeFixed, Range: [2]float64{0, 2}}, [2][4]uint8{
		{0, l(1, 0, 2), 255, 255}, {0, 0, 255, 255}})

	// Diverging: symmetric about zero, white there, blue below, red above.
	_, pngs := drawnImages(t, "diverging", grid(t, imgs, charts.ImageGridOptions{Colormap: charts.ColormapDiverging}))
	rgb := func(img image.Image, x, y int) color.NRGBA {
		return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
	}
	if z := rgb(pngs[0], 0, 0); z.R < 235 || z.G < 235 || z.B < 235 {
		t.Errorf("diverging: zero is drawn %v, want near white", z)
	}
	if neg, pos := rgb(pngs[1], 0, 0), rgb(pngs[0], 1, 1); !(neg.B > neg.R+60) || !(pos.R > pos.B+60) {
		t.Errorf("diverging: -2 is drawn %v (want blue), 4 %v (want red)", neg, pos)
	}
	// -2 of a range -4..4 is a quarter: lighter than the end.
	if neg := rgb(pngs[1], 0, 0); neg.R < 100 {
		t.Errorf("diverging: -2 of the range -4..4 is drawn %v, as dark as the end", neg)
	}

	// Viridis: its two ends.
	_, pngs = drawnImages(t, "viridis", grid(t, imgs, charts.ImageGridOptions{Colormap: charts.ColormapViridis}))
	if lo, hi := rgb(pngs[1], 0, 0), rgb(pngs[0], 1, 1); lo != (color.NRGBA{0x44, 0x01, 0x54, 255}) || hi != (color.NRGBA{0xfd, 0xe7, 0x25, 255}) {
		t.Errorf("viridis: ends drawn %v and %v, want #440154 and #fde725", lo, hi)
	}

	// NaN and Inf: transparent, counted in the subtitle.
	bad := [][][]float64{{{math.NaN(), 1}, {math.Inf(1), 0}}, {{0, 1}, {1, 0}}}
	c := grid(t, bad, charts.ImageGridOptions{})
	_, pngs = drawnImages(t, "nan", c)
	if a := rgb(pngs[0], 0, 0).A; a != 0 {
		t.Errorf("a NaN pixel has alpha %d, want 0", a)
	}
	if a := rgb(pngs[0], 0, 1).A; a != 0 {
		t.Errorf("an Inf pixel has alpha %d, want 0", a)
	}
	if v := rgb(pngs[0], 1, 0); v.A != 255 || v.R != 255 {
		t.Errorf("pixel 1 of the image with NaN is %v, want opaque white", v)
	}
	spec, _ := c.JSON()
	if sub := chartcheck.Subtitle(spec); !strings.Contains(sub, "NaN/Inf: 2 pixels in 1 image drawn transparent") {
		t.Errorf("subtitle %q does not count the NaN/Inf pixels", sub)
	}
}

// The grid: every image drawn where its cell is, at the size asked for, captions in red
// for wrong predictions, and the images in the static SVG.
func TestImageGridDraws(t *testing.T) {
	d := digitsClassified()
	n := 30
	scores := make([]float64, n)
	for i := range scores {
		scores[i] = d.scores[i][d.predictions[i]]
	}
	names := make([]string, 10)
	for i := range names {
		names[i] = "digit " + string(rune('0'+i))
	}
	c := grid(t, d.images[:n], charts.ImageGridOptions{
		Labels: d.labels[:n], Predictions: d.predictions[:n], Scores: scores, ClassNames: names,
		Columns: 7, ImageSize: 40,
	})
	items, pngs := drawnImages(t, "digits", c)
	if len(items) != n {
		t.Fatalf("%d images drawn, want %d", len(items), n)
	}
	var x0, y0, dx, dy float64
	for k, it := range items {
		if *it.Width != 40 || *it.Height != 40 {
			t.Errorf("image %d is drawn %vx%v, want 40x40", k, *it.Width, *it.Height)
		}
		if pngs[k].Bounds().Dx() != 8 {
			t.Errorf("image %d's PNG is %v, want the 8x8 pixels themselves", k, pngs[k].Bounds())
		}
		switch k {
		case 0:
			x0, y0 = *it.X, *it.Y
		case 1:
			dx = *it.X - x0
		case 7:
			dy = *it.Y - y0
		}
		if k > 7 && (*it.X != x0+float64(k%7)*dx || *it.Y != y0+float64(k/7)*dy) {
			t.Errorf("image %d is at (%v, %v), not in row %d, column %d of the grid", k, *it.X, *it.Y, k/7, k%7)
		}
		if name := it.Datum["name"]; name != "#"+strconv.Itoa(k) {
			t.Errorf("image %d is named %v", k, name)
		}
	}
	if dx < 40 || dy < 40+2*12 {
		t.Errorf("cells %vx%v leave no room for 40-pixel images and two caption lines", dx, dy)
	}
	spec, _ := c.JSON()
	// Captions: the wrong ones name both classes.
	wrong := 0
	for i := range n {
		if d.labels[i] != d.predictions[i] {
			wrong++
			want := names[d.labels[i]] + "→" + names[d.predictions[i]]
			if !strings.Contains(string(spec), want) {
				t.Errorf("no caption %q for image %d", want, i)
			}
		}
	}
	if wrong == 0 {
		t.Fatal("the test wants some wrong predictions among the images")
	}
	out, err := render.Chart(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.SVG(), `xlink:href="data:image/png;base64,`); got != n {
		t.Errorf("the static SVG holds %d images, want %d", got, n)
	}
	if len(out.Notes()) > 0 {
		t.Errorf("notes %q", out.Notes())
	}
}

// 256 thumbnails of 28x28 stay under 1 MB of output: the spec and the static SVG
// together, grayscale and on a colormap.
func TestImageGridSize(t *testing.T) {
	d := digitsClassified()
	imgs := digits28(d, 256)
	scores := make([]float64, 256)
	for i := range scores {
		scores[i] = d.scores[i][d.predictions[i]]
	}
	for _, cm := range []charts.Colormap{charts.ColormapGray, charts.ColormapViridis, charts.ColormapDiverging} {
		c := grid(t, imgs, charts.ImageGridOptions{Labels: d.labels[:256], Predictions: d.predictions[:256], Scores: scores, Colormap: cm})
		out, err := render.Chart(c)
		if err != nil {
			t.Fatal(err)
		}
		size := len(out.SpecJSON()) + len(out.SVG())
		t.Logf("%v: spec %d + SVG %d = %d bytes", cm, len(out.SpecJSON()), len(out.SVG()), size)
		if size >= 1<<20 {
			t.Errorf("%v: 256 images of 28x28 make %d bytes of spec and SVG, want under 1 MB", cm, size)
		}
		if got := strings.Count(out.SVG(), "<image "); got != 256 {
			t.Errorf("%v: %d images in the SVG", cm, got)
		}
	}
}

// digits28 upsamples the first n digits to 28x28 (bilinear), which compress about as
// MNIST's digits do.
func digits28(d *digitsTest, n int) [][][]float64 {
	out := make([][][]float64, n)
	for i := range out {
		src := d.images[i]
		at := func(r, c int) float64 { return src[min(7, max(0, r))][min(7, max(0, c))] }
		img := make([][]float64, 28)
		for y := range img {
			img[y] = make([]float64, 28)
			fy := (float64(y)+0.5)*8/28 - 0.5
			y0 := int(math.Floor(fy))
			for x := range img[y] {
				fx := (float64(x)+0.5)*8/28 - 0.5
				x0 := int(math.Floor(fx))
				ty, tx := fy-float64(y0), fx-float64(x0)
				img[y][x] = (1-ty)*((1-tx)*at(y0, x0)+tx*at(y0, x0+1)) + ty*((1-tx)*at(y0+1, x0)+tx*at(y0+1, x0+1))
			}
		}
		out[i] = img
	}
	return out
}

// An overlay: where the attribution is zero the image shows in grays, where it is
// positive red, negative blue; one range (symmetric) for all images.
func TestImageGridOverlay(t *testing.T) {
	imgs := [][][]float64{{{0, 1}, {1, 0}}, {{0, 1}, {1, 0}}}
	attr := [][][]float64{{{0, 0}, {1, -1}}, {{0, 0}, {0.5, 0}}}
	c := grid(t, imgs, charts.ImageGridOptions{Overlay: attr})
	_, pngs := drawnImages(t, "overlay", c)
	rgb := func(img image.Image, x, y int) color.NRGBA {
		return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
	}
	// Under an overlay the image is drawn in mid grays, a quarter to three quarters of white.
	if p := rgb(pngs[0], 0, 0); p != (color.NRGBA{64, 64, 64, 255}) {
		t.Errorf("a black pixel without attribution is drawn %v, want dark gray", p)
	}
	if p := rgb(pngs[0], 1, 0); p != (color.NRGBA{191, 191, 191, 255}) {
		t.Errorf("a white pixel without attribution is drawn %v, want light gray", p)
	}
	if p := rgb(pngs[0], 0, 1); !(p.R > p.B+50 && p.R > p.G+50) {
		t.Errorf("a positive attribution is drawn %v, want red", p)
	}
	if p := rgb(pngs[0], 1, 1); !(p.B > p.R+60) {
		t.Errorf("a negative attribution is drawn %v, want blue", p)
	}
	if a, b := rgb(pngs[0], 0, 1), rgb(pngs[1], 0, 1); !(a.G < b.G) {
		t.Errorf("attribution 1 is drawn %v and 0.5 %v on the shared range: want the larger more opaque", a, b)
	}
	spec, _ := c.JSON()
	if sub := chartcheck.Subtitle(spec); !strings.Contains(sub, "in gray, an overlay over each") || !strings.Contains(sub, "overlay: -1 to 1 on one scale") {
		t.Errorf("subtitle %q", sub)
	}
}

// Bad input: one error naming the argument and the shape or value expected.
func TestImageGridErrors(t *testing.T) {
	img := [][][]float64{{{0, 1}, {1, 0}}, {{0, 1}, {1, 0}}}
	cases := []struct {
		name   string
		images any
		opts   charts.ImageGridOptions
		want   string
	}{
		{"nil", nil, charts.ImageGridOptions{}, "images is nil"},
		{"rank 2", tensors.FromFlatDataAndDimensions([]float32{1, 2, 3, 4}, 2, 2), charts.ImageGridOptions{},
			"images has shape (Float32)[2, 2] (rank 2); want [N, H, W] (grayscale), [N, H, W, C] (NHWC) or [N, C, H, W] (NCHW)"},
		{"rank 5", tensors.FromFlatDataAndDimensions(make([]float32, 32), 2, 2, 2, 2, 2), charts.ImageGridOptions{}, "(rank 5); want [N, H, W]"},
		{"4 channels NHWC", tensors.FromFlatDataAndDimensions(make([]float32, 2*4*4*4), 2, 4, 4, 4), charts.ImageGridOptions{Layout: charts.LayoutNHWC},
			"images has shape [2 4 4 4] (NHWC): 4 channels; want 1 (grayscale) or 3 (RGB)"},
		{"2 channels NCHW", tensors.FromFlatDataAndDimensions(make([]float32, 2*2*4*4), 2, 2, 4, 4), charts.ImageGridOptions{Layout: charts.LayoutNCHW},
			"images has shape [2 2 4 4] (NCHW): 2 channels; want 1 (grayscale) or 3 (RGB)"},
		{"no channel axis", tensors.FromFlatDataAndDimensions(make([]float32, 2*5*4*4), 2, 5, 4, 4), charts.ImageGridOptions{},
			"images has shape [2 5 4 4]: neither its last axis (NHWC) nor its second (NCHW) is a channel count of 1 or 3"},
		{"flat without shape", []float32{1, 2, 3, 4}, charts.ImageGridOptions{}, "images is a flat []float32; give its shape in ImageGridOptions.Shape"},
		{"flat wrong shape", []float32{1, 2, 3, 4}, charts.ImageGridOptions{Shape: []int{1, 3, 3}}, "ImageGridOptions.Shape is [1 3 3], 9 values, and images holds 4"},
		{"ragged", [][][]float64{{{0, 1}, {1, 0}}, {{0, 1}, {1}}}, charts.ImageGridOptions{}, "images is ragged"},
		{"wrong type", []int{1, 2}, charts.ImageGridOptions{}, "images has type []int; want a *tensors.Tensor"},
		{"empty", [][][]float64{}, charts.ImageGridOptions{}, "no images"},
		{"labels", img, charts.ImageGridOptions{Labels: []int{1}}, "ImageGridOptions.Labels has 1 entries for 2 images (images has shape [2 2 2]); pass one per image"},
		{"scores", img, charts.ImageGridOptions{Scores: []float64{1, 2, 3}}, "ImageGridOptions.Scores has 3 entries for 2 images"},
		{"predictions", img, charts.ImageGridOptions{Predictions: []int{1, 2, 3}}, "ImageGridOptions.Predictions has 3 entries for 2 images"},
		{"names", img, charts.ImageGridOptions{Names: []string{"a"}}, "ImageGridOptions.Names has 1 entries for 2 images"},
		{"class range", img, charts.ImageGridOptions{Labels: []int{0, 2}, ClassNames: []string{"a", "b"}}, "ImageGridOptions.Labels[1] is 2; want a class in 0..1 (ClassNames has 2 names)"},
		{"negative class", img, charts.ImageGridOptions{Predictions: []int{0, -1}}, "ImageGridOptions.Predictions[1] is -1; want a class number >= 0"},
		{"NaN score", img, charts.ImageGridOptions{Scores: []float64{0, math.NaN()}}, "ImageGridOptions.Scores[1] is NaN; scores must be finite"},
		{"fixed range", img, charts.ImageGridOptions{Normalize: charts.NormalizeFixed}, "ImageGridOptions.Range is [0 0] with NormalizeFixed; give two finite values, low < high"},
		{"colormap", img, charts.ImageGridOptions{Colormap: 7}, "ImageGridOptions.Colormap is Colormap(7)"},
		{"negative columns", img, charts.ImageGridOptions{Columns: -1}, "must not be negative"},
		{"overlay shape", img, charts.ImageGridOptions{Overlay: [][][]float64{{{0, 1}, {1, 0}}}}, "ImageGridOptions.Overlay has shape [1 2 2] and images [2 2 2]; want one map per image of the same height and width"},
		{"overlay rank", img, charts.ImageGridOptions{Overlay: []float32{1}}, "ImageGridOptions.Overlay is a flat []float32; give its shape in ImageGridOptions.OverlayShape"},
	}
	for _, c := range cases {
		_, err := charts.ImageGrid(c.images, c.opts)
		if err == nil || !strings.HasPrefix(err.Error(), "charts.ImageGrid: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one with %q", c.name, err, c.want)
		}
	}
}
