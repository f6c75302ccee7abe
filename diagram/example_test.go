// SPDX-License-Identifier: Apache-2.0

package diagram_test

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gonbviz/gonbviz/diagram"
)

// The diagram of a two-layer MLP, built from its model function and input shape without
// running it, summarised as Keras' model.summary() does.
func ExampleFromModel() {
	mlp := func(scope *model.Scope, x *graph.Node) *graph.Node {
		x = activation.Relu(layers.DenseWithBias(scope.In("hidden_0"), x, 128))
		return layers.DenseWithBias(scope.In("output"), x, 10)
	}
	d, err := diagram.FromModel(model.NewStore(), mlp, []shapes.Shape{shapes.Make(dtypes.Float32, 32, 64)}, diagram.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(d.Summary())
	// Output:
	// Model: "model"
	// ________________________________________________________________________
	//  Layer (type)                     Output Shape       Param #   Trainable
	// ========================================================================
	//  input 0 (Input)                  float32[32, 64]          0
	// ────────────────────────────────────────────────────────────────────────
	//  /hidden_0/dense (Dense)          float32[32, 128]     8,320   yes
	// ────────────────────────────────────────────────────────────────────────
	//  relu in /hidden_0 (Activation)   float32[32, 128]         0
	// ────────────────────────────────────────────────────────────────────────
	//  /output/dense (Dense)            float32[32, 10]      1,290   yes
	// ========================================================================
	// Total params: 9,610 (37.54 KB)
	// Trainable params: 9,610 (37.54 KB)
	// Non-trainable params: 0 (0 B)
	// 8 ops (6 graph nodes pruned: no output depends on them)
}
