// SPDX-License-Identifier: Apache-2.0

package chartcheck

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// LayoutOptions tune Layout.
type LayoutOptions struct {
	// MinLabelGap is the least gap, in pixels, between two labels side by
	// side on an x axis, in vega's estimated text widths; 0 means
	// DefaultMinLabelGap. Labels that touch read as one number ("350400").
	// The labels of a y axis must not overlap.
	MinLabelGap float64
	// Untitled lists the axes allowed to have no title, by the name Layout
	// gives them in its problems ("x axis of concat_1_group").
	Untitled []string
	// NoTitle allows a chart without a title.
	NoTitle bool
	// NoHiddenLabels also fails an axis whose labels vega had to thin out
	// (labelOverlap hides them): its text estimates are wider than a
	// browser's text, so a browser shows those labels, crowded ("350400").
	NoHiddenLabels bool
}

// DefaultMinLabelGap is LayoutOptions.MinLabelGap's default.
const DefaultMinLabelGap = 2

// Layout checks where a chart puts its text (the scene must come from a
// render with svgrender.Options.Scenegraph):
//
//   - the chart has a title, and every axis with labels has a title;
//   - no text (titles, labels, legends, marks) lies outside the SVG's
//     viewport, where it would be cut off;
//   - every legend entry (symbol and label) lies inside the viewport;
//   - the labels of one axis do not overlap or touch (MinLabelGap), and with
//     NoHiddenLabels vega hid none of them to keep them apart;
//   - no grid line crosses a label or a title;
//   - no text is truncated by its limit (an axis or legend labelLimit, a
//     title limit): the reader cannot tell the series apart.
//
// Hidden text (opacity 0, as vega's labelOverlap leaves the labels it drops)
// and empty text are not checked.
func Layout(scene *Scene, opts LayoutOptions) []string {
	if opts.MinLabelGap == 0 {
		opts.MinLabelGap = DefaultMinLabelGap
	}
	l := &layout{opts: opts}
	l.walk(scene.Root, 0, 0, "", "")
	var out []string
	if !l.title && !opts.NoTitle {
		out = append(out, "the chart has no title; give it one (Title)")
	}
	for _, name := range opts.Untitled {
		if !l.axes[name] {
			out = append(out, fmt.Sprintf("LayoutOptions.Untitled names %q, which the chart does not draw (axes: %s)", name, strings.Join(l.axisNames, ", ")))
		}
	}
	if vp := scene.Viewport; vp != nil {
		for _, t := range l.texts {
			if t.role == "legend-label" {
				continue // checked with the legend entries
			}
			if !inside(t.box, *vp) {
				out = append(out, fmt.Sprintf("%s %q at %s is cut off: it reaches outside the view %s", roleName(t.role), t.text, t.box, *vp))
			}
		}
		for _, e := range l.legend {
			if !inside(e.box, *vp) {
				out = append(out, fmt.Sprintf("legend entry %q at %s lies outside the view %s", e.text, e.box, *vp))
			}
		}
	} else {
		out = append(out, "the scenegraph has no viewport; render it with this version of svgrender")
	}
	for _, t := range l.texts {
		if t.truncated {
			out = append(out, fmt.Sprintf("%s %q is truncated by its limit of %g px; raise the limit (labelLimit, limit) or shorten the text", roleName(t.role), t.text, t.limit))
		}
	}
	out = append(out, l.problems...)
	for _, g := range l.grids {
		for _, t := range l.texts {
			if !strings.HasPrefix(t.role, "axis-") && !strings.HasPrefix(t.role, "title") {
				continue
			}
			if crosses(g, t.box) {
				out = append(out, fmt.Sprintf("a grid line at %s crosses %s %q at %s; draw the grid inside the plot only, or no grid", g, roleName(t.role), t.text, t.box))
				break
			}
		}
	}
	return out
}

type text struct {
	role, text string
	box        Box
	limit      float64
	truncated  bool
}

type layout struct {
	opts      LayoutOptions
	title     bool
	texts     []text
	legend    []text
	grids     []Box
	axes      map[string]bool
	axisNames []string
	problems  []string
}

// walk visits mark m, whose group origin is at (ox, oy) in the root's
// coordinates; view is the name of the nearest named group, axis the axis
// m belongs to.
func (l *layout) walk(m Mark, ox, oy float64, view, axis string) {
	if m.Marktype == "group" && m.Name != "" && m.Role != "axis" {
		view = m.Name
	}
	if m.Role == "axis" {
		for _, it := range m.Items {
			l.axis(it, ox, oy, view)
		}
		return
	}
	for _, it := range m.Items {
		if hidden(it) {
			continue
		}
		switch {
		case m.Marktype == "group":
			x, y := ox+val(it.X), oy+val(it.Y)
			for _, child := range it.Items {
				l.walk(child, x, y, view, axis)
			}
		case m.Marktype == "text":
			if m.Role == "title-text" && strings.TrimSpace(it.Text) != "" {
				l.title = true
			}
			l.addText(m.Role, it, ox, oy)
		case m.Role == "legend-symbol" && it.Bounds != nil:
			l.legend = append(l.legend, text{role: m.Role, text: "symbol", box: it.Bounds.shift(ox, oy)})
		}
	}
}

func (l *layout) addText(role string, it Item, ox, oy float64) {
	if strings.TrimSpace(it.Text) == "" || it.Bounds == nil {
		return
	}
	t := text{role: role, text: it.Text, box: it.Bounds.shift(ox, oy), limit: it.Limit, truncated: it.Truncated}
	l.texts = append(l.texts, t)
	if role == "legend-label" {
		l.legend = append(l.legend, t)
	}
}

// axis checks one axis group item: its labels apart, and a title if it has
// labels; it collects its texts and grid lines.
func (l *layout) axis(it Item, ox, oy float64, view string) {
	x, y := ox+val(it.X), oy+val(it.Y)
	var labels []text
	var title *text
	dropped := 0
	for _, m := range it.Items {
		for _, e := range m.Items {
			if hidden(e) {
				if m.Role == "axis-label" && strings.TrimSpace(e.Text) != "" {
					dropped++
				}
				continue
			}
			switch m.Role {
			case "axis-label", "axis-title":
				before := len(l.texts)
				l.addText(m.Role, e, x, y)
				if len(l.texts) == before {
					continue
				}
				if m.Role == "axis-label" {
					labels = append(labels, l.texts[len(l.texts)-1])
				} else {
					title = &l.texts[len(l.texts)-1]
				}
			case "axis-grid":
				if e.Bounds != nil {
					l.grids = append(l.grids, e.Bounds.shift(x, y))
				}
			}
		}
	}
	if len(labels) == 0 {
		return // a grid-only axis needs no title
	}
	orient := "x"
	if len(labels) > 1 {
		first, last := labels[0].box, labels[len(labels)-1].box
		if math.Abs(last.Y1-first.Y1) > math.Abs(last.X1-first.X1) {
			orient = "y"
		}
	} else if title != nil && title.box.Y2-title.box.Y1 > title.box.X2-title.box.X1 {
		orient = "y"
	}
	name := fmt.Sprintf("%s axis of %s", orient, cmpOr(view, "the chart"))
	if l.axes == nil {
		l.axes = map[string]bool{}
	}
	if !l.axes[name] {
		l.axes[name] = true
		l.axisNames = append(l.axisNames, name)
	}
	if title == nil && !slices.Contains(l.opts.Untitled, name) {
		l.problems = append(l.problems, fmt.Sprintf("the %s has no title; give it one, or list %q in LayoutOptions.Untitled", name, name))
	}
	if dropped > 0 && l.opts.NoHiddenLabels {
		l.problems = append(l.problems, fmt.Sprintf("the %s has %d labels, %d of them hidden by vega's labelOverlap: in a browser, whose text is narrower than vega's estimate, they show crowded (\"350400\"); ask for fewer ticks (tickCount) or a labelSeparation",
			name, len(labels)+dropped, dropped))
	}
	// Labels side by side need a gap to read apart; labels stacked (a y
	// axis) have the space between lines of text.
	least := l.opts.MinLabelGap
	if orient == "y" {
		least = 0
	}
	for i := range labels {
		for j := i + 1; j < len(labels); j++ {
			a, b := labels[i].box, labels[j].box
			if gap(a, b) < least {
				l.problems = append(l.problems, fmt.Sprintf("labels %q at %s and %q at %s of the %s are %.1f px apart (less than %g): they read as one; use fewer ticks (tickCount) or a labelSeparation",
					labels[i].text, a, labels[j].text, b, name, gap(a, b), least))
				return
			}
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func val(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// hidden reports whether an item draws nothing: opacity 0 (vega's
// labelOverlap hides labels so) or fill opacity 0.
func hidden(it Item) bool {
	return it.Opacity != nil && *it.Opacity == 0 || it.FillOpacity != nil && *it.FillOpacity == 0
}

func (b Box) shift(dx, dy float64) Box { return Box{b.X1 + dx, b.Y1 + dy, b.X2 + dx, b.Y2 + dy} }

func (b Box) String() string {
	return fmt.Sprintf("(%.1f,%.1f)-(%.1f,%.1f)", b.X1, b.Y1, b.X2, b.Y2)
}

// inside reports whether b lies within v, to a tolerance.
func inside(b, v Box) bool {
	return b.X1 >= v.X1-tolerance && b.Y1 >= v.Y1-tolerance && b.X2 <= v.X2+tolerance && b.Y2 <= v.Y2+tolerance
}

// gap is the distance between two boxes: negative when they overlap (by the
// overlap's least extent), 0 when they touch.
func gap(a, b Box) float64 {
	return math.Max(math.Max(b.X1-a.X2, a.X1-b.X2), math.Max(b.Y1-a.Y2, a.Y1-b.Y2))
}

// crosses reports whether grid line g (a thin box) passes through the inside
// of text box t (a pixel in from each side, so a line along an edge does
// not count).
func crosses(g, t Box) bool {
	const in = 1
	return g.X2 > t.X1+in && g.X1 < t.X2-in && g.Y2 > t.Y1+in && g.Y1 < t.Y2-in
}

func roleName(role string) string {
	switch role {
	case "axis-label":
		return "axis label"
	case "axis-title":
		return "axis title"
	case "legend-label":
		return "legend label"
	case "legend-title":
		return "legend title"
	case "title-text":
		return "title"
	case "title-subtitle":
		return "subtitle"
	case "", "mark":
		return "text"
	}
	return role + " text"
}
