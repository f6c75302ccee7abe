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

// transpose swaps neighbours of the same group while that lowers crossings;
// with equal it also swaps pairs whose crossings tie, to leave plateaus (as
// Graphviz dot does on alternate iterations).
func (st *state) transpose(equal bool) {
	for round := 0; round < transposeRounds; round++ {
		improved := false
		for _, layer := range st.layers {
			for i := 0; i+1 < len(layer); i++ {
				u, v := layer[i], layer[i+1]
				if st.nodes[u].grp != st.nodes[v].grp {
					continue
				}
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
			}
		}
		if !improved {
			return
		}
	}
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
	pa := make([]int, len(a))
	pb := make([]int, len(b))
	for i, x := range a {
		pa[i] = st.pos[x]
	}
	for i, y := range b {
		pb[i] = st.pos[y]
	}
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
