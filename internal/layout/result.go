package layout

import (
	"math"
	"slices"
)

const margin = 10.0

func (st *state) result() *Result {
	res := &Result{
		Nodes:     make(map[string]Rect, len(st.index)),
		Groups:    make(map[string]Rect, len(st.groups)),
		Edges:     make([]EdgePath, len(st.g.Edges)),
		Layers:    st.nLayers,
		Direction: st.opts.Direction,
		Crossings: st.crossings(),
	}
	// Normalise x so that the leftmost box (with its group padding) starts
	// at the margin.
	minX, maxX, maxY := math.Inf(1), math.Inf(-1), 0.0
	for i := range st.nodes {
		n := &st.nodes[i]
		pad := groupPad * float64(st.gdepth(n.grp))
		minX = math.Min(minX, n.x-n.w/2-pad)
		maxX = math.Max(maxX, n.x+n.w/2+pad+loopWidth*float64(n.selfLoops))
		maxY = math.Max(maxY, n.y+n.h/2+pad)
	}
	maxDepth := 0
	for _, g := range st.groups {
		maxDepth = max(maxDepth, g.depth)
	}
	dx := margin - minX
	dy := margin + groupPad*float64(maxDepth)
	if len(st.nodes) == 0 {
		dx, maxX = 0, 0
	}
	for i := range st.nodes {
		st.nodes[i].x += dx
		st.nodes[i].y += dy
	}
	w := maxX + dx + margin
	h := maxY + dy + margin
	rect := func(v int) Rect {
		n := &st.nodes[v]
		return Rect{n.x - n.w/2, n.y - n.h/2, n.w, n.h}
	}

	// Group boxes, deepest first.
	type box struct {
		r  Rect
		ok bool
	}
	boxes := make([]box, len(st.groups))
	grow := func(b *box, r Rect) {
		if !b.ok {
			*b = box{r, true}
			return
		}
		x0, y0 := math.Min(b.r.X, r.X), math.Min(b.r.Y, r.Y)
		x1, y1 := math.Max(b.r.X+b.r.W, r.X+r.W), math.Max(b.r.Y+b.r.H, r.Y+r.H)
		b.r = Rect{x0, y0, x1 - x0, y1 - y0}
	}
	for i := range st.nodes {
		if n := &st.nodes[i]; !n.dummy && n.grp >= 0 {
			r := rect(i)
			r.W += loopWidth * float64(n.selfLoops)
			grow(&boxes[n.grp], r)
		}
	}
	gorder := make([]int, len(st.groups))
	for i := range gorder {
		gorder[i] = i
	}
	slices.SortStableFunc(gorder, func(a, b int) int { return st.groups[b].depth - st.groups[a].depth })
	for _, gi := range gorder {
		b := &boxes[gi]
		b.r = Rect{b.r.X - groupPad, b.r.Y - groupPad, b.r.W + 2*groupPad, b.r.H + 2*groupPad}
		if p := st.groups[gi].parent; p >= 0 {
			grow(&boxes[p], b.r)
		}
	}
	slices.Reverse(gorder)
	for _, gi := range gorder {
		res.groupOrder = append(res.groupOrder, st.groups[gi].id)
		res.Groups[st.groups[gi].id] = st.orient(boxes[gi].r)
	}
	for _, n := range st.g.Nodes {
		if v, ok := st.index[n.ID]; ok {
			res.nodeOrder = append(res.nodeOrder, n.ID)
			res.Nodes[n.ID] = st.orient(rect(v))
		}
	}

	// Edges. Parallel edges between adjacent layers are spread apart.
	type pair struct{ a, b int }
	multi := map[pair][]int{}
	for i, e := range st.edges {
		if len(e.chain) == 2 {
			p := pair{min(e.u, e.v), max(e.u, e.v)}
			multi[p] = append(multi[p], i)
		}
	}
	shift := make([]float64, len(st.edges))
	for _, ids := range multi {
		for k, i := range ids {
			e := st.edges[i]
			lim := math.Min(st.nodes[e.u].w, st.nodes[e.v].w) / 2 * 0.8
			shift[i] = math.Max(-lim, math.Min(lim, (float64(k)-float64(len(ids)-1)/2)*8))
		}
	}
	for i, e := range st.edges {
		pts := make([]Point, len(e.chain))
		for k, v := range e.chain {
			pts[k] = Point{st.nodes[v].x + shift[i], st.nodes[v].y}
		}
		if e.rev {
			slices.Reverse(pts)
		}
		src, dst := st.index[st.g.Edges[e.orig].From], st.index[st.g.Edges[e.orig].To]
		last := len(pts) - 1
		p0 := clip(rect(src), pts[0], pts[1])
		pn := clip(rect(dst), pts[last], pts[last-1])
		pts[0], pts[last] = p0, pn
		for k := range pts {
			pts[k] = st.orientPt(pts[k])
		}
		ge := st.g.Edges[e.orig]
		res.Edges[e.orig] = EdgePath{From: ge.From, To: ge.To, Label: ge.Label, Points: pts, Reversed: e.rev}
	}
	loopCount := make([]int, len(st.nodes))
	for k, ei := range st.loops {
		v := st.loopAt[k]
		r := rect(v)
		j := loopCount[v]
		loopCount[v]++
		right := r.X + r.W
		ext := right + loopWidth*float64(j+1) - 6
		pts := []Point{{right, r.Y + r.H/4}, {ext, r.Y + r.H/4}, {ext, r.Y + 3*r.H/4}, {right, r.Y + 3*r.H/4}}
		for k := range pts {
			pts[k] = st.orientPt(pts[k])
		}
		ge := st.g.Edges[ei]
		res.Edges[ei] = EdgePath{From: ge.From, To: ge.To, Label: ge.Label, Points: pts, SelfLoop: true}
	}
	res.Width, res.Height = w, h
	if st.opts.Direction == LeftRight {
		res.Width, res.Height = h, w
	}
	return res
}

// clip returns where the segment from `from` (inside r) to `to` leaves r.
func clip(r Rect, from, to Point) Point {
	dx, dy := to.X-from.X, to.Y-from.Y
	t := 1.0
	if dx > 0 {
		t = math.Min(t, (r.X+r.W-from.X)/dx)
	} else if dx < 0 {
		t = math.Min(t, (r.X-from.X)/dx)
	}
	if dy > 0 {
		t = math.Min(t, (r.Y+r.H-from.Y)/dy)
	} else if dy < 0 {
		t = math.Min(t, (r.Y-from.Y)/dy)
	}
	t = math.Max(t, 0)
	return Point{from.X + t*dx, from.Y + t*dy}
}

func (st *state) orientPt(p Point) Point {
	if st.opts.Direction == LeftRight {
		return Point{p.Y, p.X}
	}
	return p
}

func (st *state) orient(r Rect) Rect {
	if st.opts.Direction == LeftRight {
		return Rect{r.Y, r.X, r.H, r.W}
	}
	return r
}
