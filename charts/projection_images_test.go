// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/png"
	"math"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/digits"
	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// digitRows returns the 1,797 digits as rows of 64 pixels (values 0..1) and their labels.
func digitRows(t testing.TB) ([][]float64, []int) {
	t.Helper()
	set, err := digits.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set.Float64Rows(), set.Labels
}

// hoverPNGs finds a projection's hover images in its spec: the lookup table's PNG of each
// row index, put together with the prefix of the calculate transform, decoded.
func hoverPNGs(t *testing.T, c vl.Chart) (map[int]image.Image, int) {
	t.Helper()
	spec, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`'data:image/png;base64,([A-Za-z0-9+/=]*)' \+ datum\.png`).FindSubmatch(spec)
	if m == nil {
		t.Fatal("no image calculation in the spec")
	}
	prefix := string(m[1])
	// The lookup's table: CSV with the columns i and png.
	var lookup struct {
		From struct {
			Data struct {
				Values string `json:"values"`
			} `json:"data"`
		} `json:"from"`
	}
	i := bytes.Index(spec, []byte(`{"from":{"data":{"format"`))
	if i < 0 {
		i = bytes.Index(spec, []byte(`"lookup"`))
		t.Fatalf("no lookup table in the spec: %.300s", spec[max(0, i-200):])
	}
	if err := json.NewDecoder(bytes.NewReader(spec[i:])).Decode(&lookup); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(lookup.From.Data.Values), "\n")
	if lines[0] != "i,png" && lines[0] != "png,i" {
		t.Fatalf("lookup table header %q", lines[0])
	}
	out := map[int]image.Image{}
	for _, l := range lines[1:] {
		a, b, _ := strings.Cut(l, ",")
		if lines[0] == "png,i" {
			a, b = b, a
		}
		var idx int
		if err := json.Unmarshal([]byte(a), &idx); err != nil {
			t.Fatalf("row %q: %v", l, err)
		}
		raw, err := base64.StdEncoding.DecodeString(prefix + b)
		if err != nil {
			t.Fatalf("image %d: base64: %v", idx, err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("image %d: %v", idx, err)
		}
		out[idx] = img
	}
	return out, len(spec)
}

// TestProjectionImages: the digits' rows read as 8×8 images; every point's hover image is
// a PNG that decodes to the digit, scaled up 6 times (48×48), in 16 grey levels; the static SVG
// carries none of them. It logs the sizes of the chart with and without the images.
func TestProjectionImages(t *testing.T) {
	rows, labels := digitRows(t)
	n := len(rows)
	with, err := charts.Projection(rows, 0, charts.ProjectionOptions{Labels: labels, ImageShape: []int{n, 8, 8}})
	if err != nil {
		t.Fatal(err)
	}
	without, err := charts.Projection(rows, 0, charts.ProjectionOptions{Labels: labels})
	if err != nil {
		t.Fatal(err)
	}
	imgs, specBytes := hoverPNGs(t, with)
	if len(imgs) != n {
		t.Fatalf("%d hover images, want %d", len(imgs), n)
	}
	for i, img := range imgs {
		if b := img.Bounds(); b.Dx() != 48 || b.Dy() != 48 {
			t.Fatalf("image %d is %v, want 48×48", i, b)
		}
		for p, v := range rows[i] {
			y, x := p/8, p%8
			want := 17 * uint32(math.Round(15*v)) // the pixels span 0..1 over the digits
			for _, at := range [][2]int{{6 * y, 6 * x}, {6*y + 5, 6*x + 5}} {
				r, g, b, a := img.At(at[1], at[0]).RGBA()
				if r>>8 != want || g != r || b != r || a != 0xffff {
					t.Fatalf("image %d, pixel (%d, %d) at (%d, %d): %d %d %d %d, want grey %d", i, y, x, at[0], at[1], r>>8, g>>8, b>>8, a>>8, want)
				}
			}
		}
	}
	if sub := subtitleOf(t, with); !strings.Contains(sub, "hover a point for its image") {
		t.Errorf("subtitle %q does not say the hover shows images", sub)
	}
	spec0, _ := without.JSON()
	outWith, err := render.Chart(with)
	if err != nil {
		t.Fatal(err)
	}
	outWithout, err := render.Chart(without)
	if err != nil {
		t.Fatal(err)
	}
	svg := outWith.SVG()
	if strings.Contains(svg, "base64") || strings.Contains(svg, "<image") {
		t.Error("the static SVG carries images")
	}
	if d := len(svg) - len(outWithout.SVG()); d > 200 {
		t.Errorf("the static SVG grew by %d bytes with the hover images", d)
	}
	t.Logf("%d digits: spec %d bytes with hover images, %d without (%.0f bytes an image); static SVG %d bytes with, %d without",
		n, specBytes, len(spec0), float64(specBytes-len(spec0))/float64(n), len(svg), len(outWithout.SVG()))
}

// TestProjectionImagesSteps: over steps, each image is carried once, and images given
// apart (a flat slice with its shape) are the ones hovered; RGB images keep their colours.
func TestProjectionImagesSteps(t *testing.T) {
	rows, labels := digitRows(t)
	rows, labels = rows[:60], labels[:60]
	flat := make([]float32, 0, 60*64)
	for _, r := range rows {
		for _, v := range r {
			flat = append(flat, float32(v))
		}
	}
	steps := []charts.ProjectionStep{{Step: 1, X: rows}, {Step: 5, X: rows}, {Step: 9, X: rows}}
	c, err := charts.ProjectionSteps(steps, charts.ProjectionOptions{Labels: labels, Images: flat, ImageShape: []int{60, 8, 8}, ImageSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	imgs, _ := hoverPNGs(t, c)
	if len(imgs) != 60 {
		t.Fatalf("%d hover images for 60 points at 3 steps, want 60", len(imgs))
	}
	if b := imgs[7].Bounds(); b.Dx() != 16 {
		t.Errorf("ImageSize 16: image is %v", b)
	}
	// RGB: a red and a blue 2×2 image, 4 points.
	rgb := make([][][][]float64, 4)
	for i := range rgb {
		rgb[i] = [][][]float64{{{1, 0, 0}, {1, 0, 0}}, {{0, 0, 1}, {0, 0, 1}}}
	}
	c, err = charts.Projection([][]float64{{0, 1}, {1, 0}, {2, 2}, {3, 1}}, 0, charts.ProjectionOptions{Images: rgb, ImageSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	imgs, _ = hoverPNGs(t, c)
	r, g, b, _ := imgs[2].At(0, 0).RGBA()
	r2, g2, b2, _ := imgs[2].At(0, 3).RGBA()
	if r>>8 != 255 || g != 0 || b != 0 || r2 != 0 || g2 != 0 || b2>>8 != 255 {
		t.Errorf("RGB image: top %d %d %d, bottom %d %d %d; want red over blue", r>>8, g>>8, b>>8, r2>>8, g2>>8, b2>>8)
	}
}

func TestProjectionImagesErrors(t *testing.T) {
	rows, _ := digitRows(t)
	cases := []struct {
		name string
		opts charts.ProjectionOptions
		x    [][]float64
		want string
	}{
		{"count", charts.ProjectionOptions{Images: make([]float32, 10*64), ImageShape: []int{10, 8, 8}}, rows[:20], "opts.Images holds 10 images (shape [10 8 8]) for 20 rows of x"},
		{"shape", charts.ProjectionOptions{ImageShape: []int{20, 8, 9}}, rows[:20], "opts.ImageShape is [20 8 9], 1440 values, and x (its rows read as images) holds 1280"},
		{"size", charts.ProjectionOptions{ImageShape: []int{20, 8, 8}, ImageSize: -1}, rows[:20], "opts.ImageSize is -1"},
		{"budget", charts.ProjectionOptions{ImageShape: []int{2300, 8, 8}}, rows[:1797], ""},
	}
	big := append(append([][]float64{}, rows...), rows[:503]...) // 2,300 rows
	cases[3].x, cases[3].want = big, "2,300 points at 1 step and their images make 4,600 rows, more than a chart carries (4,500); set opts.Sample to 2,250 or fewer"
	for _, c := range cases {
		_, err := charts.Projection(c.x, 0, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// TestProjectionImagesInChromium: on an HTML page, hovering a point of a projection with
// images shows a tooltip holding the point's image, a PNG data: URL that the browser
// decodes at the hover's size.
func TestProjectionImagesInChromium(t *testing.T) {
	browsertest.Require(t)
	rows, labels := digitRows(t)
	rows, labels = rows[:300], labels[:300]
	c, err := charts.Projection(rows, 0, charts.ProjectionOptions{Labels: labels, ImageShape: []int{300, 8, 8}})
	if err != nil {
		t.Fatal(err)
	}
	dir := browsertest.Artifacts(t)
	page := filepath.Join(dir, "projection-images.html")
	savePage(t, page, "projection", c)
	r, err := browsertest.Run(browsertest.Job{URL: "file://" + page, JavaScript: true,
		Hover: &browsertest.Hover{Selector: ".mark-symbol path", Nth: 17, Screenshot: filepath.Join(dir, "projection-images-hover.png")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.PageErrors)+len(r.ConsoleErrors)+len(r.Blocked) > 0 {
		t.Errorf("errors %v %v, blocked %v", r.PageErrors, r.ConsoleErrors, r.Blocked)
	}
	if len(r.Charts) != 1 || r.Charts[0].State != "interactive" {
		t.Fatalf("charts %+v", r.Charts)
	}
	tip := r.Tooltip
	if tip == nil || !tip.Visible {
		t.Fatalf("no tooltip shown on hovering a point: %+v", tip)
	}
	if len(tip.Images) != 1 {
		t.Fatalf("the tooltip holds %d images, want 1: %q", len(tip.Images), tip.Text)
	}
	im := tip.Images[0]
	if !strings.HasPrefix(im.Src, "data:image/png;base64,") || !im.Decoded || im.Width != 48 || im.Height != 48 {
		t.Errorf("tooltip image: %.60q, decoded %v, %d×%d; want a PNG data: URL of 48×48", im.Src, im.Decoded, im.Width, im.Height)
	}
	if !strings.Contains(tip.Text, "index") || !strings.Contains(tip.Text, "label") {
		t.Errorf("the tooltip does not say the index and label: %q", tip.Text)
	}
}
