// SPDX-License-Identifier: Apache-2.0

package main

import (
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/notebookviz"
	"github.com/gonbviz/gonbviz/tensorboard"
)

//go:embed tensorboard_loader.py
var tensorBoardLoaderScript []byte

// runTensorBoard writes one event file of -scalars scalar events (over 10 tags) and
// -histograms histograms (30 buckets, as TensorBoard's), reads it with tensorboard.Read and
// with TensorBoard's own loaders in the test venv (EventFileLoader, which parses every
// event, and the EventAccumulator), and times the dashboard's TensorBoard writing inside a
// training loop (the dashboard with TensorBoard on vs off, steps/s). The median of the
// rounds is reported.
func runTensorBoard(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("tensorboard", flag.ContinueOnError)
	nScalars := fs.Int("scalars", 1_000_000, "scalar events in the file")
	nHistos := fs.Int("histograms", 1_000, "histogram events in the file")
	rounds := fs.Int("rounds", 3, "rounds of our reader and of training")
	tbRounds := fs.Int("tb-rounds", 1, "rounds of TensorBoard's loaders (minutes each without TensorFlow)")
	steps := fs.Int("steps", 5000, "timed training steps per variant and round (0: no training part)")
	backendName := backendFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "gonbviz-bench-tensorboard-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintf(out, "CPU: %s, %d cores (GOMAXPROCS %d)\n", cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0))

	// The file.
	const tags = 10
	w, err := tensorboard.NewWriter(tmp, tensorboard.WriterOptions{})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(15, 15))
	h := tensorboard.Histogram{BucketLimit: make([]float64, 30), Bucket: make([]float64, 30)}
	wall := time.Unix(1_700_000_000, 0)
	histEvery := max(1, *nScalars/max(1, *nHistos))
	t0 := time.Now()
	written := 0
	for i := 0; i < *nScalars; i++ {
		step := int64(i / tags)
		if err := w.AddScalar(fmt.Sprintf("train/metric_%d", i%tags), step, math.Exp(-float64(step)/1e4)+0.01*rng.NormFloat64(), wall); err != nil {
			return err
		}
		if i%histEvery == 0 && written < *nHistos {
			h.Min, h.Max, h.Num, h.Sum, h.SumSquares = -3, 3, 1000, rng.NormFloat64(), 1000
			for k := range h.Bucket {
				h.BucketLimit[k] = -3 + 6*float64(k+1)/30
				h.Bucket[k] = math.Round(1000 * math.Exp(-math.Pow(h.BucketLimit[k], 2)/2) / 12.5)
			}
			if err := w.AddHistogram("weights/dense/weights", step, h, wall); err != nil {
				return err
			}
			written++
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	writeTime := time.Since(t0)
	fi, err := os.Stat(w.Path())
	if err != nil {
		return err
	}
	events := *nScalars + written
	fmt.Fprintf(out, "event file: %d scalar events (%d tags), %d histograms (30 buckets), %.1f MB, written in %.2f s (%.0f ns/event, one goroutine)\n",
		*nScalars, tags, written, float64(fi.Size())/1e6, writeTime.Seconds(), float64(writeTime.Nanoseconds())/float64(events))

	// Our reader: the default (bounded: 2000 points per scalar series), and everything kept.
	// CPU time of the process (all threads, the GC's included), and wall time.
	ours := map[string][]float64{}
	oursWall := map[string][]float64{}
	for r := 0; r < *rounds; r++ {
		for _, v := range []struct {
			name string
			opts tensorboard.ReadOptions
		}{{"ours", tensorboard.ReadOptions{}}, {"ours (every point kept)", tensorboard.ReadOptions{MaxPoints: -1, MaxHistograms: -1}}} {
			runtime.GC()
			c0, t0 := cpuTime(), time.Now()
			log, err := tensorboard.ReadWith(w.Path(), v.opts)
			if err != nil {
				return err
			}
			wall := time.Since(t0).Seconds()
			cpu := (cpuTime() - c0).Seconds()
			if cpu == 0 {
				cpu = wall
			}
			ours[v.name] = append(ours[v.name], cpu)
			oursWall[v.name] = append(oursWall[v.name], wall)
			if n := len(log.Runs[0].Scalars); n != tags || len(log.Runs[0].Histograms) != 1 {
				return fmt.Errorf("read %d scalar series and %d histogram series, want %d and 1", n, len(log.Runs[0].Histograms), tags)
			}
		}
	}

	median := func(xs []float64) float64 {
		s := []float64{}
		for _, x := range xs {
			if !math.IsNaN(x) {
				s = append(s, x)
			}
		}
		sort.Float64s(s)
		return s[len(s)/2]
	}

	// TensorBoard's loaders, in the test venv.
	python, err := lookupVenvPython()
	if err != nil {
		return err
	}
	script := filepath.Join(tmp, "tensorboard_loader.py")
	if err := os.WriteFile(script, tensorBoardLoaderScript, 0o644); err != nil {
		return err
	}
	cmd := exec.Command(python, script, w.Path(), fmt.Sprint(*tbRounds))
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("TensorBoard's loader: %w", err)
	}
	var tb struct {
		Loader, Accumulator []float64
		LoaderWall          []float64 `json:"loader_wall"`
		AccumulatorWall     []float64 `json:"accumulator_wall"`
		Events, Values      int
	}
	if err := json.Unmarshal(raw, &tb); err != nil {
		return fmt.Errorf("TensorBoard's loader printed %q: %w", raw, err)
	}
	if tb.Events != events+1 { // + the file_version event
		return fmt.Errorf("TensorBoard's loader read %d events, the file holds %d", tb.Events, events+1)
	}
	var rows [][]string
	row := func(name string, cpu, wall []float64) {
		r := []string{name}
		for _, x := range cpu {
			r = append(r, fmt.Sprintf("%.2f", x))
		}
		rows = append(rows, append(r, fmt.Sprintf("%.2f", median(cpu)), fmt.Sprintf("%.2f", median(wall)),
			fmt.Sprintf("%.0f", float64(events)/median(cpu)/1e3)))
	}
	row("ours: tensorboard.Read", ours["ours"], oursWall["ours"])
	row("ours: every point kept", ours["ours (every point kept)"], oursWall["ours (every point kept)"])
	pad := func(xs []float64) []float64 { // TensorBoard's rounds may be fewer
		for len(xs) < *rounds {
			xs = append(xs, math.NaN())
		}
		return xs
	}
	row("TensorBoard EventFileLoader", pad(tb.Loader), tb.LoaderWall)
	row("TensorBoard EventAccumulator", pad(tb.Accumulator), tb.AccumulatorWall)
	header := []string{"reader (CPU s)"}
	for r := 0; r < *rounds; r++ {
		header = append(header, fmt.Sprintf("round %d", r+1))
	}
	header = append(header, "median", "median wall s", "k events/CPU s")
	fmt.Fprintln(out, "CPU seconds of the reading process (all threads); TensorBoard runs without TensorFlow, as pip tensorboard installs it")
	table(out, header, rows)

	// The write cost inside a training loop.
	ratio := math.NaN()
	if *steps > 0 {
		if ratio, err = tensorBoardTraining(out, *backendName, *steps, *rounds, tmp); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "tensorboard: ours/tb_loader=%.3f ours/tb_accumulator=%.3f write with/without=%.3f\n",
		median(ours["ours"])/median(tb.Loader), median(ours["ours"])/median(tb.Accumulator), ratio)
	return nil
}

// tensorBoardTraining measures training steps/s of the digits MLP with the dashboard
// attached, TensorBoard writing on and off (variants alternate within each round), and
// returns the ratio of the medians.
func tensorBoardTraining(out io.Writer, backendName string, steps, rounds int, tmp string) (float64, error) {
	backend, label, err := newBackend(backendName)
	if err != nil {
		return 0, err
	}
	defer backend.Finalize()
	rates := map[string][]float64{}
	names := []string{"without", "with"}
	for r := 0; r < rounds; r++ {
		for _, name := range names {
			s, err := demo.DigitsMLP(backend, demo.Config{})
			if err != nil {
				return 0, err
			}
			if err := s.Train(50); err != nil {
				return 0, err
			}
			d, err := notebookviz.AttachDashboard(s.Loop, notebookviz.DashboardOptions{
				RunDir: filepath.Join(tmp, fmt.Sprintf("run-%s-%d", name, r)), NoDisplay: true, TensorBoard: name == "with",
			})
			if err != nil {
				return 0, err
			}
			var lastStep time.Time
			s.Loop.OnStep("bench-clock", 1000, func(*train.Loop, []*tensors.Tensor) error {
				lastStep = time.Now()
				return nil
			})
			t0 := time.Now()
			if err := s.Train(steps); err != nil {
				return 0, err
			}
			if err := d.Close(); err != nil {
				return 0, err
			}
			s.Finalize()
			rates[name] = append(rates[name], float64(steps)/lastStep.Sub(t0).Seconds())
		}
	}
	median := func(xs []float64) float64 {
		s := append([]float64(nil), xs...)
		sort.Float64s(s)
		return s[len(s)/2]
	}
	var rows [][]string
	for _, name := range names {
		r := []string{"dashboard, TensorBoard " + map[string]string{"with": "on", "without": "off"}[name]}
		for _, x := range rates[name] {
			r = append(r, fmt.Sprintf("%.0f", x))
		}
		rows = append(rows, append(r, fmt.Sprintf("%.0f", median(rates[name]))))
	}
	header := []string{"training steps/s"}
	for r := 0; r < rounds; r++ {
		header = append(header, fmt.Sprintf("round %d", r+1))
	}
	fmt.Fprintf(out, "digits MLP (64-128-64-10, batch 64, Adam), %s, %d steps per round; the dashboard records every step, TensorBoard on writes each scalar again as an event\n", label, steps)
	table(out, append(header, "median"), rows)
	return median(rates["with"]) / median(rates["without"]), nil
}

// lookupVenvPython is the test venv's python (.venv at the repository root), which has
// TensorBoard (scripts/setup-jupyter.sh).
func lookupVenvPython() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for root := dir; ; root = filepath.Dir(root) {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			python := filepath.Join(root, ".venv", "bin", "python")
			if _, err := os.Stat(python); err != nil {
				return "", fmt.Errorf("TensorBoard for the bench is missing (%s): run bash scripts/setup-jupyter.sh", python)
			}
			return python, nil
		}
		if filepath.Dir(root) == root {
			return "", fmt.Errorf("run the bench inside the gonbviz repository (no go.mod above %s)", dir)
		}
	}
}
