// SPDX-License-Identifier: Apache-2.0

package main

import (
	"math"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/diagram/internal/layout"
)

// The geometric recount of our drawings must match the engine's own count.
func TestOursCrossingsMatchEngine(t *testing.T) {
	models, err := modelGraphs()
	if err != nil {
		t.Fatal(err)
	}
	for _, ng := range append(models, namedGraph{name: "random", g: layout.RandomLayeredDAG(300, 3)}) {
		res, err := layout.Layout(ng.g, layout.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := oursCrossings(ng.g, res)
		if err != nil || c != res.Crossings {
			t.Errorf("%s: geometric count %d (%v), Result.Crossings %d", ng.name, c, err, res.Crossings)
		}
	}
}

// dotCrossingsMeasured are Graphviz dot's crossings on the model op graphs, measured once
// (dot 2.43.0, counted from its drawing as runLayout does) with
//
//	GOEXPERIMENT=simd go run ./internal/cmd/bench layout -sizes 100
//
// The layout engine must not cross more edges than dot on any of them.
var dotCrossingsMeasured = map[string]int{
	"mlp (ops)":            0,
	"cnn (ops)":            0,
	"transformer (ops)":    8,
	"transformer-12 (ops)": 48,
	"resnet (ops)":         2,
}

func TestModelCrossingsWithinDot(t *testing.T) {
	models, err := modelGraphs()
	if err != nil {
		t.Fatal(err)
	}
	if len(models) != len(dotCrossingsMeasured) {
		t.Errorf("%d model graphs, %d recorded dot counts", len(models), len(dotCrossingsMeasured))
	}
	for _, ng := range models {
		bound, ok := dotCrossingsMeasured[ng.name]
		if !ok {
			t.Errorf("%s: no recorded dot crossing count", ng.name)
			continue
		}
		res, err := layout.Layout(ng.g, layout.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := oursCrossings(ng.g, res)
		if err != nil {
			t.Fatal(err)
		}
		if c > bound {
			t.Errorf("%s: %d crossings; dot has %d", ng.name, c, bound)
		}
		t.Logf("%s: %d nodes, %d crossings (dot %d)", ng.name, countLeaves(ng.g), c, bound)
	}
}

// A hand-written dot -Tplain drawing: a -> d and b -> c cross; the long edge
// a -> e bends (Bézier) to the right of c and d at the middle rank, so on its
// way there it crosses b -> c too: 2 crossings.
func TestDotCrossingsFromPlain(t *testing.T) {
	g := layout.Graph{Nodes: []layout.Node{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}, {ID: "e"}}}
	plain := strings.Join([]string{
		"graph 1 4 3",
		"node v0 1 2 0.5 0.5 \"\" solid box black lightgrey",
		"node v1 2 2 0.5 0.5 \"\" solid box black lightgrey",
		"node v2 1 1 0.5 0.5 \"\" solid box black lightgrey",
		"node v3 2 1 0.5 0.5 \"\" solid box black lightgrey",
		"node v4 1 0 0.5 0.5 \"\" solid box black lightgrey",
		"edge v0 v3 4 1 2 1.3 1.7 1.7 1.3 2 1 solid black",
		"edge v1 v2 4 2 2 1.7 1.7 1.3 1.3 1 1 solid black",
		"edge v0 v4 7 1 2 2 2 3 1.5 3 1 3 0.5 2 0 1 0 solid black",
		"stop",
	}, "\n")
	c, err := dotCrossings(g, []byte(plain))
	if err != nil || c != 2 {
		t.Errorf("dotCrossings = %d, %v; want 2", c, err)
	}
}

func TestRouteX(t *testing.T) {
	line := []layout.Point{{X: 0, Y: 0}, {X: 10, Y: 10}}
	if x, ok := routeX(line, false, 5); !ok || math.Abs(x-5) > 1e-9 {
		t.Errorf("polyline: routeX = %v, %v", x, ok)
	}
	// A straight segment written as a cubic Bézier.
	bez := []layout.Point{{X: 0, Y: 0}, {X: 10.0 / 3, Y: 10.0 / 3}, {X: 20.0 / 3, Y: 20.0 / 3}, {X: 10, Y: 10}}
	if x, ok := routeX(bez, true, 2.5); !ok || math.Abs(x-2.5) > 1e-6 {
		t.Errorf("bezier: routeX = %v, %v", x, ok)
	}
	if _, ok := routeX(bez, true, 20); ok {
		t.Error("bezier: routeX found a point beyond the curve")
	}
}

func TestToDOT(t *testing.T) {
	g := layout.Graph{
		Nodes: []layout.Node{{ID: "blk"}, {ID: "in", Parent: "blk"}, {ID: "x", Width: 72, Height: 36, Parent: "in"}, {ID: "y", Width: 36, Height: 36, Parent: "side"}},
		Edges: []layout.Edge{{From: "x", To: "y"}},
	}
	src := string(toDOT(g, ""))
	for _, want := range []string{"subgraph cluster_0 {", "subgraph cluster_1 {", "subgraph cluster_2 {", "v2 [width=1.0000, height=0.5000];", "v2 -> v3;", "nodesep=0.4167", "ranksep=0.6944"} {
		if !strings.Contains(src, want) {
			t.Errorf("DOT lacks %q:\n%s", want, src)
		}
	}
	if strings.Contains(src, "splines") {
		t.Errorf("default splines must not be set:\n%s", src)
	}
}
