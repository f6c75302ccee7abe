// SPDX-License-Identifier: Apache-2.0

package render_test

import (
	"fmt"
	"math"
	"strings"

	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// A chart rendered once gives its static SVG, a self-contained page and the notebook
// mime bundle (Vega-Lite, the SVG and text; no HTML, no library).
// The NaN in the data is drawn as a gap and named in a note, which ends the subtitle.
func Example() {
	chart := vl.NewChart().
		Title("loss").
		Data(vl.Columns(map[string]any{"step": []int{1, 2, 3, 4}, "loss": []float64{2.3, 1.1, math.NaN(), 0.4}})).
		Mark(vl.Line().Point(true)).
		Encode(vl.X("step:Q"), vl.Y("loss:Q"))
	out, err := render.Chart(chart)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Text())
	fmt.Println("svg:", strings.HasPrefix(out.SVG(), "<svg"))
	for _, note := range out.Notes() {
		fmt.Println("note:", note)
	}
	page, err := out.HTML()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("page:", strings.HasPrefix(string(page), "<!DOCTYPE html>"))
	mime, err := out.MIMEBundle()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range []string{"application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain", "text/html"} {
		_, ok := mime[t]
		fmt.Println(t, ok)
	}
	fmt.Println("note in the picture:", strings.Contains(out.SVG(), "drawn as gaps"))
	// Output:
	// Vega-Lite line chart: loss
	// svg: true
	// note: /data/values: field "loss" has 1 NaN/Inf value(s) at row(s) 2; JSON has no NaN, so they are written as null and drawn as gaps
	// page: true
	// application/vnd.vegalite.v5+json true
	// image/svg+xml true
	// text/plain true
	// text/html false
	// note in the picture: true
}

// A spec with more rows of inline data than the limit is refused with advice; the limit
// can be lifted.
func ExampleWithMaxRows() {
	values := make([]map[string]any, 20)
	for i := range values {
		values[i] = map[string]any{"x": i}
	}
	chart := vl.NewChart().Data(vl.Values(values)).Mark(vl.Tick()).Encode(vl.X("x:Q"))
	_, err := render.Chart(chart, render.WithMaxRows(10), render.WithoutStatic())
	fmt.Println(err != nil && strings.Contains(err.Error(), "more than the limit of 10"))
	_, err = render.Chart(chart, render.WithMaxRows(0), render.WithoutStatic())
	fmt.Println(err)
	// Output:
	// true
	// <nil>
}
