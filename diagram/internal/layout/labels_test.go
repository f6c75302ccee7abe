package layout

import (
	"fmt"
	"testing"
)

// withLabels gives every group container of g a label as wide as
// 6 px per character of its ID plus extra, 10 px tall.
func withLabels(g Graph, extra float64) Graph {
	isGroup := map[string]bool{}
	for _, n := range g.Nodes {
		isGroup[n.Parent] = true
	}
	out := Graph{Edges: g.Edges}
	for _, n := range g.Nodes {
		if isGroup[n.ID] {
			n.LabelWidth, n.LabelHeight = 6*float64(len(n.ID))+extra, 10
		}
		out.Nodes = append(out.Nodes, n)
	}
	return out
}

// labelClashes lists every label that sticks out of its group box, is
// crossed by an edge, covered by a node box or overlaps another label.
// With edges false, edges are not checked.
func labelClashes(g Graph, res *Result, edges bool) []string {
	var out []string
	var ids []string
	for _, n := range g.Nodes {
		if _, ok := res.Labels[n.ID]; ok {
			ids = append(ids, n.ID)
		}
	}
	for i, id := range ids {
		l := res.Labels[id]
		if !contains(res.Groups[id], l) {
			out = append(out, fmt.Sprintf("label of %q %+v sticks out of its box %+v", id, l, res.Groups[id]))
		}
		for _, e := range res.Edges {
			if !edges {
				break
			}
			for k := 0; k+1 < len(e.Points); k++ {
				if segmentHitsBox(e.Points[k], e.Points[k+1], l) {
					out = append(out, fmt.Sprintf("label of %q %+v is crossed by edge %s->%s at %v-%v", id, l, e.From, e.To, e.Points[k], e.Points[k+1]))
				}
			}
		}
		for _, n := range g.Nodes {
			if r, ok := res.Nodes[n.ID]; ok && overlaps(r, l) {
				out = append(out, fmt.Sprintf("label of %q %+v is covered by node %q %+v", id, l, n.ID, r))
			}
		}
		for _, o := range ids[i+1:] {
			if overlaps(l, res.Labels[o]) {
				out = append(out, fmt.Sprintf("labels of %q %+v and %q %+v overlap", id, l, o, res.Labels[o]))
			}
		}
	}
	return out
}

// TestLabelsClear checks that group labels are placed clear of edges, boxes
// and each other, inside their groups, on nested graphs in both directions,
// with short labels and with labels wider than their groups' contents. In
// LeftRight a label longer than its group's first layer reaches over the gaps
// where edges leave the group sideways, and is only placed where the fewest
// cross it: there edges are not checked.
func TestLabelsClear(t *testing.T) {
	var graphs []Graph
	for seed := range uint64(8) {
		graphs = append(graphs, randomNested(200+seed, 4+int(seed%3)))
	}
	graphs = append(graphs, transformerBlock(4), nested(4))
	for i, g := range graphs {
		for _, extra := range []float64{0, 150} {
			lg := withLabels(g, extra)
			for _, dir := range []Direction{TopBottom, LeftRight} {
				res := check(t, lg, Options{Direction: dir})
				if len(res.Labels) == 0 {
					t.Fatalf("graph %d: no labels placed", i)
				}
				clashes := labelClashes(lg, res, dir == TopBottom || extra == 0)
				for k, c := range clashes {
					if k == 3 {
						t.Errorf("graph %d extra %v dir %d: %d more", i, extra, dir, len(clashes)-k)
						break
					}
					t.Errorf("graph %d extra %v dir %d: %s", i, extra, dir, c)
				}
			}
		}
	}
}

func TestLabelSizeErrors(t *testing.T) {
	g := Graph{Nodes: []Node{{ID: "g", LabelWidth: -1, LabelHeight: 10}, {ID: "a", Width: 10, Height: 10, Parent: "g"}}}
	if _, err := Layout(g, Options{}); err == nil || err.Error() != `layout: node "g" has label size -1x10; label sizes must be finite and >= 0` {
		t.Errorf("error %v", err)
	}
}
