package vegalite

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// validateCase is a spec and the exact problems (Problem.String) expected.
type validateCase struct {
	name string
	spec string
	want []string
}

// validateProblems validates spec text and returns the problems as strings.
func validateProblems(t *testing.T, spec string) []string {
	t.Helper()
	err := Validate([]byte(spec))
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate returned %T, want *ValidationError: %v", err, err)
	}
	if len(ve.Problems) == 0 {
		t.Fatalf("ValidationError without problems")
	}
	var out []string
	for _, p := range ve.Problems {
		if strings.Contains(p.Message, "\n") || strings.Contains(p.Path, "\n") {
			t.Errorf("problem is not one line: %q", p.String())
		}
		out = append(out, p.String())
	}
	return out
}

func runValidateCases(t *testing.T, cases []validateCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := validateProblems(t, tc.spec)
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems of %s\n got: %s\nwant: %s", tc.spec, strings.Join(got, "\n      "), strings.Join(tc.want, "\n      "))
			}
		})
	}
}

// validateUnitSpec wraps encoding and other top-level properties in a unit spec
// with small inline data having the fields a, b and c.
func validateUnitSpec(rest string) string {
	return `{"data": {"values": [{"a": 1, "b": "x", "c": 2}, {"a": 2, "b": "y", "c": 3}]}, ` + rest + `}`
}

func TestValidateTypos(t *testing.T) {
	runValidateCases(t, []validateCase{
		{"top level", validateUnitSpec(`"mark": "bar", "titel": "Hi"`),
			[]string{`/: unknown property "titel" (did you mean "title"?)`}},
		{"top level no close name", validateUnitSpec(`"mark": "bar", "zzzzzz": 1`),
			[]string{`/: unknown property "zzzzzz"; valid properties: $schema, align, autosize, background, bounds, center, config, data, datasets, description, encoding, height, mark, name, padding, ... (9 more)`}},
		{"mark object", validateUnitSpec(`"mark": {"type": "bar", "colr": "red"}`),
			[]string{`/mark: unknown property "colr" (did you mean "color"?)`}},
		{"encoding channel", validateUnitSpec(`"mark": "bar", "encoding": {"colour": {"field": "b", "type": "nominal"}}`),
			[]string{`/encoding: unknown property "colour" (did you mean "color"?)`}},
		{"channel def", validateUnitSpec(`"mark": "bar", "encoding": {"x": {"feild": "a", "type": "quantitative"}}`),
			[]string{`/encoding/x: unknown property "feild" (did you mean "field"?)`}},
		{"channel def in array", validateUnitSpec(`"mark": "bar", "encoding": {"tooltip": [{"field": "a"}, {"field": "b", "tpye": "nominal"}]}`),
			[]string{`/encoding/tooltip/1: unknown property "tpye" (did you mean "type"?)`}},
		{"scale", validateUnitSpec(`"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative", "scale": {"zeroo": false}}}`),
			[]string{`/encoding/x/scale: unknown property "zeroo" (did you mean "zero"?)`}},
		{"axis", validateUnitSpec(`"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative", "axis": {"labelAngel": 45}}}`),
			[]string{`/encoding/x/axis: unknown property "labelAngel" (did you mean "labelAngle"?)`}},
		{"legend", validateUnitSpec(`"mark": "bar", "encoding": {"color": {"field": "b", "type": "nominal", "legend": {"titel": "B"}}}`),
			[]string{`/encoding/color/legend: unknown property "titel" (did you mean "title"?)`}},
		{"condition", validateUnitSpec(`"mark": "bar", "params": [{"name": "p", "select": "point"}], "encoding": {"color": {"condition": {"param": "p", "value": "red", "emtpy": false}, "value": "grey"}}`),
			[]string{`/encoding/color/condition: unknown property "emtpy" (did you mean "empty"?)`}},
		{"transform discriminator", validateUnitSpec(`"mark": "bar", "transform": [{"calculat": "datum.a * 2", "as": "d"}]`),
			[]string{`/transform/0: unknown property "calculat" (did you mean "calculate"?)`}},
		{"transform property", validateUnitSpec(`"mark": "bar", "transform": [{"stack": "a", "groupby": [], "as": "s", "offest": "zero"}]`),
			[]string{`/transform/0: unknown property "offest" (did you mean "offset"?)`}},
		{"transform unknown kind", validateUnitSpec(`"mark": "bar", "transform": [{"foo": 1}]`),
			[]string{`/transform/0: unknown property "foo"; expected an object with one of aggregate, bin, calculate, density, extent, filter, flatten, fold, impute, joinaggregate, loess, lookup, pivot, quantile, regression, sample, stack, timeUnit, window`}},
		{"window sort", validateUnitSpec(`"mark": "bar", "transform": [{"window": [{"op": "rank", "as": "r"}], "sort": [{"field": "a", "ordr": "ascending"}]}]`),
			[]string{`/transform/0/sort/0: unknown property "ordr" (did you mean "order"?)`}},
		{"lookup from", validateUnitSpec(`"mark": "bar", "transform": [{"lookup": "a", "from": {"data": {"values": [{"a": 1, "d": 2}]}, "key": "a", "feilds": ["d"]}}]`),
			[]string{`/transform/0/from: unknown property "feilds" (did you mean "fields"?)`}},
		{"params", validateUnitSpec(`"mark": "bar", "params": [{"name": "p", "selec": "point"}]`),
			[]string{`/params/0: unknown property "selec" (did you mean "select"?)`}},
		{"select", validateUnitSpec(`"mark": "bar", "params": [{"name": "p", "select": {"type": "interval", "encodigs": ["x"]}}]`),
			[]string{`/params/0/select: unknown property "encodigs" (did you mean "encodings"?)`}},
		{"bind", validateUnitSpec(`"mark": "bar", "params": [{"name": "p", "select": {"type": "point", "fields": ["a"]}, "bind": {"inptu": "range"}}]`),
			[]string{`/params/0/bind: unknown property "inptu" (did you mean "input"?)`}},
		{"bind of variable param", validateUnitSpec(`"mark": "bar", "params": [{"name": "p", "value": 1, "bind": {"input": "range", "mn": 0}}]`),
			[]string{`/params/0/bind: unknown property "mn" (did you mean "min"?)`}},
		{"config", validateUnitSpec(`"mark": "bar", "config": {"vieww": {"stroke": null}}`),
			[]string{`/config: unknown property "vieww" (did you mean "view"?)`}},
		{"config nested", validateUnitSpec(`"mark": "bar", "config": {"axis": {"gridd": false}, "mark": {"colour": "red"}}`),
			[]string{`/config/axis: unknown property "gridd" (did you mean "grid"?)`, `/config/mark: unknown property "colour" (did you mean "color"?)`}},
		{"title object", validateUnitSpec(`"mark": "bar", "title": {"txt": "Hi"}`),
			[]string{`/title: unknown property "txt" (did you mean "text"?)`}},
		{"data", `{"data": {"valeus": [{"a": 1}]}, "mark": "bar"}`,
			[]string{`/data: unknown property "valeus" (did you mean "values"?)`}},
		{"layer child", `{"data": {"values": [{"a": 1}]}, "layer": [{"mark": "bar"}, {"mark": "rule", "encodng": {}}]}`,
			[]string{`/layer/1: unknown property "encodng" (did you mean "encoding"?)`}},
		{"layer child mark", `{"data": {"values": [{"a": 1}]}, "layer": [{"mark": {"type": "rule", "sizee": 2}}]}`,
			[]string{`/layer/0/mark: unknown property "sizee" (did you mean "size"?)`}},
		{"hconcat child", `{"data": {"values": [{"a": 1}]}, "hconcat": [{"mark": "bar", "encoding": {"x": {"field": "a", "typ": "quantitative"}}}]}`,
			[]string{`/hconcat/0/encoding/x: unknown property "typ" (did you mean "type"?)`}},
		{"vconcat child", `{"data": {"values": [{"a": 1}]}, "vconcat": [{"mark": "bar", "widht": 100}]}`,
			[]string{`/vconcat/0: unknown property "widht" (did you mean "width"?)`}},
		{"concat", `{"data": {"values": [{"a": 1}]}, "concat": [{"mark": "bar"}], "colums": 2}`,
			[]string{`/: unknown property "colums" (did you mean "columns"?)`}},
		{"facet mapping", `{"data": {"values": [{"a": 1}]}, "facet": {"colum": {"field": "a", "type": "nominal"}}, "spec": {"mark": "bar"}}`,
			[]string{`/facet: unknown property "colum" (did you mean "column"?)`}},
		{"facet field def", `{"data": {"values": [{"a": 1}]}, "facet": {"column": {"field": "a", "typ": "nominal"}}, "spec": {"mark": "bar"}}`,
			[]string{`/facet/column: unknown property "typ" (did you mean "type"?)`}},
		{"facet inner spec", `{"data": {"values": [{"a": 1}]}, "facet": {"row": {"field": "a", "type": "nominal"}}, "spec": {"mark": "bar", "encodign": {}}}`,
			[]string{`/spec: unknown property "encodign" (did you mean "encoding"?)`}},
		{"repeat", `{"data": {"values": [{"a": 1}]}, "repeat": {"rows": ["a"]}, "spec": {"mark": "bar"}}`,
			[]string{`/repeat: unknown property "rows" (did you mean "row"?)`}},
		{"repeat inner spec", `{"data": {"values": [{"a": 1}]}, "repeat": ["a"], "spec": {"mark": "bar", "encoding": {"x": {"field": {"repeat": "repeat"}, "type": "quantitative", "axsi": {}}}}}`,
			[]string{`/spec/encoding/x: unknown property "axsi" (did you mean "axis"?)`}},
		{"several problems sorted by path", validateUnitSpec(`"titel": "x", "mark": {"type": "bar", "colr": "red"}, "encoding": {"x": {"feild": "a"}}`),
			[]string{
				`/: unknown property "titel" (did you mean "title"?)`,
				`/encoding/x: unknown property "feild" (did you mean "field"?)`,
				`/mark: unknown property "colr" (did you mean "color"?)`,
			}},
	})
}

func TestValidateWrongValues(t *testing.T) {
	runValidateCases(t, []validateCase{
		{"encoding type", validateUnitSpec(`"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitive"}}`),
			[]string{`/encoding/x/type: "quantitive" is not one of quantitative, ordinal, temporal, nominal (did you mean "quantitative"?)`}},
		{"encoding type, no close value", validateUnitSpec(`"mark": "bar", "encoding": {"x": {"field": "a", "type": "number"}}`),
			[]string{`/encoding/x/type: "number" is not one of quantitative, ordinal, temporal, nominal`}},
		{"mark string", validateUnitSpec(`"mark": "lines"`),
			[]string{`/mark: "lines" is not a valid mark (did you mean "line"?); one of arc, area, bar, image, line, point, rect, rule, text, tick, trail, circle, square, geoshape, boxplot, errorbar, errorband`}},
		{"mark type", validateUnitSpec(`"mark": {"type": "lines"}`),
			[]string{`/mark/type: "lines" is not a valid mark (did you mean "line"?); one of arc, area, bar, image, line, point, rect, rule, text, tick, trail, circle, square, geoshape, boxplot, errorbar, errorband`}},
		{"mark type with a property only marks have", validateUnitSpec(`"mark": {"type": "lines", "tooltip": true}`),
			[]string{`/mark/type: "lines" is not a valid mark (did you mean "line"?); one of arc, area, bar, image, line, point, rect, rule, text, tick, trail, circle, square, geoshape`}},
		{"mark wrong type", validateUnitSpec(`"mark": 5`),
			[]string{`/mark: expected "boxplot", "errorbar", "errorband", {"type": ...} or "arc", "area", ... (14 values), got 5`}},
		{"width", validateUnitSpec(`"mark": "bar", "width": "wide"`),
			[]string{`/width: expected a number, "container" or {"step": ...}, got "wide"`}},
		{"width typo", validateUnitSpec(`"mark": "bar", "width": "containr"`),
			[]string{`/width: expected a number, "container" or {"step": ...}, got "containr" (did you mean "container"?)`}},
		{"width step typo", validateUnitSpec(`"mark": "bar", "width": {"stp": 20}`),
			[]string{`/width: unknown property "stp" (did you mean "step"?)`}},
		{"height step type", validateUnitSpec(`"mark": "bar", "height": {"step": "x"}`),
			[]string{`/height/step: expected a number, got "x"`}},
		{"mark property", validateUnitSpec(`"mark": {"type": "bar", "opacity": "high"}`),
			[]string{`/mark/opacity: expected a number or {"expr": ...}, got "high"`}},
		{"boolean", validateUnitSpec(`"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative", "axis": {"grid": "no"}}}`),
			[]string{`/encoding/x/axis/grid: expected true/false, got "no"`}},
		{"bin", validateUnitSpec(`"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative", "bin": "yes"}}`),
			[]string{`/encoding/x/bin: expected true/false, an object, "binned" or null, got "yes"`}},
		{"scale type", validateUnitSpec(`"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative", "scale": {"type": "lg"}}}`),
			[]string{`/encoding/x/scale/type: "lg" is not a valid scale type (did you mean "log"?); one of linear, log, pow, sqrt, symlog, identity, sequential, time, utc, quantile, quantize, threshold, bin-ordinal, ordinal, point, band`}},
		{"legend orient", validateUnitSpec(`"mark": "bar", "encoding": {"color": {"field": "b", "type": "nominal", "legend": {"orient": "rigth"}}}`),
			[]string{`/encoding/color/legend/orient: "rigth" is not one of none, left, right, top, bottom, top-left, top-right, bottom-left, bottom-right (did you mean "right"?)`}},
		{"aggregate op", validateUnitSpec(`"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative", "aggregate": "meen"}}`),
			[]string{`/encoding/x/aggregate: "meen" is not a valid operation (did you mean "mean"?); one of average, count, distinct, max, mean, median, min, missing, product, q1, q3, ci0, ci1, stderr, stdev, stdevp, sum, valid, values, variance, variancep, exponential, exponentialb`}},
		{"select type", validateUnitSpec(`"mark": "bar", "params": [{"name": "p", "select": "intervl"}]`),
			[]string{`/params/0/select: "intervl" is not one of point, interval (did you mean "interval"?)`}},
		{"resolve", validateUnitSpec(`"mark": "bar", "resolve": {"scale": {"x": "indepedent"}}`),
			[]string{`/resolve/scale/x: "indepedent" is not one of independent, shared (did you mean "independent"?)`}},
		{"long enum", validateUnitSpec(`"mark": "bar", "encoding": {"color": {"field": "b", "type": "nominal", "scale": {"scheme": "bleus"}}}`),
			[]string{`/encoding/color/scale/scheme: "bleus" is not an allowed value (did you mean "blues"?); one of turbo, viridis, inferno, magma, plasma, cividis, bluegreen, bluegreen-3, bluegreen-4, bluegreen-5, bluegreen-6, bluegreen-7, bluegreen-8, bluegreen-9, bluepurple, bluepurple-3, bluepurple-4, bluepurple-5, bluepurple-6, bluepurple-7, bluepurple-8, bluepurple-9, goldgreen, goldgreen-3, ... (309 more)`}},
		{"color value", validateUnitSpec(`"mark": "bar", "encoding": {"color": {"value": 5}}`),
			[]string{`/encoding/color/value: expected {"gradient": ..., "stops": ...}, a string, null or {"expr": ...}, got 5`}},
		{"missing required in transform", validateUnitSpec(`"mark": "bar", "transform": [{"calculate": "datum.a * 2"}]`),
			[]string{`/transform/0: calculate needs "as"`}},
		{"missing required in aggregate op", validateUnitSpec(`"mark": "bar", "transform": [{"aggregate": [{"op": "sum", "field": "a"}], "groupby": ["b"]}]`),
			[]string{`/transform/0/aggregate/0: op needs "as"`}},
		{"missing required at top", `{"mark": "bar"}`,
			[]string{`/: missing required property "data"`}},
		{"not an object", `[1, 2]`,
			[]string{`/: expected {"data": ..., "mark": ...}, {"data": ..., "facet": ..., "spec": ...}, {"layer": ...}, {"repeat": ..., "spec": ...}, {"concat": ...}, {"vconcat": ...} or {"hconcat": ...}, got an array`}},
		{"data array", `{"data": [{"a": 1}], "mark": "bar"}`,
			[]string{`/data: expected {"url": ...}, {"values": ...}, {"name": ...}, {"sequence": ...}, {"sphere": ...}, {"graticule": ...} or null, got an array`}},
	})
}

func TestValidateBindings(t *testing.T) {
	runValidateCases(t, []validateCase{
		{"scales on point", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "select": "point", "bind": "scales"}]`),
			[]string{`/params/0/bind: "scales" binding needs an interval selection; use "select": "interval"`}},
		{"legend on interval", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "select": "interval", "bind": "legend"}]`),
			[]string{`/params/0/bind: legend binding needs a point selection; use "select": {"type": "point", "fields": [...]}`}},
		{"legend stream on interval", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "select": {"type": "interval"}, "bind": {"legend": "dblclick"}}]`),
			[]string{`/params/0/bind: legend binding needs a point selection; use "select": {"type": "point", "fields": [...]}`}},
		{"legend without projection", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "select": {"type": "point"}, "bind": "legend"}]`),
			[]string{`/params/0/bind: legend binding needs a selection over exactly one field or encoding; set "fields": ["<field>"] or "encodings": ["color"] in "select"`}},
		{"legend with two fields", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "select": {"type": "point", "fields": ["a", "b"]}, "bind": "legend"}]`),
			[]string{`/params/0/bind: legend binding needs a selection over exactly one field or encoding; set "fields": ["<field>"] or "encodings": ["color"] in "select"`}},
		{"input on interval", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "select": "interval", "bind": {"input": "range"}}]`),
			[]string{`/params/0/bind: interval selections cannot be bound to input elements; use "bind": "scales", or a point selection`}},
		{"input on point without fields", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "select": "point", "bind": {"input": "range"}}]`),
			[]string{`/params/0/bind: a point selection bound to input elements needs "fields" or "encodings" in "select" to say what the inputs set`}},
		{"binding map key not projected", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "select": {"type": "point", "fields": ["a", "b"]}, "bind": {"a": {"input": "range"}, "bb": {"input": "text"}}}]`),
			[]string{`/params/0/bind/bb: binding for "bb", which is not a field or encoding of the selection (did you mean "b"?); selection projects: a, b`}},
		{"select input without options", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "value": "x", "bind": {"input": "select"}}]`),
			[]string{`/params/0/bind: "select" input needs "options": [...], the values to choose from`}},
		{"radio input without options in map", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "select": {"type": "point", "fields": ["b"]}, "bind": {"b": {"input": "radio"}}}]`),
			[]string{`/params/0/bind/b: "radio" input needs "options": [...], the values to choose from`}},
		{"variable param scales binding (schema)", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "value": 1, "bind": "scales"}]`),
			[]string{`/params/0/bind: expected {"input": ...}, {"input": ..., "options": ...}, an object or {"element": ...}, got "scales"`}},
	})
}

func TestValidateUndefinedParams(t *testing.T) {
	runValidateCases(t, []validateCase{
		{"condition", validateUnitSpec(`"mark": "bar", "params": [{"name": "sel", "select": "point"}], "encoding": {"color": {"condition": {"param": "sle", "value": "red"}, "value": "grey"}}`),
			[]string{`/encoding/color/condition/param: param "sle" is not defined (did you mean "sel"?); params: sel`}},
		{"condition array", validateUnitSpec(`"mark": "bar", "params": [{"name": "sel", "select": "point"}], "encoding": {"opacity": {"condition": [{"param": "sel", "value": 1}, {"param": "other", "value": 0.5}], "value": 0.2}}`),
			[]string{`/encoding/opacity/condition/1/param: param "other" is not defined; params: sel`}},
		{"filter", validateUnitSpec(`"mark": "bar", "transform": [{"filter": {"param": "brush"}}]`),
			[]string{`/transform/0/filter/param: param "brush" is not defined; add {"name": "brush", ...} to "params"`}},
		{"filter in logical composition", validateUnitSpec(`"mark": "bar", "params": [{"name": "brush", "select": "interval"}], "transform": [{"filter": {"and": [{"param": "brush"}, {"not": {"param": "bruhs"}}]}}]`),
			[]string{`/transform/0/filter/and/1/not/param: param "bruhs" is not defined (did you mean "brush"?); params: brush`}},
		{"scale domain", validateUnitSpec(`"mark": "bar", "params": [{"name": "brush", "select": "interval"}], "encoding": {"x": {"field": "a", "type": "quantitative", "scale": {"domain": {"param": "brsh"}}}}`),
			[]string{`/encoding/x/scale/domain/param: param "brsh" is not defined (did you mean "brush"?); params: brush`}},
		{"lookup selection", validateUnitSpec(`"mark": "bar", "transform": [{"lookup": "a", "from": {"param": "pick", "key": "a"}, "as": "picked"}]`),
			[]string{`/transform/0/from/param: param "pick" is not defined; add {"name": "pick", ...} to "params"`}},
		{"calculate expression", validateUnitSpec(`"mark": "bar", "params": [{"name": "threshold", "value": 5}], "transform": [{"calculate": "datum.a > treshold ? 1 : 0", "as": "d"}]`),
			[]string{`/transform/0/calculate: unknown name "treshold" in expression (did you mean param "threshold"?)`}},
		{"filter expression", validateUnitSpec(`"mark": "bar", "transform": [{"filter": "datum.a > limit"}]`),
			[]string{`/transform/0/filter: unknown name "limit" in expression; use datum["limit"] for a data field, or define a param named "limit"`}},
		{"filter expression in or", validateUnitSpec(`"mark": "bar", "transform": [{"filter": {"or": ["datum.a > 1", "dataum.c < 2"]}}]`),
			[]string{`/transform/0/filter/or/1: unknown name "dataum" in expression (did you mean "datum"?)`}},
		{"test expression", validateUnitSpec(`"mark": "bar", "encoding": {"opacity": {"condition": {"test": "datum.a > lim", "value": 1}, "value": 0.3}}`),
			[]string{`/encoding/opacity/condition/test: unknown name "lim" in expression; use datum["lim"] for a data field, or define a param named "lim"`}},
		{"ExprRef", validateUnitSpec(`"mark": {"type": "bar", "opacity": {"expr": "opac"}}`),
			[]string{`/mark/opacity/expr: unknown name "opac" in expression; use datum["opac"] for a data field, or define a param named "opac"`}},
		{"param expr", validateUnitSpec(`"mark": "bar", "params": [{"name": "double", "expr": "base * 2"}, {"name": "bias", "value": 1}]`),
			[]string{`/params/0/expr: unknown name "base" in expression; use datum["base"] for a data field, or define a param named "base"`}},
		{"unknown function", validateUnitSpec(`"mark": "bar", "transform": [{"calculate": "foramt(datum.a, '.2f')", "as": "d"}]`),
			[]string{`/transform/0/calculate: unknown function "foramt" in expression (did you mean "format"?)`}},
		{"param defined in another view", `{"data": {"values": [{"a": 1}]}, "hconcat": [
			{"mark": "point", "params": [{"name": "pick", "select": "point"}], "encoding": {"x": {"field": "a", "type": "quantitative"}}},
			{"mark": "bar", "transform": [{"filter": {"param": "pick"}}], "encoding": {"x": {"field": "a", "type": "quantitative"}, "color": {"condition": {"param": "pickk", "value": "red"}, "value": "blue"}}}]}`,
			[]string{`/hconcat/1/encoding/color/condition/param: param "pickk" is not defined (did you mean "pick"?); params: pick`}},
		{"expressions that are fine", validateUnitSpec(`"mark": "bar", "params": [{"name": "brush", "select": "interval"}, {"name": "k", "value": 2}],
			"transform": [{"calculate": "datum['a'] * k + PI + width + brush_x + length(datum.b) + (datum.a > 1 ? k : -k) + {key: 1}.key + test(/a+b/i, datum.b) + \"str with unknown\"", "as": "d"}]`),
			nil},
	})
}

func TestValidateUnknownFields(t *testing.T) {
	stocks := `"data": {"values": [{"date": "2020-01-01", "price": 1, "symbol": "A"}, {"date": "2020-02-01", "price": 2, "symbol": "B"}]}`
	runValidateCases(t, []validateCase{
		{"encoding field", `{` + stocks + `, "mark": "line", "encoding": {"x": {"field": "date", "type": "temporal"}, "y": {"field": "prise", "type": "quantitative"}}}`,
			[]string{`/encoding/y/field: field "prise" is not in the data (did you mean "price"?); fields: date, price, symbol`}},
		{"condition field", validateUnitSpec(`"mark": "bar", "params": [{"name": "s", "select": "point"}], "encoding": {"color": {"condition": {"param": "s", "field": "bb", "type": "nominal"}, "value": "grey"}}`),
			[]string{`/encoding/color/condition/field: field "bb" is not in the data (did you mean "b"?); fields: a, b, c`}},
		{"tooltip array and sort field", validateUnitSpec(`"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative", "sort": {"field": "cc", "op": "sum"}}, "tooltip": [{"field": "a"}, {"field": "d"}]}`),
			[]string{
				`/encoding/tooltip/1/field: field "d" is not in the data; fields: a, b, c`,
				`/encoding/x/sort/field: field "cc" is not in the data (did you mean "c"?); fields: a, b, c`,
			}},
		{"argmax", validateUnitSpec(`"mark": "bar", "encoding": {"y": {"field": "b", "aggregate": {"argmax": "aa"}, "type": "nominal"}}`),
			[]string{`/encoding/y/aggregate/argmax: field "aa" is not in the data (did you mean "a"?); fields: a, b, c`}},
		{"count needs no field", validateUnitSpec(`"mark": "bar", "encoding": {"x": {"aggregate": "count", "type": "quantitative"}, "y": {"field": "b", "type": "nominal"}}`), nil},
		{"facet operator", validateUnitSpec(`"facet": {"row": {"field": "e", "type": "nominal"}}, "spec": {"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative"}}}`),
			[]string{`/facet/row/field: field "e" is not in the data; fields: a, b, c`}},
		{"facet channel", validateUnitSpec(`"mark": "bar", "encoding": {"column": {"field": "bee", "type": "nominal"}}`),
			[]string{`/encoding/column/field: field "bee" is not in the data; fields: a, b, c`}},
		{"inherited by layer", validateUnitSpec(`"layer": [{"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative"}}}, {"mark": "rule", "encoding": {"x": {"field": "aa", "type": "quantitative"}}}]`),
			[]string{`/layer/1/encoding/x/field: field "aa" is not in the data (did you mean "a"?); fields: a, b, c`}},
		{"inherited by concat and repeat skipped", validateUnitSpec(`"vconcat": [{"repeat": ["a", "c"], "spec": {"mark": "bar", "encoding": {"x": {"field": {"repeat": "repeat"}, "type": "quantitative"}, "y": {"field": "z", "type": "nominal"}}}}]`),
			[]string{`/vconcat/0/spec/encoding/y/field: field "z" is not in the data; fields: a, b, c`}},
		{"transform input", validateUnitSpec(`"mark": "bar", "transform": [{"bin": true, "field": "aa", "as": "binned"}, {"aggregate": [{"op": "sum", "field": "c", "as": "total"}], "groupby": ["b", "x"]}]`),
			[]string{
				`/transform/0/field: field "aa" is not in the data (did you mean "a"?); fields: a, b, c`,
				`/transform/1/groupby/1: field "x" is not in the data; fields: a, b, binned, binned_end, c`,
			}},
		{"aggregate drops fields", validateUnitSpec(`"transform": [{"aggregate": [{"op": "sum", "field": "a", "as": "total"}], "groupby": ["b"]}], "mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative"}}`),
			[]string{`/encoding/x/field: field "a" is not in the data; fields: b, total`}},
		{"fold outputs", validateUnitSpec(`"transform": [{"fold": ["a", "c"]}], "mark": "bar", "encoding": {"x": {"field": "key", "type": "nominal"}, "y": {"field": "vlaue", "type": "quantitative"}}`),
			[]string{`/encoding/y/field: field "vlaue" is not in the data (did you mean "value"?); fields: a, b, c, key, value`}},
		{"density outputs", validateUnitSpec(`"transform": [{"density": "a"}], "mark": "area", "encoding": {"x": {"field": "value", "type": "quantitative"}, "y": {"field": "density", "type": "quantitative"}, "color": {"field": "b", "type": "nominal"}}`),
			[]string{`/encoding/color/field: field "b" is not in the data; fields: density, value`}},
		{"window sort and filter predicate", validateUnitSpec(`"transform": [{"window": [{"op": "rank", "as": "r"}], "sort": [{"field": "cc"}]}, {"filter": {"field": "rr", "lt": 3}}], "mark": "bar"`),
			[]string{
				`/transform/0/sort/0/field: field "cc" is not in the data (did you mean "c"?); fields: a, b, c`,
				`/transform/1/filter/field: field "rr" is not in the data (did you mean "r"?); fields: a, b, c, r`,
			}},
		{"lookup key in other data", validateUnitSpec(`"transform": [{"lookup": "b", "from": {"data": {"values": [{"id": "x", "v": 1}]}, "key": "idd", "fields": ["v"]}}], "mark": "bar", "encoding": {"x": {"field": "v", "type": "quantitative"}}`),
			[]string{`/transform/0/from/key: field "idd" is not in the data (did you mean "id"?); fields: id, v`}},
		{"pivot stops checking", validateUnitSpec(`"transform": [{"pivot": "b", "value": "a"}], "mark": "bar", "encoding": {"x": {"field": "anything", "type": "quantitative"}}`), nil},
		{"url data not checked", `{"data": {"url": "data/cars.json"}, "mark": "bar", "encoding": {"x": {"field": "anything", "type": "quantitative"}}}`, nil},
		{"datasets", `{"datasets": {"d": [{"k": 1}]}, "data": {"name": "d"}, "mark": "bar", "encoding": {"x": {"field": "kk", "type": "quantitative"}}}`,
			[]string{`/encoding/x/field: field "kk" is not in the data (did you mean "k"?); fields: k`}},
		{"csv text", `{"data": {"values": "k,v\n1,2\n", "format": {"type": "csv"}}, "mark": "bar", "encoding": {"x": {"field": "w", "type": "quantitative"}}}`,
			[]string{`/encoding/x/field: field "w" is not in the data; fields: k, v`}},
		{"primitive rows", `{"data": {"values": [1, 2, 3]}, "mark": "tick", "encoding": {"x": {"field": "data", "type": "quantitative"}, "y": {"field": "value", "type": "quantitative"}}}`,
			[]string{`/encoding/y/field: field "value" is not in the data; fields: data`}},
		{"nested fields", `{"data": {"values": [{"pos": {"x": 1}, "a.b": 2}]}, "mark": "point", "encoding": {"x": {"field": "pos.x", "type": "quantitative"}, "y": {"field": "a\\.b", "type": "quantitative"}, "size": {"field": "poss.x", "type": "quantitative"}}}`,
			[]string{`/encoding/size/field: field "poss.x" is not in the data (did you mean "pos"?); fields: a.b, pos`}},
		{"unescaped dot", `{"data": {"values": [{"a.b": 2}]}, "mark": "point", "encoding": {"x": {"field": "a.b", "type": "quantitative"}}}`,
			[]string{`/encoding/x/field: field "a.b" reads the nested field "b" of "a", which is not in the data; to use the field named "a.b" escape the dots: "a\\.b"`}},
		{"selection fields", validateUnitSpec(`"mark": "point", "params": [{"name": "p", "select": {"type": "point", "fields": ["bb"]}}]`),
			[]string{`/params/0/select/fields/0: field "bb" is not in the data (did you mean "b"?); fields: a, b, c`}},
		{"shared layer encoding sees fields made in layers", validateUnitSpec(`"encoding": {"y": {"field": "d", "type": "quantitative"}}, "layer": [{"transform": [{"calculate": "datum.a * 2", "as": "d"}], "mark": "point"}]`), nil},
	})
}

func TestValidateBrokenJSON(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"bad key", "{\n  \"mark\": \"bar\",\n  \"encoding\": {,}\n}",
			`/: invalid JSON at line 3, column 16: invalid character ',' looking for beginning of object key string`},
		{"missing comma", "{\"mark\": \"bar\"\n \"width\": 3}",
			`/: invalid JSON at line 2, column 2: invalid character '"' after object key:value pair`},
		{"truncated", "{\n  \"mark\": \"bar\",\n  \"data\": {\"values\": [1, 2",
			`/: invalid JSON at line 3, column 26: unexpected end of JSON input`},
		{"trailing data", "{\"mark\": \"bar\"} x",
			`/: invalid JSON at line 1, column 17: invalid character 'x' after top-level value`},
		{"empty", "",
			`/: invalid JSON at line 1, column 1: unexpected end of JSON input`},
		{"multibyte column", "{\"title\": \"héllo\" \"x\"}",
			`/: invalid JSON at line 1, column 19: invalid character '"' after object key:value pair`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := validateProblems(t, tc.text)
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestValidateValidSpecs(t *testing.T) {
	for name, spec := range validateValidSpecs {
		t.Run(name, func(t *testing.T) {
			if got := validateProblems(t, spec); got != nil {
				t.Errorf("valid spec has problems:\n%s", strings.Join(got, "\n"))
			}
			var v any
			if err := json.Unmarshal([]byte(spec), &v); err != nil {
				t.Fatal(err)
			}
			if err := ValidateValue(v); err != nil {
				t.Errorf("ValidateValue: %v", err)
			}
		})
	}
}

// TestValidateFixtures checks the specs in testdata/invalid: each one lists
// the problems it must produce in usermeta.expect.
func TestValidateFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "invalid", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no fixtures in testdata/invalid")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var meta struct {
				Usermeta struct {
					Expect []string `json:"expect"`
				} `json:"usermeta"`
			}
			if err := json.Unmarshal(b, &meta); err != nil {
				t.Fatal(err)
			}
			if len(meta.Usermeta.Expect) == 0 {
				t.Fatal("fixture has no usermeta.expect")
			}
			got := validateProblems(t, string(b))
			if !slices.Equal(got, meta.Usermeta.Expect) {
				t.Errorf("\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(meta.Usermeta.Expect, "\n      "))
			}
		})
	}
}

func TestValidateErrorFormat(t *testing.T) {
	err := Validate([]byte(validateUnitSpec(`"mark": "lines", "titel": "x"`)))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %T %v, want *ValidationError", err, err)
	}
	want := `/: unknown property "titel" (did you mean "title"?)` + "\n" +
		`/mark: "lines" is not a valid mark (did you mean "line"?); one of arc, area, bar, image, line, point, rect, rule, text, tick, trail, circle, square, geoshape, boxplot, errorbar, errorband`
	if err.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", err.Error(), want)
	}
	p := Problem{Path: "/encoding/x/type", Message: `"quantitive" is not one of quantitative, ordinal, temporal, nominal`}
	if got := p.String(); got != `/encoding/x/type: "quantitive" is not one of quantitative, ordinal, temporal, nominal` {
		t.Errorf("Problem.String() = %q", got)
	}
	// A valid spec gives a nil error interface, not a typed nil.
	if err := Validate([]byte(validateUnitSpec(`"mark": "bar"`))); err != nil {
		t.Errorf("Validate(valid) = %v", err)
	}
	if err := ValidateValue(map[string]any{"data": map[string]any{"values": []any{}}, "mark": "bar"}); err != nil {
		t.Errorf("ValidateValue(valid) = %v", err)
	}
}

func TestValidateTreeSorted(t *testing.T) {
	var spec any
	if err := json.Unmarshal([]byte(`{"data": {"values": [{"a": 1}]}, "layer": [
		{"mark": "bar", "encoding": {"x": {"field": "z1", "type": "quantitative"}}},
		{"mark": "bar"}, {"mark": "bar"}, {"mark": "bar"}, {"mark": "bar"}, {"mark": "bar"},
		{"mark": "bar"}, {"mark": "bar"}, {"mark": "bar"}, {"mark": "bar"},
		{"mark": "bar", "encoding": {"x": {"field": "z10", "type": "quantitative"}}},
		{"mark": "bar", "encoding": {"x": {"field": "z2", "type": "quantitative"}}}]}`), &spec); err != nil {
		t.Fatal(err)
	}
	ps := validateTree(spec)
	var paths []string
	for _, p := range ps {
		paths = append(paths, p.Path)
	}
	want := []string{"/layer/0/encoding/x/field", "/layer/10/encoding/x/field", "/layer/11/encoding/x/field"}
	if !slices.Equal(paths, want) {
		t.Errorf("paths %q, want %q", paths, want)
	}
}

func TestValidateManyProblems(t *testing.T) {
	rows := make([]any, 300)
	for i := range rows {
		if i%2 == 0 {
			rows[i] = float64(i)
		} else {
			rows[i] = "x"
		}
	}
	spec := map[string]any{"data": map[string]any{"values": rows}, "mark": "tick"}
	ps := validateTree(spec)
	if len(ps) != chkMaxProblems+1 {
		t.Fatalf("got %d problems, want %d", len(ps), chkMaxProblems+1)
	}
	if first := ps[0].String(); first != `/data/values/1: expected a number, got "x"` {
		t.Errorf("first problem %q", first)
	}
	if last := ps[len(ps)-1].String(); last != "/: 50 more problems not shown" {
		t.Errorf("last problem %q", last)
	}
}

func TestValidateValueConversions(t *testing.T) {
	type row struct {
		Name  string  `json:"name"`
		Value float64 `json:"value"`
	}
	spec := map[string]any{
		"data": map[string]any{"values": []row{{"a", 1}, {"b", 2}}},
		"mark": "bar",
		"encoding": map[string]map[string]any{
			"x": {"field": "name", "type": "nominal"},
			"y": {"field": "value", "type": "quantitative", "axis": map[string]any{"tickCount": 5}},
		},
		"width":  300,
		"height": json.Number("200"),
	}
	if err := ValidateValue(spec); err != nil {
		t.Errorf("ValidateValue(typed values) = %v", err)
	}
	spec["encoding"].(map[string]map[string]any)["y"]["field"] = "vale"
	err := ValidateValue(spec)
	want := `/encoding/y/field: field "vale" is not in the data (did you mean "value"?); fields: name, value`
	if err == nil || err.Error() != want {
		t.Errorf("ValidateValue(typo) = %v, want %s", err, want)
	}
	bad := map[string]any{"data": map[string]any{"values": []any{map[string]any{"a": math.NaN()}}}, "mark": "bar"}
	err = ValidateValue(bad)
	want = `/data/values/0/a: NaN is not a valid JSON number; use null for missing values`
	if err == nil || err.Error() != want {
		t.Errorf("ValidateValue(NaN) = %v, want %s", err, want)
	}
}

func TestValidateConcurrent(t *testing.T) {
	specs := []string{
		validateUnitSpec(`"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitive"}}`),
		validateValidSpecs["brush_overview"],
		validateUnitSpec(`"mark": "bar", "titel": "x"`),
	}
	want := make([]string, len(specs))
	for i, s := range specs {
		if err := Validate([]byte(s)); err != nil {
			want[i] = err.Error()
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*30)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				k := (g + i) % len(specs)
				got := ""
				if err := Validate([]byte(specs[k])); err != nil {
					got = err.Error()
				}
				if got != want[k] {
					errs <- got
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent Validate gave a different result: %s", e)
	}
	if want[1] != "" || want[0] == "" || want[2] == "" {
		t.Errorf("unexpected baseline results: %q", want)
	}
}

func TestValidateSuggest(t *testing.T) {
	cases := []struct {
		s     string
		cands []string
		want  string
	}{
		{"titel", []string{"title", "tile", "width"}, "title"},
		{"colour", []string{"color", "column"}, "color"},
		{"quantitive", []string{"quantitative", "ordinal"}, "quantitative"},
		{"Title", []string{"title"}, "title"},
		{"x", []string{"y"}, ""},
		{"temp", []string{"temporal"}, "temporal"},
		{"zzzz", []string{"width", "height"}, ""},
	}
	for _, tc := range cases {
		if got := chkSuggest(tc.s, tc.cands); got != tc.want {
			t.Errorf("chkSuggest(%q, %q) = %q, want %q", tc.s, tc.cands, got, tc.want)
		}
	}
	if d := chkEditDistance("tpye", "type"); d != 1 {
		t.Errorf("transposition distance = %d, want 1", d)
	}
}

func TestValidateExprIdents(t *testing.T) {
	cases := []struct {
		src  string
		want string
	}{
		{`datum.a + foo`, "datum foo"},
		{`format(datum['x y'], ".2f") + "bar baz"`, "format() datum"},
		{`a ? b : c`, "a b c"},
		{`{k: v, 'q': w}.k`, "v w"},
		{`test(/ab+c\/d/gi, s) / 2 / t`, "test() s t"},
		{`1e-5 + 0x1F + .5 + x2`, "x2"},
		{`event.item.datum.value && item().mark`, "event item()"},
	}
	for _, tc := range cases {
		var got []string
		for _, id := range semExprIdents(tc.src) {
			if id.call {
				got = append(got, id.name+"()")
			} else {
				got = append(got, id.name)
			}
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("semExprIdents(%q) = %q, want %q", tc.src, strings.Join(got, " "), tc.want)
		}
	}
}

// validateValidSpecs are realistic specs that must produce no problems.
// Each was also checked with vega-lite 5.23.0 and vega 5.33.1 (compiled and
// run headless without errors).
var validateValidSpecs = map[string]string{
	"bar_config": `{
  "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
  "description": "A bar chart with sorted bars, labels and custom axes.",
  "data": {"values": [
    {"fruit": "apple", "count": 28}, {"fruit": "banana", "count": 55},
    {"fruit": "cherry", "count": 43}, {"fruit": "date", "count": 91}
  ]},
  "mark": {"type": "bar", "cornerRadiusEnd": 3, "tooltip": true},
  "encoding": {
    "y": {"field": "fruit", "type": "nominal", "sort": "-x", "axis": {"title": null, "labelFontSize": 12}},
    "x": {"field": "count", "type": "quantitative", "scale": {"domain": [0, 100], "nice": true}, "axis": {"grid": false, "tickCount": 5}},
    "color": {"field": "fruit", "type": "nominal", "legend": {"orient": "bottom", "title": "Fruit"}, "scale": {"scheme": "tableau10"}}
  },
  "width": 300,
  "height": {"step": 24},
  "config": {"view": {"stroke": null}, "axis": {"labelColor": "#555"}, "legend": {"symbolType": "circle"}}
}`,
	"boxplot_csv": `{
  "data": {"values": "group,value\na,1\na,3\nb,2\nb,8\n", "format": {"type": "csv"}},
  "layer": [
    {"mark": {"type": "boxplot", "extent": "min-max"}, "encoding": {"x": {"field": "group", "type": "nominal"}, "y": {"field": "value", "type": "quantitative"}}},
    {"mark": {"type": "errorbar", "extent": "stdev"}, "encoding": {"x": {"field": "group", "type": "nominal"}, "y": {"field": "value", "type": "quantitative"}}}
  ]
}`,
	"brush_overview": `{
  "data": {"values": [
    {"date": "2020-01-01", "price": 10, "symbol": "A"}, {"date": "2020-02-01", "price": 12, "symbol": "A"},
    {"date": "2020-01-01", "price": 7, "symbol": "B"}, {"date": "2020-02-01", "price": 9, "symbol": "B"}
  ]},
  "vconcat": [
    {
      "width": 480,
      "mark": "area",
      "encoding": {
        "x": {"field": "date", "type": "temporal", "scale": {"domain": {"param": "brush"}}, "axis": {"title": ""}},
        "y": {"field": "price", "type": "quantitative"}
      }
    },
    {
      "width": 480,
      "height": 60,
      "mark": "point",
      "params": [{"name": "brush", "select": {"type": "interval", "encodings": ["x"]}}],
      "encoding": {
        "x": {"field": "date", "type": "temporal"},
        "y": {"field": "price", "type": "quantitative", "axis": {"tickCount": 3, "grid": false}},
        "color": {"condition": {"param": "brush", "field": "symbol", "type": "nominal"}, "value": "lightgray"},
        "opacity": {"condition": {"param": "brush", "empty": false, "value": 1}, "value": 0.4}
      }
    },
    {
      "transform": [{"filter": {"param": "brush"}}, {"aggregate": [{"op": "count", "as": "n"}], "groupby": ["symbol"]}],
      "mark": "bar",
      "encoding": {"x": {"field": "n", "type": "quantitative"}, "y": {"field": "symbol", "type": "nominal"}}
    }
  ]
}`,
	"count_sequence": `{
  "data": {"sequence": {"start": 0, "stop": 12.7, "step": 0.1, "as": "x"}},
  "transform": [{"calculate": "sin(datum.x)", "as": "sin"}, {"calculate": "cos(datum.x)", "as": "cos"}, {"fold": ["sin", "cos"]}],
  "mark": "line",
  "width": "container",
  "encoding": {
    "x": {"field": "x", "type": "quantitative"},
    "y": {"field": "value", "type": "quantitative"},
    "color": {"field": "key", "type": "nominal", "title": null},
    "detail": [{"field": "key"}],
    "order": {"field": "x"}
  }
}`,
	"facet": `{
  "data": {"values": [
    {"site": "North", "year": 1931, "variety": "Manchuria", "yield": 27.0},
    {"site": "North", "year": 1932, "variety": "Glabron", "yield": 33.5},
    {"site": "South", "year": 1931, "variety": "Manchuria", "yield": 48.9},
    {"site": "South", "year": 1932, "variety": "Glabron", "yield": 29.8}
  ]},
  "transform": [{"calculate": "datum.yield * 0.0272", "as": "tonnes"}],
  "facet": {"row": {"field": "site", "type": "ordinal", "header": {"labelAngle": 0}}, "column": {"field": "year", "type": "ordinal"}},
  "spec": {
    "width": 200,
    "mark": "bar",
    "encoding": {
      "x": {"field": "tonnes", "type": "quantitative", "aggregate": "sum"},
      "y": {"field": "variety", "type": "nominal", "sort": {"field": "yield", "op": "sum", "order": "descending"}},
      "color": {"field": "variety", "type": "nominal", "legend": null}
    }
  },
  "resolve": {"scale": {"x": "independent"}}
}`,
	"facet_channel": `{
  "data": {"values": [
    {"g": "a", "h": "x", "v": 1, "w": 2}, {"g": "b", "h": "y", "v": 3, "w": 1}
  ]},
  "mark": "point",
  "encoding": {
    "row": {"field": "g", "type": "nominal"},
    "column": {"field": "h", "type": "nominal", "sort": {"field": "v", "op": "max"}},
    "x": {"field": "v", "type": "quantitative"},
    "y": {"field": "w", "type": "quantitative"},
    "shape": {"field": "g", "type": "nominal"}
  }
}`,
	"layer_mean": `{
  "data": {"values": [
    {"month": "2021-01", "temp": 3.1, "city": "Oslo"}, {"month": "2021-02", "temp": 4.0, "city": "Oslo"},
    {"month": "2021-01", "temp": 10.2, "city": "Rome"}, {"month": "2021-02", "temp": 11.5, "city": "Rome"}
  ]},
  "encoding": {"color": {"field": "city", "type": "nominal"}},
  "layer": [
    {
      "mark": {"type": "line", "point": true},
      "encoding": {
        "x": {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": "Month"},
        "y": {"field": "temp", "type": "quantitative"}
      }
    },
    {
      "mark": {"type": "rule", "strokeDash": [4, 2]},
      "encoding": {"y": {"field": "temp", "type": "quantitative", "aggregate": "mean"}, "size": {"value": 2}}
    },
    {
      "transform": [{"aggregate": [{"op": "max", "field": "temp", "as": "hottest"}], "groupby": ["city"]}],
      "mark": {"type": "text", "dy": -8, "align": "left"},
      "encoding": {
        "y": {"field": "hottest", "type": "quantitative"},
        "text": {"field": "hottest", "type": "quantitative", "format": ".1f"}
      }
    }
  ]
}`,
	"legend_bind": `{
  "data": {"values": [
    {"year": 2000, "series": "Agriculture", "count": 100}, {"year": 2001, "series": "Agriculture", "count": 120},
    {"year": 2000, "series": "Mining", "count": 60}, {"year": 2001, "series": "Mining", "count": 45}
  ]},
  "params": [
    {"name": "industry", "select": {"type": "point", "fields": ["series"]}, "bind": "legend"},
    {"name": "pick", "select": {"type": "point", "fields": ["year"]}, "bind": {"input": "range", "min": 2000, "max": 2001, "step": 1}},
    {"name": "hover", "select": {"type": "point", "on": "pointerover", "clear": "pointerout", "encodings": ["color"]}}
  ],
  "mark": "area",
  "encoding": {
    "x": {"field": "year", "type": "ordinal"},
    "y": {"field": "count", "type": "quantitative", "stack": "center", "axis": null},
    "color": {"field": "series", "type": "nominal", "scale": {"scheme": "category20b"}},
    "opacity": {"condition": [{"param": "industry", "value": 1}, {"param": "pick", "value": 0.8}], "value": 0.2},
    "tooltip": [{"field": "series", "type": "nominal"}, {"field": "count", "type": "quantitative", "format": ","}]
  }
}`,
	"nested_fields": `{
  "data": {
    "values": [
      {
        "pos": {
          "x": 1,
          "y": 2
        },
        "a.b": 5,
        "label": "p"
      },
      {
        "pos": {
          "x": 3,
          "y": 1
        },
        "a.b": 2,
        "label": "q"
      }
    ]
  },
  "mark": "circle",
  "encoding": {
    "x": {
      "field": "pos.x",
      "type": "quantitative"
    },
    "y": {
      "field": "pos.y",
      "type": "quantitative"
    },
    "size": {
      "field": "a\\.b",
      "type": "quantitative"
    },
    "tooltip": {
      "field": "label",
      "type": "nominal"
    }
  }
}`,
	"params_bind": `{
  "params": [
    {"name": "size", "value": 60, "bind": {"input": "range", "min": 10, "max": 200, "step": 10, "name": "Point size "}},
    {"name": "shape", "value": "circle", "bind": {"input": "select", "options": ["circle", "square", "cross"]}},
    {"name": "filled", "value": true, "bind": {"input": "checkbox"}},
    {"name": "side", "value": "left", "bind": {"input": "radio", "options": ["left", "right"]}},
    {"name": "cutoff", "value": 2},
    {"name": "double", "expr": "cutoff * 2"}
  ],
  "data": {"values": [{"a": 1, "b": 3}, {"a": 2, "b": 5}, {"a": 3, "b": 2}]},
  "transform": [
    {"calculate": "datum.b > cutoff ? 'high' : 'low'", "as": "level"},
    {"filter": "datum.a <= double + 10 && isValid(datum.b)"}
  ],
  "mark": {"type": "point", "size": {"expr": "size"}, "shape": {"expr": "shape"}, "filled": true, "strokeWidth": {"expr": "filled ? 1 : 3"}},
  "encoding": {
    "x": {"field": "a", "type": "quantitative", "axis": {"orient": {"expr": "side === 'left' ? 'bottom' : 'top'"}, "labelExpr": "datum.label + ' units'"}},
    "y": {"field": "b", "type": "quantitative"},
    "color": {"field": "level", "type": "nominal"},
    "opacity": {"condition": {"test": "datum.b >= cutoff", "value": 1}, "value": 0.3}
  }
}`,
	"repeat": `{
  "data": {"values": [
    {"Horsepower": 130, "Miles_per_Gallon": 18, "Acceleration": 12, "Origin": "USA"},
    {"Horsepower": 95, "Miles_per_Gallon": 24, "Acceleration": 15.5, "Origin": "Japan"}
  ]},
  "repeat": {"row": ["Horsepower", "Acceleration"], "column": ["Miles_per_Gallon", "Horsepower"]},
  "spec": {
    "params": [{"name": "grid", "select": "interval", "bind": "scales"}],
    "mark": "point",
    "encoding": {
      "x": {"field": {"repeat": "column"}, "type": "quantitative"},
      "y": {"field": {"repeat": "row"}, "type": "quantitative", "bin": false},
      "color": {"field": "Origin", "type": "nominal"}
    }
  }
}`,
	"transforms_a": `{
  "data": {"values": [
    {"name": "a", "score": 3, "tags": ["x", "y"], "info": {"grp": "g1", "w": 2}, "when": "2021-03-04"},
    {"name": "b", "score": 7, "tags": ["y"], "info": {"grp": "g2", "w": 1}, "when": "2021-05-06"},
    {"name": "c", "score": 5, "tags": ["x"], "info": {"grp": "g1", "w": 4}, "when": "2021-07-08"}
  ]},
  "transform": [
    {"flatten": ["tags"], "as": ["tag"]},
    {"calculate": "datum.info.w * datum.score", "as": "weighted"},
    {"bin": {"maxbins": 10}, "field": "score", "as": "score_bin"},
    {"timeUnit": "month", "field": "when", "as": "month"},
    {"joinaggregate": [{"op": "mean", "field": "score", "as": "mean_score"}], "groupby": ["tag"]},
    {"window": [{"op": "rank", "as": "rank"}, {"op": "sum", "field": "weighted", "as": "running"}], "sort": [{"field": "score", "order": "descending"}], "groupby": ["tag"]},
    {"stack": "weighted", "groupby": ["tag"], "as": ["w0", "w1"], "sort": [{"field": "name"}]},
    {"impute": "score", "key": "name", "groupby": ["tag"], "value": 0},
    {"filter": {"and": [{"field": "score", "gte": 1}, {"not": {"field": "name", "equal": "zzz"}}, {"or": ["datum.rank <= 10", {"field": "info.grp", "oneOf": ["g1", "g2"]}]}]}},
    {"sample": 500},
    {"extent": "score", "param": "score_extent"}
  ],
  "mark": "rect",
  "encoding": {
    "x": {"field": "score_bin", "bin": {"binned": true}, "type": "quantitative", "scale": {"domain": {"expr": "score_extent"}}},
    "x2": {"field": "score_bin_end"},
    "y": {"field": "w0", "type": "quantitative"},
    "y2": {"field": "w1"},
    "color": {"field": "info.grp", "type": "nominal"},
    "tooltip": [{"field": "mean_score", "type": "quantitative"}, {"field": "month", "type": "temporal", "timeUnit": "month"}, {"field": "running"}]
  }
}`,
	"transforms_b": `{
  "datasets": {
    "people": [{"id": 1, "city": "Lyon", "age": 31}, {"id": 2, "city": "Nice", "age": 45}, {"id": 3, "city": "Lyon", "age": 27}],
    "cities": [{"city": "Lyon", "pop": 513000}, {"city": "Nice", "pop": 342000}]
  },
  "hconcat": [
    {
      "data": {"name": "people"},
      "transform": [
        {"lookup": "city", "from": {"data": {"name": "cities"}, "key": "city", "fields": ["pop"]}},
        {"density": "age", "groupby": ["city"], "extent": [0, 100], "as": ["age_value", "age_density"]}
      ],
      "mark": "area",
      "encoding": {"x": {"field": "age_value", "type": "quantitative"}, "y": {"field": "age_density", "type": "quantitative"}, "color": {"field": "city", "type": "nominal"}}
    },
    {
      "data": {"name": "people"},
      "transform": [{"quantile": "age", "step": 0.25}, {"calculate": "quantileNormal(datum.prob)", "as": "norm"}],
      "mark": "point",
      "encoding": {"x": {"field": "norm", "type": "quantitative"}, "y": {"field": "value", "type": "quantitative"}}
    },
    {
      "data": {"name": "people"},
      "layer": [
        {"mark": "point", "encoding": {"x": {"field": "id", "type": "quantitative"}, "y": {"field": "age", "type": "quantitative"}}},
        {"transform": [{"regression": "age", "on": "id"}], "mark": "line", "encoding": {"x": {"field": "id", "type": "quantitative"}, "y": {"field": "age", "type": "quantitative"}}},
        {"transform": [{"loess": "age", "on": "id", "bandwidth": 0.5}], "mark": {"type": "line", "color": "firebrick"}, "encoding": {"x": {"field": "id", "type": "quantitative"}, "y": {"field": "age", "type": "quantitative"}}}
      ]
    },
    {
      "data": {"values": [{"k": "a", "x": 1, "y": 2}, {"k": "b", "x": 3, "y": 1}]},
      "transform": [{"fold": ["x", "y"], "as": ["axis", "amount"]}],
      "mark": "bar",
      "encoding": {"x": {"field": "axis", "type": "nominal"}, "y": {"field": "amount", "type": "quantitative", "aggregate": "sum"}, "color": {"field": "k", "type": "nominal"}}
    },
    {
      "data": {"values": [{"country": "X", "year": 2000, "gdp": 1}, {"country": "Y", "year": 2000, "gdp": 2}]},
      "transform": [{"pivot": "country", "value": "gdp", "groupby": ["year"]}],
      "mark": "point",
      "encoding": {"x": {"field": "X", "type": "quantitative"}, "y": {"field": "Y", "type": "quantitative"}}
    }
  ]
}`,
	"url_data": `{
  "data": {"url": "data/cars.json"},
  "mark": "bar",
  "encoding": {
    "x": {"field": "Origin", "type": "nominal"},
    "y": {"aggregate": "count", "type": "quantitative"},
    "color": {"aggregate": {"argmax": "Horsepower"}, "field": "Name", "type": "nominal"}
  }
}`,
}

// A field name with U+2028 is refused up front: vega would fail to parse the chart.
func TestFieldWithLineSeparator(t *testing.T) {
	field := "a\u2028b"
	_, err := NewChart().Data(Values([]map[string]any{{field: 1}})).Mark(Bar()).Encode(X(Field(field).Quantitative())).Build()
	if err == nil || !strings.Contains(err.Error(), "U+2028/U+2029") || !strings.Contains(err.Error(), "/encoding/x/field") {
		t.Errorf("error %v, want one naming the separator and /encoding/x/field", err)
	}
}
