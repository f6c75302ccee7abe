// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// The sizes are those of what render (and so notebookviz.Display) puts in an output (no
// library), and library copies are found where bundle writes them (a page's HTML).
func TestMeasureNotebook(t *testing.T) {
	chart := vl.NewChart().Data(vl.Values([]map[string]any{{"a": 1, "b": 2}, {"a": 2, "b": 3}})).
		Mark(vl.Line()).Encode(vl.X("a:Q"), vl.Y("b:Q"))
	o, err := render.Chart(chart)
	if err != nil {
		t.Fatal(err)
	}
	mime, err := o.MIMEBundle()
	if err != nil {
		t.Fatal(err)
	}
	output := map[string]any{"output_type": "display_data", "data": mime, "metadata": map[string]any{}}
	page, err := o.HTML()
	if err != nil {
		t.Fatal(err)
	}
	htmlOut := map[string]any{"output_type": "display_data", "data": map[string]any{"text/html": string(page)}, "metadata": map[string]any{}}
	stream := map[string]any{"output_type": "stream", "name": "stdout", "text": []string{"hello\n", "world\n"}}
	nb := map[string]any{"cells": []any{
		map[string]any{"cell_type": "markdown", "source": "# x"},
		map[string]any{"cell_type": "code", "outputs": []any{stream, output, htmlOut}},
	}}
	data, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	s, err := measureNotebook("x.ipynb", data)
	if err != nil {
		t.Fatal(err)
	}
	if s.bytes != len(data) || s.cells != 2 || len(s.outputs) != 3 {
		t.Fatalf("measured %+v", s)
	}
	if got := s.outputs[0].kinds["stream/stdout"]; got != len("hello\nworld\n") {
		t.Errorf("stream bytes %d", got)
	}
	c := s.outputs[1]
	svg := o.SVG()
	spec, _ := json.Marshal(mime["application/vnd.vegalite.v5+json"])
	if !c.chart || c.libs != 0 || c.svg != len(svg) || c.spec != len(spec) || len(c.kinds) != 3 {
		t.Errorf("chart output: chart %v, libs %d, svg %d (want %d), spec %d (want %d)", c.chart, c.libs, c.svg, len(svg), c.spec, len(spec))
	}
	if r := float64(c.total) / float64(c.spec+c.svg); r > 2 {
		t.Errorf("a chart output is %.2fx its spec and SVG, want at most 2x", r)
	}
	h := s.outputs[2]
	if h.chart || h.libs != 1 || h.html.libs < 300_000 || h.html.staticSVG < len(svg) || h.html.spec == 0 || h.html.rest <= 0 || h.html.rest > 10_000 {
		t.Errorf("page output: libs %d, parts %+v", h.libs, h.html)
	}
	var out strings.Builder
	printNotebookSizes(&out, "dir", []nbSize{s})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "notebooksize: max_notebook_mb=0.") || !strings.Contains(last, " lib_copies_max=1 output/(spec+svg)_max=") {
		t.Errorf("last line: %s", last)
	}
}
