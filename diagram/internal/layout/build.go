package layout

import (
	"fmt"
	"strings"
)

// vnode is a node of the internal layered graph: a leaf of the input or a
// dummy node on a long edge.
type vnode struct {
	id        string // "" for dummies
	w, h      float64
	grp       int // index into state.groups, -1 for the root
	layer     int
	selfLoops int
	dummy     bool
	x, y      float64 // centre, in top-bottom orientation
}

type group struct {
	id             string
	parent         int // -1 for root
	depth          int // 1 for top-level groups
	labelW, labelH float64
}

// iedge is an input edge between two leaves, as used for layering.
type iedge struct {
	u, v  int // after reversal: layer(u) < layer(v)
	orig  int // index into Graph.Edges
	rev   bool
	chain []int // nodes from u to v, dummies included (after splitting)
}

type state struct {
	g      Graph
	opts   Options
	nodes  []vnode
	index  map[string]int // leaf id -> node index
	groups []group
	gindex map[string]int
	edges  []iedge
	loops  []int // indices into Graph.Edges of self-loops, with their node
	loopAt []int

	nLayers int
	layers  [][]int // node indices per layer, in order
	pos     []int   // position of node within its layer
	up      [][]int // neighbours in the layer above (with multiplicity)
	down    [][]int // neighbours in the layer below

	roomAbove []float64 // per layer: room for the walls and labels of boxes opening over it
	roomBelow []float64 // per layer: room for the walls of boxes closing under it
	shift     []float64 // per edge: sideways offset of a parallel edge's route
	walls     []float64 // per group: left and right wall x after legalisation
	labels    []label   // per group: where its label goes (TopBottom)

	scratch []int
	ofGroup map[int]int // layerTree scratch
	groupLo []int       // fixGroupOrder scratch
	bufs    [7][]int    // transpose scratch
	fenwick []int
}

func build(g Graph, opts Options) (*state, error) {
	st := &state{g: g, opts: opts, index: make(map[string]int, len(g.Nodes)), gindex: map[string]int{}}
	all := make(map[string]int, len(g.Nodes))
	for i, n := range g.Nodes {
		if n.ID == "" {
			return nil, fmt.Errorf("layout: Graph.Nodes[%d] has an empty ID; give every node a unique ID", i)
		}
		if j, dup := all[n.ID]; dup {
			return nil, fmt.Errorf("layout: duplicate node ID %q at Graph.Nodes[%d] and [%d]; IDs must be unique", n.ID, j, i)
		}
		all[n.ID] = i
		if !finite(n.Width) || !finite(n.Height) || n.Width < 0 || n.Height < 0 {
			return nil, fmt.Errorf("layout: node %q has size %vx%v; sizes must be finite and >= 0", n.ID, n.Width, n.Height)
		}
		if !finite(n.LabelWidth) || !finite(n.LabelHeight) || n.LabelWidth < 0 || n.LabelHeight < 0 {
			return nil, fmt.Errorf("layout: node %q has label size %vx%v; label sizes must be finite and >= 0", n.ID, n.LabelWidth, n.LabelHeight)
		}
		if n.Parent == n.ID {
			return nil, fmt.Errorf("layout: node %q is its own Parent", n.ID)
		}
	}
	isGroup := map[string]bool{}
	for _, n := range g.Nodes {
		if n.Parent != "" {
			isGroup[n.Parent] = true
		}
	}
	// Groups, outermost first. Resolve each group's chain of ancestors.
	var addGroup func(id string, seen []string) (int, error)
	addGroup = func(id string, seen []string) (int, error) {
		if gi, ok := st.gindex[id]; ok {
			return gi, nil
		}
		for _, s := range seen {
			if s == id {
				return -1, fmt.Errorf("layout: groups form a Parent cycle: %s -> %s", strings.Join(seen, " -> "), id)
			}
		}
		parent := -1
		if ni, ok := all[id]; ok && g.Nodes[ni].Parent != "" {
			p, err := addGroup(g.Nodes[ni].Parent, append(seen, id))
			if err != nil {
				return -1, err
			}
			parent = p
		}
		depth := 1
		if parent >= 0 {
			depth = st.groups[parent].depth + 1
		}
		gr := group{id: id, parent: parent, depth: depth}
		if ni, ok := all[id]; ok && g.Nodes[ni].LabelWidth > 0 && g.Nodes[ni].LabelHeight > 0 {
			gr.labelW, gr.labelH = g.Nodes[ni].LabelWidth, g.Nodes[ni].LabelHeight
		}
		st.groups = append(st.groups, gr)
		st.gindex[id] = len(st.groups) - 1
		return len(st.groups) - 1, nil
	}
	for _, n := range g.Nodes {
		if n.Parent != "" {
			if _, err := addGroup(n.Parent, nil); err != nil {
				return nil, err
			}
		}
	}
	for _, n := range g.Nodes {
		if isGroup[n.ID] {
			continue
		}
		grp := -1
		if n.Parent != "" {
			grp = st.gindex[n.Parent]
		}
		w, h := n.Width, n.Height
		if opts.Direction == LeftRight {
			w, h = h, w
		}
		st.index[n.ID] = len(st.nodes)
		st.nodes = append(st.nodes, vnode{id: n.ID, w: w, h: h, grp: grp})
	}
	for i, e := range g.Edges {
		for _, end := range []string{e.From, e.To} {
			if _, ok := all[end]; !ok {
				return nil, fmt.Errorf("layout: Graph.Edges[%d] (%q -> %q) names unknown node %q; add it to Graph.Nodes", i, e.From, e.To, end)
			}
			if isGroup[end] {
				return nil, fmt.Errorf("layout: Graph.Edges[%d] (%q -> %q) touches group %q; edges must connect leaf nodes", i, e.From, e.To, end)
			}
		}
		u, v := st.index[e.From], st.index[e.To]
		if u == v {
			st.loops = append(st.loops, i)
			st.loopAt = append(st.loopAt, u)
			st.nodes[u].selfLoops++
			continue
		}
		st.edges = append(st.edges, iedge{u: u, v: v, orig: i})
	}
	return st, nil
}

// lca returns the deepest group containing both a and b (-1 for the root).
func (st *state) lca(a, b int) int {
	for a != b {
		da, db := 0, 0
		if a >= 0 {
			da = st.groups[a].depth
		}
		if b >= 0 {
			db = st.groups[b].depth
		}
		if da >= db {
			a = st.groups[a].parent
		} else {
			b = st.groups[b].parent
		}
	}
	return a
}

func (st *state) gdepth(gi int) int {
	if gi < 0 {
		return 0
	}
	return st.groups[gi].depth
}

// header is the room a group's box leaves inside its top wall (in output
// terms): groupPad, or more for a label.
func (st *state) header(g int) float64 {
	gr := &st.groups[g]
	if gr.labelW <= 0 {
		return groupPad
	}
	return max(groupPad, gr.labelH+2*labelGap)
}

// padTop and padLeft are a group's padding inside its top and left walls in
// the internal top-bottom orientation; the others are groupPad.
func (st *state) padTop(g int) float64 {
	if st.opts.Direction == TopBottom {
		return st.header(g)
	}
	return groupPad
}

func (st *state) padLeft(g int) float64 {
	if st.opts.Direction == LeftRight {
		return st.header(g)
	}
	return groupPad
}
