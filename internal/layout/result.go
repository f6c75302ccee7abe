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
	// Dummy members (inner edges, placeholders) widen the box too, so that
	// it holds the edges between its members.
	for i := range st.nodes {
		if n := &st.nodes[i]; n.grp >= 0 {
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
	// Every layer is a band as tall as its tallest box. An edge leaves its
	// upper end at the bottom of the box, runs straight down to the bottom of
	// the band, crosses the gap to the next band and runs straight down
	// through the band at each dummy, and enters the lower end at the top of
	// its box. Boxes lie inside the bands, and inside a band the route is
	// vertical at x of its own box or dummy, which no other box covers: so
	// routes never pass through a box other than their ends'.
	half := make([]float64, st.nLayers)
	for l, layer := range st.layers {
		for _, v := range layer {
			half[l] = math.Max(half[l], st.nodes[v].h/2)
		}
	}
	for i, e := range st.edges {
		pts := make([]Point, 0, 2*len(e.chain))
		add := func(p Point) {
			if n := len(pts); n > 0 && pts[n-1] == p {
				return
			}
			pts = append(pts, p)
		}
		for k, v := range e.chain {
			n := &st.nodes[v]
			x, top, bottom := n.x+shift[i], n.y-half[n.layer], n.y+half[n.layer]
			switch k {
			case 0:
				add(Point{x, n.y + n.h/2})
				add(Point{x, bottom})
			case len(e.chain) - 1:
				add(Point{x, top})
				add(Point{x, n.y - n.h/2})
			default:
				add(Point{x, top})
				add(Point{x, bottom})
			}
		}
		if e.rev {
			slices.Reverse(pts)
		}
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
