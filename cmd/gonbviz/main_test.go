// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.vl.json")
	bad := filepath.Join(dir, "bad.vl.json")
	broken := filepath.Join(dir, "broken.vl.json")
	os.WriteFile(good, []byte(`{"data":{"values":[{"a":1}]},"mark":"bar","encoding":{"x":{"field":"a","type":"quantitative"}}}`), 0o644)
	os.WriteFile(bad, []byte(`{"data":{"values":[{"a":1}]},"mark":"bar","titel":"x","encoding":{"x":{"field":"a","type":"quantitive"}}}`), 0o644)
	os.WriteFile(broken, []byte("{\n  \"mark\": \"bar\",\n  \"encoding\": {,}\n}"), 0o644)

	code, out, _ := runCmd(t, "", "validate", good)
	if code != 0 || out != good+": ok\n" {
		t.Errorf("good: code %d, out %q", code, out)
	}
	code, out, _ = runCmd(t, "", "validate", good, bad, broken, filepath.Join(dir, "missing.json"))
	if code != 1 {
		t.Errorf("bad files: exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{
		good + ": ok",
		bad + `: /: unknown property "titel" (did you mean "title"?)`,
		bad + `: /encoding/x/type: "quantitive" is not one of quantitative, ordinal, temporal, nominal (did you mean "quantitative"?)`,
	}
	for _, w := range want {
		if !contains(lines, w) {
			t.Errorf("output lacks line %q; got:\n%s", w, out)
		}
	}
	if !strings.Contains(out, broken+": /: invalid JSON at line 3, column 16") {
		t.Errorf("broken JSON line/column missing:\n%s", out)
	}
	if !strings.Contains(out, "missing.json: cannot read") {
		t.Errorf("unreadable file not reported:\n%s", out)
	}
	// Standard input.
	code, out, _ = runCmd(t, `{"mark":"point","data":{"values":[1]}}`, "validate", "-")
	if code != 0 || out != "-: ok\n" {
		t.Errorf("stdin: code %d out %q", code, out)
	}
	// Usage errors.
	if code, _, errOut := runCmd(t, "", "validate"); code != 2 || !strings.Contains(errOut, "name at least one spec file") {
		t.Errorf("no files: %d %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
}

func TestExampleSpecsAreValid(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "specs", "*.vl.json"))
	if len(files) == 0 {
		t.Fatal("no example specs found")
	}
	code, out, _ := runCmd(t, "", append([]string{"validate"}, files...)...)
	if code != 0 {
		t.Errorf("example specs invalid:\n%s", out)
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

func TestRenderCommand(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join("..", "..", "examples", "specs", "training_loss.vl.json")
	svg := filepath.Join(dir, "out.svg")
	code, out, errOut := runCmd(t, "", "render", spec, "-o", svg)
	if code != 0 {
		t.Fatalf("render svg: %d %s %s", code, out, errOut)
	}
	data, _ := os.ReadFile(svg)
	if !strings.HasPrefix(string(data), "<svg") || !strings.Contains(string(data), "Loss by step") {
		t.Errorf("svg: %.200s", data)
	}
	page := filepath.Join(dir, "out.html")
	if code, _, errOut := runCmd(t, "", "render", "-o", page, spec); code != 0 {
		t.Fatalf("render html: %s", errOut)
	}
	data, _ = os.ReadFile(page)
	for _, want := range []string{"<!DOCTYPE html>", `class="gonbviz-lib"`, `class="gonbviz-spec"`, `src="data:image/svg+xml;base64,`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("html lacks %q", want)
		}
	}
	// A hostile string in a user's spec file stays inert in the page.
	hostile := `{"data":{"values":[{"a":1}]},"mark":"point","title":"</script><script>alert(1)</script>","encoding":{"x":{"field":"a","type":"quantitative"}}}`
	if code, _, errOut := runCmd(t, hostile, "render", "-", "-o", page); code != 0 {
		t.Fatalf("render hostile: %s", errOut)
	}
	data, _ = os.ReadFile(page)
	if strings.Contains(string(data), "<script>alert(1)") {
		t.Error("a user's </script> broke out of the spec script")
	}
	// A picture has no slider: the SVG's subtitle says which value it shows, and
	// Vega-Lite's compile warnings go to standard error, each once.
	slider := `{"data":{"values":[{"a":1,"b":2},{"a":2,"b":3}]},"title":"bound","params":[{"name":"cut","value":1,"bind":{"input":"range","min":0,"max":2,"step":1}}],"transform":[{"filter":"datum.a >= cut"}],"mark":"point","encoding":{"x":{"field":"a","type":"quantitative"},"y":{"field":"b","type":"quantitative"}}}`
	if code, _, errOut := runCmd(t, slider, "render", "-", "-o", svg); code != 0 {
		t.Fatalf("render slider: %s", errOut)
	}
	data, _ = os.ReadFile(svg)
	if !strings.Contains(string(data), "move the slider in the interactive view") {
		t.Errorf("the static SVG of a chart with a slider does not say which value it shows: %.300s", data)
	}
	boxSelect := `{"data":{"values":[{"a":1,"b":2}]},"params":[{"name":"p","select":"interval"}],"mark":"boxplot","encoding":{"x":{"field":"a","type":"nominal"},"y":{"field":"b","type":"quantitative"}}}`
	if code, _, errOut := runCmd(t, boxSelect, "render", "-", "-o", svg); code != 0 || strings.Count(errOut, "Selection not supported for boxplot yet") != 1 {
		t.Errorf("a compile warning, once on standard error: %d %q", code, errOut)
	}
	// Links render (a link is not a load), inline images are drawn, an image at a URL is
	// never fetched: it is drawn empty and named in one note, however many marks ask.
	links := `{"data":{"values":[{"a":1,"u":"https://example.com/a","img":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGNgYGBgYGAAAAAFAAGuXr8gAAAAAElFTkSuQmCC","remote":"https://example.com/i.png"},{"a":2,"u":"https://example.com/b","img":"https://example.com/j.png","remote":"https://example.com/i.png"}]},` +
		`"layer":[{"mark":"point","encoding":{"x":{"field":"a","type":"quantitative"},"href":{"field":"u"}}},` +
		`{"mark":{"type":"image","width":10,"height":10},"encoding":{"x":{"field":"a","type":"quantitative"},"url":{"field":"img"}}},` +
		`{"mark":{"type":"image","width":10,"height":10},"encoding":{"x":{"field":"a","type":"quantitative"},"url":{"field":"remote"}}}]}`
	code, _, errOut = runCmd(t, links, "render", "-", "-o", svg)
	data, _ = os.ReadFile(svg)
	if code != 0 || strings.Count(errOut, "not fetched") != 1 || !strings.Contains(errOut, "offline: 2 image URLs not fetched") {
		t.Errorf("links and images: %d, want 0 and one note about 2 image URLs: %q", code, errOut)
	}
	if strings.Count(string(data), `<a xlink:href="https://example.com/`) != 2 || strings.Count(string(data), `xlink:href="data:image/png;base64,`) != 1 ||
		strings.Count(string(data), `xlink:href="" `) != 3 {
		t.Errorf("links and images: want 2 links, 1 inline image and 3 empty ones:\n%s", data)
	}
	// Invalid spec: exit 1, the problem named, nothing written.
	bad := filepath.Join(dir, "bad.svg")
	code, _, errOut = runCmd(t, `{"mark":"bar","encoding":{"x":{"field":"a","type":"quantitive"}},"data":{"values":[{"a":1}]}}`, "render", "-", "-o", bad)
	if code != 1 || !strings.Contains(errOut, "/encoding/x/type") {
		t.Errorf("invalid: %d %s", code, errOut)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("an invalid spec was written")
	}
	if code, _, errOut := runCmd(t, "", "render", spec, "-o", filepath.Join(dir, "x.png")); code != 2 || !strings.Contains(errOut, "must end in .svg or .html") {
		t.Errorf("bad extension: %d %s", code, errOut)
	}
}
