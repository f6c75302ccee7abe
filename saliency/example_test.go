// SPDX-License-Identifier: Apache-2.0

package saliency_test

import (
	"fmt"

	"github.com/gomlx/compute/gobackend"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/saliency"
)

// Integrated gradients of the demo MLP's predictions for four digits: which pixels pushed
// the predicted class's logit up from a black image, with the completeness check (the
// attributions add up to f(x) − f(black)).
func Example() {
	backend, err := gobackend.New("")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer backend.Finalize()
	s, err := demo.DigitsMLP(backend, demo.Config{LearningRate: 0.003})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Finalize()
	if err := s.Train(300); err != nil {
		fmt.Println(err)
		return
	}
	pixels, labels, err := s.Examples("test")
	if err != nil {
		fmt.Println(err)
		return
	}

	res, err := saliency.Compute(backend, s.Store, s.ModelGraph, pixels, saliency.Options{
		Method: saliency.IntegratedGradients, // from zeros (a black image), 64 steps
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	worst, _ := res.MaxRelError()
	fmt.Printf("%s, %d steps, %d images: completeness within 1%%: %v\n", res.Method.Title(), res.Steps, res.Len(), worst < 0.01)
	for i := range 4 {
		// The pixel that raised the predicted logit most, as (row, column) of the 8x8 image.
		attr, top := res.Example(i), 0
		for j, a := range attr {
			if a > attr[top] {
				top = j
			}
		}
		fmt.Printf("digit %d, predicted %d: strongest pixel (%d, %d)\n", labels[i], res.Predicted[i], top/8, top%8)
	}
	// Output:
	// integrated gradients, 64 steps, 179 images: completeness within 1%: true
	// digit 6, predicted 6: strongest pixel (5, 5)
	// digit 1, predicted 1: strongest pixel (2, 4)
	// digit 8, predicted 8: strongest pixel (4, 3)
	// digit 4, predicted 4: strongest pixel (5, 4)
}
