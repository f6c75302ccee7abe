package layout

import (
	"fmt"
	"testing"
)

// BenchmarkLayout lays out seeded random layered DAGs (see RandomLayeredDAG)
// and reports the crossings of the result next to the time per layout:
//
//	GOEXPERIMENT=simd go test ./diagram/internal/layout -run '^$' -bench Layout -benchtime 3x
func BenchmarkLayout(b *testing.B) {
	for _, n := range []int{500, 2000, 10000} {
		g := RandomLayeredDAG(n, 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			layoutLoop(b, g)
			b.ReportMetric(float64(len(g.Edges)), "edges")
		})
	}
}

// BenchmarkFanOutFanIn is the 1 -> 2000 -> 1 pathological fan.
func BenchmarkFanOutFanIn(b *testing.B) {
	g := Graph{Nodes: nodes("src", "sink")}
	for i := range 2000 {
		id := fmt.Sprintf("m%d", i)
		g.Nodes = append(g.Nodes, Node{ID: id, Width: 40, Height: 20})
		g.Edges = append(g.Edges, Edge{From: "src", To: id}, Edge{From: id, To: "sink"})
	}
	layoutLoop(b, g)
}

// BenchmarkLongEdges is a 2000-node chain with a long edge from every node
// to the node 50 ranks below (about 100,000 dummy nodes).
func BenchmarkLongEdges(b *testing.B) {
	var g Graph
	for i := range 2000 {
		g.Nodes = append(g.Nodes, Node{ID: fmt.Sprint(i), Width: 50, Height: 20})
		if i > 0 {
			g.Edges = append(g.Edges, Edge{From: fmt.Sprint(i - 1), To: fmt.Sprint(i)})
		}
		if i >= 50 {
			g.Edges = append(g.Edges, Edge{From: fmt.Sprint(i - 50), To: fmt.Sprint(i)})
		}
	}
	layoutLoop(b, g)
}

// BenchmarkGroupedDAG is RandomLayeredDAG(10000) with every run of 50
// consecutive nodes in a group (200 groups), exercising group-contiguous
// ordering and group separation at scale.
func BenchmarkGroupedDAG(b *testing.B) {
	g := RandomLayeredDAG(10000, 1)
	for i := range g.Nodes {
		g.Nodes[i].Parent = fmt.Sprintf("g%d", i/50)
	}
	layoutLoop(b, g)
}

// layoutLoop lays g out b.N times and reports the crossings of the layout.
func layoutLoop(b *testing.B, g Graph) {
	var res *Result
	for b.Loop() {
		var err error
		if res, err = Layout(g, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Crossings), "crossings")
}
