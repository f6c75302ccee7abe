package svgrender

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
)

// loadSpecs returns the hand-written gallery specs of the vegalite package and
// this package's own testdata specs, by file name without .vl.json.
func loadSpecs(t testing.TB) map[string][]byte {
	t.Helper()
	specs := map[string][]byte{}
	for _, pattern := range []string{"../../vegalite/testdata/gallery/*.vl.json", "testdata/*.vl.json"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimSuffix(filepath.Base(f), ".vl.json")
			if _, dup := specs[name]; dup {
				t.Fatalf("two specs named %s", name)
			}
			specs[name] = b
		}
	}
	if len(specs) == 0 {
		t.Fatal("no specs found")
	}
	return specs
}

func sortedNames(specs map[string][]byte) []string {
	names := make([]string, 0, len(specs))
	for name := range specs {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// firstDiff describes where a and b first differ.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return fmt.Sprintf("first difference at byte %d (len %d vs %d):\n  got:  …%s…\n  node: …%s…",
		i, len(a), len(b), a[lo:min(len(a), i+80)], b[lo:min(len(b), i+80)])
}

// TestMatchesNode renders every spec and checks that the SVG is byte for byte
// what Node + the same vega and vega-lite give, and that the warnings and
// failures agree. Set SVGRENDER_DUMP=dir to write both SVGs of each spec there.
func TestMatchesNode(t *testing.T) {
	nodecheck.Require(t)
	specs := loadSpecs(t)
	want, err := nodecheck.Check(specs, true)
	if err != nil {
		t.Fatal(err)
	}
	r := New(Options{})
	defer r.Close()
	dump := os.Getenv("SVGRENDER_DUMP")
	same, random := 0, 0
	for _, name := range sortedNames(specs) {
		w := want[name]
		start := time.Now()
		got, err := r.RenderWithWarnings(context.Background(), specs[name])
		elapsed := time.Since(start)
		if dump != "" {
			os.WriteFile(filepath.Join(dump, name+".quickjs.svg"), []byte(got.SVG), 0o644)
			os.WriteFile(filepath.Join(dump, name+".node.svg"), []byte(w.SVG), 0o644)
		}
		if !w.OK {
			if err == nil {
				t.Errorf("%s: node failed with %q, we succeeded", name, w.Errors)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if fmt.Sprint(got.Warnings) != fmt.Sprint(w.Warnings) {
			t.Errorf("%s: warnings %q, node %q", name, got.Warnings, w.Warnings)
		}
		if fmt.Sprint(got.Notes) != fmt.Sprint(w.Notes) {
			t.Errorf("%s: notes %q, node %q", name, got.Notes, w.Notes)
		}
		if got.SVG != w.SVG {
			if why := nodeIsRandom(t, name, specs[name], w.SVG); why != "" {
				// Node draws from an unseeded Math.random; we seed it per
				// render. Only the numbers can differ.
				if numbers.ReplaceAllString(got.SVG, "#") != numbers.ReplaceAllString(w.SVG, "#") {
					t.Errorf("%s: node's output is random, and ours differs from it in more than numbers; %s", name, firstDiff(got.SVG, w.SVG))
				} else {
					random++
					t.Logf("%-32s random in node (%s): same SVG but for the numbers", name, why)
				}
				continue
			}
			t.Errorf("%s: SVG differs from node's; %s", name, firstDiff(got.SVG, w.SVG))
			continue
		}
		same++
		t.Logf("%-32s identical, %6d bytes, %v", name, len(got.SVG), elapsed.Round(time.Millisecond))
	}
	t.Logf("%d of %d specs byte-identical to node, %d random in node", same, len(specs), random)
}

var numbers = regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?`)

// nodeIsRandom renders spec in node twice more and returns a description if
// node's SVG changes from run to run (the spec samples with Math.random).
func nodeIsRandom(t *testing.T, name string, spec []byte, first string) string {
	t.Helper()
	for i := 0; i < 2; i++ {
		res, err := nodecheck.Check(map[string][]byte{name: spec}, true)
		if err != nil {
			t.Fatal(err)
		}
		if res[name].SVG != first {
			return fmt.Sprintf("node run %d differs from run 1", i+2)
		}
	}
	return ""
}

func TestInvalidSpec(t *testing.T) {
	for _, tc := range []struct{ spec, stage, want string }{
		{`{"data": {"values": [{"a": 1}]}}`, "vega-lite compile", `Invalid specification`},
		{`{"mark": `, "parse spec JSON", "not valid JSON"},
		{`{"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}},
		   "transform": [{"calculate": "datum.a +* 2", "as": "b"}]}`, "vega-lite compile", "Unexpected token *"},
		{`{"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}},
		   "transform": [{"filter": "foo(datum.a)"}]}`, "vega parse", "Unrecognized function: foo"},
		// vega-lite does not check mark types; it fails on a TypeError whose
		// wording is the engine's (V8: "Cannot read properties of undefined
		// (reading 'filled')"; QuickJS: "cannot read property of undefined").
		{`{"data": {"values": []}, "mark": "nonsense"}`, "vega-lite compile", "undefined"},
	} {
		_, err := Render(context.Background(), []byte(tc.spec))
		var se *Error
		if !errors.As(err, &se) {
			t.Errorf("%s: error %v, want an *Error", tc.spec, err)
			continue
		}
		if se.Stage != tc.stage || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q (stage %q), want stage %q and %q", tc.spec, err, se.Stage, tc.stage, tc.want)
		}
	}
}

func TestWarnings(t *testing.T) {
	res, err := RenderWithWarnings(context.Background(), []byte(`{
  "data": {"values": [{"a": "A", "b": 28}, {"a": "B", "b": 55}]},
  "mark": "bar",
  "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"},
               "shape": {"field": "a", "type": "nominal"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "shape dropped") {
		t.Errorf("warnings %q, want one about shape being dropped", res.Warnings)
	}
	if !strings.HasPrefix(res.SVG, "<svg") {
		t.Errorf("SVG %.40q", res.SVG)
	}
	if fmt.Sprint(res.CompileWarnings) != fmt.Sprint(res.Warnings) {
		t.Errorf("compile warnings %q, want %q: vega-lite's compiler logs this one", res.CompileWarnings, res.Warnings)
	}

	// A layer left without rows makes the view warn while it runs, not the compiler.
	res, err = RenderWithWarnings(context.Background(), []byte(`{
  "data": {"values": [{"a": 1}]},
  "layer": [{"mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}},
            {"transform": [{"filter": "datum.a > 5"}], "mark": "rule",
             "encoding": {"y": {"field": "a", "type": "quantitative"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) == 0 || len(res.CompileWarnings) != 0 {
		t.Errorf("warnings %q, compile warnings %q: want the view's warning only", res.Warnings, res.CompileWarnings)
	}
}

// Inline CSV text (vegalite.Data.Compact) is parsed in place, not loaded: it renders
// offline, as the same rows do.
func TestInlineCSV(t *testing.T) {
	rows := `{"data": {"values": [{"a": "x, \"y\"", "b": 28, "c": true}, {"a": "B", "b": null, "c": false}, {"a": "C", "b": 43, "c": null}]},
  "mark": "bar", "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"},
  "color": {"field": "c", "type": "nominal"}}}`
	csv := `{"data": {"values": "a,b,c\n\"x, \"\"y\"\"\",28,true\nB,,false\nC,43,", "format": {"type": "csv", "parse": {"b": "number", "c": "boolean"}}},
  "mark": "bar", "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"},
  "color": {"field": "c", "type": "nominal"}}}`
	var svg [2]string
	for i, spec := range []string{rows, csv} {
		res, err := RenderWithWarnings(context.Background(), []byte(spec))
		if err != nil || len(res.Warnings) > 0 {
			t.Fatalf("%s: %v, warnings %q", spec, err, res.Warnings)
		}
		svg[i] = res.SVG
	}
	if svg[0] != svg[1] || !strings.Contains(svg[1], "x, &quot;y&quot;") {
		t.Errorf("the CSV spec draws differently:\n%s\n%s", svg[0], svg[1])
	}
}

func TestURLRefused(t *testing.T) {
	for _, spec := range []string{
		`{"data": {"url": "https://example.com/data.csv"}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}`,
		`{"data": {"url": "/etc/passwd", "format": {"type": "csv"}}, "mark": "point"}`,
		`{"data": {"url": "data:text/csv,a%0A1", "format": {"type": "csv"}}, "mark": "point"}`,
	} {
		_, err := Render(context.Background(), []byte(spec))
		var se *Error
		if !errors.As(err, &se) || len(se.Logged) == 0 || !strings.Contains(err.Error(), "offline: refusing") {
			t.Errorf("%s: error %v, want an offline refusal", spec, err)
		}
	}
}

// TestLinksAndInlineImages checks links (the href channel) and images inlined as
// data:image/ URLs against Node running the same vega with its default loader, as a user's
// script would: the same SVG, byte for byte. Neither is a load. A javascript: link is
// dropped by vega's own sanitize, here as in Node.
func TestLinksAndInlineImages(t *testing.T) {
	nodecheck.Require(t)
	specs := map[string][]byte{}
	for _, name := range []string{"point_href", "scatter_image"} {
		b, err := os.ReadFile(filepath.Join("../../vegalite/testdata/gallery", name+".vl.json"))
		if err != nil {
			t.Fatal(err)
		}
		specs[name] = b
	}
	specs["unsafe_href"] = []byte(`{"data": {"values": [{"a": 1, "u": "javascript:alert(1)"}, {"a": 2, "u": "https://example.com/?q=<b>&x=\"y\""}]},
	  "mark": "bar", "encoding": {"x": {"field": "a", "type": "ordinal"}, "y": {"field": "a", "type": "quantitative"}, "href": {"field": "u"}}}`)
	want, err := nodecheck.CheckVegaLoader(specs, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range sortedNames(specs) {
		got, err := RenderWithWarnings(context.Background(), specs[name])
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		w := want[name]
		if !w.OK {
			t.Errorf("%s: node failed: %q", name, w.Errors)
			continue
		}
		if got.SVG != w.SVG {
			t.Errorf("%s: SVG differs from node's with vega's default loader; %s", name, firstDiff(got.SVG, w.SVG))
		}
		if len(got.Notes) > 0 || len(got.Warnings) > 0 {
			t.Errorf("%s: notes %q, warnings %q; want none", name, got.Notes, got.Warnings)
		}
	}
	// What the SVGs hold, not only that they agree.
	svg := func(name string) string {
		res, err := Render(context.Background(), specs[name])
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if s := svg("point_href"); strings.Count(s, `<a xlink:href="https://www.google.com/search?q=`) != 11 ||
		!strings.Contains(s, `<a xlink:href="https://www.google.com/search?q=ford+f250+%26+%22camper%22">`) {
		t.Errorf("point_href: want 11 links, the last escaped:\n%s", s)
	}
	if s := svg("scatter_image"); strings.Count(s, `<image `) != 3 || strings.Count(s, `xlink:href="data:image/png;base64,iVBOR`) != 3 ||
		strings.Count(s, `style="image-rendering: optimizeSpeed; image-rendering: pixelated;"`) != 3 {
		t.Errorf("scatter_image: want 3 unsmoothed images with their PNGs:\n%s", s)
	}
	if s := svg("unsafe_href"); strings.Count(s, "<a ") != 1 || strings.Contains(s, `xlink:href="javascript`) ||
		!strings.Contains(s, `<a xlink:href="https://example.com/?q=&lt;b&gt;&amp;x=&quot;y&quot;">`) {
		t.Errorf("unsafe_href: want the javascript: link dropped and the other escaped:\n%s", s)
	}
}

// TestRemoteImages: an image at any URL other than an inline data:image/ one is never
// fetched; it is drawn empty, at the mark's size, and the chart gets one note however many
// marks and items ask for images (testdata/image_remote.vl.json has 6 items in two layers,
// 5 distinct URLs).
func TestRemoteImages(t *testing.T) {
	spec, err := os.ReadFile("testdata/image_remote.vl.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := RenderWithWarnings(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], `offline: 5 image URLs not fetched ("https://example.com/a.png", ...)`) ||
		!strings.Contains(res.Notes[0], "drawn empty") || !strings.Contains(res.Notes[0], "data:image/png;base64") {
		t.Errorf("notes %q, want one saying that 5 image URLs were not fetched", res.Notes)
	}
	if n := strings.Count(res.SVG, `<image `); n != 6 {
		t.Errorf("%d images drawn, want 6 empty ones", n)
	}
	if n := strings.Count(res.SVG, `xlink:href="" `); n != 6 {
		t.Errorf("%d images without a URL, want 6:\n%s", n, res.SVG)
	}
	for _, leak := range []string{"example.com", "passwd", "images/a.png", "<script"} {
		// The URLs are in the aria labels (Vega-Lite's default description), escaped,
		// never in an href.
		if strings.Contains(res.SVG, `href="`+leak) || strings.Contains(res.SVG, `href="https://`+leak) {
			t.Errorf("the SVG links %q", leak)
		}
	}
	if !strings.Contains(res.SVG, `width="30" height="30"`) || !strings.Contains(res.SVG, `width="20" height="20"`) {
		t.Errorf("the empty images do not keep their marks' sizes")
	}
}

// slowSpec keeps vega busy for several seconds (a big sequence and a
// cross-joined aggregate).
const slowSpec = `{"data": {"sequence": {"start": 0, "stop": 3000000, "as": "i"}},
  "transform": [{"calculate": "sin(datum.i) * cos(datum.i / 7)", "as": "y"},
                {"window": [{"op": "rank", "as": "r"}], "sort": [{"field": "y"}]}],
  "mark": "point", "encoding": {"x": {"field": "i", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}}`

func TestContextTimeout(t *testing.T) {
	r := New(Options{MaxEngines: 1})
	defer r.Close()
	if err := r.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := r.Render(ctx, []byte(slowSpec))
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v after %v, want context.DeadlineExceeded", err, elapsed)
	}
	if elapsed > 2*time.Second {
		t.Errorf("render stopped after %v, want about 300ms", elapsed)
	}
	// The interrupted engine was replaced: the renderer still works.
	if _, err := r.Render(context.Background(), []byte(`{"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}`)); err != nil {
		t.Fatal(err)
	}

	// Cancellation without a deadline.
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	_, err = r.Render(ctx, []byte(slowSpec))
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Fatalf("error %v after %v, want context.Canceled soon after 200ms", err, time.Since(start))
	}
}

func TestOptionsTimeout(t *testing.T) {
	r := New(Options{MaxEngines: 1, Timeout: 300 * time.Millisecond})
	defer r.Close()
	_, err := r.Render(context.Background(), []byte(slowSpec))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want context.DeadlineExceeded", err)
	}
}

func TestMemoryLimit(t *testing.T) {
	r := New(Options{MaxEngines: 1, MemoryLimit: 64 << 20})
	defer r.Close()
	_, err := r.Render(context.Background(), []byte(slowSpec))
	if err == nil || !strings.Contains(err.Error(), "out of memory") {
		t.Fatalf("error %v, want out of memory", err)
	}
	if _, err := r.Render(context.Background(), []byte(`{"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}`)); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrent renders from 8 goroutines at once on a pool smaller than
// that, and checks that every goroutine gets the same SVG for the same spec.
// Run it with -race too: it is cut down under the race detector.
func TestConcurrent(t *testing.T) {
	specs := loadSpecs(t)
	names := []string{"bar_simple", "donut_radial", "histogram", "pie_chart"}
	rounds, engines := 3, 3
	if raceEnabled {
		names, rounds, engines = names[:2], 1, 2
	}
	r := New(Options{MaxEngines: engines})
	defer r.Close()
	var mu sync.Mutex
	got := map[string]map[string]bool{}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				name := names[(g+i)%len(names)]
				svg, err := r.Render(context.Background(), specs[name])
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				mu.Lock()
				if got[name] == nil {
					got[name] = map[string]bool{}
				}
				got[name][svg] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for name, svgs := range got {
		if len(svgs) != 1 {
			t.Errorf("%s: %d different SVGs from concurrent renders", name, len(svgs))
		}
	}
	if len(got) != len(names) {
		t.Errorf("rendered %d specs, want %d", len(got), len(names))
	}
}

func TestClosed(t *testing.T) {
	r := New(Options{})
	r.Close()
	if _, err := r.Render(context.Background(), []byte(`{"mark": "point"}`)); !errors.Is(err, ErrClosed) {
		t.Errorf("error %v, want ErrClosed", err)
	}
}

// TestRandomIsSeeded checks that a spec that samples (errorbar's bootstrap
// confidence interval) renders the same SVG on different engines and after
// other renders.
func TestRandomIsSeeded(t *testing.T) {
	spec := loadSpecs(t)["errorbar_with_mean"]
	var svgs []string
	for i := range 2 {
		r := New(Options{MaxEngines: 1})
		if i == 1 {
			if _, err := r.Render(context.Background(), []byte(`{"data": {"values": [{"a": 1}]}, "mark": "point", "transform": [{"calculate": "random()", "as": "r"}], "encoding": {"x": {"field": "r", "type": "quantitative"}}}`)); err != nil {
				t.Fatal(err)
			}
		}
		svg, err := r.Render(context.Background(), spec)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		svgs = append(svgs, svg)
	}
	if svgs[0] != svgs[1] {
		t.Errorf("renders differ: %s", firstDiff(svgs[0], svgs[1]))
	}
}

// An SVG's clip paths and gradients are numbered anew in each render: a chart with a
// colour gradient (a continuous legend) and a clip draws the same SVG whatever the
// engine drew before.
func TestDefIDsPerRender(t *testing.T) {
	spec := []byte(`{"data": {"values": [{"a": 1, "b": 2}, {"a": 2, "b": 5}]}, "mark": {"type": "point", "clip": true},
		"encoding": {"x": {"field": "a", "type": "quantitative"}, "y": {"field": "b", "type": "quantitative"},
		"color": {"field": "b", "type": "quantitative"}}}`)
	r := New(Options{MaxEngines: 1})
	defer r.Close()
	var svgs []string
	for range 3 {
		svg, err := r.Render(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		svgs = append(svgs, svg)
	}
	if !strings.Contains(svgs[0], `id="gradient_0"`) || !strings.Contains(svgs[0], "clip") {
		t.Fatalf("the chart has no gradient or no clip path: %.300s", svgs[0])
	}
	for i := 1; i < len(svgs); i++ {
		if svgs[i] != svgs[0] {
			t.Errorf("render %d differs from the first: %s", i+1, firstDiff(svgs[i], svgs[0]))
		}
	}
}
