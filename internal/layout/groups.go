package layout

import (
	"math"
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
		blockA      []int // per layer: first member index, -1 if none
		blockB      []int
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
