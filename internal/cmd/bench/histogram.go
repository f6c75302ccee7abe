// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/histo"
	"github.com/gonbviz/gonbviz/internal/histo/histofloor"
	"github.com/gonbviz/gonbviz/schedule"
)

// runHistogram times the host histogram kernel on n float32 values against the
// bandwidth floor (a parallel read and sum of the same memory, same goroutine count),
// interleaved in one run, and reports medians.
func runHistogram(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("histogram", flag.ContinueOnError)
	n := fs.Int("n", 10_000_000, "float32 values")
	bins := fs.Int("bins", 64, "bins")
	reps := fs.Int("reps", 15, "repetitions of each measurement (after one warm-up)")
	workers := fs.Int("workers", 0, "goroutines (0: GOMAXPROCS)")
	steps := fs.Int("steps", 3000, "timed training steps per variant and round (capture/none)")
	rounds := fs.Int("rounds", 3, "rounds of the training comparison (0: skip it)")
	backendName := backendFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *reps < 1 {
		return fmt.Errorf("-reps must be at least 1, got %d", *reps)
	}
	w := *workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	v := make([]float32, *n)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	var sink float64
	cases := []struct {
		name string
		fn   func() error
	}{
		{"floor (parallel read+sum)", func() error { sink += histofloor.Read(v, w); return nil }},
		{"scalar read+sum (the earlier floor)", func() error { sink += histofloor.ReadScalar(v, w); return nil }},
		{"kernel (min/max + binning)", func() error {
			_, err := histo.Compute(v, *bins, histo.Options{Workers: w})
			return err
		}},
		{"kernel, range given (1 pass)", func() error {
			_, err := histo.Compute(v, *bins, histo.Options{Lo: -6, Hi: 6, Workers: w})
			return err
		}},
		{"plain loop, 4 tables, range given", func() error { sink += float64(plainHistogram(v, *bins, -6, 6, w)[0]); return nil }},
	}
	for _, k := range []histo.Kernel{histo.KernelPairs, histo.KernelLanes, histo.KernelScalar} {
		cases = append(cases, struct {
			name string
			fn   func() error
		}{fmt.Sprintf("kernel %s, range given", k), func() error {
			_, err := histo.Compute(v, *bins, histo.Options{Lo: -6, Hi: 6, Workers: w, Kernel: k})
			return err
		}})
	}
	times := make([][]float64, len(cases))
	for _, c := range cases { // warm-up
		if err := c.fn(); err != nil {
			return err
		}
	}
	for r := 0; r < *reps; r++ { // interleaved, so drifts hit all cases alike
		for i, c := range cases {
			start := time.Now()
			if err := c.fn(); err != nil {
				return err
			}
			times[i] = append(times[i], float64(time.Since(start))/float64(time.Millisecond))
		}
	}
	med := make([]float64, len(cases))
	var rows [][]string
	for i, c := range cases {
		slices.Sort(times[i])
		med[i] = times[i][len(times[i])/2]
		gbs := float64(4**n) / (med[i] / 1000) / 1e9
		rows = append(rows, []string{c.name, fmt.Sprintf("%.2f", med[i]), fmt.Sprintf("%.2f", times[i][0]),
			fmt.Sprintf("%.1f", gbs), fmt.Sprintf("%.2f", med[i]/med[0])})
	}
	_ = sink
	fmt.Fprintf(out, "CPU: %s\n", cpuModel())
	fmt.Fprintf(out, "%d float32 values, %d bins, %d goroutines, median of %d runs (%d CPUs)\n", *n, *bins, w, *reps, runtime.NumCPU())
	table(out, []string{"case", "median ms", "min ms", "GB/s", "vs floor"}, rows)
	cal := histo.Calibrate(*bins)
	fmt.Fprintf(out, "calibration for %d bins (once per process and class of bins, took %.2f ms):", *bins, float64(histo.CalibrationTook(*bins).Microseconds())/1000)
	for _, c := range cal {
		fmt.Fprintf(out, " %s %.2f ns/value;", c.Kernel, c.NsPerElem)
	}
	fmt.Fprintf(out, " the kernel takes %s\n", cal[0].Kernel)
	last := fmt.Sprintf("histogram: kernel/floor=%.2f ranged/floor=%.2f ranged/plain=%.2f", med[2]/med[0], med[3]/med[0], med[3]/med[4])
	if *rounds > 0 {
		ratio, err := captureBench(out, *backendName, *steps, *rounds)
		if err != nil {
			return err
		}
		last += fmt.Sprintf(" capture/none=%.3f", ratio)
	}
	fmt.Fprintln(out, last)
	return nil
}

// captureBench measures training steps/s of the digits MLP (same seeds) on the named backend
// with nothing captured, and with weights, gradients and activations captured every 10 steps:
// with the summaries on the host, the default of both backends here, which the ratio is of,
// and in the graph, for reference. Variants
// alternate within each round; medians are reported.
func captureBench(out io.Writer, backendName string, steps, rounds int) (float64, error) {
	backend, label, err := newBackend(backendName)
	if err != nil {
		return 0, err
	}
	defer backend.Finalize()
	tmp, err := os.MkdirTemp("", "gonbviz-bench-capture-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	type variant struct {
		name      string
		summaries capture.Summaries
		capture   bool
	}
	variants := []variant{
		{"none", 0, false},
		{"capture every 10 steps (host)", capture.SummariesOnHost, true},
		{"capture every 10 steps (in-graph)", capture.SummariesOnDevice, true},
	}

	rates := make([][]float64, len(variants))
	snapshots := make([]int, len(variants))
	for r := 0; r < rounds; r++ {
		for i, v := range variants {
			cfg := demo.Config{}
			var c *capture.Capture
			if v.capture {
				every := schedule.EverySteps(10)
				c, err = capture.New(capture.Options{Weights: every, Gradients: every, Activations: every,
					Summaries: v.summaries, RunDir: filepath.Join(tmp, fmt.Sprintf("%d-%d", r, i))})
				if err != nil {
					return 0, err
				}
				cfg.Capture = c
			}
			s, err := demo.DigitsMLP(backend, cfg)
			if err != nil {
				return 0, err
			}
			if err := s.Train(50); err != nil { // compile and warm up
				return 0, err
			}
			t0 := time.Now()
			if err := s.Train(steps); err != nil {
				return 0, err
			}
			rates[i] = append(rates[i], float64(steps)/time.Since(t0).Seconds())
			if c != nil {
				if err := c.Close(); err != nil {
					return 0, err
				}
				snapshots[i] = len(c.Snapshots(""))
			}
			s.Finalize()
		}
	}
	var rows [][]string
	med := make([]float64, len(variants))
	for i, v := range variants {
		row := []string{v.name}
		for _, x := range rates[i] {
			row = append(row, fmt.Sprintf("%.0f", x))
		}
		slices.Sort(rates[i])
		med[i] = rates[i][len(rates[i])/2]
		row = append(row, fmt.Sprintf("%.0f", med[i]), fmt.Sprintf("%.3f", med[i]/rates[0][len(rates[0])/2]), fmt.Sprint(snapshots[i]))
		rows = append(rows, row)
	}
	header := []string{"variant"}
	for r := 0; r < rounds; r++ {
		header = append(header, fmt.Sprintf("round %d", r+1))
	}
	header = append(header, "median", "vs none", "snapshots")
	fmt.Fprintf(out, "\ndigits MLP (64-128-64-10, batch 64, Adam), %s, steps/s over %d steps per round\n", label, steps)
	table(out, header, rows)
	return med[1] / med[0], nil
}

// plainHistogram is the reference every kernel must beat: the loop anyone would write, four
// count tables (so that runs of one bin do not wait on each other's increments), one
// goroutine per contiguous part, range given; values outside it, NaN and ±Inf are skipped.
func plainHistogram(v []float32, bins int, lo, hi float64, workers int) []int64 {
	parts := make([][]int64, workers)
	var wg sync.WaitGroup
	per := (len(v) + workers - 1) / workers
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			chunk := v[min(w*per, len(v)):min((w+1)*per, len(v))]
			var t [4][]int64
			for k := range t {
				t[k] = make([]int64, bins)
			}
			scale := float64(bins) / (hi - lo)
			last := bins - 1
			for i, x := range chunk {
				f := float64(x)
				if f >= lo && f <= hi {
					t[i&3][min(int((f-lo)*scale), last)]++
				}
			}
			for j := range bins {
				t[0][j] += t[1][j] + t[2][j] + t[3][j]
			}
			parts[w] = t[0]
		}()
	}
	wg.Wait()
	for _, p := range parts[1:] {
		for j := range p {
			parts[0][j] += p[j]
		}
	}
	return parts[0]
}
