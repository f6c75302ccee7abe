// SPDX-License-Identifier: Apache-2.0

// Package chartcheck checks what a rendered chart draws, not its bytes: a
// Vega-Lite spec can render the same SVG in QuickJS as in Node and still draw
// the wrong picture (a histogram of floating dashes instead of bars). It reads
// the scenegraph that internal/svgrender returns with Options.Scenegraph and
// checks the geometry of bars and areas against their y scale:
//
//   - a bar (a rect mark Vega-Lite describes as "bar") has its bottom at the y
//     scale's zero, or its top there for a negative value (1 on a log scale, or
//     the bottom of the plot, the domain's minimum); a bar of a mark listed in
//     Options.Stacked may instead stand on another bar at the same x;
//   - where its datum holds the value field (Options.ValueField, "count" by
//     default) and the y scale is linear, the bar's height is the value's
//     length on the scale, and more than a pixel for a value that is not 0
//     and whose length is a pixel or more;
//   - an area's base (its items' y2) lies at the y scale's zero, unless the
//     chart means it to float (a band between two fields, listed in
//     Options.Floating).
//
// Bars along a band y scale (horizontal bars) start at the x scale's zero.
//
// Layout checks where the chart puts its text: a title and axis titles, no
// text cut off by the view, legend entries inside it, axis labels apart, no
// grid line through a label, no truncated label (see Layout).
//
// It is a test helper: gonbviz never uses it at run time.
package chartcheck

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Scene is a rendered chart's scenegraph, as svgrender's Result.Scenegraph
// gives it.
type Scene struct {
	Scales   map[string]Scale `json:"scales"`
	Viewport *Box             `json:"viewport"`
	Root     Mark             `json:"root"`
}

// Box is a rectangle: from X1, Y1 (top left) to X2, Y2.
type Box struct {
	X1 float64 `json:"x1"`
	Y1 float64 `json:"y1"`
	X2 float64 `json:"x2"`
	Y2 float64 `json:"y2"`
}

// Scale is one of the view's scales. Zero and One are the pixel positions of
// the values 0 and 1 (Zero only on linear, pow, sqrt and symlog scales; One
// also on log scales).
type Scale struct {
	Type   string   `json:"type"`
	Domain []any    `json:"domain"`
	Range  []any    `json:"range"`
	Zero   *float64 `json:"zero"`
	One    *float64 `json:"one"`
}

// Mark is a mark of the scenegraph: a group, or a data or guide mark.
// Description is Vega-Lite's name for the mark ("bar", "area", ...).
type Mark struct {
	Marktype    string `json:"marktype"`
	Role        string `json:"role"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Clip        bool   `json:"clip"`
	Items       []Item `json:"items"`
}

// Item is one drawn item, in the coordinates of its group (a coordinate vega
// did not set, or set to NaN or ±Inf, is nil); a group item holds its marks in
// Items, a data item the scalar fields of its datum in Datum. Bounds is the
// box vega computed for the item (text widths are vega's estimates); a text
// item has its Text (before truncation), Limit, and Truncated when the limit
// cut it short.
type Item struct {
	X           *float64       `json:"x"`
	Y           *float64       `json:"y"`
	Width       *float64       `json:"width"`
	Height      *float64       `json:"height"`
	X2          *float64       `json:"x2"`
	Y2          *float64       `json:"y2"`
	Opacity     *float64       `json:"opacity"`
	FillOpacity *float64       `json:"fillOpacity"`
	Bounds      *Box           `json:"bounds"`
	Text        string         `json:"text"`
	Limit       float64        `json:"limit"`
	Truncated   bool           `json:"truncated"`
	Clip        bool           `json:"clip"`
	Items       []Mark         `json:"items"`
	Datum       map[string]any `json:"datum"`
}

// Parse decodes a scenegraph in svgrender's Result.Scenegraph format.
func Parse(scenegraph []byte) (*Scene, error) {
	if len(scenegraph) == 0 {
		return nil, fmt.Errorf("chartcheck: empty scenegraph; render with svgrender.Options{Scenegraph: true}")
	}
	var s Scene
	if err := json.Unmarshal(scenegraph, &s); err != nil {
		return nil, fmt.Errorf("chartcheck: decoding the scenegraph: %w", err)
	}
	return &s, nil
}

// Options tune Check.
type Options struct {
	// ValueField is the datum field that holds a bar's value; "" means
	// "density" where the datum has one (a histogram drawn as densities keeps
	// its counts beside them for the tooltip), else "count". Bars whose datum
	// lacks it get only the baseline check.
	ValueField string
	// Floating names the marks (Vega mark names, such as "layer_0_marks")
	// that are meant not to start at zero: bands between two fields. Naming a
	// mark the chart does not draw is a problem, so that stale names show.
	Floating []string
	// Stacked names the bar marks whose bars stack: a bar may stand on the
	// top of another bar of the mark at the same x instead of on zero. As
	// with Floating, a name the chart does not draw is a problem.
	Stacked []string
}

// Report is what Check found.
type Report struct {
	Bars, Areas int      // bars and area marks checked
	Problems    []string // one line each
}

// tolerance is how far, in pixels, a position may be from where it belongs.
const tolerance = 0.5

// Check checks the bars and areas of scene (see the package doc).
func Check(scene *Scene, opts Options) Report {
	byDefault := opts.ValueField == ""
	if byDefault {
		opts.ValueField = "count"
	}
	c := &checker{scene: scene, opts: opts, byDefault: byDefault, seen: map[string]bool{}}
	c.mark(scene.Root)
	for _, name := range slices.Concat(opts.Floating, opts.Stacked) {
		if !c.seen[name] {
			c.problem("Options.Floating or Stacked names mark %q, which the chart does not draw (marks: %s)", name, strings.Join(c.names, ", "))
		}
	}
	return c.rep
}

type checker struct {
	scene     *Scene
	opts      Options
	byDefault bool // ValueField was not given: density where the datum has one
	seen      map[string]bool
	names     []string
	rep       Report
}

func (c *checker) problem(format string, args ...any) {
	c.rep.Problems = append(c.rep.Problems, fmt.Sprintf(format, args...))
}

func (c *checker) mark(m Mark) {
	if m.Name != "" && !c.seen[m.Name] {
		c.seen[m.Name] = true
		c.names = append(c.names, m.Name)
	}
	if m.Marktype == "group" {
		for _, it := range m.Items {
			for _, child := range it.Items {
				c.mark(child)
			}
		}
		return
	}
	if m.Role != "mark" || len(m.Items) == 0 || slices.Contains(c.opts.Floating, m.Name) {
		return
	}
	switch {
	case m.Marktype == "rect" && m.Description == "bar":
		c.bars(m)
	case m.Marktype == "area":
		c.area(m)
	}
}

// yScale finds the y scale of a mark by Vega-Lite's naming: the mark
// "concat_0_layer_1_marks" uses "concat_0_layer_1_y", else "concat_0_layer_y",
// "concat_0_y", ... "y", the first that exists.
func (c *checker) yScale(mark string) (string, Scale, bool) { return c.scale(mark, "y") }

// scale finds the scale of a channel ("x", "y") of a mark, as yScale does.
func (c *checker) scale(mark, channel string) (string, Scale, bool) {
	prefix := strings.TrimSuffix(strings.TrimSuffix(mark, "marks"), "_")
	for {
		name := channel
		if prefix != "" {
			name = prefix + "_" + channel
		}
		if s, ok := c.scene.Scales[name]; ok {
			return name, s, true
		}
		if prefix == "" {
			return "", Scale{}, false
		}
		i := strings.LastIndexByte(prefix, '_')
		if i < 0 {
			prefix = ""
		} else {
			prefix = prefix[:i]
		}
	}
}

// base is the pixel a bar or area of the scale starts from: 0, or 1 on a log
// scale.
func base(s Scale) (float64, bool) {
	switch {
	case s.Zero != nil:
		return *s.Zero, true
	case s.Type == "log" && s.One != nil:
		return *s.One, true
	}
	return 0, false
}

func near(a, b float64) bool { return math.Abs(a-b) <= tolerance }

// baseline finds the y scale of mark m and the pixel its marks start from: 0, or 1 on a log
// scale. It reports a problem, naming what (bars, area), when there is none.
func (c *checker) baseline(what string, m Mark) (sname string, s Scale, zero float64, ok bool) {
	sname, s, ok = c.yScale(m.Name)
	if !ok {
		c.problem("%s %q: no y scale found (scales: %v); list the mark in Options.Floating if it has none", what, m.Name, scaleNames(c.scene))
		return
	}
	if zero, ok = base(s); !ok {
		c.problem("%s %q: y scale %q of type %q (domain %v) has no place for 0 (1 on a log scale) to start from; list the mark in Options.Floating if it is a band",
			what, m.Name, sname, s.Type, s.Domain)
	}
	return
}

// horizontalBars checks bars along a band y scale: each starts at the x
// scale's zero (its left edge there, or its right edge for a negative value).
func (c *checker) horizontalBars(m Mark) {
	sname, s, ok := c.scale(m.Name, "x")
	if !ok || s.Zero == nil {
		c.problem("bars %q: horizontal bars (a band y scale) without a linear x scale to start from (scales: %v); list the mark in Options.Floating", m.Name, scaleNames(c.scene))
		return
	}
	c.rep.Bars += len(m.Items)
	bad := 0
	for i, it := range m.Items {
		if it.X == nil || it.Width == nil {
			continue // a bar without a value (null) is not drawn
		}
		left, right := *it.X, *it.X+*it.Width
		if !near(left, *s.Zero) && !near(right, *s.Zero) {
			if bad++; bad <= 3 {
				c.problem("bars %q: horizontal bar %d spans x %.2f..%.2f, not from the zero of x scale %q at %.2f (datum %v)", m.Name, i, left, right, sname, *s.Zero, it.Datum)
			}
		}
	}
	if bad > 3 {
		c.problem("bars %q: and %d more bars like these", m.Name, bad-3)
	}
}

func (c *checker) bars(m Mark) {
	if _, ys, ok := c.yScale(m.Name); ok && ys.Type == "band" {
		c.horizontalBars(m)
		return
	}
	sname, s, zero, ok := c.baseline("bars", m)
	if !ok {
		return
	}
	c.rep.Bars += len(m.Items)
	// On a log scale bars may stand on the bottom of the plot, the domain's minimum.
	floor, hasFloor := 0.0, false
	if s.Type == "log" {
		for _, r := range s.Range {
			if f, ok := r.(float64); ok && (!hasFloor || f > floor) {
				floor, hasFloor = f, true
			}
		}
	}
	// Stacked bars may stand on the top of another bar at the same x.
	stacked := slices.Contains(c.opts.Stacked, m.Name)
	tops := map[[2]int64][]float64{}
	if stacked {
		for _, it := range m.Items {
			if it.X != nil && it.Y != nil && it.Height != nil {
				k := barColumn(it)
				tops[k] = append(tops[k], min(*it.Y, *it.Y+*it.Height))
			}
		}
	}
	onStack := func(it Item, bottom float64) bool {
		for _, t := range tops[barColumn(it)] {
			if near(t, bottom) {
				return true
			}
		}
		return false
	}
	bad := 0
	for i, it := range m.Items {
		if it.Y == nil || it.Height == nil {
			if bad++; bad <= 3 {
				c.problem("bars %q: bar %d has no finite y or height (datum %v): its value has no place on y scale %q (domain %v)", m.Name, i, it.Datum, sname, s.Domain)
			}
			continue
		}
		h := *it.Height
		top, bottom := *it.Y, *it.Y+h
		standing := near(bottom, zero) || near(top, zero) || (hasFloor && near(bottom, floor))
		if stacked && !standing {
			// A stacked bar's bottom lies on the top of another bar.
			standing = onStack(it, bottom)
		}
		if !standing {
			if bad++; bad <= 3 {
				c.problem("bars %q: bar %d spans y %.2f..%.2f, not from the zero of y scale %q at %.2f (datum %v): the bars float; a ranged x without bin {binned: true} makes Vega-Lite draw horizontal bars",
					m.Name, i, top, bottom, sname, zero, it.Datum)
			}
			continue
		}
		field := c.opts.ValueField
		if _, ok := it.Datum["density"].(float64); ok && c.byDefault {
			field = "density"
		}
		v, ok := it.Datum[field].(float64)
		if !ok || s.Zero == nil || s.One == nil || s.Type != "linear" {
			continue
		}
		want := math.Abs(v * (*s.One - *s.Zero))
		if !near(math.Abs(h), want) || (v != 0 && want >= 1 && math.Abs(h) <= 1) {
			if bad++; bad <= 3 {
				c.problem("bars %q: bar %d is %.2f px high, its %s %v is %.2f px on y scale %q (datum %v)",
					m.Name, i, math.Abs(h), field, v, want, sname, it.Datum)
			}
		}
	}
	if bad > 3 {
		c.problem("bars %q: and %d more bars like these", m.Name, bad-3)
	}
}

func (c *checker) area(m Mark) {
	sname, _, zero, ok := c.baseline("area", m)
	if !ok {
		return
	}
	c.rep.Areas++
	for i, it := range m.Items {
		if it.Y2 == nil {
			c.problem("area %q: point %d has no y2 (a horizontal area is not checked); list the mark in Options.Floating", m.Name, i)
			return
		}
		if !near(*it.Y2, zero) {
			c.problem("area %q: point %d has its base at y %.2f, not at the zero of y scale %q at %.2f (datum %v); list the mark in Options.Floating if it is a band",
				m.Name, i, *it.Y2, sname, zero, it.Datum)
			return
		}
	}
}

// barColumn is where a bar stands along x, in half pixels: bars of one stack
// share it.
func barColumn(it Item) [2]int64 {
	w := 0.0
	if it.Width != nil {
		w = *it.Width
	}
	return [2]int64{int64(math.Round(2 * *it.X)), int64(math.Round(2 * w))}
}

func scaleNames(s *Scene) []string {
	var names []string
	for n := range s.Scales {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
