// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ui/gonb/plotly"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/notebookviz"
)

// runDashboard measures training steps/s of the digits MLP (-backend go|xla-cpu, same seeds) with
// nothing attached, with the gonbviz dashboard attached (recording every step, redrawing
// once a second to an HTML file, static SVG included: the whole cost), and with GoMLX's
// ui/gonb/plotly attached the same way. Variants alternate within each round, so drift on a
// noisy machine hits them alike; the median round is reported.
func runDashboard(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("dashboard", flag.ContinueOnError)
	steps := fs.Int("steps", 10000, "timed steps per variant and round (a 12 s run on 2 cores)")
	rounds := fs.Int("rounds", 3, "rounds")
	backendName := backendFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	backend, label, err := newBackend(*backendName)
	if err != nil {
		return err
	}
	defer backend.Finalize()
	tmp, err := os.MkdirTemp("", "gonbviz-bench-dashboard-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	type variant struct {
		name   string
		attach func(s *demo.Setup, round int) (done func() error, err error)
	}
	variants := []variant{
		{"without", func(*demo.Setup, int) (func() error, error) { return func() error { return nil }, nil }},
		{"with", func(s *demo.Setup, round int) (func() error, error) {
			d, err := notebookviz.AttachDashboard(s.Loop, notebookviz.DashboardOptions{
				RunDir:         filepath.Join(tmp, fmt.Sprintf("run-%d", round)),
				DisplayOptions: []notebookviz.Option{notebookviz.WithOutputDir(tmp)},
			})
			if err != nil {
				return nil, err
			}
			return d.Close, nil
		}},
		{"plotly", func(s *demo.Setup, round int) (func() error, error) {
			// GoMLX's own notebook plots, attached the same way (train metrics only). Outside
			// GoNB it collects points but draws nothing.
			plotly.New().Dynamic().ScheduleNTimes(s.Loop, 100)
			return func() error { return nil }, nil
		}},
	}
	rates := map[string][]float64{}
	ends := map[string][]float64{}
	for r := 0; r < *rounds; r++ {
		for _, v := range variants {
			s, err := demo.DigitsMLP(backend, demo.Config{})
			if err != nil {
				return err
			}
			// Compile and warm up before anything is attached or timed.
			if err := s.Train(50); err != nil {
				return err
			}
			done, err := v.attach(s, r)
			if err != nil {
				return err
			}
			// Steps/s is measured to the end of the last step; what the end-of-run hooks
			// take after it (the dashboard's final static SVG) is reported apart.
			var lastStep time.Time
			s.Loop.OnStep("bench-clock", 1000, func(*train.Loop, []*tensors.Tensor) error {
				lastStep = time.Now()
				return nil
			})
			t0 := time.Now()
			if err := s.Train(*steps); err != nil {
				return err
			}
			end := time.Now()
			if err := done(); err != nil {
				return err
			}
			s.Finalize()
			rates[v.name] = append(rates[v.name], float64(*steps)/lastStep.Sub(t0).Seconds())
			ends[v.name] = append(ends[v.name], end.Sub(lastStep).Seconds())
		}
	}
	median := func(xs []float64) float64 {
		s := append([]float64(nil), xs...)
		sort.Float64s(s)
		return s[len(s)/2]
	}
	var rows [][]string
	for _, v := range variants {
		row := []string{v.name}
		for _, x := range rates[v.name] {
			row = append(row, fmt.Sprintf("%.0f", x))
		}
		row = append(row, fmt.Sprintf("%.0f", median(rates[v.name])), fmt.Sprintf("%.2f", median(ends[v.name])))
		rows = append(rows, row)
	}
	header := []string{"variant"}
	for r := 0; r < *rounds; r++ {
		header = append(header, fmt.Sprintf("round %d", r+1))
	}
	header = append(header, "median", "end of run (s)")
	fmt.Fprintf(out, "digits MLP (64-128-64-10, batch 64, Adam), %s, steps/s over %d steps per round\n", label, *steps)
	fmt.Fprintln(out, "(steps/s to the end of the last step; \"end of run\": seconds the end hooks take after it)")
	table(out, header, rows)
	without := median(rates["without"])
	fmt.Fprintf(out, "dashboard: with/without=%.3f plotly/without=%.3f\n", median(rates["with"])/without, median(rates["plotly"])/without)
	return nil
}
