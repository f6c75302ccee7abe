// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"

	"github.com/gonbviz/gonbviz/internal/histo"
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
		{"floor (parallel read+sum)", func() error { sink += histo.ReadFloor(v, w); return nil }},
		{"kernel (min/max + binning)", func() error {
			_, err := histo.Compute(v, *bins, histo.Options{Workers: w})
			return err
		}},
		{"kernel, range given (1 pass)", func() error {
			_, err := histo.Compute(v, *bins, histo.Options{Lo: -6, Hi: 6, Workers: w})
			return err
		}},
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
	fmt.Fprintf(out, "%d float32 values, %d bins, %d goroutines, median of %d runs (%d CPUs)\n", *n, *bins, w, *reps, runtime.NumCPU())
	table(out, []string{"case", "median ms", "min ms", "GB/s", "vs floor"}, rows)
	fmt.Fprintf(out, "histogram: kernel/floor=%.2f ranged/floor=%.2f\n", med[1]/med[0], med[2]/med[0])
	return nil
}
