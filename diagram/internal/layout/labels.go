package layout

import (
	"math"
	"slices"
)

// label is where a group's label goes in TopBottom: at the x of legalisation
// variable anchor plus off.
type label struct {
	anchor int
	off    float64
	ok     bool
}

// edgeShifts spreads parallel edges between adjacent layers apart: st.shift
// is each edge's sideways offset from the centres of its ends.
func (st *state) edgeShifts() {
	type pair struct{ a, b int }
	multi := map[pair][]int{}
	var keys []pair
	for i, e := range st.edges {
		if len(e.chain) == 2 {
			p := pair{min(e.u, e.v), max(e.u, e.v)}
			if len(multi[p]) == 1 {
				keys = append(keys, p)
			}
			multi[p] = append(multi[p], i)
		}
	}
	st.shift = make([]float64, len(st.edges))
	for _, p := range keys {
		ids := multi[p]
		for k, i := range ids {
			e := st.edges[i]
			lim := math.Min(st.nodes[e.u].w, st.nodes[e.v].w) / 2 * 0.8
			st.shift[i] = math.Max(-lim, math.Min(lim, (float64(k)-float64(len(ids)-1)/2)*8))
		}
	}
}

// placeLabels legalises the layout (see legalize) with room for the group
// labels. In TopBottom a label lies in the header of its box, which only the
// edges entering the group's first layer cross, each vertically at the x of
// the member it enters. After a first legalisation (boxes at least as wide as
// their labels), each label takes the first spot clear of those edges: left-
// aligned, right-aligned, or after one of them; where none is clear, the side
// that needs the box to widen less. A second legalisation with constraints
// that keep every chosen spot clear then fixes the positions. In LeftRight
// labels are placed by the routes (see placeLabelsLR).
func (st *state) placeLabels() {
	st.edgeShifts()
	ng := len(st.groups)
	if ng == 0 {
		return
	}
	n := len(st.nodes)
	tb := st.opts.Direction == TopBottom
	var extra []cons
	labelled := false
	for g := range st.groups {
		if w := st.groups[g].labelW; w > 0 && tb {
			extra = append(extra, cons{n + 2*g, n + 2*g + 1, w + 2*labelInset})
			labelled = true
		}
	}
	if !st.legalize(extra) || !labelled {
		return
	}
	// Entries: the items of a group's first layer that edges enter, with the
	// largest sideways shift of those edges.
	inShift := make([]float64, n)
	for i, e := range st.edges {
		v := e.chain[len(e.chain)-1]
		inShift[v] = math.Max(inShift[v], math.Abs(st.shift[i]))
	}
	first, _ := st.groupLayers()
	entries := make([][]int, ng)
	for l, layer := range st.layers {
		for _, v := range layer {
			if len(st.up[v]) == 0 {
				continue
			}
			for g := st.nodes[v].grp; g >= 0; g = st.groups[g].parent {
				if first[g] == l && st.groups[g].labelW > 0 {
					entries[g] = append(entries[g], v)
				}
			}
		}
	}
	st.labels = make([]label, ng)
	for g := range st.groups {
		w := st.groups[g].labelW
		if w <= 0 {
			continue
		}
		es := entries[g]
		slices.SortStableFunc(es, func(a, b int) int { return cmpFloat(st.nodes[a].x, st.nodes[b].x) })
		lw, rw := n+2*g, n+2*g+1
		L, R := st.walls[2*g], st.walls[2*g+1]
		lo := func(e int) float64 { return st.nodes[e].x - inShift[e] - labelClear }
		hi := func(e int) float64 { return st.nodes[e].x + inShift[e] + labelClear }
		leftSpot := func() {
			for _, e := range es {
				extra = append(extra, cons{lw, e, labelInset + w + labelClear + inShift[e]})
			}
			st.labels[g] = label{lw, labelInset, true}
		}
		rightSpot := func() {
			for _, e := range es {
				extra = append(extra, cons{e, rw, inShift[e] + labelClear + w + labelInset})
			}
			st.labels[g] = label{rw, -labelInset - w, true}
		}
		switch {
		case len(es) == 0 || lo(es[0]) >= L+labelInset+w:
			leftSpot()
			continue
		case hi(es[len(es)-1]) <= R-labelInset-w:
			rightSpot()
			continue
		}
		gap := -1
		for i, e := range es {
			end := R - labelInset
			if i+1 < len(es) {
				end = lo(es[i+1])
			}
			if hi(e)+w <= end {
				gap = i
				break
			}
		}
		if gap >= 0 {
			a := es[gap]
			off := inShift[a] + labelClear
			for _, e := range es[gap+1:] {
				extra = append(extra, cons{a, e, off + w + labelClear + inShift[e]})
			}
			extra = append(extra, cons{a, rw, off + w + labelInset})
			st.labels[g] = label{a, off, true}
			continue
		}
		// No spot is clear: widen the box on the side that needs less.
		needL, needR := math.Inf(-1), math.Inf(-1)
		for _, e := range es {
			needL = math.Max(needL, L+labelInset+w-lo(e))
			needR = math.Max(needR, hi(e)+w+labelInset-R)
		}
		if needL <= needR {
			leftSpot()
		} else {
			rightSpot()
		}
	}
	if !st.legalize(extra) {
		st.labels = nil
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// labelX is the x of group g's label after legalisation, and false where
// placeLabels did not place it.
func (st *state) labelX(g int) (float64, bool) {
	if g >= len(st.labels) || !st.labels[g].ok {
		return 0, false
	}
	l := st.labels[g]
	if n := len(st.nodes); l.anchor >= n {
		return st.walls[l.anchor-n] + l.off, true
	}
	return st.nodes[l.anchor].x + l.off, true
}

// placeLabelsLR places the labels of LeftRight layouts, in internal
// coordinates (the output's top wall is the internal left wall): along a
// strip inside the left wall of each labelled box, at the first spot along it
// that no route crosses (top, bottom, or after a crossing), else the least
// crossed of those. routes are the edges' polylines in internal coordinates;
// the only segments that can cross a strip are those between two layers.
func (st *state) placeLabelsLR(boxes []Rect, routes [][]Point, out map[string]Rect) {
	type seg struct{ p, q Point }
	var segs []seg
	for _, pts := range routes {
		for k := 0; k+1 < len(pts); k++ {
			if pts[k].X != pts[k+1].X {
				segs = append(segs, seg{pts[k], pts[k+1]})
			}
		}
	}
	slices.SortFunc(segs, func(a, b seg) int {
		return cmpFloat(math.Min(a.p.Y, a.q.Y), math.Min(b.p.Y, b.q.Y))
	})
	tall := 0.0 // the largest height of a segment
	for _, s := range segs {
		tall = math.Max(tall, math.Abs(s.p.Y-s.q.Y))
	}
	top := func(s seg, y float64) int { return cmpFloat(math.Min(s.p.Y, s.q.Y), y) }
	type span struct{ lo, hi float64 }
	var cuts []span
	for g := range st.groups {
		gr := &st.groups[g]
		if gr.labelW <= 0 {
			continue
		}
		b := boxes[g]
		x0, x1 := b.X+labelGap, b.X+labelGap+gr.labelH
		y0, y1 := b.Y+labelInset, b.Y+b.H-labelInset
		w := math.Min(gr.labelW, math.Max(0, y1-y0))
		cuts = cuts[:0]
		// Segments are sorted by their top: look at those that can reach
		// into the strip.
		start, _ := slices.BinarySearchFunc(segs, y0-tall, top)
		end, _ := slices.BinarySearchFunc(segs, y1, top)
		for _, s := range segs[start:max(start, end)] {
			if math.Max(s.p.Y, s.q.Y) <= y0 {
				continue
			}
			if c, ok := clipX(s.p, s.q, x0-labelClear/2, x1+labelClear/2); ok {
				cuts = append(cuts, span{c.lo - labelClear, c.hi + labelClear})
			}
		}
		slices.SortFunc(cuts, func(a, b span) int { return cmpFloat(a.lo, b.lo) })
		crossed := func(y float64) int {
			k := 0
			for _, c := range cuts {
				if c.lo < y+w && c.hi > y {
					k++
				}
			}
			return k
		}
		cands := []float64{y0, y1 - w}
		for _, c := range cuts {
			if c.hi+w <= y1 {
				cands = append(cands, c.hi)
			}
		}
		best, bestK := y0, math.MaxInt
		for _, y := range cands {
			if k := crossed(y); k < bestK {
				best, bestK = y, k
				if k == 0 {
					break
				}
			}
		}
		out[gr.id] = st.orient(Rect{x0, best, gr.labelH, w})
	}
}

// clipX returns the y-range of segment p-q within x0 <= x <= x1.
func clipX(p, q Point, x0, x1 float64) (struct{ lo, hi float64 }, bool) {
	var r struct{ lo, hi float64 }
	if p.X > q.X {
		p, q = q, p
	}
	a, b := math.Max(p.X, x0), math.Min(q.X, x1)
	if a > b {
		return r, false
	}
	at := func(x float64) float64 {
		if q.X == p.X {
			return p.Y
		}
		return p.Y + (q.Y-p.Y)*(x-p.X)/(q.X-p.X)
	}
	ya, yb := at(a), at(b)
	r.lo, r.hi = math.Min(ya, yb), math.Max(ya, yb)
	return r, true
}
