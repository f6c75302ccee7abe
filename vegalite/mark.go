// SPDX-License-Identifier: Apache-2.0

package vegalite

// Mark is a mark definition: its type plus any mark properties. A mark with no properties is
// written as the plain type string ("bar"), with properties as an object
// ({"type": "line", "point": true}). Property methods for every Vega-Lite mark property
// (MarkDef, BoxPlotDef, ErrorBarDef, ErrorBandDef) are in gen_props.go; Set covers the rest.
type Mark struct {
	p    props
	sets []pathSet
}

func (m Mark) with(key string, v any) Mark { return Mark{p: m.p.with(key, v), sets: m.sets} }

func (m Mark) specValue() any {
	if len(m.p) == 1 && len(m.sets) == 0 {
		if t, ok := m.p["type"].(string); ok {
			return t
		}
	}
	return buildObject(m.p, m.sets)
}

// Set sets any mark property by path (validated with the rest of the spec).
func (m Mark) Set(path string, v any) Mark { return Mark{p: m.p, sets: appendSet(m.sets, path, v)} }

// MarkOf returns a mark of any type by name, e.g. MarkOf("geoshape").
func MarkOf(markType string) Mark { return Mark{p: props{"type": markType}} }

// Arc is the arc mark (pie and donut charts, radial plots): use with Theta and Radius.
func Arc() Mark { return MarkOf("arc") }

// Area is the area mark.
func Area() Mark { return MarkOf("area") }

// Bar is the bar mark.
func Bar() Mark { return MarkOf("bar") }

// Boxplot is the composite box-plot mark; Extent sets the whisker rule ("min-max" or a number).
func Boxplot() Mark { return MarkOf("boxplot") }

// Circle is the circle mark (a filled point).
func Circle() Mark { return MarkOf("circle") }

// ErrorBand is the composite error-band mark.
func ErrorBand() Mark { return MarkOf("errorband") }

// ErrorBar is the composite error-bar mark.
func ErrorBar() Mark { return MarkOf("errorbar") }

// Geoshape is the geographic shape mark.
func Geoshape() Mark { return MarkOf("geoshape") }

// Image is the image mark: encode the URL with the URL channel.
func Image() Mark { return MarkOf("image") }

// Line is the line mark.
func Line() Mark { return MarkOf("line") }

// Point is the point mark (hollow by default).
func Point() Mark { return MarkOf("point") }

// Rect is the rectangle mark (heatmaps).
func Rect() Mark { return MarkOf("rect") }

// Rule is the rule mark (lines across a view, whiskers).
func Rule() Mark { return MarkOf("rule") }

// Square is the square mark.
func Square() Mark { return MarkOf("square") }

// Text is the text mark: encode the text with the Text channel.
func Text() Mark { return MarkOf("text") }

// Tick is the tick mark (strip plots).
func Tick() Mark { return MarkOf("tick") }

// Trail is the trail mark (a line of varying width).
func Trail() Mark { return MarkOf("trail") }
