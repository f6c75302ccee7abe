// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gonbviz/gonbviz/charts"
)

// MostConfidentlyWrong draws the wrong predictions only, the most confident first.
func TestMostConfidentlyWrong(t *testing.T) {
	d := digitsClassified()
	c, err := charts.MostConfidentlyWrong(d.labels, d.scores, d.images, charts.MostConfidentlyWrongOptions{Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	items, _ := drawnImages(t, "wrong", c)
	if len(items) != 10 {
		t.Fatalf("%d images, want 10", len(items))
	}
	prev := 2.0
	for _, it := range items {
		name, _ := it.Datum["name"].(string)
		i := 0
		for _, r := range strings.TrimPrefix(name, "#") {
			i = 10*i + int(r-'0')
		}
		if d.labels[i] == d.predictions[i] {
			t.Errorf("%s is drawn but predicted right", name)
		}
		p := d.scores[i][d.predictions[i]]
		if p > prev {
			t.Errorf("%s (p %.3f) after one of p %.3f: not most confident first", name, p, prev)
		}
		prev = p
		if it.Datum["true"] == it.Datum["predicted"] {
			t.Errorf("%s: true and predicted class both %v", name, it.Datum["true"])
		}
	}
	// All right: a chart that says so.
	right := make([][]float64, len(d.labels))
	for i, l := range d.labels {
		right[i] = make([]float64, 10)
		right[i][l] = 1
	}
	c, err = charts.MostConfidentlyWrong(d.labels, right, d.images, charts.MostConfidentlyWrongOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if spec, _ := c.JSON(); !strings.Contains(string(spec), "all 538 predictions are right") {
		t.Errorf("no wrong predictions: %.300s", spec)
	}
}

// Bad input to the charts of examples as images: one error naming the argument.
func TestDecisionImagesErrors(t *testing.T) {
	d := digitsClassified()
	logits := [][]float64{{2, -1}, {0.5, 3}}
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"probabilities", func() error {
			_, err := charts.MostConfidentlyWrong([]int{0, 1}, logits, d.images[:2], charts.MostConfidentlyWrongOptions{})
			return err
		}, "charts.MostConfidentlyWrong: scores[0][0] is 2, outside [0, 1] (and 2 more); scores must be probabilities in [0, 1] (apply softmax to logits)"},
		{"image count", func() error {
			_, err := charts.MostConfidentlyWrong(d.labels, d.scores, d.images[:5], charts.MostConfidentlyWrongOptions{})
			return err
		}, "charts.MostConfidentlyWrong: images has 5 images (shape [5 8 8]) for 538 labels; pass one image per example"},
		{"image rank", func() error {
			_, err := charts.MostConfidentlyWrong(d.labels, d.scores, tensors.FromFlatDataAndDimensions(d.flat, 538, 64), charts.MostConfidentlyWrongOptions{})
			return err
		}, "charts.MostConfidentlyWrong: images has shape (Float32)[538, 64] (rank 2); want [N, H, W]"},
		{"labels", func() error {
			_, err := charts.MostConfidentlyWrong(d.labels[:3], d.scores, d.images, charts.MostConfidentlyWrongOptions{})
			return err
		}, "labels has 3 entries and scores 538 rows"},
		{"matrix images", func() error {
			_, err := charts.ConfusionMatrix(d.labels, d.scores, charts.ConfusionMatrixOptions{Images: d.images[:7]})
			return err
		}, "charts.ConfusionMatrix: ConfusionMatrixOptions.Images has 7 images (shape [7 8 8]) for 538 labels; pass one image per example"},
		{"matrix channels", func() error {
			_, err := charts.ConfusionMatrix(d.labels, d.scores, charts.ConfusionMatrixOptions{
				Images: make([]float32, 538*2*8*8), ImageShape: []int{538, 8, 8, 2}, ImageLayout: charts.LayoutNHWC})
			return err
		}, "ConfusionMatrixOptions.Images has shape [538 8 8 2] (NHWC): 2 channels; want 1 (grayscale) or 3 (RGB)"},
	}
	for _, c := range cases {
		if err := c.err(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one with %q", c.name, err, c.want)
		}
	}
}
