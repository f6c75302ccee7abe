package layout

import "slices"

// breakCycles reverses the back edges of an iterative depth-first search that
// visits nodes and edges in input order.
func (st *state) breakCycles() {
	n := len(st.nodes)
	out := make([][]int, n) // edge indices
	for i, e := range st.edges {
		out[e.u] = append(out[e.u], i)
	}
	const (
		white = iota
		gray
		black
	)
	color := make([]uint8, n)
	type frame struct{ v, next int }
	var stack []frame
	for s := 0; s < n; s++ {
		if color[s] != white {
			continue
		}
		color[s] = gray
		stack = append(stack[:0], frame{s, 0})
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == len(out[f.v]) {
				color[f.v] = black
				stack = stack[:len(stack)-1]
				continue
			}
			ei := out[f.v][f.next]
			f.next++
			w := st.edges[ei].v
			switch color[w] {
			case white:
				color[w] = gray
				stack = append(stack, frame{w, 0})
			case gray:
				st.edges[ei].rev = true
			}
		}
	}
	for i := range st.edges {
		if st.edges[i].rev {
			st.edges[i].u, st.edges[i].v = st.edges[i].v, st.edges[i].u
		}
	}
}

// assignLayers puts every node on the longest path from the sources, then
// minimises the total edge span by network simplex (see simplex.go), and
// finally drops empty layers.
func (st *state) assignLayers() {
	n := len(st.nodes)
	out := make([][]int, n)
	indeg := make([]int, n)
	for _, e := range st.edges {
		out[e.u] = append(out[e.u], e.v)
		indeg[e.v]++
	}
	topo := make([]int, 0, n)
	for v := 0; v < n; v++ {
		if indeg[v] == 0 {
			topo = append(topo, v)
		}
	}
	for i := 0; i < len(topo); i++ {
		v := topo[i]
		for _, w := range out[v] {
			if l := st.nodes[v].layer + 1; l > st.nodes[w].layer {
				st.nodes[w].layer = l
			}
			indeg[w]--
			if indeg[w] == 0 {
				topo = append(topo, w)
			}
		}
	}
	us := make([]int, len(st.edges))
	vs := make([]int, len(st.edges))
	layer := make([]int, n)
	for i, e := range st.edges {
		us[i], vs[i] = e.u, e.v
	}
	for v := range st.nodes {
		layer[v] = st.nodes[v].layer
	}
	networkSimplex(n, us, vs, layer)
	st.balanceGroups(layer)
	for v := range st.nodes {
		st.nodes[v].layer = layer[v]
	}
	maxL := 0
	for _, v := range st.nodes {
		maxL = max(maxL, v.layer)
	}
	used := make([]bool, maxL+1)
	for _, v := range st.nodes {
		used[v.layer] = true
	}
	remap := make([]int, maxL+1)
	k := 0
	for l := range used {
		remap[l] = k
		if used[l] {
			k++
		}
	}
	for i := range st.nodes {
		st.nodes[i].layer = remap[st.nodes[i].layer]
	}
	st.nLayers = k
}

// splitLongEdges replaces every edge spanning more than one layer by a chain
// of dummy nodes and builds the proper layered graph (up/down lists).
func (st *state) splitLongEdges() {
	for i := range st.edges {
		e := &st.edges[i]
		lu, lv := st.nodes[e.u].layer, st.nodes[e.v].layer
		e.chain = make([]int, 0, lv-lu+1)
		e.chain = append(e.chain, e.u)
		grp := st.lca(st.nodes[e.u].grp, st.nodes[e.v].grp)
		for l := lu + 1; l < lv; l++ {
			st.nodes = append(st.nodes, vnode{grp: grp, layer: l, dummy: true})
			e.chain = append(e.chain, len(st.nodes)-1)
		}
		e.chain = append(e.chain, e.v)
	}
	st.addPlaceholders()
	n := len(st.nodes)
	st.up = make([][]int, n)
	st.down = make([][]int, n)
	for _, e := range st.edges {
		for k := 0; k+1 < len(e.chain); k++ {
			a, b := e.chain[k], e.chain[k+1]
			st.down[a] = append(st.down[a], b)
			st.up[b] = append(st.up[b], a)
		}
	}
	st.pos = make([]int, n)
	st.layers = make([][]int, st.nLayers)
}

// balanceGroups moves whole groups between equally good layerings: a group
// with as many edges entering it as leaving it keeps the total edge span when
// all its members shift up or down together, as far as the slack of those
// edges allows. Network simplex picks one of those positions arbitrarily;
// here every such group (innermost first) takes the shift whose layers hold
// the fewest other nodes, as Graphviz dot balances nodes and collapsed
// clusters, so that a branch that can sit anywhere along a long edge moves
// away from crowded layers (where its edges would cross others). Ties keep
// the current position. Cost O(Σ members + Σ boundary edges · slack).
func (st *state) balanceGroups(layer []int) {
	ng := len(st.groups)
	if ng == 0 {
		return
	}
	n := len(layer)
	members := make([][]int, ng)
	for v := range n {
		for g := st.nodes[v].grp; g >= 0; g = st.groups[g].parent {
			members[g] = append(members[g], v)
		}
	}
	maxL := 0
	for _, l := range layer {
		maxL = max(maxL, l)
	}
	pop := make([]int, maxL+1)
	for _, l := range layer {
		pop[l]++
	}
	byDepth := make([]int, ng)
	for g := range byDepth {
		byDepth[g] = g
	}
	slices.SortStableFunc(byDepth, func(a, b int) int { return st.groups[b].depth - st.groups[a].depth })
	// The edges entering every group (in) and leaving it (out): those of
	// the ancestors of the head's (tail's) group below the common ancestor
	// of the edge's ends. An edge's slack, its span beyond one layer, bounds
	// how far the group may move.
	in, out := make([][]int, ng), make([][]int, ng)
	for i, e := range st.edges {
		gu, gv := st.nodes[e.u].grp, st.nodes[e.v].grp
		p := st.lca(gu, gv)
		for g := gv; g != p; g = st.groups[g].parent {
			in[g] = append(in[g], i)
		}
		for g := gu; g != p; g = st.groups[g].parent {
			out[g] = append(out[g], i)
		}
	}
	slack := func(i int) int { return layer[st.edges[i].v] - layer[st.edges[i].u] - 1 }
	own := map[int]int{}
	for _, g := range byDepth {
		if len(in[g]) != len(out[g]) || len(in[g]) == 0 {
			continue
		}
		lo, hi := maxL, 0
		for _, v := range members[g] {
			lo, hi = min(lo, layer[v]), max(hi, layer[v])
		}
		up, down := lo, maxL-hi
		for _, i := range in[g] {
			up = min(up, slack(i))
		}
		for _, i := range out[g] {
			down = min(down, slack(i))
		}
		if up+down == 0 {
			continue
		}
		clear(own)
		for _, v := range members[g] {
			own[layer[v]]++
		}
		cost := func(d int) int {
			c := 0
			for l, k := range own {
				c += (pop[l+d] - own[l+d]) * k
			}
			return c
		}
		best, bestC := 0, cost(0)
		for d := -up; d <= down; d++ {
			if c := cost(d); c < bestC {
				best, bestC = d, c
			}
		}
		if best == 0 {
			continue
		}
		for _, v := range members[g] {
			pop[layer[v]]--
			layer[v] += best
		}
		for _, v := range members[g] {
			pop[layer[v]]++
		}
	}
}
