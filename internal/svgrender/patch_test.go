// SPDX-License-Identifier: Apache-2.0

package svgrender

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/jsbundle"
)

// TestPatchVega checks that every patch applies to the embedded vega bundle
// once, and that a bundle it does not fit is refused, naming the patch.
func TestPatchVega(t *testing.T) {
	src := jsbundle.Vega()
	out, err := patchVega(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range vegaPatches {
		if strings.Contains(out, p.old) || strings.Count(out, p.new) != 1 {
			t.Errorf("%s: not applied exactly once", p.what)
		}
	}
	// A different build: the code generation call is spelled differently.
	other := strings.Replace(src, vegaPatches[1].old, "const i=XX(r);return i.globals.forEach(", 1)
	if _, err := patchVega(other); err == nil || !strings.Contains(err.Error(), vegaPatches[1].what) || !strings.Contains(err.Error(), "0 times") {
		t.Errorf("patching a different bundle: error %v, want one naming %q", err, vegaPatches[1].what)
	}
}

// TestMemosKeepOutput renders every spec forwards, then backwards, on two
// engines: one keeps its memos (on the way back every expression is memoized,
// many from other specs), the other empties them before each render. Their
// SVGs and warnings must agree at every step. (TestMatchesNode checks first
// renders against Node.)
func TestMemosKeepOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("renders the gallery four times")
	}
	specs := loadSpecs(t)
	names := sortedNames(specs)
	memo := New(Options{MaxEngines: 1})
	defer memo.Close()
	fresh := New(Options{MaxEngines: 1, NoMemo: true})
	defer fresh.Close()
	backward := slices.Clone(names)
	slices.Reverse(backward)
	for pass, order := range [][]string{names, backward} {
		for _, name := range order {
			got, err := memo.RenderWithWarnings(context.Background(), specs[name])
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			want, err := fresh.RenderWithWarnings(context.Background(), specs[name])
			if err != nil {
				t.Fatalf("%s (NoMemo): %v", name, err)
			}
			if got.SVG != want.SVG {
				t.Errorf("pass %d, %s: SVG with memos differs from NoMemo; %s", pass+1, name, firstDiff(got.SVG, want.SVG))
			}
			if !slices.Equal(got.Warnings, want.Warnings) {
				t.Errorf("pass %d, %s: warnings %q with memos, %q without", pass+1, name, got.Warnings, want.Warnings)
			}
		}
	}
}

// TestMemoKeepsErrors checks that a failed parse or compile is not memoized: the
// same bad expression fails again with the same message, next to good ones.
func TestMemoKeepsErrors(t *testing.T) {
	r := New(Options{MaxEngines: 1})
	defer r.Close()
	good := `{"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "b", "type": "quantitative"}},
	   "transform": [{"filter": "datum.a > 0"}, {"calculate": "datum.a * 2", "as": "b"}]}`
	bad := `{"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}},
	   "transform": [{"filter": "datum.a > 0 && foo(datum.a)"}]}`
	for i := range 3 {
		if _, err := r.Render(context.Background(), []byte(good)); err != nil {
			t.Fatalf("round %d: good spec: %v", i, err)
		}
		_, err := r.Render(context.Background(), []byte(bad))
		var se *Error
		if !errors.As(err, &se) || se.Stage != "vega parse" || !strings.Contains(err.Error(), "Unrecognized function: foo") {
			t.Fatalf("round %d: bad spec: error %v, want vega parse's Unrecognized function: foo", i, err)
		}
	}
}
