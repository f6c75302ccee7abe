// SPDX-License-Identifier: Apache-2.0

package demo

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/dataset"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/layers/norm"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/metric"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/internal/digits"
)

// Config of the model and its training. The zero value is the default demo:
// 64-128-64-10, relu, no normalization, Adam with learning rate 0.001, batch 64, seed 0.
type Config struct {
	// Model: "mlp" (default: the MLP of Hidden, Activation and Normalization) or "cnn"
	// (CNNGraph on the 8x8 images; Hidden, Activation and Normalization are not used).
	Model string
	// Hidden layer widths, input to output. Default {128, 64}.
	Hidden []int
	// Activation after each hidden layer: a GoMLX activation name, e.g. "relu" (default),
	// "sigmoid", "tanh", "leaky_relu", "selu", "swish" (= "silu"), "gelu", "none".
	// Case and underscores are ignored ("leaky_relu" = "LeakyRelu").
	Activation string
	// Normalization after each hidden dense layer, before its activation:
	// "none" (default), "layer" (norm.LayerNorm) or "batch" (norm.BatchNorm).
	Normalization string
	// LearningRate; 0 means the optimizer's default: 0.001 for Adam, 0.1 for SGD.
	LearningRate float64
	// Optimizer: "adam" (default) or "sgd" (plain SGD: constant learning rate, no decay).
	Optimizer string
	// BatchSize of the training dataset. Default 64.
	BatchSize int
	// Seed for the weight initialisation and the batch order (the data split is the same
	// for every seed). Every seed, 0 included, gives a reproducible run.
	Seed int64
	// Capture, when set, wraps the optimizer and is attached to the loop, recording
	// weights, gradients and the hidden layers' activations.
	Capture *capture.Capture
}

// Defaults.
const (
	DefaultModel             = "mlp"
	DefaultActivation        = "relu"
	DefaultNormalization     = "none"
	DefaultOptimizer         = "adam"
	DefaultAdamLearningRate  = 0.001
	DefaultSGDLearningRate   = 0.1
	DefaultBatchSize         = 64
	DefaultEvalBatchSize     = 0 // whole split in one batch: one compiled eval graph per split.
	ModelScope               = "model"
	MovingAverageMetricDecay = 0.01 // newExampleWeight of GoMLX's moving-average metrics.
)

// DefaultHidden is the default Config.Hidden.
var DefaultHidden = []int{128, 64}

// Names of the metrics, as trainer.TrainMetrics()[i].Name() and trainer.EvalMetrics()[i].Name().
const (
	TrainLossName        = "Loss"                    // [0], added by GoMLX: batch loss
	TrainAvgLossName     = "Moving Average Loss"     // [1], added by GoMLX
	TrainAccuracyName    = "Accuracy"                // [2]: batch accuracy
	TrainAvgAccuracyName = "Moving Average Accuracy" // [3]
	EvalLossName         = "Mean Loss"               // eval [0], added by GoMLX
	EvalAccuracyName     = "Mean Accuracy"           // eval [1]
)

// Indices into the metrics slice given to OnStep/OnEnd hooks and returned by Loop.RunSteps
// (they line up with Trainer.TrainMetrics()), and into Trainer.Eval's result.
const (
	TrainLoss = iota
	TrainAvgLoss
	TrainAccuracy
	TrainAvgAccuracy
)
const (
	EvalLoss = iota
	EvalAccuracy
)

// WithDefaults returns the configuration with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Model == "" {
		c.Model = DefaultModel
	}
	c.Model = strings.ToLower(c.Model)
	if len(c.Hidden) == 0 {
		c.Hidden = slices.Clone(DefaultHidden)
	} else {
		c.Hidden = slices.Clone(c.Hidden)
	}
	if c.Activation == "" {
		c.Activation = DefaultActivation
	}
	if c.Normalization == "" {
		c.Normalization = DefaultNormalization
	}
	if c.Optimizer == "" {
		c.Optimizer = DefaultOptimizer
	}
	c.Optimizer = strings.ToLower(c.Optimizer)
	if c.LearningRate == 0 {
		if c.Optimizer == "sgd" {
			c.LearningRate = DefaultSGDLearningRate
		} else {
			c.LearningRate = DefaultAdamLearningRate
		}
	}
	if c.BatchSize == 0 {
		c.BatchSize = DefaultBatchSize
	}
	return c
}

// activationType parses Config.Activation; GoMLX's own names have no underscores
// ("leakyrelu", "hardswish", "geluapprox") and activation.FromName panics on a bad one.
func activationType(name string) (activation.Type, error) {
	key := strings.ToLower(strings.ReplaceAll(name, "_", ""))
	if act, ok := activation.Aliases[name]; ok {
		return act, nil
	}
	act, err := activation.TypeString(key)
	if err != nil {
		return 0, fmt.Errorf("demo: unknown activation %q; valid: %v", name, activation.TypeValues())
	}
	return act, nil
}

// Validate reports the first invalid field (after WithDefaults).
func (c Config) Validate() error {
	if c.Model != "mlp" && c.Model != "cnn" {
		return fmt.Errorf("demo: unknown model %q; valid: mlp, cnn", c.Model)
	}
	for _, h := range c.Hidden {
		if h <= 0 {
			return fmt.Errorf("demo: hidden layer widths must be positive, got %v", c.Hidden)
		}
	}
	if _, err := activationType(c.Activation); err != nil {
		return err
	}
	switch c.Normalization {
	case "none", "layer", "batch":
	default:
		return fmt.Errorf("demo: unknown normalization %q; valid: none, layer, batch", c.Normalization)
	}
	switch c.Optimizer {
	case "adam", "sgd":
	default:
		return fmt.Errorf("demo: unknown optimizer %q; valid: adam, sgd", c.Optimizer)
	}
	if !(c.LearningRate > 0) {
		return fmt.Errorf("demo: learning rate must be positive, got %g", c.LearningRate)
	}
	if c.BatchSize <= 0 {
		return fmt.Errorf("demo: batch size must be positive, got %d", c.BatchSize)
	}
	return nil
}

// Widths returns the layer widths from input to output: 64, the hidden widths, 10.
func (c Config) Widths() []int {
	w := []int{digits.NumFeatures}
	w = append(w, c.WithDefaults().Hidden...)
	return append(w, digits.NumClasses)
}

// Description is a one-line summary, e.g. "MLP 64-128-64-10, relu, adam lr=0.001";
// a normalization other than "none" is named after the activation ("relu, layer norm").
// The CNN's is "CNN conv 8, conv 16, max pool, dense 32, 10, adam lr=0.001".
func (c Config) Description() string {
	c = c.WithDefaults()
	if c.Model == "cnn" {
		return "CNN conv 8, conv 16, max pool, dense 32, 10, " + c.Optimizer + " lr=" + strconv.FormatFloat(c.LearningRate, 'g', -1, 64)
	}
	ws := make([]string, 0, len(c.Hidden)+2)
	for _, w := range c.Widths() {
		ws = append(ws, strconv.Itoa(w))
	}
	desc := "MLP " + strings.Join(ws, "-") + ", " + c.Activation
	if c.Normalization != "none" {
		desc += ", " + c.Normalization + " norm"
	}
	return desc + ", " + c.Optimizer + " lr=" + strconv.FormatFloat(c.LearningRate, 'g', -1, 64)
}

// ParamCount returns the number of trainable parameters (weights, biases, and the scale and
// offset of each normalization layer). It equals the total size of the Store's trainable
// variables once the first step has built the model.
func (c Config) ParamCount() int {
	c = c.WithDefaults()
	if c.Model == "cnn" {
		return CNNParams
	}
	act, _ := activationType(c.Activation)
	n, in := 0, digits.NumFeatures
	for _, h := range c.Hidden {
		out := h * act.HiddenDimMultiplier() // SwiGLU halves its input.
		n += in*out + out
		if c.Normalization != "none" {
			n += 2 * out
		}
		in = h
	}
	return n + in*digits.NumClasses + digits.NumClasses
}

// Setup is a ready-to-train model: call Train (or Loop.RunSteps(TrainDS, n)) and Evaluate.
type Setup struct {
	// Config with defaults filled in.
	Config Config
	// Backend everything runs on.
	Backend compute.Backend
	// Store holds the variables and hyperparameters. Model variables live under "/model";
	// optimizer moments, metric state, the global step and the RNG state are in it too
	// (filter on Variable.Trainable). Variables are created by the first step.
	Store *model.Store
	// Trainer: train metrics are Loss, Moving Average Loss, Accuracy, Moving Average Accuracy
	// (see TrainLoss...); eval metrics are Mean Loss, Mean Accuracy (see EvalLoss...).
	Trainer *train.Trainer
	// Loop runs the steps and calls the OnStart/OnStep/OnEnd hooks.
	Loop *train.Loop
	// TrainDS is the infinite, shuffled, batched training dataset (for Loop.RunSteps),
	// assembled on the host: no gather graph runs per step.
	TrainDS train.Dataset
	// ValidationDS and TrainEvalDS are finite, one-batch datasets for Trainer.Eval, named
	// "validation" and "train-eval"; TestDS is nil when the data has no test split.
	ValidationDS, TrainEvalDS, TestDS *dataset.InMemoryDataset
	// EvalDS lists the eval datasets: validation, train-eval (and test when present).
	EvalDS []train.Dataset
	// Description is Config.Description(), e.g. "MLP 64-128-64-10, relu, adam lr=0.001".
	Description string
	// Hyperparameters, for display and run records: hidden, activation, normalization,
	// optimizer, learning_rate, batch_size, seed, params, train_examples, validation_examples,
	// test_examples.
	Hyperparameters map[string]any
	// ParamCount is the number of trainable parameters (Config.ParamCount()).
	ParamCount int
	// EpochSteps is the number of training steps per epoch of TrainDS.
	EpochSteps int

	data digits.Splits
}

// newSetup builds the model, trainer, loop and datasets. data.Train and data.Validation are
// required, data.Test is optional. Nothing is compiled or run until the first step.
func newSetup(backend compute.Backend, cfg Config, data digits.Splits) (*Setup, error) {
	if backend == nil {
		return nil, fmt.Errorf("demo: nil backend")
	}
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if data.Train == nil || data.Validation == nil || data.Train.Len() == 0 || data.Validation.Len() == 0 {
		return nil, fmt.Errorf("demo: data needs non-empty Train and Validation sets")
	}
	s := &Setup{Config: cfg, Backend: backend, Description: cfg.Description(), ParamCount: cfg.ParamCount(),
		EpochSteps: max(1, data.Train.Len()/cfg.BatchSize), data: data}

	// Store with a fixed initializer seed: the variables are initialised deterministically.
	s.Store = model.NewStore()
	s.Store.SetParam(model.ParamInitialSeed, cfg.Seed) // must be an int64.

	var err error
	s.TrainDS, err = data.Train.Batches("train", cfg.BatchSize, cfg.Seed)
	if err != nil {
		return nil, err
	}
	s.ValidationDS, err = data.Validation.EvalDataset(backend, "validation", DefaultEvalBatchSize)
	if err != nil {
		return nil, err
	}
	s.TrainEvalDS, err = data.Train.EvalDataset(backend, "train-eval", DefaultEvalBatchSize)
	if err != nil {
		return nil, err
	}
	s.TrainEvalDS.SetName("train-eval", "tre")
	s.EvalDS = []train.Dataset{s.ValidationDS, s.TrainEvalDS}
	if data.Test != nil && data.Test.Len() > 0 {
		if s.TestDS, err = data.Test.EvalDataset(backend, "test", DefaultEvalBatchSize); err != nil {
			return nil, err
		}
		s.EvalDS = append(s.EvalDS, s.TestDS)
	}

	var opt optimizer.Interface
	switch cfg.Optimizer {
	case "adam":
		opt = optimizer.Adam().LearningRate(cfg.LearningRate).Done()
	case "sgd":
		opt = optimizer.StochasticGradientDescent().WithDecay(false).WithLearningRate(cfg.LearningRate).Done()
	}

	trainMetrics := []metric.Interface{
		metric.NewBaseMetric(TrainAccuracyName, "acc", metric.AccuracyMetricType,
			metric.SparseCategoricalAccuracyGraph, nil),
		metric.NewMovingAverageSparseCategoricalAccuracy(TrainAvgAccuracyName, "~acc", MovingAverageMetricDecay),
	}
	evalMetrics := []metric.Interface{
		metric.NewSparseCategoricalAccuracy(EvalAccuracyName, "#acc"),
	}
	if cfg.Capture != nil {
		opt = cfg.Capture.Optimizer(opt)
	}
	if e := exceptions.TryCatch[error](func() {
		s.Trainer = train.NewTrainer(backend, s.Store, s.ModelGraph,
			loss.SparseCategoricalCrossEntropyLogits, opt, trainMetrics, evalMetrics)
		s.Loop = train.NewLoop(s.Trainer)
	}); e != nil {
		return nil, fmt.Errorf("demo: creating trainer: %w", e)
	}
	if cfg.Capture != nil {
		if err := cfg.Capture.Attach(s.Loop); err != nil {
			return nil, err
		}
	}

	s.Hyperparameters = map[string]any{
		"model":               cfg.Model,
		"hidden":              slices.Clone(cfg.Hidden),
		"activation":          cfg.Activation,
		"normalization":       cfg.Normalization,
		"optimizer":           cfg.Optimizer,
		"learning_rate":       cfg.LearningRate,
		"batch_size":          cfg.BatchSize,
		"seed":                cfg.Seed,
		"params":              s.ParamCount,
		"train_examples":      data.Train.Len(),
		"validation_examples": data.Validation.Len(),
		"test_examples":       0,
	}
	if data.Test != nil {
		s.Hyperparameters["test_examples"] = data.Test.Len()
	}
	return s, nil
}

// ModelGraph builds the MLP: for each hidden width, a dense layer (scope
// "/model/hidden_<i>/dense"), the normalization if any, the activation (marked with
// capture.Activation as "/model/hidden_<i>"); then the output
// dense layer ("/model/output/dense") giving the logits [batch, 10]. x is [batch, 64] float32.
// With Config.Model "cnn" it is CNNGraph (scope "/model/cnn/...") on x reshaped to
// [batch, 8, 8, 1].
// It is the trainer's model function; reuse it (with the same Store) for inference.
func (s *Setup) ModelGraph(scope *model.Scope, x *graph.Node) *graph.Node {
	cfg := s.Config
	if cfg.Model == "cnn" {
		return CNNGraph(scope.In(ModelScope), graph.Reshape(x, -1, digits.Height, digits.Width, 1))
	}
	act, _ := activationType(cfg.Activation) // validated in New.
	scope = scope.In(ModelScope)
	for i, h := range cfg.Hidden {
		layer := scope.In("hidden_%d", i)
		x = layers.DenseWithBias(layer, x, h*act.HiddenDimMultiplier())
		switch cfg.Normalization {
		case "layer":
			x = norm.LayerNorm(layer, x, -1).Done()
		case "batch":
			// The Go backend lacks the fused BatchNormForTraining op: use the graph version.
			x = norm.BatchNorm(layer, x, -1).UseBackendInference(false).Done()
		}
		x = activation.Apply(act, x)
		x = capture.Activation(layer, x) // recorded when a capture is attached
	}
	return layers.DenseWithBias(scope.In("output"), x, digits.NumClasses)
}

// Train runs steps training steps on TrainDS (hooks included) and frees the final metrics.
// With Config.Capture, TrainDS goes through the capture's Dataset wrapper.
func (s *Setup) Train(steps int) error {
	var ds train.Dataset = s.TrainDS
	if s.Config.Capture != nil {
		ds = s.Config.Capture.Dataset(ds)
	}
	metrics, err := s.Loop.RunSteps(ds, steps)
	for _, m := range metrics {
		_ = m.FinalizeAll()
	}
	return err
}

// Evaluate runs Trainer.Eval over a finite dataset and returns the eval metric names
// (Trainer.EvalMetrics()[i].Name(): "Mean Loss", "Mean Accuracy") with their values as
// float64; the tensors are freed.
func (s *Setup) Evaluate(ds train.Dataset) (names []string, values []float64, err error) {
	results, err := s.Trainer.Eval(ds)
	if err != nil {
		return nil, nil, err
	}
	for i, m := range s.Trainer.EvalMetrics() {
		names = append(names, m.Name())
		values = append(values, Float(results[i]))
	}
	for _, t := range results {
		_ = t.FinalizeAll()
	}
	return names, values, nil
}

// UpdateBatchNormAverages recomputes the batch-normalization mean and variance used at
// inference over one pass of TrainEvalDS (norm.UpdateBatchNormAverages). Without it the
// moving averages lag the training (momentum 0.99) and evaluation accuracy is far below the
// training accuracy early on. It is a no-op (false) unless Normalization is "batch".
func (s *Setup) UpdateBatchNormAverages() (bool, error) {
	return norm.UpdateBatchNormAverages(s.Trainer, s.TrainEvalDS)
}

// EvaluateAll calls UpdateBatchNormAverages, then evaluates every dataset in EvalDS:
// dataset name -> metric name -> value.
func (s *Setup) EvaluateAll() (map[string]map[string]float64, error) {
	if _, err := s.UpdateBatchNormAverages(); err != nil {
		return nil, fmt.Errorf("demo: updating batch-norm averages: %w", err)
	}
	out := make(map[string]map[string]float64, len(s.EvalDS))
	for _, ds := range s.EvalDS {
		names, values, err := s.Evaluate(ds)
		if err != nil {
			return nil, fmt.Errorf("demo: evaluating %q: %w", ds.Name(), err)
		}
		out[ds.Name()] = maps.Collect(func(yield func(string, float64) bool) {
			for i := range names {
				if !yield(names[i], values[i]) {
					return
				}
			}
		})
	}
	return out, nil
}

// Examples returns the examples of a split ("train", "validation" or "test"): their
// pixels as a float32 tensor [examples, 64] (8x8 images, row-major, values in [0, 1], the
// model's input) and their digits.
func (s *Setup) Examples(split string) (pixels *tensors.Tensor, labels []int, err error) {
	var set *digits.Set
	switch split {
	case "train":
		set = s.data.Train
	case "validation":
		set = s.data.Validation
	case "test":
		set = s.data.Test
	default:
		return nil, nil, fmt.Errorf("demo: unknown split %q; valid: train, validation, test", split)
	}
	if set == nil || set.Len() == 0 {
		return nil, nil, fmt.Errorf("demo: the %s split is empty", split)
	}
	flat, _ := set.Flat()
	return tensors.FromFlatDataAndDimensions(flat, set.Len(), digits.NumFeatures), slices.Clone(set.Labels), nil
}

// TrainableParams counts the elements of the Store's trainable variables (0 before the
// first step has created them).
func (s *Setup) TrainableParams() int {
	n := 0
	for v := range s.Store.IterVariables() {
		if v.Trainable {
			n += v.Shape().Size()
		}
	}
	return n
}

// Finalize frees the datasets' tensors and the Store's variables. The Setup is unusable after.
func (s *Setup) Finalize() {
	for _, ds := range []*dataset.InMemoryDataset{s.ValidationDS, s.TrainEvalDS, s.TestDS} {
		if ds != nil {
			ds.FinalizeAll()
		}
	}
	s.Store.Finalize()
}

// Float copies a scalar metric tensor to a float64. Use it inside OnStep/OnEnd hooks: the
// metric tensors are freed after the step, so keep the float, never the tensor.
func Float(t *tensors.Tensor) float64 { return shapes.ConvertTo[float64](t.Value()) }
