// SPDX-License-Identifier: Apache-2.0

package saliency_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
	"github.com/gonbviz/gonbviz/saliency"
)

// flatLinear flattens an input of 12 values (2×2 pixels, 3 channels) into 3 logits.
func flatLinear(scope *model.Scope, x *graph.Node) *graph.Node {
	w := make([][]float32, 12)
	for i := range w {
		w[i] = []float32{float32(i%5) - 2, float32(i%3) - 1, float32(i%4) * 0.5}
	}
	return graph.MatMul(graph.Reshape(x, x.Shape().Dimensions[0], 12), graph.Const(x.Graph(), w))
}

// Overlays average the channels of the input and add up those of the attributions, per
// pixel, for channels last and first; RightAndWrong picks the most confident of each.
func TestOverlays(t *testing.T) {
	backend := xlatest.Go(t)
	vals := make([]float32, 3*12)
	for i := range vals {
		vals[i] = float32(math.Sin(float64(i)))
	}
	for _, first := range []bool{false, true} {
		dims := []int{3, 2, 2, 3}
		if first {
			dims = []int{3, 3, 2, 2}
		}
		res, err := saliency.Compute(backend, model.NewStore(), flatLinear, tensors.FromFlatDataAndDimensions(vals, dims...), saliency.Options{Method: saliency.GradientTimesInput})
		if err != nil {
			t.Fatal(err)
		}
		labels := []int{res.Predicted[0], (res.Predicted[1] + 1) % 3, (res.Predicted[2] + 1) % 3}
		ovs, err := res.Overlays([]int{2, 0}, saliency.OverlayOptions{ChannelsFirst: first, Labels: labels})
		if err != nil {
			t.Fatal(err)
		}
		if len(ovs) != 2 || ovs[0].Example != 2 || ovs[1].Example != 0 || ovs[0].Height != 2 || ovs[0].Width != 2 {
			t.Fatalf("overlays %+v", ovs)
		}
		for _, o := range ovs {
			in, attr := res.Input(o.Example), res.Example(o.Example)
			var scale float64
			for p := range 4 {
				var mean, sum float64
				for c := range 3 {
					j := p*3 + c
					if first {
						j = c*4 + p
					}
					mean += float64(in[j]) / 3
					sum += float64(attr[j])
				}
				if math.Abs(o.Image[p]-mean) > 1e-6 || math.Abs(o.Attribution[p]-sum) > 1e-6 {
					t.Errorf("channels first %v, example %d pixel %d: image %g attribution %g, want %g %g", first, o.Example, p, o.Image[p], o.Attribution[p], mean, sum)
				}
				scale = max(scale, math.Abs(sum))
			}
			if math.Abs(o.Scale-scale) > 1e-6 || o.Label != labels[o.Example] || o.Right() != (o.Example == 0) {
				t.Errorf("example %d: scale %g (want %g), label %d, right %v", o.Example, o.Scale, scale, o.Label, o.Right())
			}
		}
		right, wrong, ok, err := res.RightAndWrong(labels)
		if err != nil || !ok || right != 0 {
			t.Errorf("RightAndWrong: %d %d %v %v", right, wrong, ok, err)
		}
		if p := res.Probabilities; wrong != 1 && p[1][res.Predicted[1]] > p[2][res.Predicted[2]] || wrong != 2 && p[2][res.Predicted[2]] > p[1][res.Predicted[1]] {
			t.Errorf("RightAndWrong picked %d, not the most confident wrong prediction", wrong)
		}
	}

	flat, err := saliency.Compute(backend, model.NewStore(), linear, tensors.FromFlatDataAndDimensions(vals[:8], 2, 4), saliency.Options{Method: saliency.Gradient})
	if err != nil {
		t.Fatal(err)
	}
	if ovs, err := flat.Overlays(nil, saliency.OverlayOptions{}); err != nil || len(ovs) != 2 || ovs[1].Height != 2 || ovs[1].Width != 2 || ovs[1].Label != -1 {
		t.Errorf("[N, 4] read as 2×2 images: %+v, %v", ovs, err)
	}
	for _, c := range []struct {
		examples []int
		opts     saliency.OverlayOptions
		want     string
	}{
		{[]int{2}, saliency.OverlayOptions{}, "examples[0] = 2; want 0..1"},
		{nil, saliency.OverlayOptions{Labels: []int{1}}, "OverlayOptions.Labels has 1 values for 2 examples"},
		{nil, saliency.OverlayOptions{Height: 3, Width: 1}, "does not fit inputs of 4 values"},
		{nil, saliency.OverlayOptions{Height: -1}, "want positive sizes"},
	} {
		if _, err := flat.Overlays(c.examples, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Overlays(%v, %+v): %v, want %q", c.examples, c.opts, err, c.want)
		}
	}
	if _, _, _, err := flat.RightAndWrong([]int{0}); err == nil || !strings.Contains(err.Error(), "labels has 1 values for 2 examples") {
		t.Errorf("RightAndWrong: %v", err)
	}
}
