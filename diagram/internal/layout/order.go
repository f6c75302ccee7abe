package layout

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
)

// Number of barycenter sweeps and of transposition rounds after each sweep.
// Both are fixed so that the running time is predictable.
const (
	orderIterations = 24
	transposeRounds = 4
)

// order computes the left-to-right order of every layer.
func (st *state) order() {
	key := st.initialOrder()
	best := st.snapshot(nil)
	bestC := st.crossings()
	for it := 0; it < orderIterations && bestC > 0; it++ {
		median := it >= orderIterations/2
		if it == orderIterations/2 {
			st.restore(best)
		}
		if it%2 == 0 {
			for l := 1; l < st.nLayers; l++ {
				st.barycenters(l, st.up, key, median)
				st.sortLayer(l, key)
			}
		} else {
			for l := st.nLayers - 2; l >= 0; l-- {
				st.barycenters(l, st.down, key, median)
				st.sortLayer(l, key)
			}
		}
		st.fixGroupOrder()
		st.transpose(it%4 < 2)
		if c := st.crossings(); c < bestC {
			bestC = c
			best = st.snapshot(best)
		}
	}
	st.restore(best)
	st.swapGroups(swapGroupRounds)
	st.transpose(false)
}

func (st *state) restore(best [][]int) {
	for l := range st.layers {
		copy(st.layers[l], best[l])
		for i, v := range st.layers[l] {
			st.pos[v] = i
		}
	}
}

// initialOrder fills st.layers and st.pos with a group-contiguous starting
// order and returns a scratch slice of sort keys.
func (st *state) initialOrder() []float64 {
	n := len(st.nodes)
	// Initial order: depth-first from the nodes in input order, following
	// down links, so that connected nodes start close together.
	seen := make([]bool, n)
	var stack []int
	for s := 0; s < n; s++ {
		if seen[s] {
			continue
		}
		seen[s] = true
		stack = append(stack[:0], s)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			st.layers[st.nodes[v].layer] = append(st.layers[st.nodes[v].layer], v)
			for i := len(st.down[v]) - 1; i >= 0; i-- {
				if w := st.down[v][i]; !seen[w] {
					seen[w] = true
					stack = append(stack, w)
				}
			}
		}
	}
	key := make([]float64, n)
	for _, layer := range st.layers {
		for i, v := range layer {
			st.pos[v] = i
			key[v] = float64(i)
		}
	}
	for l := range st.layers {
		st.sortLayer(l, key)
	}
	st.fixGroupOrder()
	return key
}

func (st *state) snapshot(dst [][]int) [][]int {
	if dst == nil {
		dst = make([][]int, len(st.layers))
	}
	for l, layer := range st.layers {
		dst[l] = append(dst[l][:0], layer...)
	}
	return dst
}

// barycenters sets key[v] for every v in layer l to the mean (or, with
// median, the weighted median) position of its neighbours in nb, or to its
// own position when it has none.
func (st *state) barycenters(l int, nb [][]int, key []float64, median bool) {
	for _, v := range st.layers[l] {
		if len(nb[v]) == 0 {
			key[v] = float64(st.pos[v])
			continue
		}
		if !median {
			s := 0
			for _, w := range nb[v] {
				s += st.pos[w]
			}
			key[v] = float64(s) / float64(len(nb[v]))
			continue
		}
		ps := st.scratch[:0]
		for _, w := range nb[v] {
			ps = append(ps, st.pos[w])
		}
		slices.Sort(ps)
		st.scratch = ps
		m := len(ps) / 2
		switch {
		case len(ps)%2 == 1:
			key[v] = float64(ps[m])
		case len(ps) == 2:
			key[v] = float64(ps[0]+ps[1]) / 2
		default:
			// Weighted median (Gansner et al.), biased towards the side
			// where the neighbours are packed more tightly.
			left, right := float64(ps[m-1]-ps[0]), float64(ps[len(ps)-1]-ps[m])
			if left+right == 0 {
				key[v] = float64(ps[m-1]+ps[m]) / 2
			} else {
				key[v] = (float64(ps[m-1])*right + float64(ps[m])*left) / (left + right)
			}
		}
	}
}

// sortLayer reorders layer l by key (stable: ties keep the current order),
// keeping the members of every group contiguous: groups are ordered among
// their siblings by the mean key of their members in this layer.
func (st *state) sortLayer(l int, key []float64) {
	layer := st.layers[l]
	if len(st.groups) == 0 {
		sort.SliceStable(layer, func(i, j int) bool { return key[layer[i]] < key[layer[j]] })
	} else {
		st.hierSort(layer, key)
	}
	for i, v := range layer {
		st.pos[v] = i
	}
}

type titem struct {
	node  int // node index, or -1 for a group
	tn    int // tree node index for a group
	key   float64
	order int
}

type tnode struct {
	grp   int // the group, -1 for the root
	sum   float64
	count int
	items []titem
}

func (st *state) hierSort(layer []int, key []float64) {
	tree := st.layerTree(layer, key)
	out := layer[:0]
	var flatten func(t int)
	flatten = func(t int) {
		items := tree[t].items
		for i := range items {
			if items[i].node < 0 {
				c := &tree[items[i].tn]
				items[i].key = c.sum / float64(c.count)
			}
		}
		slices.SortStableFunc(items, func(a, b titem) int {
			return cmp.Or(cmp.Compare(a.key, b.key), a.order-b.order)
		})
		for _, it := range items {
			if it.node >= 0 {
				out = append(out, it.node)
			} else {
				flatten(it.tn)
			}
		}
	}
	flatten(0)
}

// layerTree returns the group hierarchy of one layer: tree[0] is the root,
// every tree node lists its items (nodes and child groups, with titem.grp
// set for groups) in order of first appearance in layer, and sums key over
// its members.
func (st *state) layerTree(layer []int, key []float64) []tnode {
	tree := []tnode{{grp: -1}} // 0 is the root
	ofGroup := st.ofGroup
	if ofGroup == nil {
		ofGroup = map[int]int{}
		st.ofGroup = ofGroup
	}
	clear(ofGroup)
	var chain []int
	for _, v := range layer {
		// Find or create the tree node of v's group, creating ancestors.
		chain = chain[:0]
		g := st.nodes[v].grp
		for g >= 0 {
			if _, ok := ofGroup[g]; ok {
				break
			}
			chain = append(chain, g)
			g = st.groups[g].parent
		}
		parent := 0
		if g >= 0 {
			parent = ofGroup[g]
		}
		for i := len(chain) - 1; i >= 0; i-- {
			tree = append(tree, tnode{grp: chain[i]})
			t := len(tree) - 1
			ofGroup[chain[i]] = t
			tree[parent].items = append(tree[parent].items, titem{node: -1, tn: t, order: len(tree[parent].items)})
			parent = t
		}
		k := 0.0
		if key != nil {
			k = key[v]
		}
		tree[parent].items = append(tree[parent].items, titem{node: v, key: k, order: len(tree[parent].items)})
		for g := st.nodes[v].grp; ; g = st.groups[g].parent {
			t := 0
			if g >= 0 {
				t = ofGroup[g]
			}
			tree[t].sum += k
			tree[t].count++
			if g < 0 {
				break
			}
		}
	}
	return tree
}

// fixGroupOrder makes the left-to-right order of sibling groups the same in
// every layer, so that group boxes, which span all layers of their members,
// can be disjoint. Each group gets one key, the mean over its layers of its
// block's relative position; in every layer the slots held by sibling groups
// are refilled in key order (the other items keep their slots).
func (st *state) fixGroupOrder() {
	if len(st.groups) == 0 {
		return
	}
	sum := make([]float64, len(st.groups))
	cnt := make([]int, len(st.groups))
	for _, layer := range st.layers {
		lo := st.groupLo[:0]
		for range st.groups {
			lo = append(lo, -1)
		}
		st.groupLo = lo
		for i, v := range layer {
			for g := st.nodes[v].grp; g >= 0; g = st.groups[g].parent {
				if lo[g] < 0 {
					lo[g] = i
				}
				// The block ends at i: add its centre when it closes.
				if i+1 == len(layer) || !st.inGroup(layer[i+1], g) {
					sum[g] += (float64(lo[g]+i)/2 + 0.5) / float64(len(layer))
					cnt[g]++
				}
			}
		}
	}
	gkey := make([]float64, len(st.groups))
	for g := range gkey {
		if cnt[g] > 0 {
			gkey[g] = sum[g] / float64(cnt[g])
		}
	}
	for l, layer := range st.layers {
		tree := st.layerTree(layer, nil)
		out := layer[:0]
		var flatten func(t int)
		flatten = func(t int) {
			items := tree[t].items
			var slots []int
			var gs []titem
			for i, it := range items {
				if it.node < 0 {
					slots = append(slots, i)
					gs = append(gs, it)
				}
			}
			if len(gs) > 1 {
				slices.SortStableFunc(gs, func(a, b titem) int {
					ka, kb := gkey[tree[a.tn].grp], gkey[tree[b.tn].grp]
					switch {
					case ka < kb:
						return -1
					case ka > kb:
						return 1
					}
					return tree[a.tn].grp - tree[b.tn].grp
				})
				for k, i := range slots {
					items[i] = gs[k]
				}
			}
			for _, it := range items {
				if it.node >= 0 {
					out = append(out, it.node)
				} else {
					flatten(it.tn)
				}
			}
		}
		flatten(0)
		for i, v := range st.layers[l] {
			st.pos[v] = i
		}
	}
}

// inGroup reports whether node v is a member of group g, directly or not.
func (st *state) inGroup(v, g int) bool {
	for h := st.nodes[v].grp; h >= 0; h = st.groups[h].parent {
		if h == g {
			return true
		}
	}
	return false
}

// transpose swaps neighbouring items of one group while that lowers
// crossings; with equal it also swaps pairs of nodes whose crossings tie, to
// leave plateaus (as Graphviz dot does on alternate iterations). The items
// of a group in a layer are its own nodes and the blocks of its subgroups: a
// node may trade places with a whole neighbouring sibling block, but two
// sibling blocks never swap here, since sibling groups keep one order in
// every layer (see swapGroups).
func (st *state) transpose(equal bool) {
	for round := 0; round < transposeRounds; round++ {
		improved := false
		for _, layer := range st.layers {
			for i := 0; i+1 < len(layer); i++ {
				u, v := layer[i], layer[i+1]
				gu, gv := st.nodes[u].grp, st.nodes[v].grp
				if gu == gv {
					c1 := st.pairCrossings(st.up[u], st.up[v]) + st.pairCrossings(st.down[u], st.down[v])
					if c1 == 0 {
						continue
					}
					c2 := st.pairCrossings(st.up[v], st.up[u]) + st.pairCrossings(st.down[v], st.down[u])
					if c2 < c1 || (equal && c2 == c1) {
						layer[i], layer[i+1] = v, u
						st.pos[u], st.pos[v] = i+1, i
						improved = true
					}
					continue
				}
				// The items of the deepest common group meeting at i | i+1.
				p := st.lca(gu, gv)
				a, b := i, i+1
				if gu != p {
					c := st.childOn(gu, p)
					for a > 0 && st.inGroup(layer[a-1], c) {
						a--
					}
				}
				if gv != p {
					if gu != p {
						continue // two sibling blocks
					}
					c := st.childOn(gv, p)
					for b+1 < len(layer) && st.inGroup(layer[b+1], c) {
						b++
					}
				}
				if st.trySwapItems(layer, a, i, b) {
					improved = true
					i = a + b - i - 1 // continue right of the moved item's new start
				}
			}
		}
		if !improved {
			return
		}
	}
}

// childOn returns the ancestor of group g (or g itself) whose parent is p.
func (st *state) childOn(g, p int) int {
	for st.groups[g].parent != p {
		g = st.groups[g].parent
	}
	return g
}

// trySwapItems swaps the neighbouring runs layer[a..i] and layer[i+1..b] if
// that lowers the crossings of their edges with each other.
func (st *state) trySwapItems(layer []int, a, i, b int) bool {
	gather := func(buf []int, from, to int, nb [][]int) []int {
		buf = buf[:0]
		for k := from; k <= to; k++ {
			buf = append(buf, nb[layer[k]]...)
		}
		return buf
	}
	upL := gather(st.bufs[0], a, i, st.up)
	upR := gather(st.bufs[1], i+1, b, st.up)
	downL := gather(st.bufs[2], a, i, st.down)
	downR := gather(st.bufs[3], i+1, b, st.down)
	st.bufs[0], st.bufs[1], st.bufs[2], st.bufs[3] = upL, upR, downL, downR
	c1 := st.pairCrossings(upL, upR) + st.pairCrossings(downL, downR)
	if c1 == 0 {
		return false
	}
	c2 := st.pairCrossings(upR, upL) + st.pairCrossings(downR, downL)
	if c2 >= c1 {
		return false
	}
	// Rotate layer[a..b] so that the right run comes first.
	tmp := append(st.bufs[4][:0], layer[a:i+1]...)
	st.bufs[4] = tmp
	copy(layer[a:], layer[i+1:b+1])
	copy(layer[a+b-i:], tmp)
	for k := a; k <= b; k++ {
		st.pos[layer[k]] = k
	}
	return true
}

// pairCrossings counts crossings between the edges of a node with neighbours
// a placed left of a node with neighbours b.
func (st *state) pairCrossings(a, b []int) int {
	c := 0
	if len(a)*len(b) <= 1024 {
		for _, x := range a {
			px := st.pos[x]
			for _, y := range b {
				if px > st.pos[y] {
					c++
				}
			}
		}
		return c
	}
	pa, pb := st.bufs[5][:0], st.bufs[6][:0]
	for _, x := range a {
		pa = append(pa, st.pos[x])
	}
	for _, y := range b {
		pb = append(pb, st.pos[y])
	}
	st.bufs[5], st.bufs[6] = pa, pb
	slices.Sort(pa)
	slices.Sort(pb)
	j := 0
	for _, x := range pa {
		for j < len(pb) && pb[j] < x {
			j++
		}
		c += j
	}
	return c
}

// crossings counts all crossings between consecutive layers.
func (st *state) crossings() int {
	total := 0
	var seq []int
	var tree []int
	for l := 0; l+1 < st.nLayers; l++ {
		seq = seq[:0]
		for _, u := range st.layers[l] {
			start := len(seq)
			for _, w := range st.down[u] {
				seq = append(seq, st.pos[w])
			}
			slices.Sort(seq[start:])
		}
		total += countInversions(seq, len(st.layers[l+1]), &tree)
	}
	return total
}

// countInversions counts pairs i < j with seq[i] > seq[j], values in [0, m),
// with a Fenwick tree (the Barth–Jünger–Mutzel accumulator).
func countInversions(seq []int, m int, buf *[]int) int {
	tree := *buf
	if cap(tree) < m+1 {
		tree = make([]int, m+1)
	}
	tree = tree[:m+1]
	clear(tree)
	*buf = tree
	inv := 0
	for i, p := range seq {
		// number of inserted values <= p
		le := 0
		for k := p + 1; k > 0; k -= k & -k {
			le += tree[k]
		}
		inv += i - le
		for k := p + 1; k <= m; k += k & -k {
			tree[k]++
		}
	}
	return inv
}

// CountCrossings counts the edge crossings of a layered drawing given only
// its combinatorial structure: layers lists node IDs per layer, left to
// right, and every edge must join nodes of consecutive layers (in either
// direction). Long edges must already be split into chains of virtual nodes.
// It runs in O(E log V) and is meant for comparing orderings from different
// engines (for example Graphviz dot) on equal terms.
func CountCrossings(layers [][]string, edges []Edge) (int, error) {
	type place struct{ layer, pos int }
	at := map[string]place{}
	for l, layer := range layers {
		for i, id := range layer {
			if _, dup := at[id]; dup {
				return 0, fmt.Errorf("layout: CountCrossings: node %q appears twice in layers", id)
			}
			at[id] = place{l, i}
		}
	}
	down := make([][][]int, len(layers))
	for l := range layers {
		down[l] = make([][]int, len(layers[l]))
	}
	for i, e := range edges {
		a, ok1 := at[e.From]
		b, ok2 := at[e.To]
		if !ok1 || !ok2 {
			return 0, fmt.Errorf("layout: CountCrossings: edges[%d] (%q -> %q) names a node that is in no layer", i, e.From, e.To)
		}
		if a.layer > b.layer {
			a, b = b, a
		}
		if b.layer != a.layer+1 {
			return 0, fmt.Errorf("layout: CountCrossings: edges[%d] (%q -> %q) joins layers %d and %d; split it into one edge per layer", i, e.From, e.To, a.layer, b.layer)
		}
		down[a.layer][a.pos] = append(down[a.layer][a.pos], b.pos)
	}
	total := 0
	var seq, buf []int
	for l := 0; l+1 < len(layers); l++ {
		seq = seq[:0]
		for _, ps := range down[l] {
			start := len(seq)
			seq = append(seq, ps...)
			slices.Sort(seq[start:])
		}
		total += countInversions(seq, len(layers[l+1]), &buf)
	}
	return total, nil
}

// swapGroupRounds bounds the passes of swapGroups; swapGroupBudget bounds
// the edges it recounts, as a multiple of the edges between layers.
const (
	swapGroupRounds = 8
	swapGroupBudget = 32
)

// swapGroups improves the one left-to-right order of sibling groups that
// all layers share: it tries moving each group past its nearest sibling
// (to the right, then to the left) that shares a layer with it, swapping
// the two blocks in every such layer at once (the parent's own nodes
// between them keep their slots), and keeps the move when the crossings of
// the affected layer pairs drop. Groups that never share a layer are not
// ordered against each other. The passes stop when a pass improves nothing,
// after swapGroupRounds, or when the recounted edges exceed a budget
// proportional to the edges of the graph, so the cost stays linear in the
// size of the layered graph.
func (st *state) swapGroups(rounds int) {
	ng := len(st.groups)
	if ng < 2 || st.nLayers < 2 {
		return
	}
	// Span of every group (it has an item in every layer of its span).
	first := make([]int, ng)
	last := make([]int, ng)
	for g := range first {
		first[g], last[g] = st.nLayers, -1
	}
	// Precedence between sibling blocks that meet in some layer.
	succ := make([][]int, ng)
	indeg := make([]int, ng)
	for l, layer := range st.layers {
		tree := st.layerTree(layer, nil)
		for _, t := range tree {
			prev := -1
			for _, it := range t.items {
				if it.node >= 0 {
					continue
				}
				g := tree[it.tn].grp
				first[g], last[g] = min(first[g], l), max(last[g], l)
				if prev >= 0 {
					succ[prev] = append(succ[prev], g)
					indeg[g]++
				}
				prev = g
			}
		}
	}
	// Siblings of every parent (index ng for the root) in an order
	// consistent with every layer: Kahn's algorithm, smallest index first.
	sibs := make([][]int, ng+1)
	ready := []int{}
	for g := range ng {
		if indeg[g] == 0 {
			ready = append(ready, g)
		}
	}
	for len(ready) > 0 {
		k := 0
		for j := range ready {
			if ready[j] < ready[k] {
				k = j
			}
		}
		g := ready[k]
		ready = slices.Delete(ready, k, k+1)
		p := st.groups[g].parent
		if p < 0 {
			p = ng
		}
		sibs[p] = append(sibs[p], g)
		for _, h := range succ[g] {
			if indeg[h]--; indeg[h] == 0 {
				ready = append(ready, h)
			}
		}
	}
	// Crossings per layer pair, and the edges of each pair (for the budget).
	pairC := make([]int, st.nLayers-1)
	pairE := make([]int, st.nLayers-1)
	budget := 0
	for l := range pairC {
		pairC[l] = st.pairCount(l)
		for _, v := range st.layers[l] {
			pairE[l] += len(st.down[v])
		}
		budget += swapGroupBudget * pairE[l]
	}
	// try swaps the blocks of a (left) and b (right) in the layers they
	// share, keeping the change if it lowers crossings.
	try := func(a, b int) bool {
		lo, hi := max(first[a], first[b]), min(last[a], last[b])
		if lo == hi {
			// One layer: count only the crossings that change.
			a0, a1, b0, b1 := st.blockRanges(lo, a, b)
			du, dd, work := st.blockSwapDelta(lo, a0, a1, b0, b1)
			budget -= work
			if du+dd >= 0 {
				return false
			}
			st.swapRuns(lo, a0, a1, b0, b1)
			if lo > 0 {
				pairC[lo-1] += du
			}
			if lo < st.nLayers-1 {
				pairC[lo] += dd
			}
			return true
		}
		for l := lo; l <= hi; l++ {
			st.swapBlocks(l, a, b)
		}
		pl, ph := max(lo-1, 0), min(hi, st.nLayers-2)
		delta := 0
		newC := st.bufs[4][:0]
		for l := pl; l <= ph; l++ {
			c := st.pairCount(l)
			newC = append(newC, c)
			delta += c - pairC[l]
			budget -= pairE[l]
		}
		st.bufs[4] = newC
		if delta < 0 {
			copy(pairC[pl:], newC)
			return true
		}
		for l := lo; l <= hi; l++ {
			st.swapBlocks(l, b, a)
		}
		return false
	}
	meets := func(a, b int) bool { return first[a] <= last[b] && first[b] <= last[a] }
	for round := 0; round < rounds && budget > 0; round++ {
		improved := false
		for _, sib := range sibs {
			for k := 0; k < len(sib) && budget > 0; k++ {
				a := sib[k]
				// Right: the nearest later sibling sharing a layer.
				j := k + 1
				for j < len(sib) && !meets(a, sib[j]) {
					j++
				}
				if j < len(sib) && try(a, sib[j]) {
					copy(sib[k:j], sib[k+1:j+1])
					sib[j] = a
					improved = true
					k-- // sib[k] is a new group
					continue
				}
				j = k - 1
				for j >= 0 && !meets(a, sib[j]) {
					j--
				}
				if j >= 0 && try(sib[j], a) {
					copy(sib[j+1:k+1], sib[j:k])
					sib[j] = a
					improved = true
				}
			}
		}
		if !improved {
			break
		}
	}
}

// swapBlocks exchanges, in layer l, the blocks of sibling groups a and b
// (a's left of b's); the items between them keep their places.
func (st *state) swapBlocks(l, a, b int) {
	a0, a1, b0, b1 := st.blockRanges(l, a, b)
	st.swapRuns(l, a0, a1, b0, b1)
}

// blockRanges returns the first and last positions of the blocks of groups
// a and b in layer l.
func (st *state) blockRanges(l, a, b int) (a0, a1, b0, b1 int) {
	a0, a1, b0, b1 = -1, -1, -1, -1
	for i, v := range st.layers[l] {
		if st.inGroup(v, a) {
			if a0 < 0 {
				a0 = i
			}
			a1 = i
		} else if st.inGroup(v, b) {
			if b0 < 0 {
				b0 = i
			}
			b1 = i
		}
	}
	return
}

// swapRuns turns the runs A = [a0, a1], M = (a1, b0), B = [b0, b1] of layer
// l into B, M, A.
func (st *state) swapRuns(l, a0, a1, b0, b1 int) {
	layer := st.layers[l]
	tmp := append(st.bufs[5][:0], layer[a0:b1+1]...)
	st.bufs[5] = tmp
	na, nm := a1-a0+1, b0-a1-1
	k := a0
	k += copy(layer[k:], tmp[na+nm:])
	k += copy(layer[k:], tmp[na:na+nm])
	copy(layer[k:], tmp[:na])
	for i := a0; i <= b1; i++ {
		st.pos[layer[i]] = i
	}
}

// blockSwapDelta returns how the crossings above (du) and below (dd) layer
// l would change if swapRuns(l, a0, a1, b0, b1) ran while the neighbouring
// layers stay: only pairs of edges from two different runs among A, M, B
// change, and work is the number of edge ends looked at.
func (st *state) blockSwapDelta(l, a0, a1, b0, b1 int) (du, dd, work int) {
	layer := st.layers[l]
	side := func(nb [][]int) int {
		// Sorted neighbour positions of each run.
		var runs [3][]int
		bounds := [3][2]int{{a0, a1}, {a1 + 1, b0 - 1}, {b0, b1}}
		for r, bd := range bounds {
			ps := st.bufs[r][:0]
			for k := bd[0]; k <= bd[1]; k++ {
				for _, w := range nb[layer[k]] {
					ps = append(ps, st.pos[w])
				}
			}
			slices.Sort(ps)
			st.bufs[r] = ps
			runs[r] = ps
			work += len(ps)
		}
		// Every pair of runs (x left of y) flips: its crossings become the
		// pairs that did not cross and were not tied.
		d := 0
		for _, xy := range [3][2]int{{0, 1}, {1, 2}, {0, 2}} {
			before, after := sortedCross(runs[xy[0]], runs[xy[1]]), sortedCross(runs[xy[1]], runs[xy[0]])
			d += after - before
		}
		return d
	}
	return side(st.up), side(st.down), work
}

// sortedCross counts the pairs x in a, y in b (both sorted) with x > y.
func sortedCross(a, b []int) int {
	c, j := 0, 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		c += j
	}
	return c
}

// pairCount counts the crossings between layers l and l+1.
func (st *state) pairCount(l int) int {
	seq := st.bufs[6][:0]
	for _, u := range st.layers[l] {
		start := len(seq)
		for _, w := range st.down[u] {
			seq = append(seq, st.pos[w])
		}
		slices.Sort(seq[start:])
	}
	st.bufs[6] = seq
	return countInversions(seq, len(st.layers[l+1]), &st.fenwick)
}
