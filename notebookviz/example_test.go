// SPDX-License-Identifier: Apache-2.0

package notebookviz_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/notebookviz"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// A histogram of any Go slice, shown: in a GoNB cell, Display sends it to the notebook;
// outside one, as here, it writes a self-contained HTML page (its path is printed on
// standard error).
func ExampleDisplay() {
	chart, err := charts.Histogram([]float64{1, 2, 2, 3, 3, 3, 4, 4}, charts.HistogramOptions{Bins: 3, Title: "values"})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "gonbviz-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := notebookviz.Display(chart, notebookviz.WithOutputDir(dir), notebookviz.WithName("values")); err != nil {
		fmt.Println(err)
		return
	}
	page, err := os.ReadFile(filepath.Join(dir, "values.html"))
	fmt.Println(err == nil && len(page) > 0)
	// Output:
	// true
}

// A TensorBoard log (here written with package tensorboard; PyTorch's and TensorFlow's
// read the same) drawn with gonbviz's charts: its scalars as curves, its histograms as
// histograms and distributions.
func ExampleReadTensorBoard() {
	dir, err := os.MkdirTemp("", "gonbviz-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	w, err := tensorboard.NewWriter(filepath.Join(dir, "lr=0.1"), tensorboard.WriterOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for step := int64(0); step < 100; step++ {
		_ = w.AddScalar("train/loss", step, 1/float64(step+1), time.Time{})
		if step%25 == 0 {
			h := tensorboard.Histogram{Min: -1, Max: 1, Num: 4, Sum: 0, SumSquares: 2,
				BucketLimit: []float64{0, 1}, Bucket: []float64{2, 2}}
			_ = w.AddHistogram("weights/dense/weights", step, h, time.Time{})
		}
	}
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}

	log, err := notebookviz.ReadTensorBoard(dir, notebookviz.TensorBoardOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	curves, err := charts.Curves(log.Curves(), charts.CurvesOptions{Title: "from TensorBoard"})
	if err != nil {
		fmt.Println(err)
		return
	}
	run := log.Run("lr=0.1")
	weights := run.SnapshotsOf(capture.KindWeights)
	hist, err := charts.Histograms(weights, charts.HistogramsOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	dist, err := charts.Distributions(weights, charts.DistributionsOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _, _ = curves, hist, dist // notebookviz.Display each in a notebook
	fmt.Println(run.Name, run.Curves[0].Name, len(run.Curves[0].Points), "points,", len(weights), "histograms of", weights[0].Name)
	// Output:
	// lr=0.1 train/loss 100 points, 4 histograms of /dense/weights
}
