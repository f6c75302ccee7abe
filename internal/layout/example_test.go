package layout_test

import (
	"fmt"

	"github.com/gonbviz/gonbviz/internal/layout"
)

func ExampleLayout() {
	g := layout.Graph{
		Nodes: []layout.Node{
			{ID: "x", Width: 60, Height: 30},
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
	fmt.Println("skip edge:", res.Edges[3].Points)
	fmt.Println("crossings:", res.Crossings, "layers:", res.Layers)
	svg := res.SVG(nil)
	fmt.Println(len(svg) > 0)
	// Output:
	// x     {X:60 Y:22 W:60 H:30}
	// dense {X:22 Y:114 W:60 H:30}
	// relu  {X:22 Y:194 W:60 H:30}
	// y     {X:60 Y:286 W:60 H:30}
	// group layer1 {X:10 Y:102 W:84 H:134}
	// skip edge: [{90 52} {109 114} {109 144} {109 194} {109 224} {90 286}]
	// crossings: 0 layers: 4
	// true
}
