// SPDX-License-Identifier: Apache-2.0

package demo

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
	"github.com/gonbviz/gonbviz/internal/digits"
)

func testBackend(t testing.TB) compute.Backend {
	t.Helper()
	backend, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	return backend
}

func testData(t testing.TB) digits.Splits {
	t.Helper()
	data, err := digits.LoadSplits()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestConfig(t *testing.T) {
	c := Config{}.WithDefaults()
	if !slices.Equal(c.Hidden, []int{128, 64}) || c.Activation != "relu" || c.Normalization != "none" ||
		c.Optimizer != "adam" || c.LearningRate != 0.001 || c.BatchSize != 64 {
		t.Errorf("defaults: %+v", c)
	}
	if got, want := c.Description(), "MLP 64-128-64-10, relu, adam lr=0.001"; got != want {
		t.Errorf("Description() = %q, want %q", got, want)
	}
	if got := (Config{Hidden: []int{32}, Activation: "sigmoid", Normalization: "layer", Optimizer: "sgd"}).Description(); got != "MLP 64-32-10, sigmoid, layer norm, sgd lr=0.1" {
		t.Errorf("Description() = %q", got)
	}
	if got, want := c.ParamCount(), 64*128+128+128*64+64+64*10+10; got != want {
		t.Errorf("ParamCount() = %d, want %d", got, want)
	}
	for _, name := range []string{"relu", "leaky_relu", "LeakyRelu", "sigmoid", "tanh", "swish", "silu", "gelu", "selu", "none"} {
		if err := (Config{Activation: name}).WithDefaults().Validate(); err != nil {
			t.Errorf("activation %q: %v", name, err)
		}
	}
	for _, bad := range []Config{
		{Activation: "relux"}, {Normalization: "group"}, {Optimizer: "lion"},
		{LearningRate: -1}, {BatchSize: -1}, {Hidden: []int{10, 0}},
	} {
		if err := bad.WithDefaults().Validate(); err == nil {
			t.Errorf("%+v: accepted", bad)
		}
		if _, err := newSetup(testBackend(t), bad, testData(t)); err == nil {
			t.Errorf("New(%+v): accepted", bad)
		}
	}
}

// TestTrain300 trains the default demo for 300 steps on the Go backend and checks that it
// learns (validation accuracy > 0.85), that hooks see the documented metrics, and that the
// analytic parameter count matches the Store.
func TestTrain300(t *testing.T) {
	data := testData(t)
	s, err := newSetup(testBackend(t), Config{Seed: 0}, data)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Finalize()

	var names []string
	for _, m := range s.Trainer.TrainMetrics() {
		names = append(names, m.Name())
	}
	if want := []string{TrainLossName, TrainAvgLossName, TrainAccuracyName, TrainAvgAccuracyName}; !slices.Equal(names, want) {
		t.Fatalf("train metrics %q, want %q", names, want)
	}

	// The hook copies the values: the tensors are freed after the step.
	type point struct {
		step                       int
		loss, avgLoss, acc, avgAcc float64
	}
	var history []point
	s.Loop.OnStep("record", 0, func(loop *train.Loop, metrics []*tensors.Tensor) error {
		history = append(history, point{loop.LoopStep,
			Float(metrics[TrainLoss]), Float(metrics[TrainAvgLoss]),
			Float(metrics[TrainAccuracy]), Float(metrics[TrainAvgAccuracy])})
		return nil
	})

	const steps = 300
	start := time.Now()
	if err := s.Train(steps); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)

	if len(history) != steps || history[0].step != 0 || history[steps-1].step != steps-1 {
		t.Fatalf("hook called %d times, steps %d..%d", len(history), history[0].step, history[len(history)-1].step)
	}
	if gs := s.Trainer.GlobalStep(); gs != steps {
		t.Errorf("global step %d, want %d", gs, steps)
	}
	first, last := history[0], history[steps-1]
	if !(last.avgLoss < first.avgLoss/3) || !(last.avgAcc > 0.85) {
		t.Errorf("training did not progress: first %+v, last %+v", first, last)
	}

	names, values, err := s.Evaluate(s.ValidationDS)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{EvalLossName, EvalAccuracyName}) {
		t.Fatalf("eval metrics %q", names)
	}
	valAcc := values[EvalAccuracy]
	if !(valAcc > 0.85) {
		t.Errorf("validation accuracy %.4f after %d steps, want > 0.85", valAcc, steps)
	}
	t.Logf("%s: %d steps in %v (incl. compilation), last train %+v, validation loss %.4f accuracy %.4f",
		s.Description, steps, elapsed.Round(time.Millisecond), last, values[EvalLoss], valAcc)

	all, err := s.EvaluateAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, ds := range []string{"validation", "train-eval", "test"} {
		if _, ok := all[ds][EvalAccuracyName]; !ok {
			t.Errorf("EvaluateAll: no %q accuracy in %v", ds, all)
		}
	}
	if all["validation"][EvalAccuracyName] != valAcc {
		t.Errorf("EvaluateAll validation accuracy %v != Evaluate %v", all["validation"][EvalAccuracyName], valAcc)
	}
	if got := s.TrainableParams(); got != s.ParamCount {
		t.Errorf("Store has %d trainable parameters, ParamCount says %d", got, s.ParamCount)
	}
	if s.Hyperparameters["params"] != s.ParamCount || s.Hyperparameters["train_examples"] != data.Train.Len() {
		t.Errorf("hyperparameters %v", s.Hyperparameters)
	}
}

// TestDeterministic: same config and seed, same losses; another seed, other losses.
func TestDeterministic(t *testing.T) {
	backend, data := testBackend(t), testData(t)
	run := func(seed int64) []float64 {
		s, err := newSetup(backend, Config{Seed: seed}, data)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Finalize()
		var losses []float64
		s.Loop.OnStep("loss", 0, func(_ *train.Loop, m []*tensors.Tensor) error {
			losses = append(losses, Float(m[TrainLoss]))
			return nil
		})
		if err := s.Train(30); err != nil {
			t.Fatal(err)
		}
		return losses
	}
	a, b, c := run(3), run(3), run(4)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different losses:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Error("different seeds, same losses")
	}
}

// TestVariants trains each normalization / optimizer / activation briefly.
func TestVariants(t *testing.T) {
	backend, data := testBackend(t), testData(t)
	for _, cfg := range []Config{
		{Normalization: "layer"},
		{Normalization: "batch", LearningRate: 0.01},
		{Optimizer: "sgd"},
		{Activation: "sigmoid", LearningRate: 0.01},
		{Activation: "swiglu", Hidden: []int{32}},
		{Hidden: []int{256, 128, 64}, BatchSize: 128},
	} {
		t.Run(strings.ReplaceAll(cfg.Description(), " ", "_"), func(t *testing.T) {
			s, err := newSetup(backend, cfg, data)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Finalize()
			if err := s.Train(200); err != nil {
				t.Fatal(err)
			}
			all, err := s.EvaluateAll()
			if err != nil {
				t.Fatal(err)
			}
			acc := all["validation"][EvalAccuracyName]
			t.Logf("validation accuracy %.4f", acc)
			if !(acc > 0.8) {
				t.Errorf("validation accuracy %.4f after 200 steps", acc)
			}
			if got := s.TrainableParams(); got != s.ParamCount {
				t.Errorf("Store has %d trainable parameters, ParamCount says %d", got, s.ParamCount)
			}
		})
	}
}

// BenchmarkTrainStep reports training steps per second of the default model (compilation
// excluded).
func BenchmarkTrainStep(b *testing.B) {
	backend, data := testBackend(b), testData(b)
	for _, batch := range []int{64, 256} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			s, err := newSetup(backend, Config{BatchSize: batch}, data)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Finalize()
			if err := s.Train(5); err != nil { // compile and warm up.
				b.Fatal(err)
			}
			b.ResetTimer()
			if err := s.Train(b.N); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "examples/s")
		})
	}
}

// BenchmarkDemo2000 measures what the demo does: New, 2000 steps with a recording hook,
// and EvaluateAll, all included.
func BenchmarkDemo2000(b *testing.B) {
	backend, data := testBackend(b), testData(b)
	var acc float64
	for b.Loop() {
		s, err := newSetup(backend, Config{}, data)
		if err != nil {
			b.Fatal(err)
		}
		var losses []float64
		s.Loop.OnStep("loss", 0, func(_ *train.Loop, m []*tensors.Tensor) error {
			losses = append(losses, Float(m[TrainAvgLoss]))
			return nil
		})
		if err := s.Train(2000); err != nil {
			b.Fatal(err)
		}
		all, err := s.EvaluateAll()
		if err != nil {
			b.Fatal(err)
		}
		acc = all["validation"][EvalAccuracyName]
		s.Finalize()
	}
	b.ReportMetric(acc, "val_acc")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
}

// The demo trains on XLA on the CPU to the accuracy it reaches on the pure-Go backend.
func TestSameAccuracyOnXLACPU(t *testing.T) {
	data := testData(t)
	const steps = 600
	acc := map[string]float64{}
	xlatest.Run(t, func(t *testing.T, backend compute.Backend) {
		s, err := newSetup(backend, Config{}, data)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Finalize()
		if err := s.Train(steps); err != nil {
			t.Fatal(err)
		}
		all, err := s.EvaluateAll()
		if err != nil {
			t.Fatal(err)
		}
		a := all["validation"][EvalAccuracyName]
		t.Logf("%s: validation accuracy %.4f after %d steps", backend.Name(), a, steps)
		if !(a > 0.9) {
			t.Errorf("%s: validation accuracy %.4f after %d steps, want > 0.9", backend.Name(), a, steps)
		}
		acc[t.Name()] = a
	})
	g, x := acc[t.Name()+"/"+xlatest.GoName], acc[t.Name()+"/"+xlatest.XLACPUName]
	if g > 0 && x > 0 && math.Abs(g-x) > 0.03 {
		t.Errorf("validation accuracy %.4f on go, %.4f on xla-cpu: more than 0.03 apart", g, x)
	}
}

// TestDigitsCNN trains the CNN on each backend (its max pool has a gradient on the Go
// backend too) and reads a split back with Examples.
func TestDigitsCNN(t *testing.T) {
	xlatest.Run(t, func(t *testing.T, backend compute.Backend) {
		s, err := DigitsCNN(backend, Config{LearningRate: 0.003})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Finalize()
		if !strings.HasPrefix(s.Description, "CNN conv 8, conv 16") || s.Hyperparameters["model"] != "cnn" {
			t.Errorf("description %q, hyperparameters %v", s.Description, s.Hyperparameters)
		}
		const steps = 100
		start := time.Now()
		if err := s.Train(steps); err != nil {
			t.Fatal(err)
		}
		elapsed := time.Since(start)
		if got := s.TrainableParams(); got != s.ParamCount || got != CNNParams {
			t.Errorf("Store has %d trainable parameters, ParamCount says %d, CNNParams %d", got, s.ParamCount, CNNParams)
		}
		_, values, err := s.Evaluate(s.ValidationDS)
		if err != nil {
			t.Fatal(err)
		}
		if acc := values[EvalAccuracy]; !(acc > 0.8) {
			t.Errorf("validation accuracy %.4f after %d steps, want > 0.8", acc, steps)
		}
		t.Logf("%s: %d steps in %v, validation accuracy %.4f", s.Description, steps, elapsed.Round(time.Millisecond), values[EvalAccuracy])

		x, labels, err := s.Examples("validation")
		if err != nil {
			t.Fatal(err)
		}
		if got := x.Shape().Dimensions; len(got) != 2 || got[0] != len(labels) || got[1] != 64 || len(labels) != s.Hyperparameters["validation_examples"] {
			t.Errorf("validation examples %v, %d labels, %v in the split", x.Shape(), len(labels), s.Hyperparameters["validation_examples"])
		}
		if _, _, err := s.Examples("holdout"); err == nil || !strings.Contains(err.Error(), "valid: train, validation, test") {
			t.Errorf("unknown split: %v", err)
		}
	})
	if err := (Config{Model: "rnn"}).WithDefaults().Validate(); err == nil || !strings.Contains(err.Error(), `unknown model "rnn"`) {
		t.Errorf("unknown model: %v", err)
	}
}
