// SPDX-License-Identifier: Apache-2.0

package svgrender

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// With Options.Scenegraph a render also returns what it drew, with the same SVG;
// without it, nothing more.
func TestScenegraph(t *testing.T) {
	spec := []byte(`{"data": {"values": [{"a": 1, "n": 2}, {"a": 2, "n": 5}]},
		"mark": "bar", "encoding": {"x": {"field": "a", "type": "ordinal"}, "y": {"field": "n", "type": "quantitative"}},
		"width": 100, "height": 100}`)
	plain := New(Options{MaxEngines: 1})
	defer plain.Close()
	with := New(Options{MaxEngines: 1, Scenegraph: true})
	defer with.Close()
	a, err := plain.RenderWithWarnings(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if a.Scenegraph != nil {
		t.Errorf("a scenegraph nobody asked for: %d bytes", len(a.Scenegraph))
	}
	b, err := with.RenderWithWarnings(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if a.SVG != b.SVG {
		t.Errorf("the scenegraph changed the SVG; %s", firstDiff(a.SVG, b.SVG))
	}
	var scene struct {
		Scales map[string]struct {
			Type      string
			Zero, One *float64
		}
		Root struct{ Marktype string }
	}
	if err := json.Unmarshal(b.Scenegraph, &scene); err != nil {
		t.Fatalf("scenegraph: %v: %.300s", err, b.Scenegraph)
	}
	y := scene.Scales["y"]
	if scene.Root.Marktype != "group" || y.Type != "linear" || y.Zero == nil || *y.Zero != 100 || y.One == nil || *y.One != 80 {
		t.Errorf("scenegraph root %q, y scale %+v: %.300s", scene.Root.Marktype, y, b.Scenegraph)
	}
	for _, want := range []string{`"description":"bar"`, `"datum":{"a":2,"n":5,`, `"height":40`} {
		if !json.Valid(b.Scenegraph) || !strings.Contains(string(b.Scenegraph), want) {
			t.Errorf("scenegraph lacks %s: %s", want, b.Scenegraph)
		}
	}
}
