// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"iter"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/backendsel"
)

// runStepTime splits the wall time of one training step of the demo MLP on XLA's CPU plugin
// into its parts: the dataset's next batch, Trainer.TrainStep (the batch upload, the
// variables in and out, the execution), the copy of each train metric to the host (what
// train.Loop does after every step) and what is left for the loop itself. It also times the
// same model with the loss metrics alone (2 per step instead of the demo's 4) in alternation,
// and a trivial execution (x+1 on a scalar) with its output copied back: the floor of one
// execution and of one device-to-host copy.
func runStepTime(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("steptime", flag.ContinueOnError)
	rounds := fs.Int("rounds", 5, "rounds")
	steps := fs.Int("steps", 1000, "steps per measurement and round")
	plugin := fs.String("plugin", "", "XLA CPU PJRT plugin (absolute path); default: what backendsel picks when it is an XLA CPU plugin")
	async := fs.Bool("async", false, "create the PJRT CPU client as go-xla does by default, asynchronous=true (backendsel's runs executions on the calling thread)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rounds < 1 || *steps < 1 {
		return fmt.Errorf("-rounds and -steps must be positive")
	}
	pluginPath, err := xlaCPUPlugin(*plugin)
	if err != nil {
		return err
	}
	var backend compute.Backend
	if *async {
		backend, err = newXLAAsync(pluginPath)
	} else {
		backend, _, err = backendsel.New(backendsel.Choice{Kind: backendsel.KindEnv, Config: "xla:" + pluginPath})
	}
	if err != nil {
		return err
	}
	s, err := demo.DigitsMLP(backend, demo.Config{})
	if err != nil {
		return err
	}
	defer s.Finalize()
	lossOnly, err := lossOnlyLoop(backend, s)
	if err != nil {
		return err
	}
	trivial, err := graph.NewExec(backend, func(x *graph.Node) *graph.Node { return graph.AddScalar(x, 1) })
	if err != nil {
		return err
	}
	runLoop := func(loop *train.Loop, n int) error {
		metrics, err := loop.RunSteps(s.TrainDS, n)
		for _, m := range metrics {
			_ = m.FinalizeAll()
		}
		return err
	}
	for _, l := range []*train.Loop{s.Loop, lossOnly} { // compile and warm up
		if err := runLoop(l, 200); err != nil {
			return err
		}
	}

	numMetrics := len(s.Trainer.TrainMetrics())
	parts := map[string][]float64{} // µs per step
	add := func(name string, d time.Duration, n int) {
		parts[name] = append(parts[name], float64(d.Microseconds())/float64(n))
	}
	for r := 0; r < *rounds; r++ {
		// The loop as users run it, and the same with 2 metrics, alternating.
		for _, v := range []struct {
			name string
			loop *train.Loop
		}{{"loop", s.Loop}, {"loop, loss metrics only", lossOnly}} {
			cpu0, start := cpuTime(), time.Now()
			if err := runLoop(v.loop, *steps); err != nil {
				return err
			}
			add(v.name, time.Since(start), *steps)
			add(v.name+" (CPU, all threads)", cpuTime()-cpu0, *steps)
		}

		// The loop's work, phase by phase (train.Loop.runStepsSingleDevice and postStep).
		next, stop := iter.Pull2(s.TrainDS.Iter())
		perMetric := make([]time.Duration, numMetrics)
		var tNext, tStep, tHost time.Duration
		start := time.Now()
		for range *steps {
			t0 := time.Now()
			batch, err, _ := next()
			if err != nil {
				stop()
				return err
			}
			t1 := time.Now()
			metrics, err := s.Trainer.TrainStep(batch)
			if err != nil {
				stop()
				return err
			}
			t2 := time.Now()
			for i, m := range metrics {
				tm := time.Now()
				m.MaterializeLocal()
				_ = m.InvalidateOnDevice()
				perMetric[i] += time.Since(tm)
			}
			tHost += time.Since(t2)
			tNext += t1.Sub(t0)
			tStep += t2.Sub(t1)
			for _, m := range metrics {
				_ = m.FinalizeAll()
			}
		}
		manual := time.Since(start)
		stop()
		add("phases: total", manual, *steps)
		add("  dataset next batch", tNext, *steps)
		add("  Trainer.TrainStep", tStep, *steps)
		add(fmt.Sprintf("  %d metrics to host", numMetrics), tHost, *steps)
		for i, d := range perMetric {
			add(fmt.Sprintf("    %q", s.Trainer.TrainMetrics()[i].Name()), d, *steps)
		}
		add("  rest", manual-tNext-tStep-tHost, *steps)

		// Floors: one trivial execution, one scalar copied to the host.
		x := tensors.FromScalar(float32(1))
		var tExec, tCopy time.Duration
		for range *steps {
			t0 := time.Now()
			outs, err := trivial.Call(x)
			if err != nil {
				return err
			}
			t1 := time.Now()
			outs[0].MaterializeLocal()
			tExec += t1.Sub(t0)
			tCopy += time.Since(t1)
			_ = outs[0].FinalizeAll()
		}
		add("trivial execution (x+1, scalar)", tExec, *steps)
		add("its scalar output to host", tCopy, *steps)
	}

	order := []string{"loop", "loop (CPU, all threads)", "loop, loss metrics only", "loop, loss metrics only (CPU, all threads)",
		"phases: total", "  dataset next batch", "  Trainer.TrainStep", fmt.Sprintf("  %d metrics to host", numMetrics)}
	for _, m := range s.Trainer.TrainMetrics() {
		order = append(order, fmt.Sprintf("    %q", m.Name()))
	}
	order = append(order, "  rest", "trivial execution (x+1, scalar)", "its scalar output to host")
	header := []string{"µs per step"}
	for r := 0; r < *rounds; r++ {
		header = append(header, fmt.Sprintf("round %d", r+1))
	}
	header = append(header, "median")
	var rows [][]string
	for _, name := range order {
		row := []string{name}
		for _, v := range parts[name] {
			row = append(row, fmt.Sprintf("%.0f", v))
		}
		rows = append(rows, append(row, fmt.Sprintf("%.0f", median(parts[name]))))
	}
	client := "client option asynchronous=false (as backendsel creates it)"
	if *async {
		client = "go-xla's default client, asynchronous=true"
	}
	fmt.Fprintf(out, "CPU: %s; demo MLP 64-128-64-10, batch 64, Adam, on xla_cpu (%s, %s)\n", cpuModel(), pluginPath, client)
	fmt.Fprintf(out, "%d steps per measurement, %d rounds; medians\n", *steps, *rounds)
	table(out, header, rows)
	fmt.Fprintf(out, "steptime: loss_only/demo=%.2f metrics_to_host/step=%.2f dataset/step=%.2f\n",
		median(parts["loop"])/median(parts["loop, loss metrics only"]),
		median(parts[fmt.Sprintf("  %d metrics to host", numMetrics)])/median(parts["phases: total"]),
		median(parts["  dataset next batch"])/median(parts["phases: total"]))
	return nil
}

// lossOnlyLoop is the demo's model and optimizer with GoMLX's loss metrics alone (batch loss
// and its moving average), on a Store of its own.
func lossOnlyLoop(backend compute.Backend, s *demo.Setup) (loop *train.Loop, err error) {
	err = exceptions.TryCatch[error](func() {
		store := model.NewStore()
		store.SetParam(model.ParamInitialSeed, s.Config.Seed)
		trainer := train.NewTrainer(backend, store, s.ModelGraph, loss.SparseCategoricalCrossEntropyLogits,
			optimizer.Adam().LearningRate(s.Config.LearningRate).Done(), nil, nil)
		loop = train.NewLoop(trainer)
	})
	return loop, err
}
