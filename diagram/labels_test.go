// SPDX-License-Identifier: Apache-2.0

package diagram_test

import (
	"fmt"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/diagram"
)

// newUserMLP is a 2-layer MLP written the way a new user writes one.
func newUserMLP(scope *model.Scope, x *graph.Node) *graph.Node {
	x = layers.DenseWithBias(scope.In("hidden_0"), x, 128)
	x = activation.Relu(x)
	return layers.DenseWithBias(scope.In("output"), x, 10)
}

// TestLabelsClear checks that no edge crosses a group label or the text of a box, and no
// box or edge label covers one, on the demo models at every depth they open to and on a
// new user's MLP, in both directions.
func TestLabelsClear(t *testing.T) {
	var ds []*diagram.Diagram
	for _, name := range demo.ModelNames {
		d, err := demo.Diagram(name, diagram.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	d, err := diagram.FromModel(nil, newUserMLP, []shapes.Shape{shapes.Make(dtypes.Float32, 32, 64)}, diagram.Options{Title: "new user's MLP"})
	if err != nil {
		t.Fatal(err)
	}
	ds = append(ds, d)
	for _, d := range ds {
		for _, depth := range []int{0, 1, diagram.OpLevel} {
			for _, dir := range []diagram.Direction{diagram.TopBottom, diagram.LeftRight} {
				name := fmt.Sprintf("%s/depth=%d/dir=%d", d.Options().Title, depth, dir)
				clashes, err := diagram.LabelClashes(d.WithOptions(diagram.Options{Title: d.Options().Title, Depth: depth, Direction: dir}))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for i, c := range clashes {
					if i == 4 {
						t.Errorf("%s: %d more", name, len(clashes)-i)
						break
					}
					t.Errorf("%s: %s", name, c)
				}
			}
		}
	}
}
