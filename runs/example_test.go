// SPDX-License-Identifier: Apache-2.0

package runs_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/gonbviz/gonbviz/runs"
)

// A training loop writes a run; a dashboard (here, or in another process
// later) reads it back as bounded chart views.
func Example() {
	root, _ := os.MkdirTemp("", "runs")
	defer os.RemoveAll(root)

	run, err := runs.Create(filepath.Join(root, "lr=0.01"), runs.Meta{
		Name:            "lr=0.01",
		Model:           "MLP 784-512-10",
		Hyperparameters: map[string]any{"lr": 0.01, "batch": 256},
		Backend:         "go",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for step := int64(0); step < 100_000; step++ {
		loss := 2 / math.Sqrt(float64(step+1))
		if step == 50_000 {
			loss = math.NaN() // drawn as a gap, never lost by downsampling
		}
		run.Add("train/loss", step, loss, runs.Epoch(float64(step)/10_000))
		if step%10_000 == 9_999 {
			run.Add("eval/validation/accuracy", step, 0.9+float64(step)/1e6)
		}
	}
	if err := run.Close(); err != nil {
		fmt.Println(err)
		return
	}

	metas, _ := runs.List(root)
	r, err := runs.Open(metas[0].Dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.SeriesList() {
		pts := r.Series(s.Name)
		st, _ := r.Stats(s.Name)
		nan := 0
		for _, p := range pts {
			if math.IsNaN(p.Value) {
				nan++
			}
		}
		fmt.Printf("%s (kind %s, split %s): %d points stored, %d in the view (%d NaN), steps %d..%d, last %.4f\n",
			s.Name, s.Kind, s.Split, st.Count, len(pts), nan, pts[0].Step, pts[len(pts)-1].Step, st.Last.Value)
	}
	fmt.Println(r.Meta().Status)
	// Output:
	// train/loss (kind loss, split train): 100000 points stored, 997 in the view (1 NaN), steps 0..99999, last 0.0063
	// eval/validation/accuracy (kind accuracy, split eval:validation): 10 points stored, 10 in the view (0 NaN), steps 9999..99999, last 1.0000
	// finished
}
