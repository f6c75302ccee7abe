// SPDX-License-Identifier: Apache-2.0

package vegalite_test

import (
	"fmt"
	"math"

	"github.com/gonbviz/gonbviz/vegalite"
)

// A training curve: struct rows, a line with points, a log scale, and a NaN drawn as a gap.
func Example() {
	type point struct {
		Step int     `json:"step"`
		Loss float64 `json:"loss"`
	}
	rows := []point{{0, 2.3}, {100, 0.9}, {200, math.NaN()}, {300, 0.4}}
	spec, err := vegalite.NewChart().
		Data(vegalite.Values(rows)).
		Mark(vegalite.Line().Point(true)).
		Encode(
			vegalite.X("step:Q"),
			vegalite.Y("loss:Q").Scale(vegalite.Scale{}.Type("log")),
		).
		Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(spec.JSON))
	for _, n := range spec.Notes {
		fmt.Println(n)
	}
	// Output:
	// {"$schema":"https://vega.github.io/schema/vega-lite/v5.json","data":{"values":[{"loss":2.3,"step":0},{"loss":0.9,"step":100},{"loss":null,"step":200},{"loss":0.4,"step":300}]},"encoding":{"x":{"field":"step","type":"quantitative"},"y":{"field":"loss","scale":{"type":"log"},"type":"quantitative"}},"mark":{"point":true,"type":"line"}}
	// /data/values: field "loss" has 1 NaN/Inf value(s) at row(s) 2; JSON has no NaN, so they are written as null and drawn as gaps
}

// Mistakes are reported with the JSON path and the fix, before anything is drawn.
func ExampleValidate() {
	err := vegalite.Validate([]byte(`{
  "data": {"values": [{"a": 1}]},
  "mark": "bar",
  "encoding": {"x": {"field": "a", "type": "quantitive"}}
}`))
	fmt.Println(err)
	// Output:
	// /encoding/x/type: "quantitive" is not one of quantitative, ordinal, temporal, nominal (did you mean "quantitative"?)
}

// A drop-down that picks which series to show: the options come from a typed slice.
func ExampleBindSelect() {
	series := []string{"train/loss", "eval/loss"}
	rows := []map[string]any{{"series": "train/loss", "step": 1, "value": 2.1}, {"series": "eval/loss", "step": 1, "value": 2.4}}
	spec, err := vegalite.NewChart().
		Data(vegalite.Values(rows)).
		Mark(vegalite.Line()).
		Params(vegalite.NewParam("show").Value(series[0]).Bind(vegalite.BindSelect(series...).Name("series "))).
		Transform(vegalite.Filter("datum.series == show")).
		Encode(vegalite.X("step:Q"), vegalite.Y("value:Q")).
		Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(spec.JSON))
	// Output:
	// {"$schema":"https://vega.github.io/schema/vega-lite/v5.json","data":{"values":[{"series":"train/loss","step":1,"value":2.1},{"series":"eval/loss","step":1,"value":2.4}]},"encoding":{"x":{"field":"step","type":"quantitative"},"y":{"field":"value","type":"quantitative"}},"mark":"line","params":[{"bind":{"input":"select","name":"series ","options":["train/loss","eval/loss"]},"name":"show","value":"train/loss"}],"transform":[{"filter":"datum.series == show"}]}
}

// One call makes a chart zoomable and pannable, as Altair's interactive().
func ExampleChart_Interactive() {
	spec, err := vegalite.NewChart().
		Data(vegalite.Values([]map[string]any{{"x": 1, "y": 2}, {"x": 2, "y": 3}})).
		Mark(vegalite.Point()).
		Encode(vegalite.X("x:Q"), vegalite.Y("y:Q")).
		Interactive().
		Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(spec.JSON))
	// Output:
	// {"$schema":"https://vega.github.io/schema/vega-lite/v5.json","data":{"values":[{"x":1,"y":2},{"x":2,"y":3}]},"encoding":{"x":{"field":"x","type":"quantitative"},"y":{"field":"y","type":"quantitative"}},"mark":"point","params":[{"bind":"scales","name":"interactive","select":{"type":"interval"}}]}
}
