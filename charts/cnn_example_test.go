// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"log"
	"os"

	"github.com/gonbviz/gonbviz/charts"
)

// edgeKernel is a convolution kernel [KH, KW, In, Out] = [3, 3, 1, 4] of four hand-made
// filters, as layers.Convolution lays out its weights: vertical edges, horizontal edges
// (Sobel), a diagonal, and a centre-surround (Laplacian).
func edgeKernel() [][][][]float64 {
	filters := [4][3][3]float64{
		{{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}},
		{{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}},
		{{0, 1, 2}, {-1, 0, 1}, {-2, -1, 0}},
		{{0, -1, 0}, {-1, 4, -1}, {0, -1, 0}},
	}
	k := make([][][][]float64, 3)
	for y := range k {
		k[y] = make([][][]float64, 3)
		for x := range k[y] {
			k[y][x] = [][]float64{make([]float64, 4)}
			for o := range 4 {
				k[y][x][0][o] = filters[o][y][x]
			}
		}
	}
	return k
}

// The filters of a convolution: one map per filter (and input channel), weights on the
// diverging colormap, zero white. In a notebook the kernel is a variable of the model,
// such as "/cnn/conv1/conv/weights" of demo.CNNGraph (store.IterVariables).
func ExampleConvFilters() {
	chart, err := charts.ConvFilters(edgeKernel(), charts.ConvFiltersOptions{Title: "edge filters"})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("conv-filters.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The feature maps of a convolutional layer for one input: the four edge filters above
// convolved with a digit (same padding) and passed through a relu, one map per channel
// beside the digit. In a notebook capture.Activations returns a layer's activation for
// an input, from the model's capture.Activation marks.
func ExampleFeatureMaps() {
	img := digitsClassified().images[0] // an 8x8 digit, values in 0..1
	k := edgeKernel()
	act := make([][][]float64, 8) // [H, W, C]
	for y := range act {
		act[y] = make([][]float64, 8)
		for x := range act[y] {
			act[y][x] = make([]float64, 4)
			for o := range 4 {
				sum := 0.0
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						if yy, xx := y+dy, x+dx; yy >= 0 && yy < 8 && xx >= 0 && xx < 8 {
							sum += img[yy][xx] * k[dy+1][dx+1][0][o]
						}
					}
				}
				act[y][x][o] = max(0, sum) // relu
			}
		}
	}
	chart, err := charts.FeatureMaps(act, charts.FeatureMapsOptions{
		Title: "edge maps of a digit",
		Layer: "edges (3×3 conv, relu)",
		Input: img,
	})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("feature-maps.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}
