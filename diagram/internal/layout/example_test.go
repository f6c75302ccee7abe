package layout_test

import (
	"fmt"

	"github.com/gonbviz/gonbviz/diagram/internal/layout"
)

func ExampleLayout() {
	g := layout.Graph{
		Nodes: []layout.Node{
			{ID: "x", Width: 60, Height: 30},
			{ID: "layer1", LabelWidth: 40, LabelHeight: 10}, // a group with a label
			{ID: "dense", Width: 60, Height: 30, Parent: "layer1"},
			{ID: "relu", Width: 60, Height: 30, Parent: "layer1"},
			{ID: "y", Width: 60, Height: 30},
		},
		Edges: []layout.Edge{{From: "x", To: "dense"}, {From: "dense", To: "relu"}, {From: "relu", To: "y"}, {From: "x", To: "y", Label: "skip"}},
	}
	res, err := layout.Layout(g, layout.Options{})
	if err != nil {
		panic(err)
	}
	for _, id := range []string{"x", "dense", "relu", "y"} {
		fmt.Printf("%-5s %+v\n", id, res.Nodes[id])
	}
	fmt.Printf("group layer1 %+v\n", res.Groups["layer1"])
	fmt.Printf("its label %+v\n", res.Labels["layer1"])
	fmt.Println("skip edge:", res.Edges[3].Points)
	fmt.Println("crossings:", res.Crossings, "layers:", res.Layers)
	svg := res.SVG(nil)
	fmt.Println(len(svg) > 0)
	// Output:
	// x     {X:69 Y:10 W:60 H:30}
	// dense {X:31 Y:104 W:60 H:30}
	// relu  {X:31 Y:184 W:60 H:30}
	// y     {X:69 Y:276 W:60 H:30}
	// group layer1 {X:10 Y:90 W:93 H:136}
	// its label {X:15 Y:92 W:40 H:10}
	// skip edge: [{99 40} {118 90} {118 134} {118 184} {118 226} {99 276}]
	// crossings: 0 layers: 4
	// true
}
