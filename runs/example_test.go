// SPDX-License-Identifier: Apache-2.0

package runs_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

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

// Each GoNB cell is a new process: a later cell finds the run an earlier one recorded by
// its start time. Latest("") looks in the default root ($GONBVIZ_RUNS, else gonbviz-runs
// in the temporary directory), where a dashboard or capture given no RunDir records.
func ExampleLatest() {
	root, _ := os.MkdirTemp("", "runs")
	defer os.RemoveAll(root)
	t0 := time.Date(2026, 5, 4, 15, 30, 0, 0, time.UTC)
	for i, name := range []string{"lr=0.01", "lr=0.001"} {
		run, err := runs.Create(filepath.Join(root, name), runs.Meta{Name: name, StartTime: t0.Add(time.Duration(i) * time.Minute)})
		if err != nil {
			fmt.Println(err)
			return
		}
		run.Add("train/loss", 1, 0.5)
		defer run.Close() // both are still running when Latest looks
	}

	meta, err := runs.Latest(root)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(meta.Name, meta.Status, filepath.Base(meta.Dir))
	// Output:
	// lr=0.001 running lr=0.001
}

// Downsample keeps a long series' first and last points, its spike and its NaN, in at most
// 20 points, as a run's own views do.
func ExampleDownsample() {
	var pts []runs.Point
	for step := int64(1); step <= 10_000; step++ {
		v := 1 / float64(step)
		switch step {
		case 4321:
			v = 7 // a spike
		case 8000:
			v = math.NaN()
		}
		pts = append(pts, runs.Point{Step: step, Value: v})
	}
	kept := runs.Downsample(pts, 20)
	fmt.Println(len(kept) <= 20, kept[0].Step, kept[len(kept)-1].Step)
	for _, p := range kept {
		if p.Value == 7 || math.IsNaN(p.Value) {
			fmt.Println(p.Step, p.Value)
		}
	}
	// Output:
	// true 1 10000
	// 4321 7
	// 8000 NaN
}
