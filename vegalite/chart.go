// SPDX-License-Identifier: Apache-2.0

package vegalite

import (
	"fmt"
)

// Chart is a Vega-Lite view: a single view (data + mark + encoding), or a composition made
// by Layer, HConcat, VConcat, Concat, Facet or Repeat. Charts are immutable values: every
// method returns a changed copy and leaves the receiver as it was, so a base chart can be
// shared and specialised:
//
//	base := vegalite.NewChart().Data(vegalite.Values(rows)).Encode(vegalite.X("step:Q"))
//	loss := base.Mark(vegalite.Line()).Encode(vegalite.Y("loss:Q"))
//	acc := base.Mark(vegalite.Line()).Encode(vegalite.Y("accuracy:Q"))
//	spec, err := vegalite.HConcat(loss, acc).Build()
//
// The zero Chart is an empty view; NewChart is there for readability.
type Chart struct {
	p    props
	sets []pathSet
}

// NewChart returns an empty view.
func NewChart() Chart { return Chart{} }

func (c Chart) with(key string, v any) Chart { return Chart{p: c.p.with(key, v), sets: c.sets} }

func (c Chart) specValue() any { return buildObject(c.p, c.sets) }

// Build validates the chart as a top-level spec and returns its JSON. "$schema" is set to
// Vega-Lite v5. Errors name the JSON path of every problem and how to fix it (a
// *ValidationError), or the constructor call that was given bad input.
func (c Chart) Build() (Spec, error) {
	tree := c.specValue()
	if m, ok := tree.(map[string]any); ok {
		if _, has := m["$schema"]; !has {
			m["$schema"] = SchemaURL
		}
	}
	return build(tree)
}

// JSON is Build without the notes.
func (c Chart) JSON() ([]byte, error) {
	s, err := c.Build()
	return s.JSON, err
}

// Set sets any property by slash-separated path, e.g. Set("config/axis/labelFontSize", 14)
// or Set("layer/0/mark/tooltip", true). It is the escape hatch for whatever has no method;
// the result is validated like the rest. Sets apply in order, after everything else.
func (c Chart) Set(path string, v any) Chart { return Chart{p: c.p, sets: appendSet(c.sets, path, v)} }

// Data sets the view's data.
func (c Chart) Data(d Data) Chart { return c.with("data", d) }

// Dataset adds a named top-level data set (Vega-Lite "datasets"); refer to it with
// NamedData(name). Only inline data (Values or Columns) can be a data set; it is written as
// rows even when Compact (a data set carries no format).
func (c Chart) Dataset(name string, d Data) Chart {
	ds, _ := c.p["datasets"].(props)
	v, ok := d.p["values"]
	if !ok {
		v = buildError{fmt.Errorf("vegalite: Dataset(%q, d): a data set needs inline data from Values or Columns", name)}
	}
	if t, ok := v.(*table); ok && t.csv {
		// A data set has no format to say it is CSV: keep it in rows.
		c := *t
		c.csv, c.csvParse = false, nil
		v = &c
	}
	return c.with("datasets", ds.with(name, v))
}

// Mark sets the mark: Bar(), Line().Point(true), ...
func (c Chart) Mark(m Mark) Chart { return c.with("mark", m) }

// Encode adds encoding channels, e.g. Encode(X("date:T"), Y("mean(price):Q"), Color("symbol:N")).
// A channel given again replaces the earlier one.
func (c Chart) Encode(channels ...Enc) Chart {
	enc, _ := c.p["encoding"].(props)
	for _, ch := range channels {
		if ch.ch == "" {
			return c.with("encoding", enc.with("?", buildError{fmt.Errorf(
				"vegalite: Encode: a definition without a channel; wrap it in a channel constructor such as X(...) or Color(...)")}))
		}
		enc = enc.with(ch.ch, ch)
	}
	return c.with("encoding", enc)
}

// Transform appends data transforms, applied in order before encoding.
func (c Chart) Transform(ts ...Transform) Chart {
	return c.with("transform", appendList(c.p["transform"], ts))
}

// Params appends parameters: variables (NewParam) and selections (SelectPoint, SelectInterval).
func (c Chart) Params(ps ...Param) Chart {
	return c.with("params", appendList(c.p["params"], ps))
}

// Interactive makes the chart zoomable and pannable in one call, as Altair's interactive():
// dragging pans both axes, the mouse wheel zooms them and a double-click resets them (an
// interval selection named "interactive" bound to the scales). Call it on a single view.
func (c Chart) Interactive() Chart {
	return c.Params(SelectInterval("interactive").BindScales())
}

func appendList[T any](old any, add []T) []any {
	prev, _ := old.([]any)
	out := make([]any, 0, len(prev)+len(add))
	out = append(out, prev...)
	for _, a := range add {
		out = append(out, a)
	}
	return out
}

// Width sets the width: a number of pixels, "container", or Step(n) for discrete axes.
func (c Chart) Width(w any) Chart { return c.with("width", w) }

// Height sets the height: a number of pixels, "container", or Step(n) for discrete axes.
func (c Chart) Height(h any) Chart { return c.with("height", h) }

// Step is a width or height given per discrete band: {"step": n}.
func Step(n float64) map[string]any { return map[string]any{"step": n} }

// Title sets the title: a string, a list of lines ([]string) or a TitleParams value.
func (c Chart) Title(t any) Chart { return c.with("title", t) }

// Description sets the text description, used for accessibility (aria).
func (c Chart) Description(s string) Chart { return c.with("description", s) }

// InteractiveOnlyPrefix starts the name (Chart.Name) of a layer that only serves
// interaction, e.g. invisible points that carry hover tooltips: a static picture (package
// render, and every notebook output's SVG) leaves such layers out, as they draw nothing a
// reader could see but can weigh more than the rest of the picture.
const InteractiveOnlyPrefix = "gonbviz_interactive_"

// Name names the view, so selections and resolution can refer to it.
func (c Chart) Name(s string) Chart { return c.with("name", s) }

// Autosize sets how the view is sized: "pad", "fit", "fit-x", "fit-y", "none", or an object
// {"type": ..., "contains": "content"|"padding", "resize": bool}.
func (c Chart) Autosize(a any) Chart { return c.with("autosize", a) }

// Background sets the background colour of the whole visualization.
func (c Chart) Background(color string) Chart { return c.with("background", color) }

// Padding sets the padding in pixels: a number or {"left":..,"top":..,"right":..,"bottom":..}.
func (c Chart) Padding(p any) Chart { return c.with("padding", p) }

// Config sets the configuration (default styles of axes, marks, legends, ...).
func (c Chart) Config(cfg Config) Chart { return c.with("config", cfg) }

// Projection sets the cartographic projection of a geographic view.
func (c Chart) Projection(p any) Chart { return c.with("projection", p) }

// View sets the style of the single view's rectangle (fill, stroke, cornerRadius, ...).
func (c Chart) View(v any) Chart { return c.with("view", v) }

// Usermeta stores arbitrary metadata that Vega-Lite passes through untouched.
func (c Chart) Usermeta(m map[string]any) Chart { return c.with("usermeta", m) }

// Spacing sets the spacing between composed or faceted views (a number or {"row":..,"column":..}).
func (c Chart) Spacing(s any) Chart { return c.with("spacing", s) }

// Columns sets the number of columns of a Concat, a faceted or a repeated chart.
func (c Chart) Columns(n int) Chart { return c.with("columns", n) }

// Bounds sets how the extent of sub-plots is computed: "full" or "flush".
func (c Chart) Bounds(b string) Chart { return c.with("bounds", b) }

// Align sets the alignment of sub-views: "all", "each", "none", or {"row":..,"column":..}.
func (c Chart) Align(a any) Chart { return c.with("align", a) }

// Center sets whether sub-views are centred in their row/column.
func (c Chart) Center(b any) Chart { return c.with("center", b) }

// ResolveScale sets how a composed chart resolves the scale of a channel ("x", "color", ...):
// mode "shared" or "independent".
func (c Chart) ResolveScale(channel, mode string) Chart { return c.resolve("scale", channel, mode) }

// ResolveAxis sets how a composed chart resolves the axis of "x" or "y": "shared" or "independent".
func (c Chart) ResolveAxis(channel, mode string) Chart { return c.resolve("axis", channel, mode) }

// ResolveLegend sets how a composed chart resolves a legend channel: "shared" or "independent".
func (c Chart) ResolveLegend(channel, mode string) Chart { return c.resolve("legend", channel, mode) }

func (c Chart) resolve(kind, channel, mode string) Chart {
	r, _ := c.p["resolve"].(props)
	k, _ := r[kind].(props)
	return c.with("resolve", r.with(kind, k.with(channel, mode)))
}

// ---- composition ----

// Layer stacks charts on top of each other in one view; encodings and data set on the
// returned chart are shared by the layers.
func Layer(charts ...Chart) Chart { return Chart{p: props{"layer": appendList(nil, charts)}} }

// HConcat places charts side by side.
func HConcat(charts ...Chart) Chart { return Chart{p: props{"hconcat": appendList(nil, charts)}} }

// VConcat places charts one above the other.
func VConcat(charts ...Chart) Chart { return Chart{p: props{"vconcat": appendList(nil, charts)}} }

// Concat places charts in a grid that wraps after Columns(n) charts.
func Concat(charts ...Chart) Chart { return Chart{p: props{"concat": appendList(nil, charts)}} }

// Layer appends more layers to a layered chart (or makes a layer of c and the others).
func (c Chart) Layer(charts ...Chart) Chart {
	if l, ok := c.p["layer"]; ok {
		return c.with("layer", appendList(l, charts))
	}
	return Layer(append([]Chart{c}, charts...)...)
}

// Facet makes small multiples of inner, one per value of the given fields: Row(...) and/or
// Column(...) for a grid, or FacetBy(...) for a wrapped list (with Columns(n)). Inner's data,
// if any, moves to the returned chart, as Vega-Lite requires.
func Facet(inner Chart, by ...Enc) Chart {
	out := Chart{}
	if d, ok := inner.p["data"]; ok {
		out = out.with("data", d)
		inner = Chart{p: inner.p.without("data"), sets: inner.sets}
	}
	var facet any
	switch {
	case len(by) == 1 && by[0].ch == "facet":
		facet = by[0].p
	default:
		f := props{}
		for _, b := range by {
			if b.ch != "row" && b.ch != "column" {
				facet = buildError{fmt.Errorf("vegalite: Facet(inner, by...): use Row(...), Column(...) or one FacetBy(...), got channel %q", b.ch)}
				break
			}
			f = f.with(b.ch, b)
		}
		if facet == nil {
			facet = f
		}
	}
	if len(by) == 0 {
		facet = buildError{fmt.Errorf("vegalite: Facet(inner, by...): name at least one field with Row, Column or FacetBy")}
	}
	return out.with("facet", facet).with("spec", inner)
}

// RepeatBy says what a repeated chart repeats over; refer to the current field in the inner
// chart with RepeatField("row"|"column"|"repeat"|"layer").
type RepeatBy struct {
	Row, Column []string // a grid of rows and columns
	Layer       []string // one layer per field
	Fields      []string // a wrapped list (with Chart.Columns)
}

// Repeat repeats inner once per field of by. Inner's data, if any, moves to the returned chart.
func Repeat(inner Chart, by RepeatBy) Chart {
	out := Chart{}
	if d, ok := inner.p["data"]; ok {
		out = out.with("data", d)
		inner = Chart{p: inner.p.without("data"), sets: inner.sets}
	}
	var r any
	if by.Fields != nil {
		r = by.Fields
	} else {
		m := props{}
		if by.Row != nil {
			m = m.with("row", by.Row)
		}
		if by.Column != nil {
			m = m.with("column", by.Column)
		}
		if by.Layer != nil {
			m = m.with("layer", by.Layer)
		}
		r = m
	}
	return out.with("repeat", r).with("spec", inner)
}
