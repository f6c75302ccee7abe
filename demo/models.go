// SPDX-License-Identifier: Apache-2.0

package demo

import (
	"fmt"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/zoo/transformer"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/internal/digits"
)

// Names lists the built-in models.
var ModelNames = []string{"mlp", "cnn", "transformer"}

// ModelBatchSize is the batch size of the demo models' inputs.
const ModelBatchSize = 64

// Model is a demo model: a GoMLX model function and the shapes of its inputs.
type Model struct {
	Name        string
	Title       string
	Fn          func(scope *model.Scope, inputs []*graph.Node) []*graph.Node
	InputShapes []shapes.Shape
}

// Get returns the demo model of that name ("mlp", "cnn" or "transformer").
func GetModel(name string) (Model, error) {
	switch strings.ToLower(name) {
	case "mlp":
		return MLP(), nil
	case "cnn":
		return CNN(), nil
	case "transformer":
		return Transformer(), nil
	}
	return Model{}, fmt.Errorf("demo: unknown model %q; valid: %s", name, strings.Join(ModelNames, ", "))
}

// Diagram builds the diagram of the named demo model (see Get). opts.Title defaults to the
// model's title.
func Diagram(name string, opts diagram.Options) (*diagram.Diagram, error) {
	m, err := GetModel(name)
	if err != nil {
		return nil, err
	}
	if opts.Title == "" {
		opts.Title = m.Title
	}
	return diagram.FromModel(nil, m.Fn, m.InputShapes, opts)
}

// MLP is the digits MLP of the gonbviz demo (64-128-64-10, relu): the same model function
// the demo trains (scopes /model/hidden_<i>/dense and /model/output/dense).
func MLP() Model {
	s := &Setup{Config: Config{}.WithDefaults()}
	return Model{
		Name:  "mlp",
		Title: "digits " + strings.SplitN(s.Config.Description(), ", adam", 2)[0],
		Fn: func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
			return []*graph.Node{s.ModelGraph(scope, inputs[0])}
		},
		InputShapes: []shapes.Shape{shapes.Make(dtypes.Float32, ModelBatchSize, digits.NumFeatures)},
	}
}

// CNNGraph is a small convolutional network for the 8x8 digits: two 3x3 convolutions with
// relu (8 and 16 channels, same padding), a 2x2 max pool, a dense layer of 32 with relu
// and the 10 logits. x is [batch, 8, 8, 1]. The activations of conv1, conv2 and hidden are
// marked with capture.Activation ("/cnn/conv1", ...): capture.Activations returns them.
func CNNGraph(scope *model.Scope, x *graph.Node) *graph.Node {
	scope = scope.In("cnn")
	conv1, conv2, hidden := scope.In("conv1"), scope.In("conv2"), scope.In("hidden")
	x = layers.Convolution(conv1, x).Channels(8).KernelSize(3).PadSame().Done()
	x = activation.Relu(x)
	x = capture.Activation(conv1, x) // "/cnn/conv1": feature maps [batch, 8, 8, 8]
	x = layers.Convolution(conv2, x).Channels(16).KernelSize(3).PadSame().Done()
	x = activation.Relu(x)
	x = capture.Activation(conv2, x) // "/cnn/conv2": [batch, 8, 8, 16]
	x = maxPool2(x)
	x = graph.Reshape(x, x.Shape().Dimensions[0], -1)
	x = layers.DenseWithBias(hidden, x, 32)
	x = activation.Relu(x)
	x = capture.Activation(hidden, x) // "/cnn/hidden": [batch, 32]
	return layers.DenseWithBias(scope.In("output"), x, digits.NumClasses)
}

// maxPool2 is a 2x2 max pool with stride 2 of x [batch, height, width, channels] (even
// height and width), written as a reshape and a ReduceMax rather than graph.MaxPool, so
// that it has a gradient on every backend: the pure-Go backend lacks SelectAndScatterMax,
// the gradient of graph.MaxPool, so the CNN could neither train nor be explained there.
func maxPool2(x *graph.Node) *graph.Node {
	d := x.Shape().Dimensions
	x = graph.Reshape(x, d[0], d[1]/2, 2, d[2]/2, 2, d[3])
	return graph.ReduceMax(x, 2, 4)
}

// CNNParams is the number of trainable parameters of CNNGraph.
const CNNParams = 8*9 + 8 + 16*8*9 + 16 + 16*4*4*32 + 32 + 32*digits.NumClasses + digits.NumClasses

// CNN is CNNGraph on a batch of 8x8 one-channel images.
func CNN() Model {
	return Model{
		Name:  "cnn",
		Title: "digits CNN (conv 8, conv 16, max pool, dense 32, 10)",
		Fn: func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
			return []*graph.Node{CNNGraph(scope, inputs[0])}
		},
		InputShapes: []shapes.Shape{shapes.Make(dtypes.Float32, ModelBatchSize, 8, 8, 1)},
	}
}

// Transformer sizes.
const (
	TransformerVocab  = 1000
	TransformerEmbed  = 64
	TransformerLayers = 2
	TransformerHeads  = 4
	TransformerSeqLen = 32
	TransformerBatch  = 8
)

// TransformerGraph is a small decoder from GoMLX's model zoo (ml/zoo/transformer):
// token embedding, two transformer blocks (multi-head causal self-attention, layer norm,
// feed-forward with gelu) and the output projection to the vocabulary. tokens is
// [batch, seqLen] int32.
func TransformerGraph(scope *model.Scope, tokens *graph.Node) *graph.Node {
	m := transformer.New(scope.In("transformer")).
		WithVocabSize(TransformerVocab).WithEmbedDim(TransformerEmbed).WithNumLayers(TransformerLayers).
		WithNumHeads(TransformerHeads).WithHeadDim(TransformerEmbed / TransformerHeads)
	return m.Logits(tokens, transformer.CallOptions{})
}

// Transformer is TransformerGraph on a batch of token sequences.
func Transformer() Model {
	return Model{
		Name:  "transformer",
		Title: fmt.Sprintf("transformer (GoMLX zoo): %d blocks, %d heads, embed %d, vocab %d", TransformerLayers, TransformerHeads, TransformerEmbed, TransformerVocab),
		Fn: func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
			return []*graph.Node{TransformerGraph(scope, inputs[0])}
		},
		InputShapes: []shapes.Shape{shapes.Make(dtypes.Int32, TransformerBatch, TransformerSeqLen)},
	}
}
