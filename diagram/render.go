// SPDX-License-Identifier: Apache-2.0

package diagram

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gonbviz/gonbviz/diagram/internal/layout"
)

// Box styles per unit class: fill, stroke, corner radius.
var styles = map[string][3]string{
	"input":  {"#e6f4ea", "#1e8e3e", "12"},
	"output": {"#fdebd3", "#e8710a", "12"},
	"layer":  {"#e8f0fe", "#1a73e8", "3"},
	"norm":   {"#f3e8fd", "#9334e6", "3"},
	"act":    {"#fef7e0", "#e37400", "3"},
	"ops":    {"#f1f3f4", "#5f6368", "3"},
	"op":     {"#ffffff", "#5f6368", "3"},
	"var":    {"#e4f7fb", "#12829e", "0"},
	"block":  {"#eceff1", "#37474f", "3"},
	"ext":    {"#ffffff", "#9aa0a6", "3"},
}

var legend = []struct{ class, text string }{
	{"input", "input"}, {"layer", "layer"}, {"norm", "norm"}, {"act", "activation"},
	{"ops", "ops"}, {"var", "variable"}, {"block", "collapsed scope"}, {"output", "output"},
}

const (
	fontSize  = 11.0
	lineH     = 14.0
	padX      = 8.0
	padY      = 6.0
	maxName   = 44
	margin    = 12.0
	headTitle = 16.0
)

func textW(s string, size float64, bold bool) float64 {
	k := 0.6
	if bold {
		k = 0.66
	}
	return float64(utf8.RuneCountInString(s)) * size * k
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return "…" + string(r[len(r)-n+1:])
}

// shorten keeps the first n-1 runes of s and an ellipsis, if s is longer than n runes.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// commas writes n with thousands separators.
func commas(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func paramText(params, trainable int) string {
	if params == 0 {
		return ""
	}
	s := commas(params) + " params"
	switch {
	case trainable == 0:
		s += ", frozen"
	case trainable < params:
		s += ", " + commas(params-trainable) + " frozen"
	}
	return s
}

// lines are the text lines of a box; the first is bold.
func (d *Diagram) lines(u *unit) []string {
	shape := ""
	if u.out >= 0 {
		shape = shapeText(d.ops[u.out])
	}
	switch u.class {
	case "ext":
		return []string{truncate(u.name, maxName)}
	case "input", "output", "op":
		return []string{truncate(u.name, maxName), shape}
	}
	l := []string{truncate(u.name, maxName), u.kind + " · " + shape}
	if u.class == "var" {
		l[1] = "variable · " + shape
	}
	if p := paramText(u.params, u.trainable); p != "" {
		l = append(l, p)
	}
	return l
}

// info is the hover text of a unit: kind, dtype and shape, params, ops.
func (d *Diagram) info(u *unit) string {
	var b strings.Builder
	name := u.full
	if name == "" {
		name = u.name
	}
	b.WriteString(name)
	if u.kind != "" {
		b.WriteString(" (" + u.kind + ")")
	}
	if u.out >= 0 {
		b.WriteString("\noutput: " + fullShape(d.ops[u.out]))
	}
	if p := paramText(u.params, u.trainable); p != "" {
		b.WriteString("\n" + p)
	}
	if len(u.ops) > 1 || u.class == "op" {
		counts := map[string]int{}
		nOps := 0
		for _, i := range u.ops {
			if !d.ops[i].constant && d.ops[i].varPath == "" {
				counts[d.ops[i].typ]++
				nOps++
			}
		}
		types := make([]string, 0, len(counts))
		for t := range counts {
			types = append(types, t)
		}
		sort.Slice(types, func(i, j int) bool {
			if counts[types[i]] != counts[types[j]] {
				return counts[types[i]] > counts[types[j]]
			}
			return types[i] < types[j]
		})
		var parts []string
		for i, t := range types {
			if i == 12 {
				parts = append(parts, fmt.Sprintf("+%d more", len(types)-12))
				break
			}
			if counts[t] > 1 {
				parts = append(parts, fmt.Sprintf("%s ×%d", t, counts[t]))
			} else {
				parts = append(parts, t)
			}
		}
		fmt.Fprintf(&b, "\n%d ops: %s", nOps, strings.Join(parts, ", "))
	}
	if u.view != "" {
		b.WriteString("\nclick to open")
	}
	return b.String()
}

func (d *Diagram) boxSize(u *unit) (float64, float64) {
	ls := d.lines(u)
	w := 60.0
	for i, l := range ls {
		w = max(w, textW(l, fontSize, i == 0)+2*padX)
	}
	return math.Ceil(w), float64(len(ls))*lineH + 2*padY
}

func num(v float64) string {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s
}

// esc escapes text and attribute values for XML and HTML.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#39;")
		case '\n':
			b.WriteString("&#10;")
		default:
			if r < 0x20 && r != '\t' || r == 0xFFFE || r == 0xFFFF {
				b.WriteRune('\uFFFD')
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// placement is a laid-out view: the layout result and, per group container, its label
// text and the rectangle it is drawn in (layout coordinates).
type placement struct {
	res    *layout.Result
	dir    layout.Direction
	labels map[string]groupLabel
}

type groupLabel struct {
	text string
	r    layout.Rect
}

// Group labels: 9 px text in a box of groupLabelH, its baseline groupAscent below its top.
const (
	groupFont   = 9.0
	groupLabelH = 1.05 * groupFont
	groupAscent = 0.8 * groupFont
)

// groupText is the label of a group container: name, kind and parameters.
func groupText(u *unit) string {
	label := u.name + " · " + u.kind
	if p := paramText(u.params, u.trainable); p != "" {
		label += " · " + p
	}
	return truncate(label, 80)
}

// place lays a view out.
func (d *Diagram) place(v *view) (*placement, error) {
	var g layout.Graph
	for _, u := range v.units {
		if u.container {
			t := groupText(u)
			g.Nodes = append(g.Nodes, layout.Node{ID: u.id, Parent: u.group, LabelWidth: textW(t, groupFont, false), LabelHeight: groupLabelH})
			continue
		}
		w, h := d.boxSize(u)
		g.Nodes = append(g.Nodes, layout.Node{ID: u.id, Width: w, Height: h, Parent: u.group})
	}
	for _, e := range v.edges {
		g.Edges = append(g.Edges, layout.Edge{From: e.from, To: e.to, Label: e.label})
	}
	dir, rankSep := layout.TopBottom, 44.0
	if d.opts.Direction == LeftRight {
		// Edge labels run along the edges: leave them room between the columns.
		dir = layout.LeftRight
		for _, e := range v.edges {
			rankSep = max(rankSep, textW(e.label, 9, false)+24)
		}
	}
	res, err := layout.Layout(g, layout.Options{Direction: dir, NodeSep: 22, RankSep: rankSep})
	if err != nil {
		return nil, fmt.Errorf("diagram: layout: %w", err)
	}
	p := &placement{res: res, dir: dir, labels: map[string]groupLabel{}}
	for _, u := range v.units {
		r, ok := res.Groups[u.id]
		if !u.container || !ok {
			continue
		}
		t := groupText(u)
		lr, ok := res.Labels[u.id]
		if !ok {
			lr = layout.Rect{X: r.X + 5, Y: r.Y + 2, W: textW(t, groupFont, false), H: groupLabelH}
		}
		if w := textW(t, groupFont, false); lr.W < w {
			// The group is narrower than its label (LeftRight): shorten it.
			t = shorten(t, int(lr.W/(w/float64(utf8.RuneCountInString(t)))))
		}
		p.labels[u.id] = groupLabel{t, lr}
	}
	return p, nil
}

// render lays a view out and writes it as a standalone SVG document. With interactive,
// boxes that open another view carry data-view attributes and hover data.
func (d *Diagram) render(v *view, interactive bool) ([]byte, error) {
	p, err := d.place(v)
	if err != nil {
		return nil, err
	}
	res, dir := p.res, p.dir

	// Header: title, stats, notes, legend.
	total, trainable := d.Params()
	head := []string{}
	stats := fmt.Sprintf("%s ops · %s params (%s trainable)", commas(d.countOps()), commas(total), commas(trainable))
	head = append(head, stats)
	head = append(head, v.notes...)
	headH := margin + headTitle + float64(len(head))*lineH + 6 + lineH + 8
	width := res.Width + 2*margin
	width = max(width, textW(v.title, 14, true)+2*margin)
	for _, h := range head {
		width = max(width, textW(h, fontSize, false)+2*margin)
	}
	legendW := 0.0
	for _, l := range legend {
		legendW += 18 + textW(l.text, 10, false) + 10
	}
	width = math.Ceil(max(width, legendW+2*margin))
	height := math.Ceil(headH + res.Height + 2*margin)

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="%s" text-rendering="geometricPrecision" role="img">`+"\n",
		num(width), num(height), num(width), num(height), num(fontSize))
	fmt.Fprintf(&b, "<title>%s</title>\n", esc(v.title+": "+stats))
	b.WriteString(`<defs><marker id="dg-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#5f6368"/></marker></defs>` + "\n")
	fmt.Fprintf(&b, `<rect width="%s" height="%s" fill="#ffffff"/>`+"\n", num(width), num(height))
	y := margin + headTitle - 3
	fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="14" font-weight="bold" fill="#202124">%s</text>`+"\n", num(margin), num(y), esc(v.title))
	for i, h := range head {
		y += lineH
		fill := "#5f6368"
		if i > 0 {
			fill = "#b06000"
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" fill="%s">%s</text>`+"\n", num(margin), num(y), fill, esc(h))
	}
	y += lineH + 4
	x := margin
	for _, l := range legend {
		st := styles[l.class]
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="14" height="10" rx="2" fill="%s" stroke="%s"/><text x="%s" y="%s" font-size="10" fill="#5f6368">%s</text>`+"\n",
			num(x), num(y-9), st[0], st[1], num(x+18), num(y), esc(l.text))
		x += 18 + textW(l.text, 10, false) + 10
	}

	fmt.Fprintf(&b, `<g transform="translate(%s,%s)">`+"\n", num(margin), num(headH))
	// Groups, outermost first (layout order is stable for equal depth).
	for _, u := range v.units {
		if !u.container {
			continue
		}
		r, ok := res.Groups[u.id]
		if !ok {
			continue
		}
		l := p.labels[u.id]
		fmt.Fprintf(&b, `<g class="dg-group"%s><rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="#1a73e8" fill-opacity="0.04" stroke="#8ab4f8" stroke-dasharray="5 3"/><text x="%s" y="%s" font-size="9" fill="#1967d2">%s</text></g>`+"\n",
			d.attrs(u, interactive), num(r.X), num(r.Y), num(r.W), num(r.H), num(l.r.X), num(l.r.Y+groupAscent), esc(l.text))
	}
	for _, e := range res.Edges {
		if len(e.Points) < 2 {
			continue
		}
		b.WriteString(`<g class="dg-edge"><polyline fill="none" stroke="#80868b" stroke-width="1.2" marker-end="url(#dg-arrow)" points="`)
		b.WriteString(layout.PointsAttr(e.Points))
		b.WriteString(`"/>`)
		if e.Label != "" {
			m := layout.Midpoint(e.Points)
			x, y, anchor := m.X+4, m.Y+3, "start" // beside a vertical edge
			if dir == layout.LeftRight {
				x, y, anchor = m.X, m.Y-4, "middle" // above a horizontal edge
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="%s" font-size="9" fill="#3c4043" stroke="#ffffff" stroke-width="3" paint-order="stroke" stroke-linejoin="round">%s</text>`,
				num(x), num(y), anchor, esc(e.Label))
		}
		b.WriteString("</g>\n")
	}
	for _, u := range v.units {
		if u.container {
			continue
		}
		r := res.Nodes[u.id]
		st := styles[u.class]
		dash := ""
		if u.class == "ext" {
			dash = ` stroke-dasharray="3 2"`
		}
		sw := "1.2"
		if u.class == "block" || u.drillable && u.scope != nil {
			sw = "2"
		}
		fmt.Fprintf(&b, `<g class="dg-node dg-%s"%s><rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="%s" stroke="%s" stroke-width="%s"%s/>`,
			u.class, d.attrs(u, interactive), num(r.X), num(r.Y), num(r.W), num(r.H), st[2], st[0], st[1], sw, dash)
		ls := d.lines(u)
		cx := r.X + r.W/2
		ty := r.Y + padY + lineH - 3.5
		for i, l := range ls {
			attr := ` fill="#3c4043"`
			if i == 0 {
				attr = ` font-weight="bold" fill="#202124"`
				if u.class == "ext" {
					attr = ` font-style="italic" fill="#5f6368"`
				}
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle"%s>%s</text>`, num(cx), num(ty+float64(i)*lineH), attr, esc(l))
		}
		if u.view != "" {
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" font-size="10" fill="%s">+</text>`, num(r.X+r.W-3), num(r.Y+10), st[1])
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</g>\n</svg>\n")
	return b.Bytes(), nil
}

// attrs are a box's hover text: a <title> child in the static SVG (a tooltip where the SVG
// is inline), a data-info attribute (shown by the HTML view) and its data-view.
func (d *Diagram) attrs(u *unit, interactive bool) string {
	if !interactive {
		return "><title>" + esc(d.info(u)) + "</title"
	}
	s := ` data-info="` + esc(d.info(u)) + `"`
	if u.view != "" {
		s += ` data-view="` + u.view + `" style="cursor:pointer"`
	}
	return s
}

// SVG draws the diagram as a standalone SVG document: text is text (crisp at any zoom),
// every name is escaped, and the same diagram always gives the same bytes. Boxes carry
// <title> elements (a tooltip where the SVG is shown inline).
func (d *Diagram) SVG() (out []byte, err error) {
	defer catch(&err)
	v := d.mainView()
	return d.render(v, false)
}

// Box is one box of a drawn diagram, as Graph returns it: its id, label and size in SVG
// pixels, and the group box it sits in ("" for none). A Container is a group box: it is
// drawn around its members and has no size of its own.
type Box struct {
	ID, Label     string
	Width, Height float64
	Group         string
	Container     bool
}

// Link is an edge of a drawn diagram, labelled with the tensor shape it carries.
type Link struct{ From, To, Label string }

// Graph returns the boxes and edges of the main view (as Options ask, collapsed to fit
// MaxBoxes), in drawing order: what the layout engine places. Use it to draw the diagram
// with another tool, or to compare layouts.
func (d *Diagram) Graph() (boxes []Box, links []Link, err error) {
	defer catch(&err)
	v := d.mainView()
	for _, u := range v.units {
		b := Box{ID: u.id, Label: u.name, Group: u.group, Container: u.container}
		if !u.container {
			b.Width, b.Height = d.boxSize(u)
		}
		boxes = append(boxes, b)
	}
	for _, e := range v.edges {
		links = append(links, Link{From: e.from, To: e.to, Label: e.label})
	}
	return boxes, links, nil
}
