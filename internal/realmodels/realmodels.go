// SPDX-License-Identifier: Apache-2.0

// Package realmodels holds two model functions larger than the demo models, built only
// from GoMLX's own layers, whose op graphs exercise the diagrams' layout engine on
// realistic sizes: a 12-block transformer from GoMLX's model zoo and a ResNet-style CNN
// with projection shortcuts. The layout benchmark (bench layout) and the layout tests
// draw them; they are not trained.
package realmodels

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/layers/norm"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/zoo/transformer"

	"github.com/gonbviz/gonbviz/demo"
)

// Names lists the models, in the order of All.
var Names = []string{"transformer-12", "resnet"}

// All returns the models.
func All() []demo.Model { return []demo.Model{Transformer12(), ResNet()} }

// Transformer-12 sizes.
const (
	TransformerLayers = 12
	TransformerVocab  = 1000
	TransformerEmbed  = 64
	TransformerHeads  = 4
	TransformerSeqLen = 32
	TransformerBatch  = 8
)

// Transformer12 is the decoder of GoMLX's model zoo (ml/zoo/transformer) with 12 blocks:
// token embedding, 12 transformer blocks (multi-head causal self-attention, layer norm,
// feed-forward with gelu, residual connections) and the output projection to the
// vocabulary; the demo transformer (demo.Transformer) has the same blocks, two of them.
func Transformer12() demo.Model {
	return demo.Model{
		Name:  "transformer-12",
		Title: fmt.Sprintf("transformer (GoMLX zoo): %d blocks, %d heads, embed %d, vocab %d", TransformerLayers, TransformerHeads, TransformerEmbed, TransformerVocab),
		Fn: func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
			m := transformer.New(scope.In("transformer")).
				WithVocabSize(TransformerVocab).WithEmbedDim(TransformerEmbed).WithNumLayers(TransformerLayers).
				WithNumHeads(TransformerHeads).WithHeadDim(TransformerEmbed / TransformerHeads)
			return []*graph.Node{m.Logits(inputs[0], transformer.CallOptions{})}
		},
		InputShapes: []shapes.Shape{shapes.Make(dtypes.Int32, TransformerBatch, TransformerSeqLen)},
	}
}

// ResNet stages: output channels of each stage, and residual blocks per stage.
var (
	ResNetChannels = []int{16, 32, 64}
	ResNetBlocks   = 2
)

// ResNet is a ResNet-style CNN for 32x32 RGB images (in the manner of the CIFAR ResNets
// of He et al.): a 3x3 stem convolution with batch norm and relu, three stages of two
// basic residual blocks (two 3x3 convolutions with batch norm; the first block of the
// second and third stages halves the resolution, and its shortcut is a projection, a
// strided 1x1 convolution with batch norm), global average pooling and a dense layer to
// 10 logits.
func ResNet() demo.Model {
	return demo.Model{
		Name:  "resnet",
		Title: fmt.Sprintf("ResNet-style CNN: stages %v, %d blocks each, projection shortcuts", ResNetChannels, ResNetBlocks),
		Fn: func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
			return []*graph.Node{resNetGraph(scope.In("resnet"), inputs[0])}
		},
		InputShapes: []shapes.Shape{shapes.Make(dtypes.Float32, 16, 32, 32, 3)},
	}
}

func resNetGraph(scope *model.Scope, x *graph.Node) *graph.Node {
	convBN := func(s *model.Scope, x *graph.Node, channels, kernel, stride int) *graph.Node {
		x = layers.Convolution(s.In("conv"), x).Channels(channels).KernelSize(kernel).Strides(stride).PadSame().UseBias(false).Done()
		// The explicit inference graph (the go backend has no fused BatchNormForInference).
		return norm.BatchNorm(s.In("bn"), x, -1).UseBackendInference(false).Done()
	}
	x = activation.Relu(convBN(scope.In("stem"), x, ResNetChannels[0], 3, 1))
	in := ResNetChannels[0]
	for stage, ch := range ResNetChannels {
		for b := range ResNetBlocks {
			s := scope.In("stage%d_block%d", stage+1, b+1)
			stride := 1
			if stage > 0 && b == 0 {
				stride = 2
			}
			shortcut := x
			if stride != 1 || in != ch {
				shortcut = convBN(s.In("shortcut"), x, ch, 1, stride)
			}
			y := activation.Relu(convBN(s.In("a"), x, ch, 3, stride))
			y = convBN(s.In("b"), y, ch, 3, 1)
			x = activation.Relu(graph.Add(y, shortcut))
			in = ch
		}
	}
	x = graph.ReduceMean(x, 1, 2)
	return layers.DenseWithBias(scope.In("logits"), x, 10)
}
