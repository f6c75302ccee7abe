// SPDX-License-Identifier: Apache-2.0

package vegalite_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
	"github.com/gonbviz/gonbviz/vegalite"
)

// galleryCase is one chart of the Vega-Lite example gallery rebuilt with the builder. Its
// expected spec, written out by hand, is testdata/gallery/<name>.vl.json.
type galleryCase struct {
	name  string
	build func() vegalite.Chart
}

func allGalleryCases() []galleryCase {
	cases := append(append([]galleryCase(nil), galleryCasesA...), galleryCasesB...)
	sort.Slice(cases, func(i, j int) bool { return cases[i].name < cases[j].name })
	return cases
}

func readExpected(t *testing.T, name string) any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "gallery", name+".vl.json"))
	if err != nil {
		t.Fatalf("expected spec: %v", err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("expected spec %s.vl.json is not JSON: %v", name, err)
	}
	return v
}

func indent(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// TestGalleryBuilder rebuilds every gallery chart with the builder and compares it, as JSON,
// with the spec written out by hand.
func TestGalleryBuilder(t *testing.T) {
	cases := allGalleryCases()
	if len(cases) < 30 {
		t.Errorf("the gallery has %d charts; at least 30 are required", len(cases))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Errorf("gallery chart %q is listed twice", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			spec, err := c.build().Build()
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			var got any
			if err := json.Unmarshal(spec.JSON, &got); err != nil {
				t.Fatalf("built spec is not JSON: %v\n%s", err, spec.JSON)
			}
			want := readExpected(t, c.name)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("built spec differs from testdata/gallery/%s.vl.json\n--- built:\n%s\n--- expected:\n%s", c.name, indent(got), indent(want))
			}
			// Building is deterministic to the byte.
			again, err := c.build().Build()
			if err != nil || string(again.JSON) != string(spec.JSON) {
				t.Errorf("a second Build gave different bytes")
			}
		})
	}
	// Every expected spec has a builder.
	files, _ := filepath.Glob(filepath.Join("testdata", "gallery", "*.vl.json"))
	for _, f := range files {
		name := filepath.Base(f)
		name = name[:len(name)-len(".vl.json")]
		if !seen[name] {
			t.Errorf("testdata/gallery/%s.vl.json has no builder case", name)
		}
	}
}

// TestGalleryValidates checks every expected spec with Validate (no false positives).
func TestGalleryValidates(t *testing.T) {
	for _, c := range allGalleryCases() {
		raw, err := os.ReadFile(filepath.Join("testdata", "gallery", c.name+".vl.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := vegalite.Validate(raw); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestGalleryRendersInNode compiles every built gallery spec with the real vega-lite 5.23.0
// and renders it with vega 5.33.1 in Node: no errors, no warnings, marks drawn.
func TestGalleryRendersInNode(t *testing.T) {
	nodecheck.Require(t)
	specs := map[string][]byte{}
	for _, c := range allGalleryCases() {
		spec, err := c.build().Build()
		if err != nil {
			t.Fatalf("%s: Build: %v", c.name, err)
		}
		specs[c.name] = spec.JSON
	}
	results, err := nodecheck.Check(specs, true)
	if err != nil {
		t.Fatal(err)
	}
	for name := range specs {
		r, ok := results[name]
		if !ok {
			t.Errorf("%s: no result from node", name)
			continue
		}
		if !r.OK || len(r.Errors) > 0 {
			t.Errorf("%s: errors: %v", name, r.Errors)
		}
		if len(r.Warnings) > 0 {
			t.Errorf("%s: warnings: %v", name, r.Warnings)
		}
		if r.Items == 0 {
			t.Errorf("%s: no marks drawn", name)
		}
		if len(r.SVG) < 5 || r.SVG[:4] != "<svg" {
			t.Errorf("%s: no SVG", name)
		}
	}
}
