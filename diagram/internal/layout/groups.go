package layout

import (
	"math"
	"slices"
	"sort"
)

const groupRounds = 16

// separateGroups pushes nodes that are not members of a group out of the
// group's box in every layer the group spans, so that group boxes do not
// cover foreign nodes. Each round computes every group's horizontal extent
// and clamps, layer by layer, the nodes just left and right of the group's
// block to lie outside it; the separation constraints then carry the push to
// their neighbours. Where the bounds of a layer contradict each other, that
// round only pushes rightwards (lower bounds always have a solution), so
// this is best effort: conflicting orders across layers can leave overlaps.
// The cost of a
// round is O(n·depth + Σ span(G)·log n).
func (st *state) separateGroups() {
	if len(st.groups) == 0 {
		return
	}
	ng := len(st.groups)
	type extent struct {
		lo, hi      float64
		first, last int // layer span
		ok          bool
	}
	gap := st.opts.NodeSep / 2
	var off, y, lo, hi []float64
	for round := 0; round < groupRounds; round++ {
		ext := make([]extent, ng)
		for i := range ext {
			ext[i] = extent{lo: math.Inf(1), hi: math.Inf(-1), first: math.MaxInt, last: -1}
		}
		for v := range st.nodes {
			n := &st.nodes[v]
			if n.dummy {
				continue
			}
			for g := n.grp; g >= 0; g = st.groups[g].parent {
				pad := groupPad * float64(n.depthIn(st, g))
				e := &ext[g]
				e.lo = math.Min(e.lo, n.x-n.w/2-pad)
				e.hi = math.Max(e.hi, n.x+n.w/2+pad+loopWidth*float64(n.selfLoops))
				e.first = min(e.first, n.layer)
				e.last = max(e.last, n.layer)
				e.ok = true
			}
		}
		moved := false
		for l, layer := range st.layers {
			if len(layer) == 0 {
				continue
			}
			// Member blocks of the groups present in this layer.
			blockA := map[int]int{}
			blockB := map[int]int{}
			for i, v := range layer {
				for g := st.nodes[v].grp; g >= 0; g = st.groups[g].parent {
					if _, ok := blockA[g]; !ok {
						blockA[g] = i
					}
					blockB[g] = i
				}
			}
			off, y = off[:0], y[:0]
			lo, hi = lo[:0], hi[:0]
			o := 0.0
			for i, v := range layer {
				if i > 0 {
					o += st.sep(layer[i-1], v)
				}
				off = append(off, o)
				y = append(y, st.nodes[v].x-o)
				lo = append(lo, math.Inf(-1))
				hi = append(hi, math.Inf(1))
			}
			// clear is the distance a node u must keep from group g's box.
			clear := func(u, g int) float64 {
				n := &st.nodes[u]
				c := st.lca(n.grp, g)
				return n.w/2 + gap + groupPad*float64(st.gdepth(n.grp)-st.gdepth(c))
			}
			for g := 0; g < ng; g++ {
				e := &ext[g]
				if !e.ok || l < e.first || l > e.last {
					continue
				}
				a, okA := blockA[g]
				var left, right int
				if okA {
					left, right = a-1, blockB[g]+1
				} else {
					mid := (e.lo + e.hi) / 2
					k := sort.Search(len(layer), func(i int) bool { return st.nodes[layer[i]].x >= mid })
					left, right = k-1, k
				}
				if left >= 0 {
					u := layer[left]
					hi[left] = math.Min(hi[left], e.lo-clear(u, g)-off[left]-st.nodes[u].selfLoopsExtra())
				}
				if right < len(layer) {
					u := layer[right]
					lo[right] = math.Max(lo[right], e.hi+clear(u, g)-off[right])
				}
			}
			for i := 1; i < len(layer); i++ {
				lo[i] = math.Max(lo[i], lo[i-1])
			}
			for i := len(layer) - 2; i >= 0; i-- {
				hi[i] = math.Min(hi[i], hi[i+1])
			}
			for i := range layer {
				if lo[i] > hi[i] {
					// Contradicting bounds: the group that bounds from the
					// right must itself move. Only push rightwards this round.
					for k := range hi {
						hi[k] = math.Inf(1)
					}
					break
				}
			}
			for i, v := range layer {
				ny := math.Min(math.Max(y[i], lo[i]), hi[i])
				if ny != y[i] {
					moved = true
				}
				st.nodes[v].x = ny + off[i]
			}
		}
		if !moved {
			return
		}
	}
}

// depthIn is how many group boxes, from n's own group up to and including
// g, surround n.
func (n *vnode) depthIn(st *state, g int) int {
	return st.gdepth(n.grp) - st.gdepth(g) + 1
}

func (n *vnode) selfLoopsExtra() float64 { return loopWidth * float64(n.selfLoops) }

// groupLayers returns, per group, the first and last layer of its leaves (its own
// and its subgroups'; dummies do not count); a group without leaves has first
// math.MaxInt and last -1.
func (st *state) groupLayers() (first, last []int) {
	first = make([]int, len(st.groups))
	last = make([]int, len(st.groups))
	for g := range first {
		first[g], last[g] = math.MaxInt, -1
	}
	for _, n := range st.nodes {
		if n.dummy {
			continue
		}
		for g := n.grp; g >= 0; g = st.groups[g].parent {
			first[g], last[g] = min(first[g], n.layer), max(last[g], n.layer)
		}
	}
	return first, last
}

// addPlaceholders gives every group an item in every layer between its first
// and last leaf: a zero-size dummy member without edges where the group has
// no leaf or dummy of its own (or of a subgroup). Ordering then places the
// group's block in every layer its box spans, so that foreign nodes there
// are kept out of the box too. Cost O(n·depth + Σ span(G)).
func (st *state) addPlaceholders() {
	ng := len(st.groups)
	if ng == 0 {
		return
	}
	first, last := st.groupLayers()
	present := make([][]bool, ng)
	for g := range present {
		if last[g] >= first[g] {
			present[g] = make([]bool, last[g]-first[g]+1)
		}
	}
	mark := func(g, l int) {
		for ; g >= 0; g = st.groups[g].parent {
			if l >= first[g] && l <= last[g] {
				present[g][l-first[g]] = true
			}
		}
	}
	for _, n := range st.nodes {
		mark(n.grp, n.layer)
	}
	// Deepest groups first: a placeholder of a subgroup serves its parents.
	byDepth := make([]int, ng)
	for g := range byDepth {
		byDepth[g] = g
	}
	slices.SortStableFunc(byDepth, func(a, b int) int { return st.groups[b].depth - st.groups[a].depth })
	for _, g := range byDepth {
		for l := first[g]; l <= last[g]; l++ {
			if !present[g][l-first[g]] {
				st.nodes = append(st.nodes, vnode{grp: g, layer: l, dummy: true})
				mark(g, l)
			}
		}
	}
}

// legalize moves nodes sideways, as little as it can, so that every group
// box holds exactly its members: in every layer, the items of a group (its
// nodes, dummies and subgroups) lie between the group's left and right walls
// with padding, and siblings keep their gaps, walls included. Because the
// order of sibling groups is the same in every layer (fixGroupOrder) and
// every group has an item in each layer of its box (addPlaceholders), these
// "a left of b by d" constraints form a DAG. A forward pass in topological
// order pushes every node right of its constraints (and no further left than
// its current x); a backward pass then pulls each node back towards its
// current x as far as the (already final) items to its right allow. The
// result satisfies every constraint. O(n·depth) constraints, linear passes.
// extra adds constraints of its own (group labels). It reports false,
// changing nothing, if the constraints have a cycle; else it keeps the walls'
// positions in st.walls.
func (st *state) legalize(extra []cons) bool {
	ng := len(st.groups)
	if ng == 0 {
		return true
	}
	n := len(st.nodes)
	nv := n + 2*ng // variables: node centres, then L_g, R_g per group
	cs := slices.Clone(extra)
	gap := st.opts.NodeSep / 2
	leftOf := func(it titem, tree []tnode) (int, float64) { // variable, extent left of it
		if it.node >= 0 {
			return it.node, st.nodes[it.node].w / 2
		}
		return n + 2*tree[it.tn].grp, 0
	}
	rightOf := func(it titem, tree []tnode) (int, float64) {
		if it.node >= 0 {
			nd := &st.nodes[it.node]
			return it.node, nd.w/2 + nd.selfLoopsExtra()
		}
		return n + 2*tree[it.tn].grp + 1, 0
	}
	for _, layer := range st.layers {
		tree := st.layerTree(layer, nil)
		for _, t := range tree {
			items := t.items
			for i := 0; i+1 < len(items); i++ {
				a, ea := rightOf(items[i], tree)
				b, eb := leftOf(items[i+1], tree)
				g := gap
				if items[i].node >= 0 && items[i+1].node >= 0 {
					g = st.sep(items[i].node, items[i+1].node) - (st.nodes[items[i].node].w+st.nodes[items[i+1].node].w)/2 - st.nodes[items[i].node].selfLoopsExtra()
					// sep includes group padding between different groups;
					// siblings here share the group.
				}
				cs = append(cs, cons{a, b, ea + g + eb})
			}
			if t.grp >= 0 && len(items) > 0 {
				b, eb := leftOf(items[0], tree)
				cs = append(cs, cons{n + 2*t.grp, b, st.padLeft(t.grp) + eb})
				a, ea := rightOf(items[len(items)-1], tree)
				cs = append(cs, cons{a, n + 2*t.grp + 1, ea + groupPad})
			}
		}
	}
	// CSR adjacency both ways.
	outStart := make([]int, nv+1)
	inStart := make([]int, nv+1)
	for _, c := range cs {
		outStart[c.a+1]++
		inStart[c.b+1]++
	}
	for i := 0; i < nv; i++ {
		outStart[i+1] += outStart[i]
		inStart[i+1] += inStart[i]
	}
	outE := make([]int, len(cs))
	inE := make([]int, len(cs))
	fo := slices.Clone(outStart[:nv])
	fi := slices.Clone(inStart[:nv])
	for k, c := range cs {
		outE[fo[c.a]] = k
		fo[c.a]++
		inE[fi[c.b]] = k
		fi[c.b]++
	}
	indeg := make([]int, nv)
	for _, c := range cs {
		indeg[c.b]++
	}
	topo := make([]int, 0, nv)
	for v := range nv {
		if indeg[v] == 0 {
			topo = append(topo, v)
		}
	}
	for i := 0; i < len(topo); i++ {
		for _, k := range outE[outStart[topo[i]]:outStart[topo[i]+1]] {
			b := cs[k].b
			if indeg[b]--; indeg[b] == 0 {
				topo = append(topo, b)
			}
		}
	}
	if len(topo) != nv {
		return false
	}
	x := make([]float64, nv)
	want := make([]float64, nv)
	for v := range nv {
		if v < n {
			want[v] = st.nodes[v].x
		} else {
			want[v] = math.Inf(-1)
		}
	}
	for _, v := range topo { // forward
		x[v] = want[v]
		for _, k := range inE[inStart[v]:inStart[v+1]] {
			x[v] = math.Max(x[v], x[cs[k].a]+cs[k].d)
		}
	}
	for i := len(topo) - 1; i >= 0; i-- { // backward
		v := topo[i]
		lo, hi := math.Inf(-1), math.Inf(1)
		for _, k := range inE[inStart[v]:inStart[v+1]] {
			lo = math.Max(lo, x[cs[k].a]+cs[k].d)
		}
		for _, k := range outE[outStart[v]:outStart[v+1]] {
			hi = math.Min(hi, x[cs[k].b]-cs[k].d)
		}
		switch {
		case v < n:
			x[v] = math.Min(hi, math.Max(want[v], lo))
		case (v-n)%2 == 0 && !math.IsInf(hi, 1): // left wall: as far right as its members allow
			x[v] = hi
		default: // right wall: as far left as its members allow
			x[v] = lo
		}
	}
	for v := range n {
		st.nodes[v].x = x[v]
	}
	st.walls = x[n:]
	return true
}

// cons is a legalisation constraint: x[b] >= x[a] + d over the variables
// node centres (0..n-1), then the left and right wall of each group.
type cons struct {
	a, b int
	d    float64
}
