// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"log"
	"os"

	"github.com/gonbviz/gonbviz/charts"
)

// Handwritten digits with their true class, the class a classifier predicted and its
// probability: wrong predictions are captioned in red ("5→9"), hovering an image shows
// the same. The images come as [][][]float64 here (N×8×8); a GoMLX tensor [N, H, W, C] or
// [N, C, H, W] works the same.
func ExampleImageGrid() {
	d := digitsClassified() // the digits and a classifier's outputs (see images_data_test.go)
	n := 40
	scores := make([]float64, n)
	for i := range scores {
		scores[i] = d.scores[i][d.predictions[i]] // the probability of the class predicted
	}
	chart, err := charts.ImageGrid(d.images[:n], charts.ImageGridOptions{
		Title:       "test digits",
		Labels:      d.labels[:n],
		Predictions: d.predictions[:n],
		Scores:      scores,
		Columns:     10,
	})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("image-grid.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// One-channel maps through the viridis colormap: the mean image of each digit (what a
// nearest-centroid classifier compares each image with), on one scale.
func ExampleImageGrid_viridis() {
	d := digitsClassified()
	classes := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	chart, err := charts.ImageGrid(d.centroids, charts.ImageGridOptions{
		Title:      "mean image of each digit",
		Colormap:   charts.ColormapViridis,
		Labels:     classes,
		ClassNames: []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"},
		Names:      []string{"mean", "mean", "mean", "mean", "mean", "mean", "mean", "mean", "mean", "mean"},
	})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("image-grid-viridis.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// Signed maps over the images, with the diverging colormap: for the digits a
// nearest-centroid classifier got wrong, each pixel's share of the margin by which it
// preferred the class it predicted over the true one, (x−c_true)² − (x−c_pred)²: red
// pixels pushed it to its mistake, blue ones held it back. (These shares add up to the
// margin exactly; for a neural network, integrated gradients give such maps.)
func ExampleImageGrid_overlay() {
	d := digitsClassified()
	var images, margins [][][]float64
	var labels, predictions, indices []int
	for i := range d.labels {
		t, p := d.labels[i], d.predictions[i]
		if t == p || len(images) == 12 {
			continue
		}
		m := make([][]float64, 8)
		for y := range m {
			m[y] = make([]float64, 8)
			for x := range m[y] {
				v := d.images[i][y][x]
				dt, dp := v-d.centroids[t][y][x], v-d.centroids[p][y][x]
				m[y][x] = dt*dt - dp*dp
			}
		}
		images, margins = append(images, d.images[i]), append(margins, m)
		labels, predictions, indices = append(labels, t), append(predictions, p), append(indices, i)
	}
	chart, err := charts.ImageGrid(images, charts.ImageGridOptions{
		Title:       "why these digits were misread",
		Overlay:     margins, // ColormapDiverging by default
		Labels:      labels,
		Predictions: predictions,
		Indices:     indices,
		Columns:     6,
	})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("image-grid-overlay.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The mistakes the classifier is surest of: its wrong predictions with the highest
// probability for the class it predicted, as images captioned with their index,
// true→predicted class and that probability.
func ExampleMostConfidentlyWrong() {
	d := digitsClassified() // labels, softmax probabilities and the 8x8 images
	chart, err := charts.MostConfidentlyWrong(d.labels, d.scores, d.images, charts.MostConfidentlyWrongOptions{Count: 16, Columns: 8})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("most-confidently-wrong.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// A confusion matrix whose examples are images: clicking a cell shows its examples beside
// the matrix, most confident first (the static picture shows the matrix and the hint).
func ExampleConfusionMatrix_images() {
	d := digitsClassified()
	chart, err := charts.ConfusionMatrix(d.labels, d.scores, charts.ConfusionMatrixOptions{
		Images:          d.images, // one per label: a tensor [N, H, W, C] works the same
		ExamplesPerCell: 8,
	})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("confusion-matrix-images.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}
