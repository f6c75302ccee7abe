package nodecheck

import (
	"strings"
	"testing"
)

const (
	barSpec = `{
  "data": {"values": [{"a": "A", "b": 28}, {"a": "B", "b": 55}, {"a": "C", "b": 43}]},
  "mark": "bar",
  "encoding": {
    "x": {"field": "a", "type": "nominal"},
    "y": {"field": "b", "type": "quantitative"}
  }
}`
	// shape is not supported by bar marks: vega-lite drops it with a warning.
	shapeBarSpec = `{
  "data": {"values": [{"a": "A", "b": 28}, {"a": "B", "b": 55}]},
  "mark": "bar",
  "encoding": {
    "x": {"field": "a", "type": "nominal"},
    "y": {"field": "b", "type": "quantitative"},
    "shape": {"field": "a", "type": "nominal"}
  }
}`
	brokenSpec = `{"data": {"values": []}, "mark": "nonsense"}`
	urlSpec    = `{
  "data": {"url": "https://example.com/data.csv"},
  "mark": "point",
  "encoding": {"x": {"field": "a", "type": "quantitative"}}
}`
	layerSpec = `{
  "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 5}, {"x": 3, "y": 3}]},
  "encoding": {
    "x": {"field": "x", "type": "quantitative"},
    "y": {"field": "y", "type": "quantitative"}
  },
  "layer": [
    {"mark": "line"},
    {"mark": "point"},
    {"mark": "rule", "encoding": {"x": null, "y": {"aggregate": "mean", "field": "y", "type": "quantitative"}}}
  ]
}`
)

func TestCheck(t *testing.T) {
	Require(t)
	got, err := Check(map[string][]byte{
		"bar":      []byte(barSpec),
		"shapebar": []byte(shapeBarSpec),
		"broken":   []byte(brokenSpec),
		"url":      []byte(urlSpec),
		"layer":    []byte(layerSpec),
		"notjson":  []byte(`{"mark": `),
	}, true)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("valid", func(t *testing.T) {
		for name, wantItems := range map[string]int{"bar": 3, "layer": 7} {
			r := got[name]
			if !r.OK || len(r.Errors) > 0 || len(r.Warnings) > 0 {
				t.Errorf("%s: ok=%v errors=%q warnings=%q", name, r.OK, r.Errors, r.Warnings)
			}
			if r.Items != wantItems {
				t.Errorf("%s: items=%d, want %d", name, r.Items, wantItems)
			}
			if !strings.HasPrefix(r.SVG, "<svg") {
				t.Errorf("%s: SVG does not start with <svg: %.60q", name, r.SVG)
			}
			t.Logf("%s: compile %.1f ms, render %.1f ms (first run in the process)", name, r.CompileMS, r.RenderMS)
		}
	})

	t.Run("warning", func(t *testing.T) {
		r := got["shapebar"]
		if !r.OK || r.Items != 2 {
			t.Errorf("ok=%v items=%d errors=%q", r.OK, r.Items, r.Errors)
		}
		if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "shape dropped") {
			t.Errorf("warnings=%q, want one about shape being dropped", r.Warnings)
		}
	})

	t.Run("broken", func(t *testing.T) {
		for _, name := range []string{"broken", "notjson"} {
			r := got[name]
			if r.OK || len(r.Errors) == 0 || r.SVG != "" {
				t.Errorf("%s: ok=%v errors=%q, want a failure", name, r.OK, r.Errors)
			}
		}
		if e := got["broken"].Errors; len(e) > 0 && !strings.HasPrefix(e[0], "compile:") {
			t.Errorf("broken: error %q should name the compile stage", e[0])
		}
	})

	t.Run("url", func(t *testing.T) {
		r := got["url"]
		if r.OK || r.Items != 0 {
			t.Fatalf("ok=%v items=%d, want an offline failure", r.OK, r.Items)
		}
		if !strings.Contains(r.Errors[0], "offline") || !strings.Contains(r.Errors[0], "https://example.com/data.csv") {
			t.Errorf("errors=%q, want a clear offline refusal naming the URL", r.Errors)
		}
	})
}

func TestCheckNoSVG(t *testing.T) {
	Require(t)
	got, err := Check(map[string][]byte{"bar": []byte(barSpec)}, false)
	if err != nil {
		t.Fatal(err)
	}
	if r := got["bar"]; !r.OK || r.Items != 3 || r.SVG != "" {
		t.Errorf("ok=%v items=%d svg=%.20q", r.OK, r.Items, r.SVG)
	}
}

func TestBench(t *testing.T) {
	Require(t)
	got, err := Bench(map[string][]byte{"bar": []byte(barSpec), "layer": []byte(layerSpec)}, true, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"bar", "layer"} {
		r, ok := got[name]
		if !ok || r.N != 5 || len(r.Errors) > 0 || r.CPUMS <= 0 || r.WallMS <= 0 {
			t.Fatalf("%s: %+v", name, r)
		}
		t.Logf("%s: %.2f ms CPU/chart, %.2f ms wall/chart (compile %.2f + render %.2f)", name, r.CPUMS, r.WallMS, r.CompileMS, r.RenderMS)
	}
}

func TestRequireSkips(t *testing.T) {
	t.Chdir(t.TempDir()) // no go.mod above a temp dir
	t.Setenv(RequireEnv, "")
	if _, err := Dir(); err == nil {
		t.Fatal("Dir succeeded outside the module")
	}
	ran := false
	t.Run("skip", func(t *testing.T) {
		Require(t)
		ran = true
	})
	if ran {
		t.Error("Require did not skip")
	}
}
