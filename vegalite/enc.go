// SPDX-License-Identifier: Apache-2.0

package vegalite

import (
	"fmt"
	"regexp"
	"strings"
)

// Enc is an encoding channel definition: which channel (x, y, color, ...) shows what (a
// field, a datum, a constant value) and how (type, aggregate, bin, scale, axis, ...).
//
// Channel constructors take the definition as their argument:
//   - a string is an Altair-style field shorthand "field", "field:T", "agg(field):T",
//     "timeunit(field):T" or "count()", where T is Q, O, N, T, G or the full type name;
//     Field(name) takes a name as it is, with no shorthand parsing;
//   - Value(v) is a constant, Datum(v) a data value placed on the channel's scale,
//     RepeatField(...) the field of a repeated chart, Count() the record count;
//   - an Enc built by If(...) is a conditional definition.
//
// Methods return changed copies, like every builder value in this package.
type Enc struct {
	ch    string
	p     props
	sets  []pathSet
	multi []Enc // tooltip or detail with several definitions
}

func (e Enc) with(key string, v any) Enc {
	return Enc{ch: e.ch, p: e.p.with(key, v), sets: e.sets, multi: e.multi}
}

func (e Enc) specValue() any {
	if e.multi != nil {
		out := make([]any, len(e.multi))
		for i, m := range e.multi {
			out[i] = m.specValue()
		}
		return out
	}
	if e.p == nil && e.sets == nil {
		return nil // e.g. Tooltip() with no argument: tooltip null turns tooltips off
	}
	return buildObject(e.p, e.sets)
}

// Channel returns the channel name ("x", "color", ...), or "" for a definition that is not
// yet on a channel (from Field, Value, Datum, ...).
func (e Enc) Channel() string { return e.ch }

// Set sets any property of the definition by path (validated with the rest of the spec).
func (e Enc) Set(path string, v any) Enc {
	return Enc{ch: e.ch, p: e.p, sets: appendSet(e.sets, path, v), multi: e.multi}
}

// ---- definitions without a channel ----

// Field is a field definition with the name taken as it is (no shorthand parsing). Use
// "a.b" for a nested field, "a\\.b" for a field whose name contains a dot.
func Field(name string) Enc { return Enc{p: props{"field": name}} }

// Value is a constant value definition: Color(Value("steelblue")), Size(Value(40)).
func Value(v any) Enc { return Enc{p: props{"value": v}} }

// Datum is a data-value definition: the value is mapped through the channel's scale.
func Datum(v any) Enc { return Enc{p: props{"datum": v}} }

// RepeatField refers to the field a repeated chart is repeating over: "row", "column",
// "layer" or "repeat".
func RepeatField(which string) Enc { return Enc{p: props{"field": map[string]any{"repeat": which}}} }

// Count is the record count: {"aggregate": "count", "type": "quantitative"}.
func Count() Enc { return Enc{p: props{"aggregate": "count", "type": "quantitative"}} }

var typeNames = map[string]string{
	"Q": "quantitative", "O": "ordinal", "N": "nominal", "T": "temporal", "G": "geojson",
	"quantitative": "quantitative", "ordinal": "ordinal", "nominal": "nominal",
	"temporal": "temporal", "geojson": "geojson",
}

var aggregateOps = map[string]bool{
	"count": true, "valid": true, "values": true, "missing": true, "distinct": true, "sum": true,
	"product": true, "mean": true, "average": true, "variance": true, "variancep": true,
	"stdev": true, "stdevp": true, "stderr": true, "median": true, "q1": true, "q3": true,
	"ci0": true, "ci1": true, "min": true, "max": true, "argmin": true, "argmax": true,
	"exponential": true, "exponentialb": true,
}

var timeUnitRE = regexp.MustCompile(`^(utc)?(binned)?(year|quarter|month|week|day|dayofyear|date|hours|minutes|seconds|milliseconds)+$`)

var shorthandRE = regexp.MustCompile(`^([A-Za-z0-9]+)\((.*)\)$`)

// parseShorthand reads "agg(field):T" and friends into definition properties.
func parseShorthand(s string) (props, error) {
	p := props{}
	body := s
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		if t, ok := typeNames[s[i+1:]]; ok {
			p["type"] = t
			body = s[:i]
		} else if !strings.ContainsAny(s[i+1:], ".()[] ") && len(s[i+1:]) <= 12 && i > 0 {
			return nil, fmt.Errorf("type %q after the colon is not one of Q, O, N, T, G (quantitative, ordinal, nominal, temporal, geojson); use Field(%q) for a field name with a colon", s[i+1:], s)
		}
	}
	if m := shorthandRE.FindStringSubmatch(body); m != nil {
		fn, arg := m[1], m[2]
		switch {
		case aggregateOps[fn]:
			p["aggregate"] = fn
			if arg == "" {
				if fn != "count" {
					return nil, fmt.Errorf("%s() needs a field: %s(field)", fn, fn)
				}
				if _, ok := p["type"]; !ok {
					p["type"] = "quantitative"
				}
				return p, nil
			}
			p["field"] = arg
			return p, nil
		case timeUnitRE.MatchString(fn):
			p["timeUnit"] = fn
			p["field"] = arg
			return p, nil
		}
	}
	if body == "" {
		return nil, fmt.Errorf("no field name; give a field such as \"price:Q\", or use Value/Datum")
	}
	p["field"] = body
	return p, nil
}

// channel builds the definition of channel ch from a constructor argument.
func channel(ch string, def any) Enc {
	switch d := def.(type) {
	case string:
		p, err := parseShorthand(d)
		if err != nil {
			return Enc{ch: ch, p: props{"": buildError{fmt.Errorf("vegalite: %s(%q): %v", constructorName(ch), d, err)}}}
		}
		return Enc{ch: ch, p: p}
	case Enc:
		d.ch = ch
		return d
	case nil:
		return Enc{ch: ch}
	}
	return Enc{ch: ch, p: props{"": buildError{fmt.Errorf(
		"vegalite: %s(%v): the definition is a %T; pass a field shorthand string, Field(...), Value(...), Datum(...) or an If(...)",
		constructorName(ch), def, def)}}}
}

func constructorName(ch string) string {
	if ch == "" {
		return "channel"
	}
	return strings.ToUpper(ch[:1]) + ch[1:]
}

// multiChannel builds a channel that may hold a list of definitions (tooltip, detail).
func multiChannel(ch string, defs []any) Enc {
	switch len(defs) {
	case 0:
		return Enc{ch: ch}
	case 1:
		return channel(ch, defs[0])
	}
	out := Enc{ch: ch, multi: make([]Enc, len(defs))}
	for i, d := range defs {
		out.multi[i] = channel(ch, d)
	}
	return out
}

// X is the x position channel.
func X(def any) Enc { return channel("x", def) }

// Y is the y position channel.
func Y(def any) Enc { return channel("y", def) }

// X2 is the end of a ranged x (bars and rules with start and end, error bars).
func X2(def any) Enc { return channel("x2", def) }

// Y2 is the end of a ranged y.
func Y2(def any) Enc { return channel("y2", def) }

// XOffset offsets x within a band (grouped bars).
func XOffset(def any) Enc { return channel("xOffset", def) }

// YOffset offsets y within a band.
func YOffset(def any) Enc { return channel("yOffset", def) }

// XError is the error of x for the errorbar mark.
func XError(def any) Enc { return channel("xError", def) }

// YError is the error of y for the errorbar mark.
func YError(def any) Enc { return channel("yError", def) }

// Theta is the angle of arc marks (pie charts).
func Theta(def any) Enc { return channel("theta", def) }

// Theta2 is the end angle of arc marks.
func Theta2(def any) Enc { return channel("theta2", def) }

// Radius is the outer radius of arc marks.
func Radius(def any) Enc { return channel("radius", def) }

// Radius2 is the inner radius of arc marks.
func Radius2(def any) Enc { return channel("radius2", def) }

// Longitude is the longitude position of geographic marks.
func Longitude(def any) Enc { return channel("longitude", def) }

// Latitude is the latitude position of geographic marks.
func Latitude(def any) Enc { return channel("latitude", def) }

// Color is the colour channel (fill or stroke, as the mark prefers).
func Color(def any) Enc { return channel("color", def) }

// Fill is the fill colour channel.
func Fill(def any) Enc { return channel("fill", def) }

// Stroke is the stroke colour channel.
func Stroke(def any) Enc { return channel("stroke", def) }

// Opacity is the opacity channel.
func Opacity(def any) Enc { return channel("opacity", def) }

// FillOpacity is the fill opacity channel.
func FillOpacity(def any) Enc { return channel("fillOpacity", def) }

// StrokeOpacity is the stroke opacity channel.
func StrokeOpacity(def any) Enc { return channel("strokeOpacity", def) }

// StrokeWidth is the stroke width channel.
func StrokeWidth(def any) Enc { return channel("strokeWidth", def) }

// StrokeDash is the stroke dash pattern channel.
func StrokeDash(def any) Enc { return channel("strokeDash", def) }

// Size is the size channel (point area, bar width, text size, ...).
func Size(def any) Enc { return channel("size", def) }

// Angle is the rotation angle of point and text marks.
func Angle(def any) Enc { return channel("angle", def) }

// Shape is the point shape channel.
func Shape(def any) Enc { return channel("shape", def) }

// TextOf is the text channel of text marks (named TextOf because Text is the text mark).
func TextOf(def any) Enc { return channel("text", def) }

// Tooltip shows one or several fields in the tooltip; with no argument it turns tooltips off.
func Tooltip(defs ...any) Enc { return multiChannel("tooltip", defs) }

// Detail groups marks by one or several fields without a visual channel.
func Detail(defs ...any) Enc { return multiChannel("detail", defs) }

// Order sets the order of marks (stack order, line point order).
func Order(def any) Enc { return channel("order", def) }

// Href makes marks hyperlinks.
func Href(def any) Enc { return channel("href", def) }

// URL is the image URL channel of image marks.
func URLOf(def any) Enc { return channel("url", def) }

// Description is the aria description channel of marks.
func DescriptionOf(def any) Enc { return channel("description", def) }

// Key is the data key channel, used for object constancy in animations.
func Key(def any) Enc { return channel("key", def) }

// Row facets a single view into rows (also used by Facet).
func Row(def any) Enc { return channel("row", def) }

// Column facets a single view into columns (also used by Facet).
func Column(def any) Enc { return channel("column", def) }

// FacetBy facets a single view into a wrapped list of cells (also used by Facet).
func FacetBy(def any) Enc { return channel("facet", def) }

// ---- definition properties ----

// Type sets the measurement type: "quantitative", "ordinal", "nominal", "temporal", "geojson".
func (e Enc) Type(t string) Enc { return e.with("type", t) }

// Quantitative sets the type to quantitative.
func (e Enc) Quantitative() Enc { return e.Type("quantitative") }

// Ordinal sets the type to ordinal.
func (e Enc) Ordinal() Enc { return e.Type("ordinal") }

// Nominal sets the type to nominal.
func (e Enc) Nominal() Enc { return e.Type("nominal") }

// Temporal sets the type to temporal.
func (e Enc) Temporal() Enc { return e.Type("temporal") }

// Field sets the field name, as it is.
func (e Enc) Field(name string) Enc { return e.with("field", name) }

// Value sets a constant value.
func (e Enc) Value(v any) Enc { return e.with("value", v) }

// Datum sets a data value.
func (e Enc) Datum(v any) Enc { return e.with("datum", v) }

// Aggregate sets the aggregate: "mean", "sum", "count", ... or {"argmax": "field"}.
func (e Enc) Aggregate(op any) Enc { return e.with("aggregate", op) }

// Bin bins the field: true, "binned" (data already binned) or a BinParams value.
func (e Enc) Bin(b any) Enc { return e.with("bin", b) }

// TimeUnit discretises a temporal field: "year", "yearmonth", "hours", ... or a TimeUnitParams map.
func (e Enc) TimeUnit(u any) Enc { return e.with("timeUnit", u) }

// Scale sets the scale of the channel.
func (e Enc) Scale(s Scale) Enc { return e.with("scale", s) }

// NoScale maps data values directly to visual values (scale null).
func (e Enc) NoScale() Enc { return e.with("scale", nil) }

// Axis sets the axis of a position channel.
func (e Enc) Axis(a Axis) Enc { return e.with("axis", a) }

// NoAxis removes the axis of a position channel (axis null).
func (e Enc) NoAxis() Enc { return e.with("axis", nil) }

// Legend sets the legend of a mark-property channel.
func (e Enc) Legend(l Legend) Enc { return e.with("legend", l) }

// NoLegend removes the legend (legend null).
func (e Enc) NoLegend() Enc { return e.with("legend", nil) }

// Header sets the header of a row/column/facet channel.
func (e Enc) Header(h Header) Enc { return e.with("header", h) }

// Sort sets the sort order: "ascending", "descending", nil (no sort), a list of values,
// an encoding channel name such as "-y", or a sort-field object {"field":..,"op":..,"order":..}.
func (e Enc) Sort(s any) Enc { return e.with("sort", s) }

// Stack sets stacking: "zero", "normalize", "center", true, false or nil.
func (e Enc) Stack(s any) Enc { return e.with("stack", s) }

// Title sets the title of the axis, legend or header (nil for none).
func (e Enc) Title(t any) Enc { return e.with("title", t) }

// Format sets the number or time format of text, tooltips and labels (d3-format / d3-time-format).
func (e Enc) Format(f string) Enc { return e.with("format", f) }

// FormatType sets the format type: "number", "time" or a custom formatter name.
func (e Enc) FormatType(t string) Enc { return e.with("formatType", t) }

// BandPosition sets the relative position on a band of a scale (0 to 1).
func (e Enc) BandPosition(f float64) Enc { return e.with("bandPosition", f) }

// Impute fills missing values for this channel: {"value": 0} or {"method": "mean"}, ...
func (e Enc) Impute(params map[string]any) Enc { return e.with("impute", params) }

// Spacing sets the spacing between facets of a row/column channel.
func (e Enc) Spacing(s float64) Enc { return e.with("spacing", s) }

// Columns sets how many columns a FacetBy channel wraps after.
func (e Enc) Columns(n int) Enc { return e.with("columns", n) }

// Empty sets whether an empty selection counts as selecting everything (for a condition).
func (e Enc) Empty(b bool) Enc { return e.with("empty", b) }

// ---- conditions and predicates ----

// Predicate is a condition: a selection or variable parameter, a test expression, a field
// comparison, or a logical combination of these.
type Predicate struct {
	p       any  // the predicate object or expression string
	isParam bool // {"param": ...} predicates go in conditions as "param", others as "test"
}

// Selected tests whether a datum is in the selection param name (or, for a variable param,
// whether its value is truthy). Empty(false) makes an empty selection select nothing.
func Selected(param string) Predicate {
	return Predicate{p: props{"param": param}, isParam: true}
}

// Empty sets whether an empty selection selects everything (the default) or nothing.
func (q Predicate) Empty(b bool) Predicate {
	if m, ok := q.p.(props); ok && q.isParam {
		return Predicate{p: m.with("empty", b), isParam: true}
	}
	return q
}

// Test is a predicate from a Vega expression, e.g. Test("datum.price > 100").
func Test(expr string) Predicate { return Predicate{p: expr} }

func fieldPred(field, op string, v any) Predicate {
	return Predicate{p: props{"field": field, op: v}}
}

// FieldEqual tests datum[field] == v.
func FieldEqual(field string, v any) Predicate { return fieldPred(field, "equal", v) }

// FieldLT tests datum[field] < v.
func FieldLT(field string, v any) Predicate { return fieldPred(field, "lt", v) }

// FieldLTE tests datum[field] <= v.
func FieldLTE(field string, v any) Predicate { return fieldPred(field, "lte", v) }

// FieldGT tests datum[field] > v.
func FieldGT(field string, v any) Predicate { return fieldPred(field, "gt", v) }

// FieldGTE tests datum[field] >= v.
func FieldGTE(field string, v any) Predicate { return fieldPred(field, "gte", v) }

// FieldRange tests lo <= datum[field] <= hi (nil for an open end).
func FieldRange(field string, lo, hi any) Predicate {
	return fieldPred(field, "range", []any{lo, hi})
}

// FieldOneOf tests whether datum[field] is one of the values.
func FieldOneOf(field string, values ...any) Predicate { return fieldPred(field, "oneOf", values) }

// FieldValid tests whether datum[field] is a valid number (not null or NaN) when valid is true.
func FieldValid(field string, valid bool) Predicate { return fieldPred(field, "valid", valid) }

// And is true when all predicates are.
func And(ps ...Predicate) Predicate { return Predicate{p: props{"and": predList(ps)}} }

// Or is true when any predicate is.
func Or(ps ...Predicate) Predicate { return Predicate{p: props{"or": predList(ps)}} }

// Not negates a predicate.
func Not(q Predicate) Predicate { return Predicate{p: props{"not": q.p}} }

func predList(ps []Predicate) []any {
	out := make([]any, len(ps))
	for i, q := range ps {
		out[i] = q.p
	}
	return out
}

// conditionObject returns the condition's predicate part: {"param": ..} or {"test": ..}.
func (q Predicate) conditionObject() props {
	if q.isParam {
		return q.p.(props)
	}
	return props{"test": q.p}
}

// When adds a condition to the definition: where pred holds, the channel shows then (a
// field shorthand string, Field, Value or Datum); elsewhere it shows e. Several When calls
// give several conditions, tried in order (Vega-Lite allows several only for values).
func (e Enc) When(pred Predicate, then any) Enc {
	c := channel(e.ch, then)
	cond := props{}
	for k, v := range c.p {
		cond[k] = v
	}
	for k, v := range pred.conditionObject() {
		cond[k] = v
	}
	c2 := Enc{p: cond, sets: c.sets}
	switch old := e.p["condition"].(type) {
	case nil:
		return e.with("condition", c2)
	case Enc:
		return e.with("condition", []any{old, c2})
	case []any:
		return e.with("condition", append(append([]any(nil), old...), c2))
	}
	return e
}

// If is a conditional definition: then where pred holds, otherwise elsewhere. Both are
// definitions as channel constructors take them, e.g.
//
//	vegalite.Color(vegalite.If(vegalite.Selected("brush"), "Origin:N", vegalite.Value("lightgray")))
func If(pred Predicate, then, otherwise any) Enc {
	return channel("", otherwise).When(pred, then)
}
