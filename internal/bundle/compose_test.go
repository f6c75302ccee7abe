// SPDX-License-Identifier: Apache-2.0

package bundle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
)

func composeChart() Chart {
	return Chart{ID: "gonbviz-c1", SpecJSON: []byte(`{"data":{"values":[{"a":1},{"a":2}]},"mark":"bar","encoding":{"x":{"field":"a","type":"ordinal"}}}`),
		SVG: `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="40"><rect width="60" height="40"/></svg>`, Text: "a chart"}
}

// Compose carries one inline library copy, or, with LibDir, none: the page loads the
// files in order and registers them for the loaders; a LibDir that is no plain relative
// path is refused.
func TestCompose(t *testing.T) {
	c := composeChart()
	inline, err := Compose(PageOptions{Title: "<t>"}, []Part{{HTML: "<p>x</p>"}, {Chart: &c}})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(inline), `class="`+LibClass+`"`); n != 1 {
		t.Errorf("%d inline library copies, want 1", n)
	}
	if !strings.Contains(string(inline), "<title>&lt;t&gt;</title>") || !strings.Contains(string(inline), "Content-Security-Policy") {
		t.Error("the title is not escaped, or the page has no Content-Security-Policy")
	}
	if none, err := Compose(PageOptions{Title: "t"}, []Part{{HTML: "<p>x</p>"}}); err != nil || strings.Contains(string(none), LibClass+`"`) {
		t.Errorf("a page without charts carries the libraries (%v)", err)
	}
	if none, err := Compose(PageOptions{Title: "t", LibDir: "lib"}, []Part{{HTML: "<p>x</p>"}}); err != nil || strings.Contains(string(none), "vega.min.js") {
		t.Errorf("a page without charts loads the libraries (%v)", err)
	}
	linked, err := Compose(PageOptions{Title: "t", LibDir: "../lib"}, []Part{{Chart: &c}})
	if err != nil {
		t.Fatal(err)
	}
	s := string(linked)
	if strings.Contains(s, `class="`+LibClass+`"`) {
		t.Error("a page with LibDir carries an inline copy")
	}
	a, b, e := strings.Index(s, `src="../lib/vega.min.js"`), strings.Index(s, `src="../lib/vega-lite.min.js"`), strings.Index(s, `src="../lib/vega-embed.min.js"`)
	if a < 0 || b < a || e < b || !strings.Contains(s, Versions) {
		t.Errorf("the library files are not loaded in order, or not registered under %s", Versions)
	}
	for name := range LibFiles() {
		if !strings.Contains(s, name) {
			t.Errorf("the page does not load %s", name)
		}
	}
	for _, bad := range []string{"/abs", "lib/../../x", `lib"><script>`, "https://cdn/x", "lib/"} {
		if _, err := Compose(PageOptions{LibDir: bad}, nil); err == nil || !strings.Contains(err.Error(), "plain relative path") {
			t.Errorf("LibDir %q: %v", bad, err)
		}
	}
}

// In Chromium with the network blocked, a page whose library files are there draws its
// chart interactive; without them, the chart keeps its static SVG and says why.
func TestComposeLibFilesInBrowser(t *testing.T) {
	browsertest.Require(t)
	dir := t.TempDir()
	c := composeChart()
	page, err := Compose(PageOptions{Title: "t", LibDir: "lib"}, []Part{{Chart: &c}})
	if err != nil {
		t.Fatal(err)
	}
	for _, with := range []bool{true, false} {
		sub := filepath.Join(dir, map[bool]string{true: "with", false: "without"}[with])
		if err := os.MkdirAll(filepath.Join(sub, "lib"), 0o755); err != nil {
			t.Fatal(err)
		}
		if with {
			for name, code := range LibFiles() {
				if err := os.WriteFile(filepath.Join(sub, "lib", name), []byte(code), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := os.WriteFile(filepath.Join(sub, "page.html"), page, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := browsertest.Run(browsertest.Job{URL: "file://" + filepath.Join(sub, "page.html"), JavaScript: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Charts) != 1 || len(r.Blocked) > 0 || len(r.PageErrors) > 0 {
			t.Fatalf("with files %v: %+v", with, r)
		}
		got := r.Charts[0]
		if with && (got.State != "interactive" || got.ViewMarks == 0) {
			t.Errorf("with the library files: %q, %d marks (%s)", got.State, got.ViewMarks, got.Note)
		}
		if !with && (got.State != "static" || !got.StaticVisible || !strings.Contains(got.Note, "the library files in lib/ did not load")) {
			t.Errorf("without the library files: %q, static visible %v, note %q", got.State, got.StaticVisible, got.Note)
		}
	}
}
