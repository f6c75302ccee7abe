// SPDX-License-Identifier: Apache-2.0

package saliency

import (
	"fmt"
	"math"
)

// Overlay is one example's attributions laid out as an image over the input image: what a
// chart draws (the input in gray, the attributions on a diverging scale centred on zero).
type Overlay struct {
	// Example is the example's index in the Result.
	Example int
	// Label is the true class (-1 when OverlayOptions.Labels is nil).
	Label int
	// Predicted and Target classes; Probability of the predicted class.
	Predicted, Target int
	Probability       float64
	// Height and Width of the image.
	Height, Width int
	// Image holds the input, row-major, Height×Width values (the mean over channels).
	Image []float64
	// Attribution holds the attributions, row-major, Height×Width values (the sum over
	// channels: a pixel's share of the total).
	Attribution []float64
	// Scale is the largest |Attribution|: the diverging scale's domain is [−Scale, Scale].
	Scale float64
}

// Right reports whether the prediction is the true class (false where the label is unknown).
func (o Overlay) Right() bool { return o.Label >= 0 && o.Label == o.Predicted }

// OverlayOptions say how to read the inputs as images.
type OverlayOptions struct {
	// Height and Width of the images. Zero: read from the inputs' shape: [N, H, W],
	// [N, H, W, C] or [N, C, H, W] (C = 1 or 3), or [N, D] with D a square (D = H·W, H = W).
	Height, Width int
	// ChannelsFirst reads a rank-4 input as [N, C, H, W]; by default [N, H, W, C].
	ChannelsFirst bool
	// Labels holds the true class of every example of the Result (optional).
	Labels []int
}

// layout returns height, width, channels and whether channels come first.
func (r *Result) layout(opts OverlayOptions) (h, w, c int, first bool, err error) {
	d := r.Size()
	dims := r.Shape[1:]
	switch {
	case opts.Height < 0 || opts.Width < 0:
		return 0, 0, 0, false, fmt.Errorf("saliency: OverlayOptions.Height and Width are %d and %d; want positive sizes, or 0 to read them from the inputs' shape", opts.Height, opts.Width)
	case opts.Height > 0 && opts.Width > 0:
		h, w = opts.Height, opts.Width
		if d%(h*w) != 0 || (d/(h*w) != 1 && d/(h*w) != 3) {
			return 0, 0, 0, false, fmt.Errorf("saliency: OverlayOptions.Height×Width = %d×%d does not fit inputs of %d values each; want 1 or 3 channels of Height×Width", h, w, d)
		}
		c = d / (h * w)
		if len(dims) == 3 && c == dims[0] && opts.ChannelsFirst {
			first = true
		}
		return h, w, c, first, nil
	case len(dims) == 1:
		s := int(math.Round(math.Sqrt(float64(d))))
		if s*s != d {
			return 0, 0, 0, false, fmt.Errorf("saliency: inputs of shape %v are not square images; set OverlayOptions.Height and Width", r.Shape)
		}
		return s, s, 1, false, nil
	case len(dims) == 2:
		return dims[0], dims[1], 1, false, nil
	case len(dims) == 3 && opts.ChannelsFirst && (dims[0] == 1 || dims[0] == 3):
		return dims[1], dims[2], dims[0], true, nil
	case len(dims) == 3 && !opts.ChannelsFirst && (dims[2] == 1 || dims[2] == 3):
		return dims[0], dims[1], dims[2], false, nil
	}
	return 0, 0, 0, false, fmt.Errorf("saliency: inputs of shape %v are not images; want [N, H, W], [N, H, W, C] or [N, C, H, W] (ChannelsFirst) with 1 or 3 channels, or [N, H·W] of a square image", r.Shape)
}

// Overlays lays out the attributions of the given examples (all when nil) as images over
// their inputs.
func (r *Result) Overlays(examples []int, opts OverlayOptions) ([]Overlay, error) {
	if r == nil || len(r.Shape) == 0 {
		return nil, fmt.Errorf("saliency: the Result is nil or empty")
	}
	if opts.Labels != nil && len(opts.Labels) != r.Len() {
		return nil, fmt.Errorf("saliency: OverlayOptions.Labels has %d values for %d examples; want one true class per example, or nil", len(opts.Labels), r.Len())
	}
	h, w, c, first, err := r.layout(opts)
	if err != nil {
		return nil, err
	}
	if examples == nil {
		examples = make([]int, r.Len())
		for i := range examples {
			examples[i] = i
		}
	}
	out := make([]Overlay, 0, len(examples))
	for k, i := range examples {
		if i < 0 || i >= r.Len() {
			return nil, fmt.Errorf("saliency: examples[%d] = %d; want 0..%d", k, i, r.Len()-1)
		}
		o := Overlay{Example: i, Label: -1, Predicted: r.Predicted[i], Target: r.Targets[i],
			Probability: r.Probabilities[i][r.Predicted[i]], Height: h, Width: w,
			Image: make([]float64, h*w), Attribution: make([]float64, h*w)}
		if opts.Labels != nil {
			o.Label = opts.Labels[i]
		}
		in, attr := r.Input(i), r.Example(i)
		for p := range h * w {
			for ch := range c {
				j := p*c + ch
				if first {
					j = ch*h*w + p
				}
				o.Image[p] += float64(in[j]) / float64(c)
				o.Attribution[p] += float64(attr[j])
			}
			o.Scale = max(o.Scale, math.Abs(o.Attribution[p]))
		}
		out = append(out, o)
	}
	return out, nil
}

// RightAndWrong picks two examples to compare: the right prediction and the wrong one
// made with the highest confidence (the predicted class's probability). ok is false when
// every prediction is right or every one is wrong.
func (r *Result) RightAndWrong(labels []int) (right, wrong int, ok bool, err error) {
	if r == nil || len(r.Shape) == 0 {
		return -1, -1, false, fmt.Errorf("saliency: the Result is nil or empty")
	}
	if len(labels) != r.Len() {
		return -1, -1, false, fmt.Errorf("saliency: labels has %d values for %d examples; want one true class per example", len(labels), r.Len())
	}
	right, wrong = -1, -1
	conf := func(i int) float64 { return r.Probabilities[i][r.Predicted[i]] }
	for i, l := range labels {
		if r.Predicted[i] == l {
			if right < 0 || conf(i) > conf(right) {
				right = i
			}
		} else if wrong < 0 || conf(i) > conf(wrong) {
			wrong = i
		}
	}
	return right, wrong, right >= 0 && wrong >= 0, nil
}
