// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/runs"
)

// The examples below that write a chart's spec (NAME.vl.json, in the current directory)
// are the gallery: TestExamplesAreGolden runs each and compares what it wrote with
// testdata/NAME.vl.json, and docs/gallery shows their pictures as charts-NAME.png.

// Training curves of one run: a chart per kind (loss, accuracy) side by side, the
// training and evaluation splits in each, smoothed, with the best value so far marked.
// The NaN loss at step 120 is drawn as a gap and named in the subtitle.
func ExampleCurves() {
	rng := rand.New(rand.NewPCG(1, 2))
	var loss, valLoss, accuracy []charts.CurvePoint
	for step := int64(0); step <= 300; step += 10 {
		p := charts.CurvePoint{Step: step, Wall: float64(step) / 50, Epoch: float64(step) / 100}
		left := math.Exp(-float64(step) / 100) // what is left to learn
		p.Value = (0.1 + 2.2*left) * (1 + 0.05*rng.NormFloat64())
		if step == 120 {
			p.Value = math.NaN() // a bad batch
		}
		loss = append(loss, p)
		p.Value = 1 - 0.9*left - 0.01*rng.Float64()
		accuracy = append(accuracy, p)
		if step%50 == 0 {
			p.Value = 0.2 + 2.2*left
			valLoss = append(valLoss, p)
		}
	}
	chart, err := charts.Curves([]charts.Curve{
		{Name: "train/loss", Kind: "loss", Split: "train", Points: loss},
		{Name: "eval/validation/loss", Kind: "loss", Split: "eval:validation", Points: valLoss},
		{Name: "train/accuracy", Kind: "accuracy", Split: "train", Points: accuracy},
	}, charts.CurvesOptions{Title: "digits MLP", Subtitle: "step 300/300"})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render curves.vl.json -o curves.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("curves.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// A learning-rate sweep in one chart: each curve names its run (Curve.Run), each run has
// its colour, and the legend selects runs. The run with the largest rate stopped on a NaN
// loss at step 200: drawn as a gap and named in the subtitle.
func ExampleCurves_runs() {
	rng := rand.New(rand.NewPCG(1, 2))
	var curves []charts.Curve
	for _, lr := range []float64{0.003, 0.01, 0.03} {
		var loss, accuracy []charts.CurvePoint
		for step := int64(0); step <= 300; step += 10 {
			p := charts.CurvePoint{Step: step, Wall: float64(step) / 50}
			left := math.Exp(-lr * float64(step))
			p.Value = (0.1 + 2.2*left) * (1 + 0.05*rng.NormFloat64())
			if lr == 0.03 && step == 200 {
				p.Value = math.NaN() // the loss overflowed: training stops here
				loss = append(loss, p)
				break
			}
			loss = append(loss, p)
			p.Value = 1 - 0.9*left - 0.01*rng.Float64()
			accuracy = append(accuracy, p)
		}
		run := fmt.Sprintf("lr=%g", lr)
		curves = append(curves,
			charts.Curve{Run: run, Name: "train/loss", Kind: "loss", Split: "train", Points: loss},
			charts.Curve{Run: run, Name: "train/accuracy", Kind: "accuracy", Split: "train", Points: accuracy})
	}
	chart, err := charts.Curves(curves, charts.CurvesOptions{Title: "learning rates"})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render curves-runs.vl.json -o curves-runs.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("curves-runs.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// Training curves drawn for a picture (a report, a README): Static draws the chart as it
// first appears, with the default smoothing and without the invisible hover points, so it
// is smaller and renders faster. The chart stays a valid interactive spec.
func ExampleCurves_static() {
	rng := rand.New(rand.NewPCG(3, 4))
	var loss, valLoss, accuracy, valAccuracy []charts.CurvePoint
	for step := int64(0); step <= 2000; step += 20 {
		p := charts.CurvePoint{Step: step, Wall: float64(step) / 40, Epoch: float64(step) / 400}
		left := math.Exp(-float64(step) / 500)
		p.Value = (0.2 + 2.1*left) * (1 + 0.05*rng.NormFloat64())
		loss = append(loss, p)
		p.Value = 0.97 - 0.87*left - 0.02*rng.Float64()
		accuracy = append(accuracy, p)
		if step%200 == 0 {
			p.Value = 0.3 + 2.1*left
			valLoss = append(valLoss, p)
			p.Value = 0.95 - 0.85*left
			valAccuracy = append(valAccuracy, p)
		}
	}
	chart, err := charts.Curves([]charts.Curve{
		{Name: "train/loss", Kind: "loss", Split: "train", Points: loss},
		{Name: "eval/test/loss", Kind: "loss", Split: "eval:test", Points: valLoss},
		{Name: "train/accuracy", Kind: "accuracy", Split: "train", Points: accuracy},
		{Name: "eval/test/accuracy", Kind: "accuracy", Split: "eval:test", Points: valAccuracy},
	}, charts.CurvesOptions{Title: "CIFAR-10 CNN", Subtitle: "5 epochs", Static: true})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render curves-static.vl.json -o curves-static.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("curves-static.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The chart of a recorded run, as a dashboard draws it: RunCurves reads every series of
// the run (package runs) as curves, downsampled to what fits a chart, with wall time and
// epoch. A run directory written by a dashboard or by a training loop is read the same way
// (runs.Open(dir)).
func ExampleRunCurves() {
	dir, err := os.MkdirTemp("", "gonbviz-run")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	run, err := runs.Create(dir, runs.Meta{Name: "digits MLP"})
	if err != nil {
		log.Fatal(err)
	}
	defer run.Close()

	// The training loss and accuracy every step, the validation's every 100 steps, with the
	// seconds since the start and the epoch (430 steps each).
	rng := rand.New(rand.NewPCG(5, 6))
	add := func(name string, step int64, value float64) {
		if err := run.Add(name, step, value, runs.Wall(float64(step)*0.0123), runs.Epoch(float64(step)/430)); err != nil {
			log.Fatal(err)
		}
	}
	for step := int64(1); step <= 300; step++ {
		left := math.Exp(-float64(step) / 100)
		add("train/loss", step, (0.1+2.2*left)*(1+0.05*rng.NormFloat64()))
		add("train/accuracy", step, 0.97-0.87*left-0.03*rng.Float64())
		if step%100 == 0 {
			add("eval/validation/loss", step, 0.15+2.2*left)
			add("eval/validation/accuracy", step, 0.95-0.87*left)
		}
	}
	chart, err := charts.Curves(charts.RunCurves(run, "", 0), charts.CurvesOptions{Title: "training", Subtitle: "step 300/300"})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render run-curves.vl.json -o run-curves.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("run-curves.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// Runs compared from their directories, e.g. a learning-rate sweep: CompareRuns reads each
// recorded run (package runs) and overlays their curves, a colour per run named by its
// name, with a legend that selects runs.
func ExampleCompareRuns() {
	root, err := os.MkdirTemp("", "gonbviz-runs")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)

	rng := rand.New(rand.NewPCG(7, 8))
	var dirs []string
	for _, lr := range []float64{0.001, 0.003, 0.01} {
		name := fmt.Sprintf("lr=%g", lr)
		dir := filepath.Join(root, name)
		run, err := runs.Create(dir, runs.Meta{Name: name})
		if err != nil {
			log.Fatal(err)
		}
		for step := int64(10); step <= 500; step += 10 {
			left := math.Exp(-lr * float64(step))
			wall := runs.Wall(float64(step) / 20) // seconds since the start
			if err := run.Add("train/loss", step, (0.1+2.2*left)*(1+0.05*rng.NormFloat64()), wall); err != nil {
				log.Fatal(err)
			}
			if err := run.Add("train/accuracy", step, 0.97-0.87*left-0.02*rng.Float64(), wall); err != nil {
				log.Fatal(err)
			}
		}
		if err := run.Close(); err != nil {
			log.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	chart, err := charts.CompareRuns(dirs, charts.CompareRunsOptions{Title: "learning rates"})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render compare-runs.vl.json -o compare-runs.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("compare-runs.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The histogram of a layer's weights: the bins are computed in Go, so the chart carries a
// row per bin, never the 20,000 values. The NaN and the +Inf are not drawn; the subtitle
// counts them.
func ExampleHistogram() {
	rng := rand.New(rand.NewPCG(1, 2))
	weights := make([]float32, 20000)
	for i := range weights {
		weights[i] = float32(0.05 * rng.NormFloat64())
	}
	weights[3], weights[7] = float32(math.NaN()), float32(math.Inf(1))
	chart, err := charts.Histogram(weights, charts.HistogramOptions{Title: "weights", XTitle: "/model/hidden_0/dense/weights"})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render histogram.vl.json -o histogram.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("histogram.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// A histogram of any Go slice in one call: the bins are computed in Go, so the chart
// carries a row per bin, and the NaN is counted and named, never drawn.
func ExampleHistogram_bins() {
	values := []float64{1, 2, 2, 3, 3, 3, 4, 4, math.NaN()}
	chart, err := charts.Histogram(values, charts.HistogramOptions{Bins: 3, Title: "values"})
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, err := chart.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := spec.Value()
	if err != nil {
		fmt.Println(err)
		return
	}
	title := m["title"].(map[string]any)
	enc := m["encoding"].(map[string]any)
	fmt.Println(title["text"], "|", title["subtitle"])
	fmt.Println("x:", enc["x"].(map[string]any)["bin"], "y:", enc["y"].(map[string]any)["field"])
	// Output:
	// values | 8 values, min 1, max 4 · 1 NaN not drawn
	// x: map[binned:true] y: count
}

// A histogram per group on common bins, as densities so that groups of different sizes
// compare: the proline content of the wines of each cultivar.
func ExampleHistogram_groups() {
	wine, err := charts.ReadFeatures(strings.NewReader(wineCSV), charts.ReadFeaturesOptions{Label: "class", Columns: []string{"proline"}})
	if err != nil {
		log.Fatal(err)
	}
	s := wine.Splits[0]
	chart, err := charts.Histogram(s.X, charts.HistogramOptions{
		Title: "wine: proline by cultivar", XTitle: "proline (mg/l)", Bins: 24,
		Groups: s.Labels, GroupNames: []string{"cultivar 1", "cultivar 2", "cultivar 3"}, GroupTitle: "cultivar",
		Density: true,
	})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render histogram-groups.vl.json -o histogram-groups.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("histogram-groups.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// Stacked histograms on a log scale, where the tails show: the activations of three
// layers, whose largest values lie far out.
func ExampleHistogram_stackedLog() {
	rng := rand.New(rand.NewPCG(5, 6))
	var values []float32
	var layer []string
	for _, l := range []struct {
		name  string
		scale float64
	}{{"hidden_0", 0.5}, {"hidden_1", 1}, {"hidden_2", 2}} {
		for range 20000 {
			values = append(values, float32(l.scale*rng.ExpFloat64()*math.Abs(rng.NormFloat64())))
			layer = append(layer, l.name)
		}
	}
	chart, err := charts.Histogram(values, charts.HistogramOptions{
		Title: "activations", XTitle: "activation value",
		Groups: layer, GroupTitle: "layer", Stacked: true, LogY: true,
	})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render histogram-stacked-log.vl.json -o histogram-stacked-log.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("histogram-stacked-log.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The histograms of the gradients over training, one step at a time: a slider picks the
// step and a drop-down the variable (the static picture shows the last step of the first
// weight matrix, and says so). The output layer's NaN gradients at step 500 are not drawn;
// the subtitle names them.
func ExampleHistograms() {
	// Snapshots as a capture records them (capture.Capture.Snapshots(capture.KindGradients),
	// or capture.Read(runDir)), made up here: every 100 steps, a 30-bin histogram of each
	// variable's gradient over ±3 standard deviations, narrower as training settles.
	var snaps []capture.Snapshot
	for _, v := range []struct {
		name  string
		shape []int
		std   float64
	}{
		{"/model/hidden_0/dense/weights", []int{64, 32}, 0.01},
		{"/model/output/dense/weights", []int{32, 10}, 0.03},
	} {
		for step := 100; step <= 500; step += 100 {
			std := v.std * (1 + 4*math.Exp(-float64(step)/150))
			s := capture.Snapshot{Kind: capture.KindGradients, Name: v.name, Step: step, Shape: v.shape, Lo: -3 * std, Hi: 3 * std}
			for b := range 30 {
				z := -2.9 + 0.2*float64(b) // the middle of bin b, in standard deviations
				n := int64(float64(v.shape[0]*v.shape[1]) * 0.2 * math.Exp(-z*z/2) / math.Sqrt(2*math.Pi))
				s.Counts = append(s.Counts, n)
				s.Count += n
			}
			if v.name == "/model/output/dense/weights" && step == 500 {
				s.NaN = 12
			}
			snaps = append(snaps, s)
		}
	}
	chart, err := charts.Histograms(snaps, charts.HistogramsOptions{})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render histograms.vl.json -o histograms.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("histograms.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The histograms of the gradients at several steps drawn over each other, coloured by
// step (ModeOverlay): how they narrow as training settles.
func ExampleHistograms_overlay() {
	// Snapshots as a capture records them, made up as in the example of Histograms.
	var snaps []capture.Snapshot
	for _, v := range []struct {
		name  string
		shape []int
		std   float64
	}{
		{"/model/hidden_0/dense/weights", []int{64, 32}, 0.01},
		{"/model/output/dense/weights", []int{32, 10}, 0.03},
	} {
		for step := 100; step <= 500; step += 100 {
			std := v.std * (1 + 4*math.Exp(-float64(step)/150))
			s := capture.Snapshot{Kind: capture.KindGradients, Name: v.name, Step: step, Shape: v.shape, Lo: -3 * std, Hi: 3 * std}
			for b := range 30 {
				z := -2.9 + 0.2*float64(b) // the middle of bin b, in standard deviations
				n := int64(float64(v.shape[0]*v.shape[1]) * 0.2 * math.Exp(-z*z/2) / math.Sqrt(2*math.Pi))
				s.Counts = append(s.Counts, n)
				s.Count += n
			}
			if v.name == "/model/output/dense/weights" && step == 500 {
				s.NaN = 12
			}
			snaps = append(snaps, s)
		}
	}
	chart, err := charts.Histograms(snaps, charts.HistogramsOptions{Mode: charts.ModeOverlay})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render histograms-overlay.vl.json -o histograms-overlay.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("histograms-overlay.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The histograms of the gradients as a ridge plot, a row per step offset downwards, as
// TensorBoard draws them (ModeOffset).
func ExampleHistograms_offset() {
	// Snapshots as a capture records them, made up as in the example of Histograms.
	var snaps []capture.Snapshot
	for _, v := range []struct {
		name  string
		shape []int
		std   float64
	}{
		{"/model/hidden_0/dense/weights", []int{64, 32}, 0.01},
		{"/model/output/dense/weights", []int{32, 10}, 0.03},
	} {
		for step := 100; step <= 500; step += 100 {
			std := v.std * (1 + 4*math.Exp(-float64(step)/150))
			s := capture.Snapshot{Kind: capture.KindGradients, Name: v.name, Step: step, Shape: v.shape, Lo: -3 * std, Hi: 3 * std}
			for b := range 30 {
				z := -2.9 + 0.2*float64(b) // the middle of bin b, in standard deviations
				n := int64(float64(v.shape[0]*v.shape[1]) * 0.2 * math.Exp(-z*z/2) / math.Sqrt(2*math.Pi))
				s.Counts = append(s.Counts, n)
				s.Count += n
			}
			if v.name == "/model/output/dense/weights" && step == 500 {
				s.NaN = 12
			}
			snaps = append(snaps, s)
		}
	}
	chart, err := charts.Histograms(snaps, charts.HistogramsOptions{Mode: charts.ModeOffset})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render histograms-offset.vl.json -o histograms-offset.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("histograms-offset.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The distributions of the gradients over training, as TensorBoard draws them: for each
// variable, bands between percentiles around the median. The output layer's gradients
// overflow at step 400 (7 NaN values, then all of them): the steps without finite values
// are a gap, and the subtitle names them.
func ExampleDistributions() {
	// Snapshots as a capture records them (capture.Capture.Snapshots(capture.KindGradients),
	// or capture.Read(runDir)), made up here: every 50 steps, the percentiles of each
	// gradient (capture.TensorBoardPercentiles; those of a normal distribution here).
	var snaps []capture.Snapshot
	for _, v := range []struct {
		name  string
		shape []int
		std   float64
	}{
		{"/model/hidden_0/dense/weights", []int{64, 32}, 0.01},
		{"/model/output/dense/weights", []int{32, 10}, 0.03},
	} {
		n := int64(v.shape[0] * v.shape[1])
		for step := 50; step <= 500; step += 50 {
			std := v.std * (1 + 4*math.Exp(-float64(step)/100))
			s := capture.Snapshot{Kind: capture.KindGradients, Name: v.name, Step: step, Shape: v.shape, Count: n}
			for _, z := range []float64{-3, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 3} {
				s.Percentiles = append(s.Percentiles, z*std)
			}
			switch {
			case v.name == "/model/output/dense/weights" && step == 400:
				s.Count, s.NaN = n-7, 7
			case v.name == "/model/output/dense/weights" && step > 400:
				s.Count, s.NaN, s.Percentiles = 0, n, nil
			}
			snaps = append(snaps, s)
		}
	}
	chart, err := charts.Distributions(snaps, charts.DistributionsOptions{})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render distributions.vl.json -o distributions.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("distributions.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The distributions of a layer's weights and biases over a long run, 40 snapshots each:
// the weights spread out as they learn, the biases drift away from zero.
func ExampleDistributions_long() {
	// Snapshots as a capture records them, made up: every 100 steps, the percentiles of
	// each tensor (capture.TensorBoardPercentiles; those of a normal distribution here).
	var snaps []capture.Snapshot
	for step := 100; step <= 4000; step += 100 {
		t := float64(step) / 4000
		for _, v := range []struct {
			name        string
			shape       []int
			median, std float64
		}{
			{"/model/hidden_0/dense/biases", []int{64}, 0.05 * t, 0.01 + 0.04*t},
			{"/model/hidden_0/dense/weights", []int{784, 64}, 0, 0.05 + 0.03*math.Sqrt(t)},
		} {
			s := capture.Snapshot{Kind: capture.KindWeights, Name: v.name, Step: step, Shape: v.shape, Count: int64(v.shape[0])}
			if len(v.shape) == 2 {
				s.Count *= int64(v.shape[1])
			}
			for _, z := range []float64{-3, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 3} {
				s.Percentiles = append(s.Percentiles, v.median+z*v.std)
			}
			snaps = append(snaps, s)
		}
	}
	chart, err := charts.Distributions(snaps, charts.DistributionsOptions{})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render distributions-long.vl.json -o distributions-long.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("distributions-long.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The health of the gradients over training: per variable, the gradient norm and the
// update/weight ratio (log scales; the band marks healthy ratios around 1e-3), and the
// flags of capture.Diagnose in the subtitle. The output layer's gradients overflow at step
// 800 (7 NaN values, then all of them): flagged as exploding, and a gap from there.
func ExampleGradientHealth() {
	// Snapshots as a capture records them (capture.Capture.Snapshots(capture.KindGradients),
	// or capture.Read(runDir)), made up here: every 100 steps, each gradient's L2 norm and
	// the ratio of the update it made to the weights.
	var snaps []capture.Snapshot
	for _, v := range []struct {
		name        string
		shape       []int
		norm, ratio float64
	}{
		{"/model/hidden_0/dense/biases", []int{32}, 0.02, 8e-3},
		{"/model/hidden_0/dense/weights", []int{64, 32}, 0.4, 2e-3},
		{"/model/output/dense/weights", []int{32, 10}, 1.5, 4e-3},
	} {
		n := int64(v.shape[0])
		if len(v.shape) == 2 {
			n *= int64(v.shape[1])
		}
		for step := 100; step <= 1000; step += 100 {
			decay := math.Exp(-float64(step) / 500)
			s := capture.Snapshot{Kind: capture.KindGradients, Name: v.name, Step: step, Shape: v.shape, Count: n,
				Norm: v.norm * decay, UpdateRatio: v.ratio * decay}
			switch {
			case v.name == "/model/output/dense/weights" && step == 800:
				s.Count, s.NaN = n-7, 7
			case v.name == "/model/output/dense/weights" && step > 800:
				s.Count, s.NaN, s.Norm, s.UpdateRatio = 0, n, 0, -1
			}
			snaps = append(snaps, s)
		}
	}
	chart, err := charts.GradientHealth(snaps, charts.GradientHealthOptions{})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render gradient-health.vl.json -o gradient-health.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("gradient-health.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// Gradient norms that grow over nine decades, from 1e-6 to 1e3: the log axis labels only
// the powers of ten, and the subtitle flags the explosion.
func ExampleGradientHealth_wide() {
	var snaps []capture.Snapshot
	for step := 100; step <= 400; step += 100 {
		snaps = append(snaps, capture.Snapshot{Kind: capture.KindGradients, Name: "/model/hidden_0/dense/weights",
			Step: step, Shape: []int{64, 32}, Count: 2048,
			Norm: math.Pow(10, float64(3*step/100-9)), UpdateRatio: 1e-3})
	}
	chart, err := charts.GradientHealth(snaps, charts.GradientHealthOptions{})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render gradient-health-wide.vl.json -o gradient-health-wide.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("gradient-health-wide.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The activations of the layers over training: per layer, the mean ± one standard
// deviation and the fraction of dead units (<= 0 for every example of the batch). The
// second layer's units die as it trains (flagged in the subtitle); the first layer's
// activations overflowed at step 300 (all NaN): a gap, named in the subtitle.
func ExampleActivationStats() {
	// Snapshots as a capture records them (capture.Capture.Snapshots(capture.KindActivations),
	// or capture.Read(runDir)), made up here: every 100 steps, each ReLU layer's moments
	// and dead units over a batch.
	var snaps []capture.Snapshot
	for _, name := range []string{"/model/hidden_0", "/model/hidden_1"} {
		for step := 100; step <= 1000; step += 100 {
			t := float64(step) / 1000
			s := capture.Snapshot{Kind: capture.KindActivations, Name: name, Step: step, Shape: []int{128, 64}, Count: 8192,
				Mean: 0.4 + 0.1*t, Std: 0.5 + 0.2*t, Dead: 0.05}
			if name == "/model/hidden_1" {
				s.Mean, s.Std, s.Dead = 0.3*(1-t)+0.05, 0.4*(1-t)+0.1, 0.1+0.6*t
			}
			if name == "/model/hidden_0" && step == 300 {
				s.Count, s.NaN = 0, 8192
			}
			snaps = append(snaps, s)
		}
	}
	chart, err := charts.ActivationStats(snaps, charts.ActivationStatsOptions{})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render activation-stats.vl.json -o activation-stats.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("activation-stats.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}
