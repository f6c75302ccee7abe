// SPDX-License-Identifier: Apache-2.0

package vegalite

//go:generate go run ./internal/gen -o gen_props.go

// Axis is an axis definition for a position channel. The zero value is an axis with
// defaults; every Vega-Lite axis property has a method (gen_props.go), e.g.
//
//	vegalite.Axis{}.Title("loss").Format(".2f").Grid(false)
type Axis struct {
	p    props
	sets []pathSet
}

func (a Axis) with(key string, v any) Axis { return Axis{p: a.p.with(key, v), sets: a.sets} }
func (a Axis) specValue() any              { return buildObject(a.p, a.sets) }

// Set sets any axis property by path (validated with the rest of the spec).
func (a Axis) Set(path string, v any) Axis { return Axis{p: a.p, sets: appendSet(a.sets, path, v)} }

// Legend is a legend definition for a mark-property channel (color, size, shape, ...).
// The zero value is a legend with defaults.
type Legend struct {
	p    props
	sets []pathSet
}

func (l Legend) with(key string, v any) Legend { return Legend{p: l.p.with(key, v), sets: l.sets} }
func (l Legend) specValue() any                { return buildObject(l.p, l.sets) }

// Set sets any legend property by path (validated with the rest of the spec).
func (l Legend) Set(path string, v any) Legend {
	return Legend{p: l.p, sets: appendSet(l.sets, path, v)}
}

// Scale is a scale definition: type, domain, range, scheme, zero, nice, ... The zero value is
// a scale with defaults.
type Scale struct {
	p    props
	sets []pathSet
}

func (s Scale) with(key string, v any) Scale { return Scale{p: s.p.with(key, v), sets: s.sets} }
func (s Scale) specValue() any               { return buildObject(s.p, s.sets) }

// Set sets any scale property by path (validated with the rest of the spec).
func (s Scale) Set(path string, v any) Scale { return Scale{p: s.p, sets: appendSet(s.sets, path, v)} }

// Header is the header of a row, column or facet channel.
type Header struct {
	p    props
	sets []pathSet
}

func (h Header) with(key string, v any) Header { return Header{p: h.p.with(key, v), sets: h.sets} }
func (h Header) specValue() any                { return buildObject(h.p, h.sets) }

// Set sets any header property by path (validated with the rest of the spec).
func (h Header) Set(path string, v any) Header {
	return Header{p: h.p, sets: appendSet(h.sets, path, v)}
}

// BinParams are binning parameters (maxbins, step, extent, ...), for Enc.Bin and the Bin
// transform. The zero value bins with defaults.
type BinParams struct {
	p    props
	sets []pathSet
}

func (b BinParams) with(key string, v any) BinParams {
	return BinParams{p: b.p.with(key, v), sets: b.sets}
}
func (b BinParams) specValue() any { return buildObject(b.p, b.sets) }

// Set sets any bin parameter by path (validated with the rest of the spec).
func (b BinParams) Set(path string, v any) BinParams {
	return BinParams{p: b.p, sets: appendSet(b.sets, path, v)}
}

// TitleParams is a title with its style (for Chart.Title): the text, subtitle, anchor, font, ...
type TitleParams struct {
	p    props
	sets []pathSet
}

// NewTitle returns a title with the given text (a string or a []string of lines).
func NewTitle(text any) TitleParams { return TitleParams{p: props{"text": text}} }

func (t TitleParams) with(key string, v any) TitleParams {
	return TitleParams{p: t.p.with(key, v), sets: t.sets}
}
func (t TitleParams) specValue() any { return buildObject(t.p, t.sets) }

// Set sets any title property by path (validated with the rest of the spec).
func (t TitleParams) Set(path string, v any) TitleParams {
	return TitleParams{p: t.p, sets: appendSet(t.sets, path, v)}
}

// Config is the configuration of a top-level chart: default properties of axes, marks,
// legends, titles, the view, ranges (colour schemes), ... Object-valued settings take the
// matching builder value or a map, e.g. Config{}.Axis(Axis{}.LabelFontSize(12)).
type Config struct {
	p    props
	sets []pathSet
}

func (c Config) with(key string, v any) Config { return Config{p: c.p.with(key, v), sets: c.sets} }
func (c Config) specValue() any                { return buildObject(c.p, c.sets) }

// Set sets any configuration property by path (validated with the rest of the spec).
func (c Config) Set(path string, v any) Config {
	return Config{p: c.p, sets: appendSet(c.sets, path, v)}
}
