// SPDX-License-Identifier: Apache-2.0

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/notebookviz"
)

func TestDiagramCommand(t *testing.T) {
	dir := t.TempDir()
	for _, m := range []string{"mlp", "cnn", "transformer"} {
		svg := filepath.Join(dir, m+".svg")
		code, out, errOut := runCmd(t, "", "diagram", "--model", m, "-o", svg)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", m, code, errOut)
		}
		if !strings.Contains(out, "wrote "+svg) {
			t.Errorf("%s: output %q", m, out)
		}
		data, err := os.ReadFile(svg)
		if err != nil || !strings.HasPrefix(string(data), "<svg ") || !strings.Contains(string(data), "</svg>") {
			t.Errorf("%s: not an SVG (%v): %.80s", m, err, data)
		}
	}
	html := filepath.Join(dir, "t.html")
	code, out, errOut := runCmd(t, "", "diagram", "--model", "transformer", "--depth", "1", "--direction", "LR", "--summary", "-o", html)
	if code != 0 {
		t.Fatalf("html: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Total params: 227,968") {
		t.Errorf("summary missing: %s", out)
	}
	page, _ := os.ReadFile(html)
	for _, want := range []string{"<!DOCTYPE html>", `class="gonbviz-diagram"`, "data:image/svg+xml;base64,", "gonbviz-dg-data", "Layer (type)"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"diagram", "--model", "rnn", "-o", "x.svg"}, "--model rnn: unknown model; use one of mlp, cnn, transformer"},
		{[]string{"diagram", "--model", "mlp", "-o", "x.png"}, "-o x.png: the output must end in .svg or .html"},
		{[]string{"diagram", "--model", "mlp", "--direction", "up", "-o", "x.svg"}, "--direction up: use TB"},
		{[]string{"diagram", "--model", "mlp", "--depth", "-3", "-o", "x.svg"}, "--depth -3: use 0"},
		{[]string{"diagram", "-o", "x.svg"}, "usage: gonbviz diagram --model mlp|cnn|transformer"},
	} {
		code, _, errOut := runCmd(t, "", c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

// TestDiagramSection checks the demo report's diagram section on its own (TestDemo runs
// the whole demo).
func TestDiagramSection(t *testing.T) {
	s := diagramSection()
	if s.Diagram == nil {
		t.Fatalf("no diagram: %s", s.Text)
	}
	path := filepath.Join(t.TempDir(), "r.html")
	if err := (notebookviz.Report{Title: "r", Sections: []notebookviz.Section{s}}).WriteHTML(path); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(path)
	for _, want := range []string{"<h2>Network diagram</h2>", `class="gonbviz-diagram"`, "/model/hidden_0/dense", "Total params: 17,226"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
