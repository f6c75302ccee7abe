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
		Labels:    map[string]Rect{},
		Edges:     make([]EdgePath, len(st.g.Edges)),
		Layers:    st.nLayers,
		Direction: st.opts.Direction,
		Crossings: st.crossings(),
	}
	rect := func(v int) Rect {
		n := &st.nodes[v]
		return Rect{n.x - n.w/2, n.y - n.h/2, n.w, n.h}
	}

	// Group boxes, deepest first: their members (dummies of inner edges and
	// placeholders included, so that a box holds the edges between its
	// members), then padding, with the header on top.
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
		top, left := st.padTop(gi), st.padLeft(gi)
		b.r = Rect{b.r.X - left, b.r.Y - top, b.r.W + left + groupPad, b.r.H + top + groupPad}
		if st.walls != nil {
			// Legalisation may have set a wall further out (a label).
			x0 := math.Min(b.r.X, st.walls[2*gi])
			x1 := math.Max(b.r.X+b.r.W, st.walls[2*gi+1])
			b.r.X, b.r.W = x0, x1-x0
		}
		if p := st.groups[gi].parent; p >= 0 {
			grow(&boxes[p], b.r)
		}
	}

	// Normalise so that the drawing, boxes included, starts at the margin.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range st.nodes {
		n := &st.nodes[i]
		minX = math.Min(minX, n.x-n.w/2)
		maxX = math.Max(maxX, n.x+n.w/2+loopWidth*float64(n.selfLoops))
		minY = math.Min(minY, n.y-n.h/2)
		maxY = math.Max(maxY, n.y+n.h/2)
	}
	for _, b := range boxes {
		if b.ok {
			minX, maxX = math.Min(minX, b.r.X), math.Max(maxX, b.r.X+b.r.W)
			minY, maxY = math.Min(minY, b.r.Y), math.Max(maxY, b.r.Y+b.r.H)
		}
	}
	dx, dy := margin-minX, margin-minY
	if len(st.nodes) == 0 {
		dx, dy, maxX, maxY = 0, 0, 0, 0
	}
	for i := range st.nodes {
		st.nodes[i].x += dx
		st.nodes[i].y += dy
	}
	for i := range boxes {
		boxes[i].r.X += dx
		boxes[i].r.Y += dy
	}
	w := maxX + dx + margin
	h := maxY + dy + margin

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
	if st.opts.Direction == TopBottom {
		for gi, gr := range st.groups {
			if x, ok := st.labelX(gi); ok {
				res.Labels[gr.id] = Rect{x + dx, boxes[gi].r.Y + labelGap, gr.labelW, gr.labelH}
			} else if gr.labelW > 0 {
				b := boxes[gi].r
				res.Labels[gr.id] = Rect{b.X + labelInset, b.Y + labelGap, gr.labelW, gr.labelH}
			}
		}
	}

	// Every layer is a band as tall as its tallest box, with the rooms above
	// and below it for group walls and labels. An edge leaves its upper end
	// at the bottom of the box, runs straight down to the end of the room
	// below the band, crosses the gap to the next band and runs straight down
	// through the band and its rooms at each dummy, and enters the lower end
	// at the top of its box. Boxes lie inside the bands, group headers inside
	// the rooms, and there the route is vertical at x of its own box or
	// dummy, which no other box covers: so routes never pass through a box
	// other than their ends', nor through a label.
	half := make([]float64, st.nLayers)
	for l, layer := range st.layers {
		for _, v := range layer {
			half[l] = math.Max(half[l], st.nodes[v].h/2)
		}
	}
	routes := make([][]Point, len(st.edges))
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
			l := n.layer
			x, top, bottom := n.x+st.shift[i], n.y-half[l]-st.roomAbove[l], n.y+half[l]+st.roomBelow[l]
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
		routes[i] = pts
	}
	if st.opts.Direction == LeftRight {
		rs := make([]Rect, len(boxes))
		for i, b := range boxes {
			rs[i] = b.r
		}
		st.placeLabelsLR(rs, routes, res.Labels)
	}
	for i, e := range st.edges {
		pts := routes[i]
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
