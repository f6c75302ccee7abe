// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"log"
	"os"

	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/saliency"
)

// explainDigits computes the integrated gradients (16 steps from a black image) of a
// nearest-centroid classifier written as a GoMLX model, logit_k = −|x − c_k|², for the
// digits of digitsClassified, on the pure Go backend. A trained network's model function
// works the same (demo.Setup.ModelGraph, demo.CNN().Fn).
func explainDigits() (*saliency.Result, []int) {
	d := digitsClassified()
	centroids := make([][]float32, len(d.centroids))
	for k, c := range d.centroids {
		for _, row := range c {
			for _, v := range row {
				centroids[k] = append(centroids[k], float32(v))
			}
		}
	}
	classifier := func(scope *model.Scope, x *graph.Node) *graph.Node {
		n := x.Shape().Dimensions[0]
		flat := graph.InsertAxes(graph.Reshape(x, n, 64), 1)                   // [n, 1, 64]
		c := graph.InsertAxes(graph.Const(x.Graph(), centroids), 0)            // [1, 10, 64]
		return graph.Neg(graph.ReduceSum(graph.Square(graph.Sub(flat, c)), 2)) // [n, 10]
	}
	backend, err := gobackend.New("")
	if err != nil {
		log.Fatal(err)
	}
	defer backend.Finalize()
	inputs := tensors.FromFlatDataAndDimensions(d.flat, len(d.labels), 8, 8)
	result, err := saliency.Compute(backend, model.NewStore(), classifier, inputs, saliency.Options{
		Method: saliency.IntegratedGradients,
		Output: saliency.Probability, // of the class predicted
		Steps:  16,
	})
	if err != nil {
		log.Fatal(err)
	}
	return result, d.labels
}

// Integrated gradients over the digits they explain: red pixels raised the probability
// of the class predicted, blue ones lowered it, the digit in gray beneath. Each caption
// says the index and that probability, true→predicted class (red where wrong), and how
// close the attributions add up to f(x) − f(black).
func ExampleAttributions() {
	result, labels := explainDigits() // saliency.Compute on a classifier (see above)
	chart, err := charts.Attributions(result, charts.AttributionsOptions{
		Title:    "what the classifier looked at",
		Examples: []int{0, 1, 2, 3, 4, 5, 6, 7},
		Labels:   labels,
	})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("attributions.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// A right and a wrong prediction side by side: the right one made with the highest
// confidence and the wrong one made with the highest confidence, on one scale.
func ExampleAttributions_rightAndWrong() {
	result, labels := explainDigits()
	chart, err := charts.Attributions(result, charts.AttributionsOptions{
		RightAndWrong: true,
		Labels:        labels,
		ImageSize:     128,
	})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("attributions-right-wrong.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}
