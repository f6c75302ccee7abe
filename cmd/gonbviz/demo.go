// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomlx/gomlx/ml/train"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/notebookviz"
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

	train1 := func(cfg demo.Config, name string, steps int) (*demo.Setup, *notebookviz.Dashboard, time.Duration, error) {
		s, err := demo.DigitsMLP(backend, cfg)
		if err != nil {
			return nil, nil, 0, err
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

	// The main run also records weights, gradients and activations, 40 times.
	capture, err := capture.New(capture.Options{
		Weights: schedule.NTimes(40), Gradients: schedule.NTimes(40), Activations: schedule.NTimes(40),
	})
	if err != nil {
		return err
	}
	s, dash, took, err := train1(demo.Config{Capture: capture}, "main", steps)
	if err != nil {
		return err
	}
	defer s.Finalize()
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

	if sweepSteps > 0 {
		var dirs []string
		for _, lr := range []float64{0.0003, 0.001, 0.003} {
			name := fmt.Sprintf("lr=%g", lr)
			rs, d, took, err := train1(demo.Config{LearningRate: lr}, name, sweepSteps)
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
