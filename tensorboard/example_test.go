// SPDX-License-Identifier: Apache-2.0

package tensorboard_test

import (
	"fmt"
	"os"
	"time"

	"github.com/gonbviz/gonbviz/tensorboard"
)

// A training loop writes scalars, a histogram and a text into a run directory, which
// `tensorboard --logdir DIR` shows; Read loads them back, as it loads the logs of
// TensorBoard, TensorFlow, tensorboardX and PyTorch.
func Example() {
	dir, _ := os.MkdirTemp("", "tensorboard")
	defer os.RemoveAll(dir)

	w, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	start := time.Now()
	_ = w.AddText("config", 0, "| model | MLP 784-128-10 |\n|---|---|\n| lr | 0.01 |", start)
	for step := int64(1); step <= 4; step++ {
		_ = w.AddScalar("train/loss", step, 2/float64(step), start.Add(time.Duration(step)*time.Second))
	}
	// Four weights: -0.5 and -0.25 in (-1, 0], 0.25 and 0.75 in (0, 1].
	_ = w.AddHistogram("weights/dense/weights", 4, tensorboard.Histogram{
		Min: -0.5, Max: 0.75, Num: 4, Sum: 0.25, SumSquares: 0.9375,
		BucketLimit: []float64{0, 1}, Bucket: []float64{2, 2},
	}, time.Time{})
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}

	log, err := tensorboard.Read(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, run := range log.Runs {
		fmt.Printf("run %q\n", run.Name)
		for _, s := range run.Scalars {
			fmt.Print(s.Tag, ":")
			for _, p := range s.Points {
				fmt.Printf(" %d=%g", p.Step, p.Value)
			}
			fmt.Println()
		}
		for _, s := range run.Histograms {
			for _, p := range s.Points {
				fmt.Printf("%s at step %d: %g values, buckets %v\n", s.Tag, p.Step, p.Histogram.Num, p.Histogram.Buckets())
			}
		}
		for _, s := range run.Texts {
			fmt.Printf("%s: %q\n", s.Tag, s.Points[0].Text)
		}
	}
	// Output:
	// run "."
	// train/loss: 1=2 2=1 3=0.6666666865348816 4=0.5
	// weights/dense/weights at step 4: 4 values, buckets [{-0.5 0 2} {0 0.75 2}]
	// config: "| model | MLP 784-128-10 |\n|---|---|\n| lr | 0.01 |"
}
