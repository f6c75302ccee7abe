package layout

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
