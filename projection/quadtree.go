// SPDX-License-Identifier: Apache-2.0

package projection

import "math"

// quadtree is a Barnes–Hut quadtree over a 2-D layout, rebuilt each iteration.
type quadtree struct {
	nodes  []qnode
	perm   []int32 // the points, each leaf's contiguous (and the tree's order)
	buf    []int32
	leafOf []int32 // the leaf holding each point
}

type qnode struct {
	cx, cy, hw float64 // the square cell: centre and half width
	mx, my     float64 // centre of mass of its points
	count      int32
	child      int32 // the first of 4 children; -1 for a leaf
	lo, hi     int32 // its points are perm[lo:hi]
}

// maxDepth bounds the tree: points closer than the cell width at this depth (duplicates)
// share a leaf.
const maxDepth = 48

func (t *quadtree) build(y []float64) {
	n := len(y) / 2
	if cap(t.perm) < n {
		t.perm, t.buf, t.leafOf = make([]int32, n), make([]int32, n), make([]int32, n)
	}
	t.perm, t.buf, t.leafOf = t.perm[:n], t.buf[:n], t.leafOf[:n]
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range n {
		t.perm[i] = int32(i)
		minX, maxX = min(minX, y[2*i]), max(maxX, y[2*i])
		minY, maxY = min(minY, y[2*i+1]), max(maxY, y[2*i+1])
	}
	hw := max(maxX-minX, maxY-minY)/2*(1+1e-9) + 1e-12
	t.nodes = append(t.nodes[:0], qnode{cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, hw: hw})
	t.split(y, 0, 0, int32(n), 0)
}

func (t *quadtree) split(y []float64, node int, lo, hi int32, depth int) {
	nd := &t.nodes[node]
	nd.lo, nd.hi, nd.count, nd.child = lo, hi, hi-lo, -1
	var sx, sy float64
	for _, p := range t.perm[lo:hi] {
		sx += y[2*p]
		sy += y[2*p+1]
	}
	if nd.count > 0 {
		nd.mx, nd.my = sx/float64(nd.count), sy/float64(nd.count)
	}
	if nd.count <= 1 || depth >= maxDepth {
		for _, p := range t.perm[lo:hi] {
			t.leafOf[p] = int32(node)
		}
		return
	}
	cx, cy, hw := nd.cx, nd.cy, nd.hw
	quad := func(p int32) int {
		q := 0
		if y[2*p] >= cx {
			q = 1
		}
		if y[2*p+1] >= cy {
			q += 2
		}
		return q
	}
	// Counting sort of perm[lo:hi] by quadrant.
	var counts [4]int32
	for _, p := range t.perm[lo:hi] {
		counts[quad(p)]++
	}
	var at [5]int32
	at[0] = lo
	for q := range 4 {
		at[q+1] = at[q] + counts[q]
	}
	next := at
	for _, p := range t.perm[lo:hi] {
		q := quad(p)
		t.buf[next[q]] = p
		next[q]++
	}
	copy(t.perm[lo:hi], t.buf[lo:hi])
	first := len(t.nodes)
	t.nodes[node].child = int32(first)
	h := hw / 2
	for q := range 4 {
		ox, oy := -h, -h
		if q&1 != 0 {
			ox = h
		}
		if q&2 != 0 {
			oy = h
		}
		t.nodes = append(t.nodes, qnode{cx: cx + ox, cy: cy + oy, hw: h})
	}
	for q := range 4 {
		t.split(y, first+q, at[q], at[q+1], depth+1)
	}
}

// barnesHut is the Barnes–Hut gradient of t-SNE: the attraction over the sparse
// affinities, the repulsion over the quadtree.
type barnesHut struct {
	n      int
	p      csr
	theta2 float64
	tree   quadtree
	zs     []float64
}

// repulsion walks the tree from point i: the sum of w = 1/(1+d²) over the other points
// (z) and of w²(yᵢ − yⱼ) (f0, f1), cells seen under an angle below θ counted as one.
func (b *barnesHut) repulsion(y []float64, i int32, stack []int32) (z, f0, f1 float64, _ []int32) {
	yi0, yi1 := y[2*i], y[2*i+1]
	own := b.tree.leafOf[i]
	stack = append(stack[:0], 0)
	nodes := b.tree.nodes
	for len(stack) > 0 {
		nd := &nodes[stack[len(stack)-1]]
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if nd.count == 0 {
			continue
		}
		size := float64(nd.count)
		mx, my := nd.mx, nd.my
		if id == own {
			if nd.count == 1 {
				continue
			}
			// Duplicates of i in one leaf: the others' centre of mass.
			mx, my = (mx*size-yi0)/(size-1), (my*size-yi1)/(size-1)
			size--
		}
		d0, d1 := yi0-mx, yi1-my
		d2 := d0*d0 + d1*d1
		width := 2 * nd.hw
		if nd.child >= 0 && width*width >= b.theta2*d2 {
			c := nd.child
			stack = append(stack, c, c+1, c+2, c+3)
			continue
		}
		w := 1 / (1 + d2)
		z += size * w
		sw := size * w * w
		f0 += sw * d0
		f1 += sw * d1
	}
	return z, f0, f1, stack
}

// gradient sets g to the Barnes–Hut gradient at layout y, affinities times ex.
func (b *barnesHut) gradient(y, g []float64, ex float64) {
	n := b.n
	b.tree.build(y)
	if b.zs == nil {
		b.zs = make([]float64, n)
	}
	rep := make([]float64, 2*n)
	perm := b.tree.perm
	parallelRange(n, func(lo, hi int) {
		stack := make([]int32, 0, 256)
		for t := lo; t < hi; t++ {
			i := perm[t] // in tree order: neighbours in space, in cache
			var z, f0, f1 float64
			z, f0, f1, stack = b.repulsion(y, i, stack)
			b.zs[i] = z
			rep[2*i], rep[2*i+1] = f0, f1
			var a0, a1 float64
			yi0, yi1 := y[2*i], y[2*i+1]
			for k := b.p.start[i]; k < b.p.start[i+1]; k++ {
				j := b.p.cols[k]
				d0, d1 := yi0-y[2*j], yi1-y[2*j+1]
				pw := b.p.vals[k] / (1 + d0*d0 + d1*d1)
				a0 += pw * d0
				a1 += pw * d1
			}
			g[2*i], g[2*i+1] = ex*a0, ex*a1
		}
	})
	z := 0.0
	for _, v := range b.zs {
		z += v
	}
	for i := range g {
		g[i] = 4 * (g[i] - rep[i]/z)
	}
}

// kl is the KL divergence at layout y, its normaliser Z from the tree.
func (b *barnesHut) kl(y []float64) float64 {
	g := make([]float64, len(y))
	b.gradient(y, g, 1)
	z := 0.0
	for _, v := range b.zs {
		z += v
	}
	kl := 0.0
	for i := range b.n {
		for k := b.p.start[i]; k < b.p.start[i+1]; k++ {
			j := b.p.cols[k]
			d0, d1 := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
			q := 1 / (1 + d0*d0 + d1*d1) / z
			pij := b.p.vals[k]
			kl += pij * math.Log(max(pij, machineEps)/max(q, machineEps))
		}
	}
	return kl
}
