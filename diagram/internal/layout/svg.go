package layout

import (
	"bytes"
	"encoding/xml"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

func num(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

func escape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s)) // writing to a bytes.Buffer cannot fail
}

// SVG renders r as a standalone SVG document: groups as dashed rounded
// boxes with their name (where Labels places it, if it does), nodes as boxes with a centred label, edges as
// polylines with arrowheads and their label at the midpoint. labels maps
// node and group IDs to display text (missing entries show the ID). All text
// is XML-escaped. The output is deterministic.
func (r *Result) SVG(labels map[string]string) []byte {
	var b bytes.Buffer
	label := func(id string) string {
		if s, ok := labels[id]; ok {
			return s
		}
		return id
	}
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="` + num(r.Width) + `" height="` + num(r.Height) +
		`" viewBox="0 0 ` + num(r.Width) + " " + num(r.Height) + `" font-family="sans-serif" font-size="12" shape-rendering="geometricPrecision">` + "\n")
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#444"/></marker></defs>` + "\n")
	for _, id := range r.groupOrder {
		g := r.Groups[id]
		tx, ty := g.X+4, g.Y+10
		if l, ok := r.Labels[id]; ok {
			tx, ty = l.X, l.Y+0.8*l.H
		}
		b.WriteString(`<g class="group"><rect x="` + num(g.X) + `" y="` + num(g.Y) + `" width="` + num(g.W) + `" height="` + num(g.H) +
			`" rx="6" fill="#4a90d9" fill-opacity="0.06" stroke="#4a90d9" stroke-dasharray="4 3"/><text x="` + num(tx) + `" y="` + num(ty) + `" font-size="9" fill="#4a90d9">`)
		escape(&b, label(id))
		b.WriteString("</text></g>\n")
	}
	for _, e := range r.Edges {
		if len(e.Points) < 2 {
			continue
		}
		b.WriteString(`<g class="edge"><polyline fill="none" stroke="#444" stroke-width="1.2" marker-end="url(#arrow)" points="`)
		b.WriteString(PointsAttr(e.Points))
		b.WriteString(`"/>`)
		if e.Label != "" {
			m := Midpoint(e.Points)
			b.WriteString(`<text x="` + num(m.X+3) + `" y="` + num(m.Y-3) + `" font-size="10" fill="#444">`)
			escape(&b, e.Label)
			b.WriteString(`</text>`)
		}
		b.WriteString("</g>\n")
	}
	for _, id := range r.nodeOrder {
		n := r.Nodes[id]
		c := n.Center()
		b.WriteString(`<g class="node"><rect x="` + num(n.X) + `" y="` + num(n.Y) + `" width="` + num(n.W) + `" height="` + num(n.H) +
			`" rx="3" fill="#fff" stroke="#222"/><text x="` + num(c.X) + `" y="` + num(c.Y) + `" text-anchor="middle" dominant-baseline="central">`)
		escape(&b, label(id))
		b.WriteString("</text></g>\n")
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// PointsAttr formats a polyline's points for an SVG points attribute: "x,y x,y ...",
// with at most two decimals.
func PointsAttr(pts []Point) string {
	var b strings.Builder
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(num(p.X) + "," + num(p.Y))
	}
	return b.String()
}

// Midpoint returns the point halfway along a polyline (where edge labels go).
func Midpoint(pts []Point) Point {
	total := 0.0
	for i := 1; i < len(pts); i++ {
		total += math.Hypot(pts[i].X-pts[i-1].X, pts[i].Y-pts[i-1].Y)
	}
	half := total / 2
	for i := 1; i < len(pts); i++ {
		d := math.Hypot(pts[i].X-pts[i-1].X, pts[i].Y-pts[i-1].Y)
		if d >= half && d > 0 {
			t := half / d
			return Point{pts[i-1].X + t*(pts[i].X-pts[i-1].X), pts[i-1].Y + t*(pts[i].Y-pts[i-1].Y)}
		}
		half -= d
	}
	return pts[len(pts)-1]
}

// RandomLayeredDAG returns a seeded random DAG of n nodes for benchmarks:
// about sqrt(n)/2 layers, every node after the first layer has one to three
// predecessors, 80% from the previous layer and 20% from up to five layers
// above (long edges). Node widths vary from 40 to 120, heights are 30. The
// same n and seed always give the same graph.
func RandomLayeredDAG(n int, seed int64) Graph {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	nl := max(2, int(math.Sqrt(float64(n))/2))
	if n < 2 {
		nl = 1
	}
	layerOf := make([][]int, nl)
	g := Graph{Nodes: make([]Node, n)}
	for i := range n {
		l := i * nl / max(n, 1)
		layerOf[l] = append(layerOf[l], i)
		g.Nodes[i] = Node{ID: "n" + strconv.Itoa(i), Width: float64(40 + rng.IntN(81)), Height: 30}
	}
	for l := 1; l < nl; l++ {
		for _, v := range layerOf[l] {
			k := 1 + rng.IntN(3)
			for range k {
				src := l - 1
				if rng.IntN(5) == 0 {
					src = max(0, l-2-rng.IntN(4))
				}
				cands := layerOf[src]
				u := cands[rng.IntN(len(cands))]
				g.Edges = append(g.Edges, Edge{From: g.Nodes[u].ID, To: g.Nodes[v].ID})
			}
		}
	}
	return g
}
