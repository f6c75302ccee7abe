// SPDX-License-Identifier: Apache-2.0

package render

import (
	"context"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/svgrender"
	"github.com/gonbviz/gonbviz/internal/testing/chartcheck"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// stepRows are points of two tensors at steps 10..50, for charts driven by a step slider
// and a tensor drop-down.
func stepRows() []map[string]any {
	var rows []map[string]any
	for _, tensor := range []string{"/a/weights", "/b/weights"} {
		for step := 10; step <= 50; step += 10 {
			rows = append(rows, map[string]any{"tensor": tensor, "step": step, "x": step / 10, "y": len(tensor) + step})
		}
	}
	return rows
}

var (
	tensorParam = vl.NewParam("tensor").Value("/a/weights").Bind(vl.BindSelect("/a/weights", "/b/weights").Name("tensor "))
	stepParam   = vl.NewParam("at_step").Value(50).Bind(vl.BindRange(10, 50, 10).Name("step "))
)

// pointsOf is a point chart of stepRows, titled, with the parameters given (used or not:
// the note is about the controls).
func pointsOf(title string, params ...vl.Param) vl.Chart {
	return vl.NewChart().Data(vl.Values(stepRows())).Title(vl.NewTitle(title).Subtitle("a subtitle")).
		Params(params...).Mark(vl.Point()).Encode(vl.X("x:Q"), vl.Y("y:Q"))
}

// A static image of a chart driven by a bound parameter (a slider, a drop-down, a
// checkbox, ...) says which values it shows; the interactive view, where the controls show
// them, does not. Charts without bound parameters, or whose parameters are bound to a
// legend or to scales (no control of their own), carry no such note. gonbviz's own charts
// are checked in package charts.
func TestStaticSVGSaysWhatBoundParamsShow(t *testing.T) {
	plain := vl.NewChart().Data(vl.Values([]map[string]any{{"x": 1}, {"x": 2}})).
		Params(vl.NewParam("size").Value(40).Bind(vl.BindRange(10, 100, 1))).
		Mark(vl.Point()).Encode(vl.X("x:Q"), vl.Size(vl.Value(40)))
	curves := vl.NewChart().Data(vl.Values(stepRows())).Title("curves").
		Params(
			vl.NewParam("smoothing").Value(0.6).Bind(vl.BindRange(0, 0.9, 0.1).Name("smoothing ")),
			vl.NewParam("logy").Value(false).Bind(vl.BindCheckbox().Name("log scale (losses) ")),
		).
		Transform(vl.Calculate("datum.y * (1 - smoothing) + (logy ? 1 : 0)", "ys")).
		Mark(vl.Line()).Encode(vl.X("step:Q"), vl.Y("ys:Q"), vl.Color("tensor:N"))
	labelled := pointsOf("labelled", vl.NewParam("tensor").Value("/b/weights").
		Bind(vl.BindRadio("/a/weights", "/b/weights").Labels("first", "second")))
	text := pointsOf("text", vl.NewParam("tensor").Value("/a/weights").Bind(vl.BindText().Name("tensor ")))
	// A facet, with its parameter at the top level and the view inside.
	inner := vl.NewChart().Mark(vl.Point()).Encode(vl.X("x:Q"), vl.Y("y:Q")).Width(200).Height(60)
	facet := vl.Facet(inner, vl.Row("step:O")).Data(vl.Values(stepRows())).
		Transform(vl.Filter("datum.tensor == tensor")).Params(tensorParam).Title("facet")
	// A selection inside a concatenated view's layer, bound to a slider that starts empty:
	// nothing to say.
	nested := vl.HConcat(
		vl.Layer(pointsOf("left").Params(vl.SelectPoint("pick").Fields("step").Bind(vl.BindRange(10, 50, 10)))),
		pointsOf("right"),
	).Title("nested")
	zoom := vl.NewChart().Data(vl.Values(stepRows())).Title("zoom").
		Params(vl.SelectInterval("zoom").Encodings("x").BindScales()).
		Mark(vl.Point()).Encode(vl.X("x:Q"), vl.Y("y:Q"))
	legend := vl.NewChart().Data(vl.Values(stepRows())).Title("legend").
		Params(vl.SelectPoint("pick").Fields("tensor").BindLegend()).
		Mark(vl.Point()).Encode(vl.X("x:Q"), vl.Y("y:Q"), vl.Color("tensor:N"))
	cases := []struct {
		name  string
		chart vl.Chart
		want  []string // in the static SVG; none: no note
	}{
		{"slider-and-drop-down", pointsOf("both", tensorParam, stepParam), []string{
			"showing tensor /a/weights (1 of 2), step 50 of 10–50; change them with the drop-down and the slider in the interactive view"}},
		{"slider", pointsOf("slider", stepParam), []string{
			"showing step 50 of 10–50; move the slider in the interactive view"}},
		{"drop-down", pointsOf("drop-down", tensorParam), []string{
			"showing tensor /a/weights (1 of 2); pick another with the drop-down in the interactive view"}},
		{"radio-labels", labelled, []string{
			"showing tensor second (2 of 2); pick another with the buttons in the interactive view"}},
		{"text", text, []string{"showing tensor /a/weights; change it in the input field in the interactive view"}},
		{"facet", facet, []string{"showing tensor /a/weights (1 of 2)"}},
		{"slider-and-checkbox", curves, []string{
			"showing smoothing 0.6 of 0–0.9, log scale (losses) off; change them with the slider and the checkbox in the interactive view"}},
		{"untitled", plain, []string{"showing size 40 of 10–100; move the slider in the interactive view"}},
		{"zoom", zoom, nil},
		{"legend", legend, nil},
		{"nested", nested, nil},
		{"none", pointsOf("none"), nil},
	}
	for _, c := range cases {
		out, err := Chart(c.chart)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, problem := range chartcheck.StaticNoteProblems(out.SVG(), out.SpecJSON(), c.want) {
			t.Errorf("%s: %s", c.name, problem)
		}
		if len(out.Notes()) > 0 {
			t.Errorf("%s: notes %q", c.name, out.Notes())
		}
	}
}

// The static SVG leaves out the layers named as interactive-only (invisible points that
// carry tooltips); the interactive spec keeps them. A spec with nothing to leave out and
// nothing to say is drawn as it is.
func TestStaticLeavesOutInteractiveOnlyLayers(t *testing.T) {
	base := vl.NewChart().Data(vl.Values(stepRows())).Encode(vl.X("step:Q"), vl.Y("y:Q"), vl.Color("tensor:N"))
	c := vl.Layer(
		base.Mark(vl.Line()),
		base.Name(vl.InteractiveOnlyPrefix+"hover").Mark(vl.Point().Filled(true).Size(18).Opacity(0.001)).
			Encode(vl.Tooltip(vl.Field("step").Quantitative(), vl.Field("y").Quantitative())),
	).Title("lines")
	out, err := Chart(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out.SpecJSON()), vl.InteractiveOnlyPrefix+"hover") {
		t.Error("the interactive spec lost its hover layer")
	}
	full, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	plain, err := svgrender.Render(context.Background(), full)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plain, vl.InteractiveOnlyPrefix) {
		t.Fatal("the unstripped SVG has no hover marks: the test checks nothing")
	}
	if svg := out.SVG(); strings.Contains(svg, vl.InteractiveOnlyPrefix) || len(svg) >= len(plain) {
		t.Errorf("static SVG still draws the hover layer (%d bytes, %d unstripped)", len(svg), len(plain))
	}
	static, err := StaticSpec(full)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(static), vl.InteractiveOnlyPrefix) || !strings.Contains(string(static), `"mark":"line"`) {
		t.Errorf("StaticSpec: %s", static)
	}

	same, err := base.Mark(vl.Line()).JSON()
	if err != nil {
		t.Fatal(err)
	}
	if static, err := StaticSpec(same); err != nil || string(static) != string(same) {
		t.Errorf("StaticSpec changed a spec with nothing interactive-only: %v\n%s\n%s", err, same, static)
	}
	if _, err := StaticSpec([]byte(`[1, 2]`)); err == nil || !strings.Contains(err.Error(), "not a JSON object") {
		t.Errorf("StaticSpec of a JSON array: %v", err)
	}
}
