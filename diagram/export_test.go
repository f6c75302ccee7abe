// SPDX-License-Identifier: Apache-2.0

package diagram

import (
	"fmt"
	"math"

	"github.com/gonbviz/gonbviz/diagram/internal/layout"
)

// segmentHits reports whether the segment p-q passes through the interior of r
// (Liang–Barsky clipping against r shrunk by a hair).
func segmentHits(p, q layout.Point, r layout.Rect) bool {
	const eps = 1e-6
	x0, y0, x1, y1 := r.X+eps, r.Y+eps, r.X+r.W-eps, r.Y+r.H-eps
	if x1 <= x0 || y1 <= y0 {
		return false
	}
	t0, t1 := 0.0, 1.0
	dx, dy := q.X-p.X, q.Y-p.Y
	for _, c := range [4][2]float64{{-dx, p.X - x0}, {dx, x1 - p.X}, {-dy, p.Y - y0}, {dy, y1 - p.Y}} {
		if c[0] == 0 {
			if c[1] < 0 {
				return false
			}
			continue
		}
		t := c[1] / c[0]
		if c[0] < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return t1-t0 > 1e-9
}

func rectsOverlap(a, b layout.Rect) bool {
	const eps = 1e-6
	return a.X+eps < b.X+b.W && b.X+eps < a.X+a.W && a.Y+eps < b.Y+b.H && b.Y+eps < a.Y+a.H
}

func inside(inner, outer layout.Rect) bool {
	const eps = 1e-6
	return inner.X >= outer.X-eps && inner.Y >= outer.Y-eps && inner.X+inner.W <= outer.X+outer.W+eps && inner.Y+inner.H <= outer.Y+outer.H+eps
}

// LabelClashes lays out the main view of d and lists every place where a group label or
// the text of a box is crossed by an edge, covered by a box or an edge label, overlaps
// another label, or sticks out of its own box.
func LabelClashes(d *Diagram) (clashes []string, err error) {
	defer catch(&err)
	v := d.mainView()
	p, err := d.place(v)
	if err != nil {
		return nil, err
	}
	type text struct {
		what string
		r    layout.Rect
		own  string // the unit it belongs to
		box  layout.Rect
	}
	var texts []text
	for _, u := range v.units {
		if u.container {
			if l, ok := p.labels[u.id]; ok {
				texts = append(texts, text{fmt.Sprintf("group label %q", l.text), l.r, u.id, p.res.Groups[u.id]})
			}
			continue
		}
		r := p.res.Nodes[u.id]
		ls := d.lines(u)
		w := 0.0
		for i, l := range ls {
			w = max(w, textW(l, fontSize, i == 0))
		}
		tr := layout.Rect{X: r.X + r.W/2 - w/2, Y: r.Y + padY, W: w, H: float64(len(ls)) * lineH}
		texts = append(texts, text{fmt.Sprintf("text of box %q", ls[0]), tr, u.id, r})
	}
	// Edge labels are drawn with a white halo: they hide what lies under them.
	var edgeLabels []layout.Rect
	for _, e := range p.res.Edges {
		if e.Label == "" || len(e.Points) < 2 {
			continue
		}
		m := layout.Midpoint(e.Points)
		w := textW(e.Label, 9, false)
		r := layout.Rect{X: m.X + 4, Y: m.Y + 3 - 0.8*9, W: w, H: 1.05 * 9}
		if p.dir == layout.LeftRight {
			r = layout.Rect{X: m.X - w/2, Y: m.Y - 4 - 0.8*9, W: w, H: 1.05 * 9}
		}
		edgeLabels = append(edgeLabels, r)
	}
	for i, t := range texts {
		if !inside(t.r, t.box) {
			clashes = append(clashes, fmt.Sprintf("%s %+v sticks out of its box %+v", t.what, t.r, t.box))
		}
		for _, e := range p.res.Edges {
			for k := 0; k+1 < len(e.Points); k++ {
				if segmentHits(e.Points[k], e.Points[k+1], t.r) {
					clashes = append(clashes, fmt.Sprintf("%s %+v is crossed by edge %s -> %s at %v-%v", t.what, t.r, e.From, e.To, e.Points[k], e.Points[k+1]))
					break
				}
			}
		}
		for id, r := range p.res.Nodes {
			if id != t.own && rectsOverlap(t.r, r) {
				clashes = append(clashes, fmt.Sprintf("%s %+v is covered by box %q %+v", t.what, t.r, id, r))
			}
		}
		for _, r := range edgeLabels {
			if rectsOverlap(t.r, r) {
				clashes = append(clashes, fmt.Sprintf("%s %+v is covered by an edge label %+v", t.what, t.r, r))
			}
		}
		for _, o := range texts[i+1:] {
			if rectsOverlap(t.r, o.r) {
				clashes = append(clashes, fmt.Sprintf("%s %+v overlaps %s %+v", t.what, t.r, o.what, o.r))
			}
		}
	}
	return clashes, nil
}
