// SPDX-License-Identifier: Apache-2.0

package capture_test

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gonbviz/gonbviz/capture"
)

// namer is a Tapper that only says what it is asked to record.
type namer struct{}

func (namer) tapActivation(_ *model.Scope, name string, x *graph.Node) *graph.Node {
	fmt.Printf("activation %q %s\n", name, x.Shape())
	return x
}

// Activation marks a layer's output; a capture registered on the Store (as
// capture.NewCapture does when attached) is asked to record it, and without one the
// call adds nothing to the graph.
func ExampleActivation() {
	backend, err := gobackend.New("")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer backend.Finalize()
	store := model.NewStore()
	g := graph.NewGraph(backend, "example")
	x := graph.Parameter(g, "x", shapes.Make(dtypes.Float32, 8, 16))
	scope := store.RootScope().In("hidden_0")

	capture.Activation(scope, x) // no capture: nothing happens

	register(store, namer{})
	defer register(store, nil)
	capture.Activation(scope, x)
	// Output:
	// activation "/hidden_0" (Float32)[8, 16]
}
