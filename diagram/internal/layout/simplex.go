package layout

// Network simplex layering (Gansner, Koutsofios, North, Vo: "A technique for
// drawing directed graphs", 1993), the method of Graphviz dot: it finds
// integer layers l with l(v) - l(u) >= 1 for every edge u -> v that minimise
// the total edge span Σ w(e)·(l(v) - l(u)), so long edges and their dummy
// nodes (and the crossings they cause) are as few as possible.
//
// The spanning tree of tight edges is grown Prim-style from the longest-path
// layering with two heaps of candidate edges whose slack is kept relative to
// a running offset of the tree (shifting the whole tree changes the slack of
// all its leaving edges alike), so it costs O(E log E) rather than the
// textbook O(V·E). Cut values use the low/lim postorder numbering; after a
// pivot only the subtrees whose shape or numbering changed are renumbered.
// Pivots are capped (simplexPivotsPerNode per node, at least
// simplexMinPivots; random DAGs of 10,000 nodes converge in about 0.75 per
// node) so the worst case stays bounded; the ranking is feasible after every
// pivot.

import "container/heap"

const (
	simplexSearchSize    = 30
	simplexPivotsPerNode = 4
	simplexMinPivots     = 1000
)

// nsAdj is a tree edge seen from one end: the edge and the other end.
type nsAdj struct{ e, w int }

type nsEdge struct {
	t, h   int // tail, head: rank(h) - rank(t) >= 1
	w      int
	tree   bool
	cut    int
	treeIx int // index in nsState.treeEdges when tree
}

type nsState struct {
	rank      []int
	edges     []nsEdge
	out, in   [][]int   // edge indices per node
	treeAdj   [][]nsAdj // tree edges per node
	par       []int     // tree edge to the parent, -1 at roots
	low, lim  []int
	treeEdges []int
	searchAt  int
}

func (ns *nsState) slack(e int) int {
	ed := &ns.edges[e]
	return ns.rank[ed.h] - ns.rank[ed.t] - 1
}

func (ns *nsState) other(e, v int) int {
	if ns.edges[e].t == v {
		return ns.edges[e].h
	}
	return ns.edges[e].t
}

// slackHeap orders candidate edges by a key.
type slackHeap struct {
	key []int
	e   []int
}

func (h *slackHeap) Len() int { return len(h.e) }
func (h *slackHeap) Less(i, j int) bool {
	if h.key[i] != h.key[j] {
		return h.key[i] < h.key[j]
	}
	return h.e[i] < h.e[j]
}
func (h *slackHeap) Swap(i, j int) {
	h.key[i], h.key[j] = h.key[j], h.key[i]
	h.e[i], h.e[j] = h.e[j], h.e[i]
}
func (h *slackHeap) Push(x any) {
	p := x.([2]int)
	h.key = append(h.key, p[0])
	h.e = append(h.e, p[1])
}
func (h *slackHeap) Pop() any {
	n := len(h.e) - 1
	p := [2]int{h.key[n], h.e[n]}
	h.key, h.e = h.key[:n], h.e[:n]
	return p
}

// networkSimplex improves layer (a feasible layering of nodes 0..n-1 for the
// edges u -> v given, parallel edges allowed) in place.
func networkSimplex(n int, us, vs []int, layer []int) {
	if n == 0 || len(us) == 0 {
		return
	}
	ns := &nsState{rank: layer, out: make([][]int, n), in: make([][]int, n), treeAdj: make([][]nsAdj, n)}
	// Merge parallel edges into weights.
	type pair struct{ u, v int }
	seen := make(map[pair]int, len(us))
	for i := range us {
		p := pair{us[i], vs[i]}
		if e, ok := seen[p]; ok {
			ns.edges[e].w++
			continue
		}
		seen[p] = len(ns.edges)
		ns.edges = append(ns.edges, nsEdge{t: p.u, h: p.v, w: 1})
	}
	for e, ed := range ns.edges {
		ns.out[ed.t] = append(ns.out[ed.t], e)
		ns.in[ed.h] = append(ns.in[ed.h], e)
	}
	ns.feasibleTree(n)
	ns.par = make([]int, n)
	ns.low = make([]int, n)
	ns.lim = make([]int, n)
	low := 1
	for v := range n {
		ns.par[v] = -2 // unvisited
	}
	var roots []int
	for v := range n {
		if ns.par[v] == -2 {
			roots = append(roots, v)
			low = ns.dfsRange(v, -1, low)
		}
	}
	for _, r := range roots {
		ns.dfsCut(r, -1)
	}
	maxPivots := max(simplexMinPivots, simplexPivotsPerNode*n)
	for it := 0; it < maxPivots; it++ {
		e := ns.leaveEdge()
		if e < 0 {
			break
		}
		f := ns.enterEdge(e)
		if f < 0 {
			break
		}
		ns.update(e, f)
	}
	// Normalise every component to start at layer 0.
	for _, r := range roots {
		m := ns.rank[r]
		ns.walkTree(r, -1, func(v int) { m = min(m, ns.rank[v]) })
		ns.walkTree(r, -1, func(v int) { ns.rank[v] -= m })
	}
}

// walkTree visits the tree component of v (not crossing edge par).
func (ns *nsState) walkTree(v, par int, fn func(int)) {
	fn(v)
	for _, a := range ns.treeAdj[v] {
		if a.e != par {
			ns.walkTree(a.w, a.e, fn)
		}
	}
}

func (ns *nsState) addTree(e int) {
	ed := &ns.edges[e]
	ed.tree = true
	ed.treeIx = len(ns.treeEdges)
	ns.treeEdges = append(ns.treeEdges, e)
	ns.treeAdj[ed.t] = append(ns.treeAdj[ed.t], nsAdj{e, ed.h})
	ns.treeAdj[ed.h] = append(ns.treeAdj[ed.h], nsAdj{e, ed.t})
}

// feasibleTree grows a spanning forest of tight edges (one tree per
// connected component), shifting the ranks of the growing tree as needed.
func (ns *nsState) feasibleTree(n int) {
	in := make([]bool, n)
	// Tree ranks are stored relative to off while the tree grows.
	var asTail, asHead slackHeap // tree node is the tail / the head
	for s := range n {
		if in[s] {
			continue
		}
		asTail.key, asTail.e = asTail.key[:0], asTail.e[:0]
		asHead.key, asHead.e = asHead.key[:0], asHead.e[:0]
		off := 0
		var members []int
		add := func(v int) {
			in[v] = true
			members = append(members, v)
			ns.rank[v] -= off // stored relative to off
			for _, e := range ns.out[v] {
				if w := ns.edges[e].h; !in[w] {
					// slack = r(w) - (stored(v)+off) - 1
					heap.Push(&asTail, [2]int{ns.rank[w] - ns.rank[v] - 1, e})
				}
			}
			for _, e := range ns.in[v] {
				if w := ns.edges[e].t; !in[w] {
					// slack = (stored(v)+off) - r(w) - 1
					heap.Push(&asHead, [2]int{ns.rank[v] - ns.rank[w] - 1, e})
				}
			}
		}
		add(s)
		for {
			for asTail.Len() > 0 && in[ns.edges[asTail.e[0]].h] {
				heap.Pop(&asTail)
			}
			for asHead.Len() > 0 && in[ns.edges[asHead.e[0]].t] {
				heap.Pop(&asHead)
			}
			if asTail.Len() == 0 && asHead.Len() == 0 {
				break
			}
			st, sh := 1<<62, 1<<62
			if asTail.Len() > 0 {
				st = asTail.key[0] - off
			}
			if asHead.Len() > 0 {
				sh = asHead.key[0] + off
			}
			var e, w int
			if st <= sh {
				e = asTail.e[0]
				heap.Pop(&asTail)
				off += st // move the tree down: the edge becomes tight
				w = ns.edges[e].h
			} else {
				e = asHead.e[0]
				heap.Pop(&asHead)
				off -= sh // move the tree up
				w = ns.edges[e].t
			}
			ns.addTree(e)
			add(w)
		}
		for _, v := range members {
			ns.rank[v] += off
		}
	}
}

// dfsRange sets par, low and lim for the subtree of v entered through edge
// par, postorder numbers starting at low; it returns the next free number.
func (ns *nsState) dfsRange(v, par, low int) int {
	ns.par[v] = par
	ns.low[v] = low
	lim := low
	for _, a := range ns.treeAdj[v] {
		if a.e == par {
			continue
		}
		if ns.par[a.w] == a.e && ns.low[a.w] == lim {
			lim = ns.lim[a.w] + 1 // unchanged subtree, same numbers
			continue
		}
		lim = ns.dfsRange(a.w, a.e, lim)
	}
	ns.lim[v] = lim
	return lim + 1
}

func (ns *nsState) dfsCut(v, par int) {
	for _, a := range ns.treeAdj[v] {
		if a.e != par {
			ns.dfsCut(a.w, a.e)
		}
	}
	if par >= 0 {
		ns.cutValue(par)
	}
}

// inSub reports whether w lies in the subtree of v.
func (ns *nsState) inSub(v, w int) bool {
	return ns.low[v] <= ns.lim[w] && ns.lim[w] <= ns.lim[v]
}

// cutValue computes the cut value of tree edge f from those of the tree
// edges below it (Graphviz's x_cutval).
func (ns *nsState) cutValue(f int) {
	v, dir := ns.edges[f].t, 1
	if ns.par[v] != f {
		v, dir = ns.edges[f].h, -1
	}
	sum := 0
	val := func(e int) {
		ed := &ns.edges[e]
		other := ed.h
		if other == v {
			other = ed.t
		}
		var rv int
		outside := !ns.inSub(v, other)
		if outside {
			rv = ed.w
		} else {
			if ed.tree {
				rv = ed.cut
			}
			rv -= ed.w
		}
		var d int
		if dir > 0 {
			d = -1
			if ed.h == v {
				d = 1
			}
		} else {
			d = -1
			if ed.t == v {
				d = 1
			}
		}
		if outside {
			d = -d
		}
		if d < 0 {
			rv = -rv
		}
		sum += rv
	}
	for _, e := range ns.out[v] {
		val(e)
	}
	for _, e := range ns.in[v] {
		val(e)
	}
	ns.edges[f].cut = sum
}

// leaveEdge returns a tree edge with a negative cut value (the most negative
// of the first simplexSearchSize found, scanning cyclically), or -1.
func (ns *nsState) leaveEdge() int {
	best, bestCut, found := -1, 0, 0
	m := len(ns.treeEdges)
	for k := 0; k < m; k++ {
		i := (ns.searchAt + k) % m
		e := ns.treeEdges[i]
		if c := ns.edges[e].cut; c < 0 {
			if best < 0 || c < bestCut {
				best, bestCut = e, c
			}
			found++
			if found >= simplexSearchSize {
				ns.searchAt = i
				return best
			}
		}
	}
	if best >= 0 {
		ns.searchAt = ns.edges[best].treeIx
	}
	return best
}

// enterEdge returns the non-tree edge of least slack that reconnects the two
// halves of the tree when tree edge e is removed, in the right direction.
func (ns *nsState) enterEdge(e int) int {
	ed := ns.edges[e]
	v, outsearch := ed.h, true
	if ns.lim[ed.t] < ns.lim[ed.h] {
		v, outsearch = ed.t, false
	}
	lo, li := ns.low[v], ns.lim[v]
	enter, slack := -1, 0
	var dfs func(v int)
	dfs = func(v int) {
		adj := ns.in[v]
		if outsearch {
			adj = ns.out[v]
		}
		for _, f := range adj {
			w := ns.other(f, v)
			if !ns.edges[f].tree {
				if ns.lim[w] < lo || ns.lim[w] > li {
					if s := ns.slack(f); enter < 0 || s < slack {
						enter, slack = f, s
					}
				}
			} else if ns.lim[w] < ns.lim[v] {
				dfs(w)
			}
		}
		adj = ns.out[v]
		if outsearch {
			adj = ns.in[v]
		}
		for _, f := range adj {
			if enter >= 0 && slack <= 0 {
				return
			}
			if w := ns.other(f, v); ns.edges[f].tree && ns.lim[w] < ns.lim[v] {
				dfs(w)
			}
		}
	}
	dfs(v)
	return enter
}

func (ns *nsState) rerank(v, par, delta int) {
	ns.rank[v] -= delta
	for _, a := range ns.treeAdj[v] {
		if a.e != par {
			ns.rerank(a.w, a.e, delta)
		}
	}
}

// update exchanges tree edge e for non-tree edge f.
func (ns *nsState) update(e, f int) {
	ed := ns.edges[e]
	if delta := ns.slack(f); delta > 0 {
		if ns.lim[ed.t] < ns.lim[ed.h] {
			ns.rerank(ed.t, e, delta)
		} else {
			ns.rerank(ed.h, e, -delta)
		}
	}
	cut := ns.edges[e].cut
	fd := ns.edges[f]
	lca := ns.treeUpdate(fd.t, fd.h, cut, true)
	ns.treeUpdate(fd.h, fd.t, cut, false)
	ns.edges[f].cut = -cut
	ns.edges[e].cut = 0
	// Subtrees that change shape lie on the old tree paths from the ends of
	// e and f up to lca: mark them so that dfsRange renumbers them.
	for _, v := range [4]int{ed.t, ed.h, fd.t, fd.h} {
		for v != lca && ns.low[v] >= 0 {
			ns.low[v] = -1
			v = ns.other(ns.par[v], v)
		}
	}
	// Exchange e and f in the tree.
	ix := ns.edges[e].treeIx
	ns.edges[e].tree = false
	ns.removeAdj(ed.t, e)
	ns.removeAdj(ed.h, e)
	ns.edges[f].tree = true
	ns.edges[f].treeIx = ix
	ns.treeEdges[ix] = f
	ns.treeAdj[fd.t] = append(ns.treeAdj[fd.t], nsAdj{f, fd.h})
	ns.treeAdj[fd.h] = append(ns.treeAdj[fd.h], nsAdj{f, fd.t})
	ns.dfsRange(lca, ns.par[lca], ns.low[lca])
}

func (ns *nsState) removeAdj(v, e int) {
	adj := ns.treeAdj[v]
	for i, x := range adj {
		if x.e == e {
			copy(adj[i:], adj[i+1:])
			ns.treeAdj[v] = adj[:len(adj)-1]
			return
		}
	}
}

// treeUpdate adds or subtracts cut from the cut values on the tree path from
// v up to the lowest common ancestor of v and w, which it returns.
func (ns *nsState) treeUpdate(v, w, cut int, dir bool) int {
	for !ns.inSub(v, w) {
		e := ns.par[v]
		d := dir
		if v != ns.edges[e].t {
			d = !dir
		}
		if d {
			ns.edges[e].cut += cut
		} else {
			ns.edges[e].cut -= cut
		}
		if ns.lim[ns.edges[e].t] > ns.lim[ns.edges[e].h] {
			v = ns.edges[e].t
		} else {
			v = ns.edges[e].h
		}
	}
	return v
}
