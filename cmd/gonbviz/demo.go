// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/internal/digits"
	"github.com/gonbviz/gonbviz/notebookviz"
	"github.com/gonbviz/gonbviz/saliency"
	"github.com/gonbviz/gonbviz/schedule"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// demoCmd trains an MLP on the embedded digits data with the selected backend and writes a
// self-contained, offline HTML report: the dashboard's final state, a learning-rate sweep
// and a summary.
func demoCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "gonbviz-demo", "directory for the report and the recorded runs")
	steps := fs.Int("steps", 3000, "training steps of the main run")
	sweepSteps := fs.Int("sweep-steps", 1000, "training steps of each learning-rate sweep run (0: no sweep)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *steps <= 0 || *sweepSteps < 0 {
		fmt.Fprintln(stderr, "gonbviz demo: -steps must be positive and -sweep-steps not negative")
		return 2
	}
	if err := runDemo(*out, *steps, *sweepSteps, stdout); err != nil {
		fmt.Fprintf(stderr, "gonbviz demo: %v\n", err)
		return 1
	}
	return 0
}

func runDemo(out string, steps, sweepSteps int, stdout io.Writer) error {
	start := time.Now()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	backend, used, err := backendsel.New(backendsel.Default())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, used.String())
	runsDir := filepath.Join(out, "runs")
	if err := os.RemoveAll(runsDir); err != nil {
		return err
	}

	train1 := func(cfg demo.Config, name string, steps int, ready func(*demo.Setup)) (*demo.Setup, *notebookviz.Dashboard, time.Duration, error) {
		s, err := demo.DigitsMLP(backend, cfg)
		if err != nil {
			return nil, nil, 0, err
		}
		if ready != nil {
			ready(s)
		}
		// The model's graph goes into the event files for TensorBoard's Graphs tab.
		graph, err := diagram.FromTrainer(s.Trainer, s.ModelGraph, demo.MLP().InputShapes, diagram.Options{})
		if err != nil {
			s.Finalize()
			return nil, nil, 0, err
		}
		d, err := notebookviz.AttachDashboard(s.Loop, notebookviz.DashboardOptions{Diagram: graph,
			Title: "digits MLP: " + name, Eval: []train.Dataset{s.ValidationDS}, EvalEvery: schedule.NTimes(20),
			RunDir: filepath.Join(runsDir, name), RunName: name, Model: s.Description,
			Hyperparameters: s.Hyperparameters, Backend: used.Kind,
			EpochSteps: s.EpochSteps, NoDisplay: true, Capture: cfg.Capture, TensorBoard: true,
		})
		if err != nil {
			s.Finalize()
			return nil, nil, 0, err
		}
		t0 := time.Now()
		err = s.Train(steps)
		took := time.Since(t0)
		if cerr := d.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			s.Finalize()
			return nil, nil, 0, err
		}
		return s, d, took, nil
	}

	// The main run also records weights, gradients and activations, 40 times; the
	// activations on a fixed probe batch (the validation digits), kept for the
	// projections of the features section.
	splits, err := digits.LoadSplits()
	if err != nil {
		return err
	}
	probeFlat, _ := splits.Validation.Flat()
	probe := tensors.FromFlatDataAndDimensions(probeFlat, splits.Validation.Len(), digits.NumFeatures)
	var main *demo.Setup
	capture, err := capture.New(capture.Options{
		Weights: schedule.NTimes(40), Gradients: schedule.NTimes(40), Activations: schedule.NTimes(40),
		Probe: probe, KeepProbe: true,
		ProbeModel: func(scope *model.Scope, x *graph.Node) *graph.Node { return main.ModelGraph(scope, x) },
	})
	if err != nil {
		return err
	}
	s, dash, took, err := train1(demo.Config{Capture: capture}, "main", steps, func(s *demo.Setup) { main = s })
	if err != nil {
		return err
	}
	defer s.Finalize()
	if err := capture.Err(); err != nil {
		return err
	}
	results, err := s.EvaluateAll()
	if err != nil {
		return err
	}
	acc := func(ds string) string {
		if m, ok := results[ds]; ok {
			for k, v := range m {
				if strings.Contains(strings.ToLower(k), "accuracy") {
					return fmt.Sprintf("%.3f", v)
				}
			}
		}
		return "?"
	}
	fmt.Fprintf(stdout, "main run: %d steps in %.1fs (%.0f steps/s); validation accuracy %s, test accuracy %s\n",
		steps, took.Seconds(), float64(steps)/took.Seconds(), acc("validation"), acc("test"))

	curves, err := dash.Chart()
	if err != nil {
		return err
	}
	sections := []notebookviz.Section{{
		Heading: "Summary",
		Table: [][2]string{
			{"model", s.Description},
			{"parameters", fmt.Sprint(s.ParamCount)},
			{"data", fmt.Sprintf("UCI handwritten digits, 8x8 (CC BY 4.0): %v train, %v validation, %v test", s.Hyperparameters["train_examples"], s.Hyperparameters["validation_examples"], s.Hyperparameters["test_examples"])},
			{"backend", strings.TrimPrefix(used.String(), "backend: ")},
			{"training", fmt.Sprintf("%d steps in %.1f s (%.0f steps/s)", steps, took.Seconds(), float64(steps)/took.Seconds())},
			{"accuracy", fmt.Sprintf("train %s, validation %s, test %s", acc("train-eval"), acc("validation"), acc("test"))},
			{"run directory", dash.RunDir()},
		},
	}, {
		Heading: "Training curves",
		Text:    "Train loss and accuracy at every step (batch and moving average), validation 20 times over the run. Use the smoothing control and the log-scale toggle; hover for values, wall time and epoch.",
		Charts:  []vl.Chart{curves},
	}}
	dist, err := distributionsSection(capture)
	if err != nil {
		return err
	}
	sections = append(sections, dist)
	feats, err := featuresSection(backend, s, splits, capture.Probes(), probe, probeFlat, splits.Validation.Labels)
	if err != nil {
		return err
	}
	sections = append(sections, feats)
	decisions, err := decisionsSection(s)
	if err != nil {
		return err
	}
	sections = append(sections, decisions)

	if sweepSteps > 0 {
		var dirs []string
		for _, lr := range []float64{0.0003, 0.001, 0.003} {
			name := fmt.Sprintf("lr=%g", lr)
			rs, d, took, err := train1(demo.Config{LearningRate: lr}, name, sweepSteps, nil)
			if err != nil {
				return err
			}
			rs.Finalize()
			fmt.Fprintf(stdout, "sweep %s: %d steps in %.1fs\n", name, sweepSteps, took.Seconds())
			dirs = append(dirs, d.RunDir())
		}
		cmp, err := charts.CompareRuns(dirs, charts.CompareRunsOptions{Title: "learning-rate sweep (Adam)"})
		if err != nil {
			return err
		}
		sections = append(sections, notebookviz.Section{
			Heading: "Learning-rate sweep",
			Text:    fmt.Sprintf("Three runs of %d steps, read back from their run directories. Click a run in the legend to pick it out.", sweepSteps),
			Charts:  []vl.Chart{cmp},
		})
	}
	// The network diagram goes right after the summary.
	sections = append(sections[:1], append([]notebookviz.Section{diagramSection()}, sections[1:]...)...)
	report := notebookviz.Report{Title: "gonbviz demo: an MLP learns handwritten digits", Sections: sections}
	path := filepath.Join(out, "report.html")
	if err := report.WriteHTML(path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (open it in a browser; it works offline) in %.1fs\n", path, time.Since(start).Seconds())
	return nil
}

// distributionsSection draws what the capture recorded during the main run.
func distributionsSection(c *capture.Capture) (notebookviz.Section, error) {
	grads, err := charts.Histograms(c.Snapshots(capture.KindGradients), charts.HistogramsOptions{})
	if err != nil {
		return notebookviz.Section{}, err
	}
	weights, err := charts.Distributions(c.Snapshots(capture.KindWeights), charts.DistributionsOptions{})
	if err != nil {
		return notebookviz.Section{}, err
	}
	health, err := charts.GradientHealth(c.Snapshots(capture.KindGradients), charts.GradientHealthOptions{})
	if err != nil {
		return notebookviz.Section{}, err
	}
	acts, err := charts.ActivationStats(c.Snapshots(capture.KindActivations), charts.ActivationStatsOptions{})
	if err != nil {
		return notebookviz.Section{}, err
	}
	text := "Weights, gradients and the hidden layers' activations, recorded 40 times during the main run " +
		"(histograms computed as the model trains, stored in the run directory). Pick a variable and a step " +
		"above the gradient histograms; drag on the strip under them to zoom."
	if flags := capture.Diagnose(c.Snapshots("")); len(flags) > 0 {
		text += "\nFlags: " + strings.Join(flags, "; ") + "."
	} else {
		text += "\nNo training-health flags: no vanishing or exploding gradients, updates about 1e-3 of the weights, few dead units."
	}
	return notebookviz.Section{
		Heading: "Weights, gradients and activations",
		Text:    text,
		Charts:  []vl.Chart{grads, weights, health, acts},
	}, nil
}

// diagramSection draws the demo MLP's network structure (built, not run) for the report.
func diagramSection() notebookviz.Section {
	d, err := demo.Diagram("mlp", diagram.Options{})
	if err != nil {
		return notebookviz.Section{Heading: "Network diagram", Text: "The diagram could not be drawn: " + err.Error()}
	}
	return notebookviz.Section{
		Heading: "Network diagram",
		Text:    "The MLP's structure, one box per layer with its output shape and parameters; click a box to open it down to GoMLX ops, hover for details.",
		Diagram: d,
	}
}

// featuresSection draws the digits' splits (each pixel's distribution in train,
// validation and test, ranked by how much they differ) and the projections of the trained
// MLP's second hidden layer on the probe batch (the validation digits) at the first and
// the last recorded step, coloured by digit, the trained model's mistakes crossed, each
// digit's image on hover.
func featuresSection(backend compute.Backend, s *demo.Setup, splits digits.Splits, probes []capture.Probe, probe *tensors.Tensor, probeFlat []float32, labels []int) (notebookviz.Section, error) {
	fail := func(err error) (notebookviz.Section, error) {
		return notebookviz.Section{}, fmt.Errorf("features section: %w", err)
	}
	names := make([]string, digits.NumFeatures)
	for p := range names {
		names[p] = fmt.Sprintf("pixel r%dc%d", p/digits.Width, p%digits.Width)
	}
	data := charts.Features{Names: names}
	for _, sp := range []struct {
		name string
		set  *digits.Set
	}{{"train", splits.Train}, {"validation", splits.Validation}, {"test", splits.Test}} {
		flat, _ := sp.set.Flat()
		data.Splits = append(data.Splits, charts.Split{Name: sp.name, X: flat, Width: digits.NumFeatures, Labels: sp.set.Labels})
	}
	dist, err := charts.FeatureDistributions(data, charts.FeatureDistributionsOptions{Title: "digits: each pixel in train, validation and test"})
	if err != nil {
		return fail(err)
	}
	shifts, err := charts.FeatureShifts(data, charts.ShiftOptions{})
	if err != nil {
		return fail(err)
	}
	shiftedPixels := map[int]bool{}
	for _, sh := range shifts {
		if sh.Shifted {
			shiftedPixels[sh.Index] = true
		}
	}
	shifted := len(shiftedPixels)

	// The trained model's predictions on the probe batch.
	exec, err := model.NewExec(backend, s.Store, s.ModelGraph)
	if err != nil {
		return fail(err)
	}
	outs, err := exec.Exec(probe)
	if err != nil {
		return fail(err)
	}
	logits, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		return fail(err)
	}
	n := len(labels)
	classes := len(logits) / n
	predictions := make([]int, n)
	wrong := 0
	for i := range predictions {
		row := logits[i*classes : (i+1)*classes]
		for k := range row {
			if row[k] > row[predictions[i]] {
				predictions[i] = k
			}
		}
		if predictions[i] != labels[i] {
			wrong++
		}
	}
	const layer = "/model/hidden_1"
	steps, err := charts.ProbeSteps(probes, layer)
	if err != nil {
		return fail(err)
	}
	firstLast := []charts.ProjectionStep{steps[0], steps[len(steps)-1]}
	opts := charts.ProjectionOptions{Labels: labels, Predictions: predictions, Backend: backend,
		Images: probeFlat, ImageShape: []int{n, digits.Height, digits.Width}}
	opts.Title = "digits MLP, " + layer + ": PCA at the first and last step"
	pca, err := charts.ProjectionSteps(firstLast, opts)
	if err != nil {
		return fail(err)
	}
	opts.Title, opts.Method = "digits MLP, "+layer+": t-SNE at the first and last step", charts.ProjectTSNE
	tsne, err := charts.ProjectionSteps(firstLast, opts)
	if err != nil {
		return fail(err)
	}
	text := fmt.Sprintf("The digits' splits, pixel by pixel: each pixel's distribution in train, validation and test, "+
		"ranked by the Kolmogorov-Smirnov statistic against train (pick a pixel in the drop-down); %d of %d pixels shifted (p < 0.01) in some split. "+
		"Then the second hidden layer's activations on the %d validation digits (kept by the capture as the model trained), "+
		"projected by PCA and by t-SNE at the first recorded step (%d) and the last (%d): move the slider between them. "+
		"Colours are the true digits, crosses the trained model's %d mistakes; hover a point for its digit, drag a rectangle to select points.",
		shifted, len(names), n, steps[0].Step, steps[len(steps)-1].Step, wrong)
	return notebookviz.Section{Heading: "Features", Text: text, Charts: []vl.Chart{dist, pca, tsne}}, nil
}

// decisionsSection shows the trained MLP's decisions on the test digits: the confusion
// matrix (click a cell for its digits), the reliability diagram, the most confidently wrong
// digits, and integrated gradients of a right and a wrong prediction.
func decisionsSection(s *demo.Setup) (notebookviz.Section, error) {
	pixels, labels, err := s.Examples("test")
	if err != nil {
		return notebookviz.Section{}, err
	}
	defer pixels.FinalizeAll()
	fn := func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		return []*graph.Node{s.ModelGraph(scope, inputs[0])}
	}
	_, outs, err := capture.Activations(s.Backend, s.Store, fn, pixels)
	if err != nil {
		return notebookviz.Section{}, err
	}
	logits, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		return notebookviz.Section{}, err
	}
	k := outs[0].Shape().Dimensions[1]
	scores := make([][]float64, len(labels))
	for i := range scores {
		scores[i] = softmax(logits[i*k : (i+1)*k])
	}
	images, err := tensors.CopyFlatData[float32](pixels)
	if err != nil {
		return notebookviz.Section{}, err
	}
	shape := []int{len(labels), 8, 8}
	matrix, err := charts.ConfusionMatrix(labels, scores, charts.ConfusionMatrixOptions{Title: "confusion matrix (test digits)", Images: images, ImageShape: shape})
	if err != nil {
		return notebookviz.Section{}, err
	}
	reliability, err := charts.Reliability(labels, scores, charts.ReliabilityOptions{Bins: 10})
	if err != nil {
		return notebookviz.Section{}, err
	}
	wrong, err := charts.MostConfidentlyWrong(labels, scores, images, charts.MostConfidentlyWrongOptions{ImageShape: shape})
	if err != nil {
		return notebookviz.Section{}, err
	}
	text := "The trained MLP on the test digits. Click a cell of the confusion matrix to see its digits (double-click to clear); " +
		"the reliability diagram compares each confidence bin's accuracy with its mean confidence; then the mistakes the model is surest of."
	chartsShown := []vl.Chart{matrix, reliability, wrong}
	result, err := saliency.Compute(s.Backend, s.Store, s.ModelGraph, pixels, saliency.Options{Method: saliency.IntegratedGradients})
	if err != nil {
		return notebookviz.Section{}, err
	}
	ig, err := charts.Attributions(result, charts.AttributionsOptions{Title: "integrated gradients: a right and a wrong prediction", RightAndWrong: true, Labels: labels, ImageSize: 96})
	if err == nil {
		chartsShown = append(chartsShown, ig)
		text += "\nIntegrated gradients (64 steps from a black image) of the surest right and the surest wrong prediction: red pixels raised the predicted digit's logit, blue ones lowered it. " +
			"Completeness: " + result.Summary() + "."
	} else {
		text += "\nNo integrated-gradients comparison: " + err.Error()
	}
	return notebookviz.Section{Heading: "Decisions", Text: text, Charts: chartsShown}, nil
}

// softmax turns a row of logits into probabilities.
func softmax(logits []float32) []float64 {
	top := logits[0]
	for _, v := range logits {
		top = max(top, v)
	}
	p, sum := make([]float64, len(logits)), 0.0
	for c, v := range logits {
		p[c] = math.Exp(float64(v - top))
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
	return p
}
