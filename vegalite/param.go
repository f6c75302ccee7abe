// SPDX-License-Identifier: Apache-2.0

package vegalite

// ParamDomain is a scale domain taken from a selection parameter, for an overview+detail
// view: Scale{}.Domain(ParamDomain("brush")).
func ParamDomain(param string) map[string]any { return map[string]any{"param": param} }

// Param is a Vega-Lite parameter: a variable (NewParam), optionally bound to an input
// widget, or a selection (SelectPoint, SelectInterval) that the reader makes by clicking or
// dragging. Refer to a parameter in conditions and filters with Selected(name), or by name
// in expressions ("datum.x < threshold").
type Param struct {
	p    props
	sel  props
	sets []pathSet
}

func (q Param) with(key string, v any) Param {
	return Param{p: q.p.with(key, v), sel: q.sel, sets: q.sets}
}

func (q Param) withSel(key string, v any) Param {
	return Param{p: q.p, sel: q.sel.with(key, v), sets: q.sets}
}

func (q Param) specValue() any {
	p := q.p
	if q.sel != nil {
		p = p.with("select", q.sel)
	}
	return buildObject(p, q.sets)
}

// Name returns the parameter's name.
func (q Param) Name() string { s, _ := q.p["name"].(string); return s }

// Predicate returns Selected(q.Name()).
func (q Param) Predicate() Predicate { return Selected(q.Name()) }

// NewParam returns a variable parameter. Give it a Value and, for a widget, a Bind.
func NewParam(name string) Param { return Param{p: props{"name": name}} }

// SelectPoint returns a point selection: the reader selects discrete data values by clicking
// (shift-click adds). Fields or Encodings say what a selection is made of.
func SelectPoint(name string) Param {
	return Param{p: props{"name": name}, sel: props{"type": "point"}}
}

// SelectInterval returns an interval selection: the reader drags a rectangle (brush).
// Encodings("x") makes a one-dimensional brush; BindScales makes pan and zoom.
func SelectInterval(name string) Param {
	return Param{p: props{"name": name}, sel: props{"type": "interval"}}
}

// Set sets any parameter property by path (validated with the rest of the spec).
func (q Param) Set(path string, v any) Param {
	return Param{p: q.p, sel: q.sel, sets: appendSet(q.sets, path, v)}
}

// Value sets the initial value (of a variable, or of a selection).
func (q Param) Value(v any) Param { return q.with("value", v) }

// Expr makes the parameter's value a Vega expression.
func (q Param) Expr(expr string) Param { return q.with("expr", expr) }

// Bind binds a variable to an input widget (BindRange, BindSelect, ...) or a point selection
// to one, so the widget drives the selection.
func (q Param) Bind(b Bind) Param { return q.with("bind", b) }

// BindEach binds a point selection to one widget per field, e.g.
// BindEach(map[string]Bind{"Cylinders": BindRange(3, 8, 1), "Year": BindRange(1969, 1981, 1)}).
func (q Param) BindEach(binds map[string]Bind) Param { return q.with("bind", binds) }

// BindScales binds an interval selection to the view's scales: drag to pan, wheel to zoom.
func (q Param) BindScales() Param { return q.with("bind", "scales") }

// BindLegend binds a point selection to the legend: click a legend entry to select.
func (q Param) BindLegend() Param { return q.with("bind", "legend") }

// Views limits a top-level selection to the named views.
func (q Param) Views(names ...string) Param { return q.with("views", names) }

// Fields makes the selection select by these data fields.
func (q Param) Fields(fields ...string) Param { return q.withSel("fields", fields) }

// Encodings makes the selection select by these encoding channels ("x", "color", ...).
func (q Param) Encodings(channels ...string) Param { return q.withSel("encodings", channels) }

// On sets the event stream that triggers the selection, e.g. "pointerover" or "click".
func (q Param) On(events any) Param { return q.withSel("on", events) }

// Clear sets the event stream that clears the selection ("dblclick"; false to never clear).
func (q Param) Clear(events any) Param { return q.withSel("clear", events) }

// Toggle sets how point selections accumulate: true, false or an expression such as "event.shiftKey".
func (q Param) Toggle(t any) Param { return q.withSel("toggle", t) }

// Nearest makes a point selection pick the nearest mark to the pointer.
func (q Param) Nearest(b bool) Param { return q.withSel("nearest", b) }

// Resolve sets how a selection in a faceted or repeated view resolves: "global", "union", "intersect".
func (q Param) Resolve(mode string) Param { return q.withSel("resolve", mode) }

// BrushMark styles the rectangle of an interval selection ({"fill": .., "stroke": ..}).
func (q Param) BrushMark(style map[string]any) Param { return q.withSel("mark", style) }

// Zoom sets the event that zooms an interval selection (false to disable).
func (q Param) Zoom(z any) Param { return q.withSel("zoom", z) }

// Translate sets the event that moves an interval selection (false to disable).
func (q Param) Translate(t any) Param { return q.withSel("translate", t) }

// Bind is an input widget a parameter is bound to.
type Bind struct {
	p    props
	sets []pathSet
}

func (b Bind) with(key string, v any) Bind { return Bind{p: b.p.with(key, v), sets: b.sets} }

func (b Bind) specValue() any { return buildObject(b.p, b.sets) }

// BindRange is a slider from min to max by step (step 0 lets the browser choose).
func BindRange(min, max, step float64) Bind {
	p := props{"input": "range", "min": min, "max": max}
	if step != 0 {
		p["step"] = step
	}
	return Bind{p: p}
}

// BindSelect is a drop-down menu of the options, of any element type: BindSelect(names...)
// with names a []string. Options of mixed types, such as nil (Vega's "no selection", to
// show everything) before strings, take the type argument any: BindSelect[any](nil, "a", "b").
func BindSelect[T any](options ...T) Bind {
	return Bind{p: props{"input": "select", "options": anySlice(options)}}
}

// BindRadio is a group of radio buttons, one per option. Like BindSelect it takes a slice
// of any element type: BindRadio(names...) with names a []string.
func BindRadio[T any](options ...T) Bind {
	return Bind{p: props{"input": "radio", "options": anySlice(options)}}
}

// anySlice copies options into the []any a spec holds.
func anySlice[T any](options []T) []any {
	out := make([]any, len(options))
	for i, o := range options {
		out[i] = o
	}
	return out
}

// BindCheckbox is a checkbox (a boolean parameter).
func BindCheckbox() Bind { return Bind{p: props{"input": "checkbox"}} }

// BindText is a text field.
func BindText() Bind { return Bind{p: props{"input": "text"}} }

// BindInput is an HTML input of any other type ("color", "date", "number", ...).
func BindInput(inputType string) Bind { return Bind{p: props{"input": inputType}} }

// Name sets the label shown beside the widget.
func (b Bind) Name(label string) Bind { return b.with("name", label) }

// Labels sets the labels shown for the options of a select or radio widget.
func (b Bind) Labels(labels ...string) Bind { return b.with("labels", labels) }

// Placeholder sets the placeholder text of a text input.
func (b Bind) Placeholder(s string) Bind { return b.with("placeholder", s) }

// Debounce delays updates until the widget has been still for ms milliseconds.
func (b Bind) Debounce(ms float64) Bind { return b.with("debounce", ms) }

// Element places the widget in the page element matching a CSS selector.
func (b Bind) Element(selector string) Bind { return b.with("element", selector) }

// Set sets any binding property by path (validated with the rest of the spec).
func (b Bind) Set(path string, v any) Bind { return Bind{p: b.p, sets: appendSet(b.sets, path, v)} }
