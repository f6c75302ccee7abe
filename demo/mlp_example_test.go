// SPDX-License-Identifier: Apache-2.0

package demo_test

import (
	"fmt"

	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/gonbviz/gonbviz/demo"
)

// Example trains the demo MLP, records the metrics with an OnStep hook and evaluates it.
func Example() {
	backend, err := gobackend.New("")
	if err != nil {
		panic(err)
	}
	s, err := demo.DigitsMLP(backend, demo.Config{})
	if err != nil {
		panic(err)
	}
	defer s.Finalize()

	// The hook's metrics line up with s.Trainer.TrainMetrics(). They are host tensors that
	// are freed after the step: copy the values out, never keep the tensors.
	metricNames := []string{}
	for _, m := range s.Trainer.TrainMetrics() {
		metricNames = append(metricNames, m.Name())
	}
	var steps []int
	var rows [][]float64
	s.Loop.OnStep("record", 0, func(loop *train.Loop, metrics []*tensors.Tensor) error {
		row := make([]float64, len(metrics))
		for i, m := range metrics {
			row[i] = shapes.ConvertTo[float64](m.Value()) // or demo.Float(m)
		}
		steps = append(steps, loop.LoopStep)
		rows = append(rows, row)
		return nil
	})
	// RunSteps returns the last step's metrics: free them (s.Train does it for you).
	last, err := s.Loop.RunSteps(s.TrainDS, 300)
	if err != nil {
		panic(err)
	}
	for _, t := range last {
		t.MustFinalizeAll()
	}

	// Eval over a finite dataset; the results line up with s.Trainer.EvalMetrics().
	results, err := s.Trainer.Eval(s.ValidationDS)
	if err != nil {
		panic(err)
	}
	evalNames := []string{}
	var accuracy float64
	for i, m := range s.Trainer.EvalMetrics() {
		evalNames = append(evalNames, m.Name())
		if m.Name() == demo.EvalAccuracyName {
			accuracy = shapes.ConvertTo[float64](results[i].Value())
		}
		results[i].MustFinalizeAll()
	}

	fmt.Printf("%s: %d steps recorded, %q\n", s.Description, len(steps), metricNames)
	fmt.Printf("%s eval: %q, accuracy > 0.85: %v\n", s.ValidationDS.Name(), evalNames, accuracy > 0.85)
	// Output:
	// MLP 64-128-64-10, relu, adam lr=0.001: 300 steps recorded, ["Loss" "Moving Average Loss" "Accuracy" "Moving Average Accuracy"]
	// validation eval: ["Mean Loss" "Mean Accuracy"], accuracy > 0.85: true
}
